package dev.statehouse.support;

import java.io.Closeable;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server started from binaries installed on the machine (Debian's postgresql-15:
 * {@code /usr/lib/postgresql/15/bin}), in a fresh data directory under the temp directory, on a
 * free loopback port, C.UTF-8, trust authentication. As root (CI) every command runs as user
 * {@code postgres}: {@code initdb} refuses root. Closing stops the server and deletes its data.
 */
public final class InstalledPostgres implements Closeable {

    private final Path bin;
    private final Path data;
    private final int port;

    private InstalledPostgres(Path bin, Path data, int port) {
        this.bin = bin;
        this.data = data;
        this.port = port;
    }

    /** Initialises and starts a server from {@code bin}; fails with what to install if it is not there. */
    public static InstalledPostgres start(Path bin) throws IOException {
        if (!Files.isExecutable(bin.resolve("initdb")) || !Files.isExecutable(bin.resolve("pg_ctl"))) {
            throw new IllegalStateException("no PostgreSQL binaries in " + bin
                    + " (statehouse.test.postgres.bin); on Debian: apt-get install postgresql-15");
        }
        Path data = Files.createTempDirectory("statehouse-pg-");
        if (root()) {
            UserPrincipal postgres = data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(data, postgres);
        }
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        InstalledPostgres server = new InstalledPostgres(bin, data, port);
        server.run("initdb", "-D", data.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");
        server.startServer();
        return server;
    }

    /** The server from Debian's postgresql-15 ({@code -Dstatehouse.test.postgres15.bin}, default {@code /usr/lib/postgresql/15/bin}). */
    public static InstalledPostgres startDebian15() throws IOException {
        return start(Path.of(System.getProperty("statehouse.test.postgres15.bin", "/usr/lib/postgresql/15/bin")));
    }

    private void startServer() throws IOException {
        run("pg_ctl", "-D", data.toString(), "-l", data.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + data
                        + " -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start");
    }

    public int port() {
        return port;
    }

    /** The JDBC url of {@code database} on this server (user postgres, trust). */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    /** {@code pg_ctl stop -m fast}: every session is ended (SQLSTATE 57P01), the server shuts down cleanly. */
    public void stopFast() throws IOException {
        run("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "stop");
    }

    /** Starts the server again on the same port and data after {@link #stopFast}. */
    public void startAgain() throws IOException {
        startServer();
    }

    /**
     * SIGSTOP to the postmaster, then to every process it forked (backends and auxiliaries): a server
     * that holds its connections open and answers nothing, as a hung host does.
     */
    public void freeze() throws IOException {
        signal("-STOP");
    }

    /** SIGCONT to the postmaster and its processes. */
    public void thaw() throws IOException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException {
        long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        kill(signal, List.of(postmaster));
        kill(signal, ProcessHandle.of(postmaster).orElseThrow().children().map(ProcessHandle::pid).toList());
    }

    private static void kill(String signal, List<Long> pids) throws IOException {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", signal));
        pids.forEach(p -> command.add(Long.toString(p)));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                throw new IOException("kill " + signal + " " + pids + " did not finish");
            } // a process that ended between the listing and the signal ("No such process") needs no signal
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            run("pg_ctl", "-D", data.toString(), "-m", "immediate", "stop");
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void run(String program, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (root()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        Path output = Files.createTempFile("statehouse-pg-", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(program + " did not finish in 90 s: " + Files.readString(output));
            }
            if (process.exitValue() != 0) {
                throw new IOException(program + " failed (exit " + process.exitValue() + "): " + Files.readString(output));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(program + " interrupted", e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }
}
