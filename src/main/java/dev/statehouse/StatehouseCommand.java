package dev.statehouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The command line: {@code serve} (the default: runs the service), {@code import hermes PATH},
 * {@code restore BACKUP}, {@code vacuum}, {@code copy --to URL}, {@code help [COMMAND]}, and {@code --help}/{@code --version} on each.
 *
 * <p>Settings are Spring's {@code --key=value} with a dotted key ({@code --server.port=8081},
 * {@code --statehouse.storage.path=/var/lib/statehouse/state.db}); they are set apart before the
 * parser sees the rest, and passed to whichever command runs. Anything else that looks like an
 * option and is not one of a command's is refused with exit 2 and the command's usage.
 *
 * <p>Help, version and a refused command line never start the service, never create or open a
 * database and never print a token: they return before any of that is reached. Exit codes: 0 done,
 * 2 refused (the command line, or what a command checked before writing), 1 failed.
 */
@Command(name = "statehouse", mixinStandardHelpOptions = true, versionProvider = StatehouseCommand.Version.class,
        description = "Keeps the state of an AI-agent platform: sessions with lineage, a kanban board with a claim/lease"
                + " worker protocol, plan checkpoints of SQLite resources. Without a command it serves the API (as 'serve').",
        subcommands = {StatehouseCommand.Serve.class, StatehouseCommand.Import.class, StatehouseCommand.Restore.class,
                StatehouseCommand.Vacuum.class, StatehouseCommand.Copy.class, CommandLine.HelpCommand.class},
        footer = {"", "Settings: any --key=value with a dotted key is one of the service's settings (HELP.md lists them),"
                + " e.g. --statehouse.storage.path=./data/state.db or --server.port=8080; environment variables work too"
                + " (STATEHOUSE_STORAGE_PATH).", "", "Exit codes: 0 done, 2 refused (nothing changed), 1 failed."})
public final class StatehouseCommand implements Callable<Integer> {

    /** What {@link #execute} returns when the command is to serve: the caller starts the service with {@link #settings}. */
    public static final int SERVE = -1;

    /** What the commands that run and exit do; separated so tests can parse without starting anything. */
    public interface Actions {
        int importHermes(Path file, String[] settings);

        int restore(Path backup, String[] settings);

        int vacuum(String[] settings);

        int copy(String targetUrl, String[] settings);
    }

    private final Actions actions;
    private final String[] settings;

    private StatehouseCommand(Actions actions, String[] settings) {
        this.actions = actions;
        this.settings = settings;
    }

    @Override
    public Integer call() {
        return SERVE;
    }

    /**
     * Parses {@code args} and runs what they ask: returns the exit code, or {@link #SERVE} when the
     * service is to run (which this method never starts, so nothing it parses can touch a database).
     */
    public static int execute(String[] args, Actions actions, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>();
        for (String arg : args) {
            if (!isSetting(arg)) {
                rest.add(arg);
            }
        }
        StatehouseCommand top = new StatehouseCommand(actions, settings(args));
        CommandLine cli = new CommandLine(top, new Factory(top));
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.setCaseInsensitiveEnumValuesAllowed(false);
        return cli.execute(rest.toArray(String[]::new));
    }

    /** The settings among {@code args}: what the service, the import or the restore reads as {@code --key=value}. */
    public static String[] settings(String[] args) {
        return java.util.Arrays.stream(args).filter(StatehouseCommand::isSetting).toArray(String[]::new);
    }

    /** A Spring setting: {@code --a.b=value} (a dotted key), which the parser never sees. */
    static boolean isSetting(String arg) {
        if (!arg.startsWith("--") || arg.indexOf('=') < 0) {
            return false;
        }
        String key = arg.substring(2, arg.indexOf('='));
        return key.matches("[A-Za-z][A-Za-z0-9_-]*(\\.[A-Za-z0-9_\\[\\]-]+)+");
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Serves the API, the probes and the metrics (the default command).")
    static final class Serve implements Callable<Integer> {
        private final StatehouseCommand top;

        Serve(StatehouseCommand top) {
            this.top = top;
        }

        @Override
        public Integer call() {
            return SERVE;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Imports another system's state into Statehouse.", subcommands = Import.Hermes.class)
    static final class Import implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            throw new CommandLine.ParameterException(spec.commandLine(), "name what to import: 'import hermes PATH'");
        }

        @Command(name = "hermes", mixinStandardHelpOptions = true, versionProvider = Version.class,
                description = "Imports a hermes agent's state.db (sessions and messages) into the database the settings name."
                        + " Safe to repeat: it adds only what is missing. Checked whole before anything is written.",
                footer = {"", "Exit codes: 0 imported, 2 refused (nothing written), 1 failed (run it again to complete)."})
        static final class Hermes implements Callable<Integer> {
            private final StatehouseCommand top;

            @Parameters(index = "0", paramLabel = "PATH", description = "the hermes state.db to import")
            Path file;

            Hermes(StatehouseCommand top) {
                this.top = top;
            }

            @Override
            public Integer call() {
                return top.actions.importHermes(file, top.settings);
            }
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Puts a backup in place of the SQLite database, with the service stopped. The backup must pass"
                    + " its integrity check; no process may have the database open.",
            footer = {"", "Exit codes: 0 restored, 2 refused (nothing changed), 1 failed."})
    static final class Restore implements Callable<Integer> {
        private final StatehouseCommand top;

        @Parameters(index = "0", paramLabel = "BACKUP", description = "the backup file (from /actuator/backup, or any Statehouse database)")
        Path backup;

        Restore(StatehouseCommand top) {
            this.top = top;
        }

        @Override
        public Integer call() {
            return top.actions.restore(backup, top.settings);
        }
    }

    @Command(name = "vacuum", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Rewrites the SQLite database once in auto_vacuum=INCREMENTAL mode, with the service stopped, so that"
                    + " a database created by an older release gives space back after retention (new databases are created so)."
                    + " Needs free disk about the database's size; no process may have the database open.",
            footer = {"", "Exit codes: 0 vacuumed, 2 refused (nothing changed), 1 failed (the database is unchanged)."})
    static final class Vacuum implements Callable<Integer> {
        private final StatehouseCommand top;

        Vacuum(StatehouseCommand top) {
            this.top = top;
        }

        @Override
        public Integer call() {
            return top.actions.vacuum(top.settings);
        }
    }

    @Command(name = "copy", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Copies the SQLite database (service stopped, or a backup named by --statehouse.storage.path) into an empty"
                    + " PostgreSQL database: makes its schema, copies every table in one transaction, verifies row counts and a SHA-256"
                    + " per table on both sides, and keeps nothing unless all of it matched.",
            footer = {"", "Credentials: in the URL (?user=…&password=…), else PGUSER and PGPASSWORD.",
                    "Exit codes: 0 copied, 2 refused (nothing written), 1 failed (nothing kept: run it again)."})
    static final class Copy implements Callable<Integer> {
        private final StatehouseCommand top;

        @CommandLine.Option(names = "--to", required = true, paramLabel = "JDBC_URL", description = "the target: jdbc:postgresql://HOST:PORT/DB?user=…")
        String to;

        Copy(StatehouseCommand top) {
            this.top = top;
        }

        @Override
        public Integer call() {
            return top.actions.copy(to, top.settings);
        }
    }

    /** The version recorded by the build ({@code META-INF/build-info.properties}), or "dev". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties build = new Properties();
            try (InputStream in = StatehouseCommand.class.getResourceAsStream("/META-INF/build-info.properties")) {
                if (in != null) {
                    build.load(in);
                }
            } catch (IOException e) {
                // no build information: a development run
            }
            return new String[] {"statehouse " + build.getProperty("build.version", "dev")
                    + " (Java " + System.getProperty("java.version") + ")"};
        }
    }

    /** Gives each command the top-level command, so it can reach the settings and the actions. */
    private record Factory(StatehouseCommand top) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            for (var constructor : type.getDeclaredConstructors()) {
                if (constructor.getParameterCount() == 1 && constructor.getParameterTypes()[0] == StatehouseCommand.class) {
                    constructor.setAccessible(true);
                    return type.cast(constructor.newInstance(top));
                }
            }
            return CommandLine.defaultFactory().create(type);
        }
    }
}
