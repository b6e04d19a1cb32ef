package dev.statehouse.storage.sqlite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * One table of {@link CopyCommand}: its rows read from SQLite in primary-key order, written to
 * PostgreSQL by {@code COPY … FROM STDIN} (text format), and a SHA-256 over the COPY lines — the same
 * digest is computed again from what PostgreSQL then holds ({@link #digestOfTarget}), so a value that
 * did not arrive as it left (a type SQLite let through, a character PostgreSQL changed) fails the copy.
 * Columns are PostgreSQL's (the target's schema, by name); each SQLite value must fit its column's type.
 */
final class TableCopy {

    /** Columns the target has and SQLite does not, and what every copied row gets. */
    static final Map<String, String> TARGET_ONLY = Map.of(
            // the writing transaction that orders board events on PostgreSQL: 0 sorts before every live
            // transaction, and an event at transaction 0 keeps its bare SSE id, the one SQLite served
            "task_events.tx", "0");
    /** Columns copied with a fixed value, and why. */
    static final Map<String, String> FIXED = Map.of(
            // the mark of a message written by Statehouse: without it the target's trigger would recount every session per row
            "messages.counted", "1");

    record Column(String name, String type) {
        boolean isDouble() {
            return type.equals("double precision") || type.equals("real");
        }

        boolean isInteger() {
            return type.equals("bigint") || type.equals("integer") || type.equals("smallint");
        }
    }

    record Result(long rows, String digest) {
    }

    private final String table;
    private final List<Column> columns;
    private final List<String> key;

    private TableCopy(String table, List<Column> columns, List<String> key) {
        this.table = table;
        this.columns = columns;
        this.key = key;
    }

    /** The target's columns and primary key of {@code table}. */
    static TableCopy of(Connection target, String table) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement s = target.prepareStatement("SELECT column_name, data_type FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    columns.add(new Column(rs.getString(1), rs.getString(2)));
                }
            }
        }
        List<String> key = new ArrayList<>();
        try (PreparedStatement s = target.prepareStatement("SELECT a.attname FROM pg_index i"
                + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
                + " WHERE i.indrelid = ?::regclass AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        if (columns.isEmpty() || key.isEmpty()) {
            throw new SQLException("the target has no table " + table + " with a primary key");
        }
        return new TableCopy(table, columns, key);
    }

    /** Copies every row; {@code progress} hears the rows copied so far. */
    Result copy(Connection source, Connection target, LongConsumer progress) throws SQLException, IOException {
        List<String> selected = new ArrayList<>();
        for (Column c : columns) {
            String qualified = table + "." + c.name();
            selected.add(TARGET_ONLY.containsKey(qualified) ? "NULL" : FIXED.containsKey(qualified) ? FIXED.get(qualified) : c.name());
        }
        MessageDigest digest = sha256();
        long rows = 0;
        CopyIn in = target.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " (" + names() + ") FROM STDIN");
        try (Statement s = source.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + String.join(", ", selected) + " FROM " + table + " ORDER BY " + String.join(", ", key))) {
            StringBuilder line = new StringBuilder(256);
            java.io.ByteArrayOutputStream chunk = new java.io.ByteArrayOutputStream(1 << 17);
            while (rs.next()) {
                line.setLength(0);
                for (int i = 0; i < columns.size(); i++) {
                    Column c = columns.get(i);
                    String fixed = TARGET_ONLY.get(table + "." + c.name());
                    appendValue(line.append(i == 0 ? "" : "\t"), fixed != null ? fixed : sourceValue(rs.getObject(i + 1), c, rs));
                }
                line.append('\n');
                byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
                digest.update(bytes);
                chunk.write(bytes, 0, bytes.length);
                if (chunk.size() > 100_000) {
                    write(in, chunk);
                }
                if (++rows % 10_000 == 0) {
                    progress.accept(rows);
                }
            }
            write(in, chunk);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
        progress.accept(rows);
        return new Result(rows, HexFormat.of().formatHex(digest.digest()));
    }

    /** The digest of what the target holds now, over the same lines {@link #copy} wrote. */
    Result digestOfTarget(Connection target) throws SQLException {
        MessageDigest digest = sha256();
        long rows = 0;
        try (Statement s = target.createStatement()) {
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery("SELECT " + names() + " FROM " + table + " ORDER BY " + String.join(", ", key))) {
                StringBuilder line = new StringBuilder(256);
                while (rs.next()) {
                    line.setLength(0);
                    for (int i = 0; i < columns.size(); i++) {
                        Column c = columns.get(i);
                        Object v = c.isDouble() ? (Object) rs.getDouble(i + 1) : c.isInteger() ? (Object) rs.getLong(i + 1) : rs.getString(i + 1);
                        appendValue(line.append(i == 0 ? "" : "\t"), rs.wasNull() ? null : String.valueOf(v));
                    }
                    line.append('\n');
                    digest.update(line.toString().getBytes(StandardCharsets.UTF_8));
                    rows++;
                }
            }
        }
        return new Result(rows, HexFormat.of().formatHex(digest.digest()));
    }

    /** Sets each identity or serial column's sequence past the largest value copied. */
    void advanceSequences(Connection target) throws SQLException {
        for (Column c : columns) {
            try (PreparedStatement s = target.prepareStatement("SELECT pg_get_serial_sequence(?, ?)")) {
                s.setString(1, table);
                s.setString(2, c.name());
                try (ResultSet rs = s.executeQuery()) {
                    String sequence = rs.next() ? rs.getString(1) : null;
                    if (sequence != null) {
                        try (Statement set = target.createStatement()) {
                            set.execute("SELECT setval('" + sequence + "', COALESCE((SELECT MAX(" + c.name() + ") FROM " + table + "), 0) + 1, false)");
                        }
                    }
                }
            }
        }
    }

    /** The SQLite value as the target column's text: a number where the column is a number, else an error naming the row. */
    private String sourceValue(Object v, Column c, ResultSet rs) throws SQLException {
        if (v == null) {
            return null;
        }
        if (c.isDouble()) {
            if (v instanceof Number n) {
                return Double.toString(n.doubleValue());
            }
            throw wrongType(v, c, rs);
        }
        if (c.isInteger()) {
            if (v instanceof Long || v instanceof Integer) {
                return v.toString();
            }
            if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 9.0e15) {
                return Long.toString(d.longValue());
            }
            throw wrongType(v, c, rs);
        }
        if (v instanceof byte[]) {
            throw wrongType("a blob", c, rs);
        }
        return v instanceof Double d ? Double.toString(d) : v.toString();
    }

    private SQLException wrongType(Object v, Column c, ResultSet rs) throws SQLException {
        return new SQLException(table + "." + c.name() + " of the row whose " + key.get(0) + " is " + rs.getObject(columns.indexOf(columnNamed(key.get(0))) + 1)
                + " holds " + (v instanceof String ? "'" + v + "'" : v) + ", which a " + c.type() + " column cannot take");
    }

    private Column columnNamed(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private String names() {
        return String.join(", ", columns.stream().map(Column::name).toList());
    }

    /** COPY's text format: backslash, tab, newline and carriage return escaped; null as \N. */
    private static void appendValue(StringBuilder line, String value) {
        if (value == null) {
            line.append("\\N");
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> line.append("\\\\");
                case '\t' -> line.append("\\t");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                default -> line.append(ch);
            }
        }
    }

    private static void write(CopyIn in, java.io.ByteArrayOutputStream chunk) throws SQLException {
        if (chunk.size() > 0) {
            in.writeToCopy(chunk.toByteArray(), 0, chunk.size());
            chunk.reset();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
