package dev.statehouse.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatementCacheTest {

    @TempDir
    Path dir;

    private SQLiteDataSource physical;

    @BeforeEach
    void database() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setBusyTimeout(2000);
        physical = new SQLiteDataSource(config);
        physical.setUrl("jdbc:sqlite:" + dir.resolve("c.db"));
        try (Connection c = physical.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            s.execute("INSERT INTO t(id, v) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        }
    }

    private static PreparedStatement inner(PreparedStatement wrapper) throws SQLException {
        return wrapper.unwrap(PreparedStatement.class);
    }

    /** Prepares {@code sql}, hands the statement back, and returns the compiled statement behind it. */
    private static PreparedStatement usedOnce(Connection c, String sql) throws SQLException {
        PreparedStatement wrapper = c.prepareStatement(sql);
        PreparedStatement compiled = inner(wrapper);
        wrapper.close();
        return compiled;
    }

    @Test
    void theSameSqlOnTheSameConnectionReusesOneCompiledStatement() throws Exception {
        StatementCache cache = new StatementCache(physical, 8);
        try (Connection c = cache.getConnection()) {
            PreparedStatement first = c.prepareStatement("SELECT v FROM t WHERE id = ?");
            PreparedStatement compiled = inner(first);
            first.setInt(1, 2);
            try (ResultSet rs = first.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("b");
            }
            first.close();
            assertThat(first.isClosed()).isTrue();
            assertThatThrownBy(first::executeQuery).isInstanceOf(SQLException.class);

            try (PreparedStatement second = c.prepareStatement("SELECT v FROM t WHERE id = ?")) {
                assertThat(inner(second)).isSameAs(compiled);
                second.setInt(1, 3);
                try (ResultSet rs = second.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("c");
                }
                // the same SQL while the first is out: a statement of its own
                try (PreparedStatement third = c.prepareStatement("SELECT v FROM t WHERE id = ?")) {
                    assertThat(inner(third)).isNotSameAs(compiled);
                }
            }
            // updates too
            for (int i = 0; i < 3; i++) {
                try (PreparedStatement update = c.prepareStatement("UPDATE t SET v = ? WHERE id = 1")) {
                    update.setString(1, "x" + i);
                    assertThat(update.executeUpdate()).isEqualTo(1);
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM t WHERE id = 1")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("x2");
            }
        }
    }

    /**
     * A statement handed back forgets the values its last borrower set: the next borrower that sets
     * none gets NULL, never a stale value (the cache forgets them without sqlite3_clear_bindings,
     * which would make SQLite compile the statement again).
     */
    @Test
    void aReusedStatementCarriesNoValueFromItsLastUse() throws Exception {
        StatementCache cache = new StatementCache(physical, 8);
        try (Connection c = cache.getConnection()) {
            PreparedStatement first = c.prepareStatement("SELECT ?, ? FROM t WHERE id = 1");
            PreparedStatement compiled = inner(first);
            first.setString(1, "stale");
            first.setInt(2, 42);
            try (ResultSet rs = first.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("stale");
            }
            first.close();
            try (PreparedStatement second = c.prepareStatement("SELECT ?, ? FROM t WHERE id = 1")) {
                assertThat(inner(second)).isSameAs(compiled);
                second.setString(1, "fresh");
                try (ResultSet rs = second.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("fresh");
                    assertThat(rs.getObject(2)).as("the value set by the last use").isNull();
                }
            }
            try (PreparedStatement third = c.prepareStatement("SELECT ?, ? FROM t WHERE id = 1");
                 ResultSet rs = third.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getObject(1)).isNull();
                assertThat(rs.getObject(2)).isNull();
            }
        }
    }

    @Test
    void aStatementClosedMidResultEndsItsReadSnapshot() throws Exception {
        StatementCache cache = new StatementCache(physical, 8);
        try (Connection reader = cache.getConnection(); Connection writer = physical.getConnection()) {
            PreparedStatement select = reader.prepareStatement("SELECT id FROM t ORDER BY id");
            ResultSet rs = select.executeQuery();
            assertThat(rs.next()).isTrue(); // one row read, two left: the statement is mid-run
            select.close();

            try (Statement w = writer.createStatement()) {
                w.execute("INSERT INTO t(id, v) VALUES (4, 'd')");
                // nothing holds an old snapshot, so a full checkpoint is not blocked
                try (ResultSet checkpoint = w.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                    checkpoint.next();
                    assertThat(checkpoint.getInt(1)).as("busy").isZero();
                }
            }
            try (PreparedStatement count = reader.prepareStatement("SELECT COUNT(*) FROM t"); ResultSet c = count.executeQuery()) {
                c.next();
                assertThat(c.getInt(1)).isEqualTo(4);
            }
        }
    }

    @Test
    void changedStatementsAreNotKeptAndTheCacheIsBounded() throws Exception {
        StatementCache cache = new StatementCache(physical, 2);
        try (Connection c = cache.getConnection()) {
            PreparedStatement timed = c.prepareStatement("SELECT 1");
            PreparedStatement compiled = inner(timed);
            timed.setQueryTimeout(5);
            timed.close();
            assertThat(compiled.isClosed()).isTrue();

            PreparedStatement a = usedOnce(c, "SELECT 'a'");
            usedOnce(c, "SELECT 'b'");
            usedOnce(c, "SELECT 'c'"); // the least recently used ('a') goes
            assertThat(a.isClosed()).isTrue();
        }
    }

    @Test
    void closingTheConnectionFinalizesItsIdleStatements() throws Exception {
        StatementCache cache = new StatementCache(physical, 8);
        Connection c = cache.getConnection();
        PreparedStatement compiled = usedOnce(c, "SELECT v FROM t");
        assertThat(compiled.isClosed()).isFalse();
        c.close();
        assertThat(compiled.isClosed()).isTrue();
        assertThat(c.isClosed()).isTrue();
    }

    @Test
    void aCacheOfSizeZeroKeepsNothing() throws Exception {
        StatementCache cache = new StatementCache(physical, 0);
        try (Connection c = cache.getConnection()) {
            assertThat(usedOnce(c, "SELECT 1").isClosed()).isTrue();
        }
    }
}
