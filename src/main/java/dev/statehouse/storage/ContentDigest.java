package dev.statehouse.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * SHA-256 over a database's logical content: every schema entry, then every row of every ordinary
 * table in rowid order (primary-key order for WITHOUT ROWID tables), each value tagged with its
 * storage class. Two files with equal digests hold the same schema and data whatever their page
 * layout. Run it inside one read transaction for a consistent answer.
 */
final class ContentDigest {

    private ContentDigest() {
    }

    static String of(Connection c) throws SQLException {
        MessageDigest sha = sha256();
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name")) {
            while (rs.next()) {
                for (int i = 1; i <= 4; i++) {
                    text(sha, rs.getString(i));
                }
                String sql = rs.getString(4);
                if ("table".equals(rs.getString(1)) && (sql == null || !sql.regionMatches(true, 0, "CREATE VIRTUAL", 0, 14))) {
                    tables.add(rs.getString(2));
                }
            }
        }
        for (String table : tables) {
            text(sha, table);
            rows(c, sha, table);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void rows(Connection c, MessageDigest sha, String table) throws SQLException {
        String quoted = "\"" + table.replace("\"", "\"\"") + "\"";
        try (Statement s = c.createStatement()) {
            ResultSet rs;
            try {
                rs = s.executeQuery("SELECT _rowid_, * FROM " + quoted + " ORDER BY _rowid_");
            } catch (SQLException withoutRowid) {
                rs = s.executeQuery("SELECT * FROM " + quoted);
            }
            try (ResultSet rows = rs) {
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    sha.update((byte) 'R');
                    for (int i = 1; i <= columns; i++) {
                        value(sha, rows.getObject(i));
                    }
                }
            }
        }
    }

    private static void value(MessageDigest sha, Object v) {
        if (v == null) {
            sha.update((byte) 'N');
        } else if (v instanceof byte[] bytes) {
            sha.update((byte) 'B');
            sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
            sha.update(bytes);
        } else if (v instanceof Double || v instanceof Float) {
            sha.update((byte) 'F');
            sha.update(ByteBuffer.allocate(8).putDouble(((Number) v).doubleValue()).array());
        } else if (v instanceof Number n) {
            sha.update((byte) 'I');
            sha.update(ByteBuffer.allocate(8).putLong(n.longValue()).array());
        } else {
            sha.update((byte) 'T');
            text(sha, v.toString());
        }
    }

    private static void text(MessageDigest sha, String s) {
        if (s == null) {
            sha.update((byte) 0);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
