package dev.statehouse.storage.sqlite;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.sqlite.SQLiteDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 28: {@code statehouse vacuum} converts a database made by an older release (auto_vacuum
 * none, as the fixture of release 066c919 is) to INCREMENTAL and gives its free pages back, keeping
 * every row; it refuses, changing nothing, while another process has the database open, and a file
 * that is not a Statehouse database.
 */
class VacuumCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int vacuum(Path db) {
        return VacuumCommand.run(new String[] {"--statehouse.storage.path=" + db}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static JdbcTemplate open(Path db) {
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + db);
        return new JdbcTemplate(source);
    }

    @Test
    void anOldDatabaseBecomesIncrementalAndSmallerWithEveryRowKept() throws Exception {
        Path db = dir.resolve("state.db");
        Files.copy(Path.of("src/test/resources/fixtures/state-066c919.db"), db);
        JdbcTemplate jdbc = open(db);
        assertThat(jdbc.queryForObject("PRAGMA auto_vacuum", Integer.class)).isZero();
        jdbc.execute("CREATE TABLE filler (x TEXT)");
        jdbc.update("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
                + " INSERT INTO filler SELECT printf('%.2000c', 'x') FROM n");
        jdbc.execute("DROP TABLE filler");
        long sizeBefore = Files.size(db);
        assertThat(jdbc.queryForObject("PRAGMA freelist_count", Long.class)).isGreaterThan(1000);

        assertThat(vacuum(db)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("is now incremental");
        assertThat(jdbc.queryForObject("PRAGMA auto_vacuum", Integer.class)).isEqualTo(2);
        assertThat(jdbc.queryForObject("PRAGMA freelist_count", Long.class)).isZero();
        assertThat(Files.size(db)).isLessThan(sizeBefore - 5_000_000);
        assertThat(jdbc.queryForObject("SELECT title FROM sessions WHERE id = 'fixture_session'", String.class)).isEqualTo("made by 066c919");
        assertThat(jdbc.queryForObject("PRAGMA integrity_check", String.class)).isEqualTo("ok");
    }

    @Test
    void refusedWhileAnotherProcessHasItOpenAndForWhatIsNotStatehouse() throws Exception {
        Path db = dir.resolve("state.db");
        Files.copy(Path.of("src/test/resources/fixtures/state-066c919.db"), db);
        Process holder = new ProcessBuilder("sqlite3", db.toString()).redirectErrorStream(true).start();
        try {
            holder.getOutputStream().write("SELECT 1;\n".getBytes(StandardCharsets.UTF_8));
            holder.getOutputStream().flush();
            holder.getInputStream().read(); // it answered: the file is open
            assertThat(vacuum(db)).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("is open in process [" + holder.pid() + "]");
            assertThat(open(db).queryForObject("PRAGMA auto_vacuum", Integer.class)).as("unchanged").isZero();
        } finally {
            holder.destroy();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        Path other = dir.resolve("other.db");
        open(other).execute("CREATE TABLE t (x)");
        assertThat(vacuum(other)).isEqualTo(2);
        Path text = dir.resolve("text.db");
        Files.writeString(text, "not a database at all, but long enough to have a header of a hundred bytes or more......................");
        assertThat(vacuum(text)).isEqualTo(2);
        assertThat(vacuum(dir.resolve("missing.db"))).isEqualTo(2);
        assertThat(Files.exists(dir.resolve("missing.db"))).as("nothing created").isFalse();
    }
}
