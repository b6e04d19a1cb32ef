package dev.statehouse.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the integration tests launch the packaged jar: in the form the Docker image runs — Boot's
 * extracted layout ({@code java -Djarmode=tools -jar statehouse.jar extract}) — with a class-data
 * sharing archive trained once per test run ({@code -Dspring.context.exit=onRefresh}), which starts
 * each of the run's ~50 service and command processes about a third faster on a 2-core machine.
 * The code and its dependencies are the packaged jar's own; only the JVM's class loading is shared.
 * If the extraction or the training fails, processes run {@code java -jar} on the jar as built, as
 * do processes started under a limit ({@code prlimit}: {@link #plain}).
 */
final class PackagedJar {

    private static List<String> launch;

    private PackagedJar() {
    }

    /** {@code java -jar} on the jar as built: for a process under a descriptor limit, which the extracted layout's ~100 open jars would eat. */
    static List<String> plain() {
        return List.of(java(), "-jar", jar().toString());
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("statehouse.jar", "target/statehouse.jar")).toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no packaged jar at " + jar);
        }
        return jar;
    }

    /** The java executable, its options and {@code -jar JAR}: what comes before the application's arguments. */
    static synchronized List<String> launch() {
        if (launch == null) {
            launch = prepare(jar());
        }
        return launch;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static List<String> prepare(Path jar) {
        List<String> plain = List.of(java(), "-jar", jar.toString());
        try {
            Path dir = jar.getParent().resolve("it-extracted");
            Path extracted = dir.resolve(jar.getFileName());
            Path archive = dir.resolve("statehouse.jsa");
            Path work = Files.createTempDirectory("statehouse-cds-");
            if (!run(work, List.of(java(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--force", "--destination", dir.toString()))
                    || !run(work, List.of(java(), "-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh", "-jar",
                    extracted.toString(), "--server.port=0", "--statehouse.storage.path=" + work.resolve("data/state.db")))
                    || !Files.exists(archive)) {
                return plain;
            }
            List<String> cds = new ArrayList<>(List.of(java(), "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                    "-jar", extracted.toString()));
            return List.copyOf(cds);
        } catch (Exception e) {
            return plain;
        }
    }

    private static boolean run(Path workDir, List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("prepare.log").toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }
}
