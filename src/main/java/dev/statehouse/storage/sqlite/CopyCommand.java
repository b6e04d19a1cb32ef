package dev.statehouse.storage.sqlite;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteConfig;

/**
 * {@code java -jar statehouse.jar copy --to jdbc:postgresql://HOST:PORT/DB?user=…&password=…
 * [--statehouse.storage.path=PATH]} (parsed by {@code dev.statehouse.StatehouseCommand}): moves a
 * stopped SQLite database (or a backup of a running one) into an empty PostgreSQL database, for the
 * day one machine is not enough.
 * <ol>
 * <li>Refused (exit 2, nothing written) when the SQLite file is missing, open in a process, not a
 * Statehouse database or not migrated to this release; when the target cannot be reached; and when
 * the target holds anything else: a table that is not Statehouse's, or rows in one that is.</li>
 * <li>The target's schema is made by this release's PostgreSQL migrations (Flyway).</li>
 * <li>Every table ({@link #TABLES}) is copied in one PostgreSQL transaction, read from SQLite in one
 * read transaction (a consistent snapshot), by {@code COPY}; sequences are moved past the copied ids.
 * Secondary indexes and foreign keys are made after the rows are in ({@link DeferredChecks}).</li>
 * <li>Verified before the commit: per table the row count and a SHA-256 over the rows, of what was
 * read and of what the target then holds. Any difference, error or interruption rolls everything back:
 * all or nothing — the target's tables are empty again and the command can simply be run again.</li>
 * </ol>
 * Credentials: in the URL as pgjdbc takes them, else {@code PGUSER}/{@code PGPASSWORD}. Progress is
 * written to standard error. The token the SQLite service generated is a file beside the database, not
 * a row: its digest is printed with the setting that keeps it valid on every replica.
 */
public final class CopyCommand {

    /** What is copied, parents before children. {@code data_versions} is not: PostgreSQL's versions are its snapshots. */
    static final List<String> TABLES = List.of("projects", "sessions", "messages", "boards", "tasks", "task_links", "task_runs",
            "task_events", "task_comments", "board_event_horizons", "plans", "checkpoints");
    /** Statehouse's own tables besides those: a target may hold them (empty, or Flyway's). */
    private static final List<String> OWN = List.of("data_versions", "flyway_schema_history");

    private CopyCommand() {
    }

    /** Copies the database {@code settings} name (as {@link RestoreCommand} reads it) to {@code targetUrl}; the exit code. */
    public static int run(String targetUrl, String[] settings, PrintStream out, PrintStream err) {
        Path source = RestoreCommand.databasePath(settings);
        try {
            String refused = checkSource(source);
            if (refused == null && !targetUrl.startsWith("jdbc:postgresql://")) {
                refused = "--to must be a jdbc:postgresql:// URL";
            }
            if (refused != null) {
                err.println("copy refused: " + refused);
                return 2;
            }
            PGSimpleDataSource target = dataSource(targetUrl);
            try (Connection pg = target.getConnection()) {
                String other = otherData(pg, false);
                if (other != null) {
                    err.println("copy refused: the target already holds " + other + "; copy into an empty database");
                    return 2;
                }
            } catch (SQLException e) {
                err.println("copy refused: cannot reach the target: " + e.getMessage());
                return 2;
            }
            quietLibraries();
            Flyway.configure().dataSource(target).locations("classpath:db/migration/postgresql").load().migrate();
            try (Connection pg = target.getConnection(); Connection sqlite = openSource(source)) {
                String other = otherData(pg, true);
                if (other != null) {
                    err.println("copy refused: the target already holds " + other + "; copy into an empty database");
                    return 2;
                }
                return copy(sqlite, pg, source, targetUrl, settings, out, err);
            }
        } catch (IOException | SQLException | RuntimeException e) {
            err.println("copy failed, nothing was kept in the target: " + e.getMessage());
            return 1;
        }
    }

    private static int copy(Connection sqlite, Connection pg, Path source, String targetUrl, String[] settings, PrintStream out,
                            PrintStream err) throws SQLException, IOException {
        pg.setAutoCommit(false);
        sqlite.setAutoCommit(false); // one read transaction: every table from the same snapshot
        Map<String, Long> totals = new LinkedHashMap<>();
        for (String table : TABLES) {
            totals.put(table, count(sqlite, table));
        }
        CopyProgress progress = new CopyProgress(err, totals);
        Map<String, TableCopy.Result> copied = new LinkedHashMap<>();
        List<String> wrong = new ArrayList<>();
        try {
            DeferredChecks deferred = DeferredChecks.applies(pg, TABLES) ? DeferredChecks.drop(pg, TABLES) : null;
            for (String table : TABLES) {
                TableCopy t = TableCopy.of(pg, table);
                copied.put(table, t.copy(sqlite, pg, n -> progress.at(table, n)));
                t.advanceSequences(pg);
                progress.done(table);
            }
            if (deferred != null) {
                err.printf("making %d indexes and foreign keys of the copied rows%n", deferred.size());
                deferred.restore(pg);
            } else {
                err.println("the target's tables belong to another role: indexes and foreign keys were kept during the copy (slower)");
            }
            for (String table : TABLES) {
                TableCopy.Result there = TableCopy.of(pg, table).digestOfTarget(pg);
                TableCopy.Result here = copied.get(table);
                if (there.rows() != here.rows() || !there.digest().equals(here.digest())) {
                    wrong.add(table + " (" + here.rows() + " rows read, " + there.rows() + " in the target, digests " + here.digest().substring(0, 12)
                            + " and " + there.digest().substring(0, 12) + ")");
                }
            }
            if (!wrong.isEmpty()) {
                pg.rollback();
                err.println("copy failed, nothing was kept in the target: what the target holds differs from what was read: " + wrong);
                return 1;
            }
            pg.commit();
        } catch (SQLException | IOException | RuntimeException e) {
            pg.rollback();
            throw e;
        } finally {
            sqlite.rollback();
        }
        long rows = copied.values().stream().mapToLong(TableCopy.Result::rows).sum();
        out.printf("copied %s to %s: %d rows in %.1f s (%.0f rows/s), every table verified (rows and SHA-256):%n", source,
                targetUrl.replaceAll("password=[^&]*", "password=…"), rows, progress.seconds(), rows / Math.max(progress.seconds(), 0.001));
        copied.forEach((table, r) -> out.printf("  %-22s %10d rows  sha256 %s%n", table, r.rows(), r.digest()));
        Path tokenFile = tokenFile(settings);
        if (Files.isRegularFile(tokenFile)) {
            out.println("the token this service generated stays valid if every replica has: --statehouse.auth.tokens.agents.sha256="
                    + Files.readString(tokenFile).trim() + " (add --statehouse.auth.tokens.agents.scopes=read,write as it had)");
        }
        out.println("next: start the replicas with --spring.datasource.url=" + targetUrl.replaceAll("[?].*", "") + " (see HELP.md, Moving to PostgreSQL)");
        return 0;
    }

    /** Why the SQLite file cannot be copied, or null. */
    private static String checkSource(Path source) throws IOException, SQLException {
        if (!Files.isRegularFile(source)) {
            return source + " is not a file";
        }
        List<Long> users = RestoreCommand.processesUsing(source);
        if (!users.isEmpty()) {
            return source + " is open in process " + users + " (stop the service, or copy a backup of it: /actuator/backup)";
        }
        try (Connection c = openSource(source); Statement s = c.createStatement()) {
            String problem = RestoreCommand.notStatehouse(s);
            if (problem != null) {
                return source + " " + problem;
            }
            String latest = Long.toString(latestMigration());
            try (ResultSet rs = s.executeQuery("SELECT MAX(CAST(version AS INTEGER)) FROM flyway_schema_history WHERE success = 1")) {
                String version = rs.next() ? rs.getString(1) : null;
                if (!latest.equals(version)) {
                    return source + " is at schema version " + version + ", this release at " + latest
                            + ": start this release's service on it once (it migrates), stop it, then copy";
                }
            }
        }
        return null;
    }

    /** This release's schema version: the highest V of its PostgreSQL migrations (SQLite's have the same numbers). */
    static long latestMigration() throws IOException {
        long latest = 0;
        for (org.springframework.core.io.Resource r : new org.springframework.core.io.support.PathMatchingResourcePatternResolver()
                .getResources("classpath:db/migration/postgresql/V*__*.sql")) {
            String name = r.getFilename();
            latest = Math.max(latest, Long.parseLong(name.substring(1, name.indexOf("__"))));
        }
        return latest;
    }

    /** Tables that are not Statehouse's, or (once migrated) rows in Statehouse's; null when there is nothing. */
    private static String otherData(Connection pg, boolean rows) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Statement s = pg.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")) {
            while (rs.next()) {
                String t = rs.getString(1);
                if (!TABLES.contains(t) && !OWN.contains(t)) {
                    found.add("table " + t);
                }
            }
        }
        if (rows && found.isEmpty()) {
            for (String table : TABLES) {
                long n = count(pg, table);
                if (n > 0) {
                    found.add(n + " rows in " + table);
                }
            }
        }
        return found.isEmpty() ? null : String.join(", ", found);
    }

    /** Flyway and pgjdbc log at INFO by default outside Spring: the command's own lines are what the operator reads. */
    private static void quietLibraries() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
            logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection openSource(Path source) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(5000);
        return config.createConnection("jdbc:sqlite:file:" + source + "?mode=ro");
    }

    private static PGSimpleDataSource dataSource(String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        if (ds.getUser() == null && System.getenv("PGUSER") != null) {
            ds.setUser(System.getenv("PGUSER"));
        }
        if (ds.getPassword() == null && System.getenv("PGPASSWORD") != null) {
            ds.setPassword(System.getenv("PGPASSWORD"));
        }
        ds.setConnectTimeout(10);
        ds.setApplicationName("statehouse-copy");
        return ds;
    }

    private static Path tokenFile(String[] settings) {
        for (String a : settings) {
            if (a.startsWith("--statehouse.auth.token-file=")) {
                return Path.of(a.substring("--statehouse.auth.token-file=".length()));
            }
        }
        String env = System.getenv("STATEHOUSE_AUTH_TOKEN_FILE");
        return Path.of(env != null && !env.isBlank() ? env : "./data/api-token.sha256");
    }
}
