package dev.statehouse.storage;

import java.sql.SQLException;

import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * Reads SQLite's result codes, and PostgreSQL's SQLSTATEs, out of an exception chain: what a
 * failure says about the storage (a fault that readiness reports) or about contention (a 503 worth
 * a retry).
 */
public final class StorageErrors {

    private static final int BUSY = 5;
    private static final int LOCKED = 6;
    private static final int READONLY = 8;
    private static final int IOERR = 10;
    private static final int CORRUPT = 11;
    private static final int FULL = 13;
    private static final int CANTOPEN = 14;
    private static final int NOTADB = 26;

    /** What a failed write says about the storage beneath it. */
    public enum StorageFault {
        /** SQLITE_FULL, PostgreSQL 53100: the file system has no space left (writes fail, reads work). */
        DISK_FULL,
        /** SQLITE_READONLY, SQLITE_CANTOPEN: the file or its mount cannot be written; PostgreSQL 25006: a standby. */
        READ_ONLY,
        /** SQLITE_IOERR: the operating system refused a read or write. */
        IO_ERROR,
        /** SQLITE_CORRUPT, SQLITE_NOTADB: the file's pages are damaged. */
        CORRUPT
    }

    private StorageErrors() {
    }

    /**
     * The database (or the pool in front of it) is busy: another writer holds the lock past the
     * busy timeout, or no connection or write turn could be had in time. Worth a retry.
     */
    public static boolean isBusy(Throwable e) {
        for (Throwable t : causes(e)) {
            if (t instanceof PessimisticLockingFailureException || t instanceof CannotGetJdbcConnectionException
                    || t instanceof java.sql.SQLTransientConnectionException) { // no pooled connection in time
                return true;
            }
            if (t instanceof SQLException sql && (hasCode(sql, BUSY) || hasCode(sql, LOCKED)
                    || hasState(sql, "55P03", "57014", "40001", "40P01")
                    || String.valueOf(sql.getMessage()).contains("SQLITE_BUSY")
                    || String.valueOf(sql.getMessage()).contains("SQLITE_LOCKED"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The database cannot be reached right now, and nothing of the failed statement can have
     * committed on the caller's behalf after the failure was seen: the connection was refused, lost
     * or timed out (SQLSTATE class 08, pgjdbc's socket and connect timeouts), or the server ended
     * the session: 57P01 admin shutdown ({@code pg_ctl stop -m fast}, {@code pg_terminate_backend}),
     * 57P02 crash shutdown, 57P03 cannot connect now (starting up or shutting down), 53300 too many
     * connections. Worth a retry once the server is back: 503 with Retry-After, never 500.
     */
    public static boolean isUnavailable(Throwable e) {
        for (Throwable t : causes(e)) {
            if (t instanceof java.sql.SQLNonTransientConnectionException || t instanceof java.sql.SQLRecoverableException
                    || t instanceof java.net.SocketTimeoutException || t instanceof java.net.ConnectException
                    || t instanceof org.springframework.dao.DataAccessResourceFailureException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || hasState(sql, "57P01", "57P02", "57P03", "53300"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The file is not a (sound) SQLite database. */
    public static boolean isNotADatabase(Throwable e) {
        for (Throwable t : causes(e)) {
            if (t instanceof SQLException sql && (hasCode(sql, NOTADB) || hasCode(sql, CORRUPT)
                    || String.valueOf(sql.getMessage()).contains("SQLITE_NOTADB")
                    || String.valueOf(sql.getMessage()).contains("SQLITE_CORRUPT"))) {
                return true;
            }
        }
        return false;
    }

    /** The storage fault in the chain, or null when the failure says nothing about the storage (busy, a constraint, SQL). */
    public static StorageFault fault(Throwable e) {
        for (Throwable t : causes(e)) {
            if (t instanceof SQLException sql) {
                String message = String.valueOf(sql.getMessage());
                if (hasCode(sql, FULL) || hasState(sql, "53100") || message.contains("SQLITE_FULL")) {
                    return StorageFault.DISK_FULL;
                }
                if (hasCode(sql, READONLY) || hasCode(sql, CANTOPEN) || hasState(sql, "25006") || message.contains("SQLITE_READONLY")
                        || message.contains("SQLITE_CANTOPEN")) {
                    return StorageFault.READ_ONLY;
                }
                if (hasCode(sql, IOERR) || hasState(sql, "58030") || message.contains("SQLITE_IOERR")) {
                    return StorageFault.IO_ERROR;
                }
                if (hasCode(sql, CORRUPT) || hasCode(sql, NOTADB) || hasState(sql, "XX001", "XX002") || message.contains("SQLITE_CORRUPT")
                        || message.contains("SQLITE_NOTADB")) {
                    return StorageFault.CORRUPT;
                }
            }
        }
        return null;
    }

    /**
     * The exception and its causes, and where a rollback failed after another failure
     * ({@link org.springframework.transaction.TransactionSystemException}), that first failure and its
     * causes too: it says what happened to the database.
     */
    private static java.util.List<Throwable> causes(Throwable e) {
        java.util.List<Throwable> all = new java.util.ArrayList<>();
        java.util.ArrayDeque<Throwable> roots = new java.util.ArrayDeque<>();
        roots.add(e);
        while (!roots.isEmpty() && all.size() < 64) {
            for (Throwable t = roots.poll(); t != null && !all.contains(t); t = t.getCause()) {
                all.add(t);
                if (t instanceof org.springframework.transaction.TransactionSystemException tse && tse.getApplicationException() != null) {
                    roots.add(tse.getApplicationException());
                }
            }
        }
        return all;
    }

    /** The innermost cause's message on one line: what SQLite or the OS said. */
    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage()).replace('\n', ' ');
    }

    /** The file system is full (SQLITE_FULL): the write is refused with 507, nothing was written. */
    public static boolean isDiskFull(Throwable e) {
        return fault(e) == StorageFault.DISK_FULL;
    }

    /**
     * PostgreSQL's SQLSTATE: 53100 disk full, 25006 read-only transaction (a standby after a
     * failover), 58030 I/O error, XX001/XX002 corrupt data or index; 55P03 lock timeout, 57014
     * statement timeout, 40001/40P01 serialization failure or deadlock (busy).
     */
    private static boolean hasState(SQLException e, String... states) {
        String state = e.getSQLState();
        if (state == null) {
            return false;
        }
        for (String s : states) {
            if (s.equals(state)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCode(SQLException e, int primary) {
        return (e.getErrorCode() & 0xff) == primary;
    }
}
