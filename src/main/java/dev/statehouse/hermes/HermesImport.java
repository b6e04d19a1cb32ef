package dev.statehouse.hermes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import dev.statehouse.sessions.SessionService;
import dev.statehouse.storage.BeforeStart;
import dev.statehouse.storage.ResourceDatabases;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports a hermes agent's {@code state.db}: sessions (lineage, end reasons, titles, models, token
 * counts, archived flag) and their messages (roles, tool calls, timestamps).
 * <p>
 * <b>The source is checked whole before anything is written</b> ({@link #check}, which the command
 * runs before the application context starts): it must be a SQLite file that is not damaged
 * ({@code PRAGMA quick_check} over every page) and a hermes database of a known schema
 * ({@link HermesSchema}); otherwise it is {@link HermesSchema.Refused refused} and nothing — not even
 * Statehouse's database file — is created. The writing side is looked up lazily, once the source
 * is open.
 * <p>
 * <b>Rows the API would refuse are left out and counted by reason</b> ({@link ImportRules}); a
 * {@code tool_calls} that is not one JSON value is kept as a JSON string holding its text. Rewound
 * messages ({@code active = 0}) are left out, and one imported earlier and rewound since is removed.
 * <p>
 * <b>Keys name the source.</b> A message's {@code import_key} is {@code hermes:<source>:<message id>}.
 * The source is recognised by its sessions, not by its path: when sessions of the file were created by
 * an earlier import (same id, same start; the {@value ImportPasses#RECOGNISE} oldest sessions are looked up — the
 * ones an agent keeps longest), the file is that source again and the import stays idempotent;
 * otherwise it is a new source with a new random identity, and its messages never collide with
 * another file's, whatever their ids. Sessions of the file that already existed and were not created
 * by this source (written through the API, or by another file) are reconciled and reported.
 * <p>
 * <b>Bounded memory</b>: every pass streams the source and writes in batches of {@value ImportPasses#BATCH} rows,
 * one transaction each; nothing grows with the source's size. A failure while writing (a full disk,
 * the process killed) leaves the batches written so far: running the same import again completes it
 * (keys make it idempotent). Counters and lineage are recomputed at the end.
 */
@Service
public class HermesImport {

    /** What an import did. {@code source} is the source's identity; {@code recognised}: sessions that matched an earlier import of it. */
    public record Summary(int schemaVersion, String source, int recognised, long sessions, long sessionsWritten,
                          ImportTally sessionsSkipped, ImportTally sessionsElsewhere, long messages, long messagesNew, long messagesChanged,
                          long messagesRemoved, long rewoundLeftOut, ImportTally messagesSkipped, long toolCallsAsText, double seconds) {
        public double messagesPerSecond() {
            return seconds > 0 ? messages / seconds : 0;
        }
    }

    private final ResourceDatabases databases;
    private final ObjectProvider<HermesImportRepository> repo;
    private final ObjectProvider<SessionService> sessions;
    private final ObjectProvider<TransactionTemplate> tx;

    public HermesImport(ResourceDatabases databases, ObjectProvider<HermesImportRepository> repo,
                        ObjectProvider<SessionService> sessions, ObjectProvider<TransactionTemplate> tx) {
        this.databases = databases;
        this.repo = repo;
        this.sessions = sessions;
        this.tx = tx;
    }

    /**
     * Whether {@code source} can be imported, checked whole in one read of it: a hermes database of a
     * known schema whose every page passes SQLite's {@code quick_check}. The command runs it before
     * anything starts, so a refused file leaves nothing behind.
     *
     * @throws HermesSchema.Refused saying why not
     */
    public static void check(Path source, int busyTimeoutMs) throws SQLException {
        try {
            BeforeStart.inspect(source, busyTimeoutMs, c -> {
                HermesSchema.of(c, source);
                requireIntact(c, source);
                return null;
            });
        } catch (SQLException e) {
            throw refusal(e, source);
        }
    }

    public Summary run(Path source, ImportProgress progress) throws SQLException {
        long start = System.nanoTime();
        ResourceDatabases.ReadSnapshot opened;
        try {
            opened = databases.readSnapshot(source);
        } catch (SQLException e) {
            throw refusal(e, source);
        }
        try (ResourceDatabases.ReadSnapshot snapshot = opened) {
            Connection src = snapshot.connection();
            HermesSchema schema = HermesSchema.of(src, source);
            ImportPasses w = new ImportPasses(src, schema, repo.getObject(), tx.getObject());
            String[] identity = w.recognise();
            w.sessions(progress);
            w.parents();
            long before = w.repo.importedMessages(w.keyPrefix);
            w.messages(progress);
            long after = w.repo.importedMessages(w.keyPrefix);
            long added = after - before + w.removed;
            progress.update("lineage", 0, 1);
            w.recount();
            tx.getObject().executeWithoutResult(s -> sessions.getObject().relineageAll());
            progress.update("lineage", 1, 1);
            return new Summary(schema.version(), identity[0], Integer.parseInt(identity[1]), w.sessionsRead, w.sessionsWritten,
                    w.sessionsSkipped, w.elsewhere, w.messagesRead, added, Math.max(0, w.messagesWritten - added), w.removed,
                    w.rewound, w.messagesSkipped, w.asText, (System.nanoTime() - start) / 1e9);
        }
    }

    /** A file SQLite cannot open as a database, said in words; any other failure as it is. */
    private static SQLException refusal(SQLException e, Path source) {
        if (e.getErrorCode() == 26) { // SQLITE_NOTADB: text, random bytes, zero bytes
            throw new HermesSchema.Refused(source, Files.isRegularFile(source) && sizeOf(source) == 0
                    ? "is empty (0 bytes), not a hermes state.db" : "is not a SQLite database, so not a hermes state.db");
        }
        if (e.getErrorCode() == 14 && !Files.isReadable(source)) { // SQLITE_CANTOPEN
            throw new HermesSchema.Refused(source, "cannot be read: permission denied");
        }
        if (e.getErrorCode() == 11) { // SQLITE_CORRUPT while reading the schema
            throw new HermesSchema.Refused(source, "is damaged (" + e.getMessage() + ")");
        }
        return e;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Every page of the source is read and checked: a damaged file is refused whole. */
    private static void requireIntact(Connection src, Path source) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (Statement s = src.createStatement(); ResultSet rs = s.executeQuery("PRAGMA quick_check(3)")) {
            while (rs.next()) {
                problems.add(rs.getString(1));
            }
        }
        if (!problems.equals(List.of("ok"))) {
            throw new HermesSchema.Refused(source, "is damaged (SQLite's quick_check: " + String.join("; ", problems) + ")");
        }
    }
}
