package dev.statehouse.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The sqlite3 CLI as another process working on a database file. */
public final class Sqlite3 {

    private Sqlite3() {
    }

    /** Runs {@code sql} (one or more statements; a missing final ';' is added) and returns the trimmed output. */
    public static String run(Path db, String sql) throws Exception {
        if (!sql.strip().endsWith(";")) {
            sql = sql.strip() + ";";
        }
        Process p = new ProcessBuilder("sqlite3", "-batch", db.toString()).redirectErrorStream(true).start();
        p.getOutputStream().write((".timeout 5000\n" + sql + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** A small WAL-mode resource with an {@code items} table. */
    public static void createResource(Path db, int rows) throws Exception {
        db.getParent().toFile().mkdirs();
        StringBuilder sql = new StringBuilder("PRAGMA journal_mode=WAL;\nCREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, qty INTEGER);\nBEGIN;\n");
        for (int i = 1; i <= rows; i++) {
            sql.append("INSERT INTO items(name, qty) VALUES ('item ").append(i).append("', ").append(i * 10).append(");\n");
        }
        sql.append("COMMIT;");
        run(db, sql.toString());
    }

    public static String dump(Path db) throws Exception {
        return run(db, "SELECT id, name, qty FROM items ORDER BY id;");
    }
}
