package dev.statehouse.storage;

import java.sql.SQLException;

import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/** Reads SQLite's result codes out of an exception chain. */
public final class SqliteErrors {

    private static final int BUSY = 5;
    private static final int LOCKED = 6;
    private static final int CORRUPT = 11;
    private static final int NOTADB = 26;

    private SqliteErrors() {
    }

    /**
     * The database (or the pool in front of it) is busy: another writer holds the lock past the
     * busy timeout, or no connection or write turn could be had in time. Worth a retry.
     */
    public static boolean isBusy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PessimisticLockingFailureException || t instanceof CannotGetJdbcConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && (hasCode(sql, BUSY) || hasCode(sql, LOCKED)
                    || String.valueOf(sql.getMessage()).contains("SQLITE_BUSY")
                    || String.valueOf(sql.getMessage()).contains("SQLITE_LOCKED"))) {
                return true;
            }
        }
        return false;
    }

    /** The file is not a (sound) SQLite database. */
    public static boolean isNotADatabase(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && (hasCode(sql, NOTADB) || hasCode(sql, CORRUPT)
                    || String.valueOf(sql.getMessage()).contains("SQLITE_NOTADB")
                    || String.valueOf(sql.getMessage()).contains("SQLITE_CORRUPT"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCode(SQLException e, int primary) {
        return (e.getErrorCode() & 0xff) == primary;
    }
}
