package dev.statehouse.storage;

import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.sqlite.core.CoreResultSet;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;

/**
 * Physical SQLite connections that keep their prepared statements for reuse. sqlite-jdbc compiles
 * every {@code prepareStatement} anew, and for the service's larger statements (a claim is an
 * {@code UPDATE … RETURNING} of 23 columns over a table four others reference) compiling cost more
 * than running: 45% of a claim's time in a profile. This sits beneath the pool, so the pool's own
 * statement tracking closes the wrappers, and a closed wrapper returns its statement here:
 * reset (its read snapshot ends there and then), its parameter values forgotten, ready for the next
 * {@code prepareStatement} of the same SQL on the same connection.
 * <p>
 * Each physical connection keeps at most {@code size} idle statements (least recently used go
 * first) and finalizes them all when it closes. Statements whose timeout, row limit or fetch size
 * were changed are not kept. Only {@code prepareStatement(String)} is cached.
 */
public final class StatementCache implements DataSource {

    private static final Field RESULT_SET = resultSetField();

    private final DataSource physical;
    private final int size;

    StatementCache(DataSource physical, int size) {
        this.physical = physical;
        this.size = size;
    }

    private static Field resultSetField() {
        try {
            Field field = CoreStatement.class.getDeclaredField("rs");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("sqlite-jdbc without CoreStatement.rs; the statement cache cannot reset statements", e);
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(physical.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(physical.getConnection(username, password));
    }

    private Connection wrap(Connection connection) {
        Statements statements = new Statements(connection, size);
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.equals("prepareStatement") && args.length == 1) {
                        return statements.borrow((String) args[0]);
                    }
                    if (name.equals("close") && args == null) {
                        statements.closeAll();
                    }
                    if ((name.equals("isWrapperFor") || name.equals("unwrap")) && args[0] == IdleStatements.class) {
                        return name.equals("unwrap") ? statements : true;
                    }
                    return invoke(method, connection, args);
                });
    }

    static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * The cached statements of one pooled connection, reached with
     * {@code connection.unwrap(IdleStatements.class)}: {@code VACUUM} refuses to run while any
     * prepared statement of its connection is kept ("SQL statements in progress").
     */
    public interface IdleStatements {
        /** Finalizes the statements kept for this connection (they are prepared again when next used). */
        void closeAll();
    }

    /** The idle statements of one physical connection, by SQL, least recently used first. */
    private static final class Statements implements IdleStatements {

        private static final Set<String> DIRTYING = Set.of("setQueryTimeout", "setMaxRows", "setLargeMaxRows", "setFetchSize",
                "setFetchDirection", "setMaxFieldSize", "setPoolable", "setEscapeProcessing", "closeOnCompletion");

        private final Connection connection;
        private final int size;
        private final LinkedHashMap<String, PreparedStatement> idle;

        Statements(Connection connection, int size) {
            this.connection = connection;
            this.size = size;
            this.idle = new LinkedHashMap<>(16, 0.75f, true);
        }

        synchronized PreparedStatement borrow(String sql) throws SQLException {
            PreparedStatement statement = idle.remove(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
            }
            return wrap(sql, statement);
        }

        private PreparedStatement wrap(String sql, PreparedStatement statement) {
            boolean[] closed = {false};
            boolean[] dirty = {false};
            return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                        String name = method.getName();
                        if (name.equals("close") && args == null) {
                            if (!closed[0]) {
                                closed[0] = true;
                                giveBack(sql, statement, dirty[0]);
                            }
                            return null;
                        }
                        if (name.equals("isClosed") && args == null) {
                            return closed[0] || statement.isClosed();
                        }
                        if (closed[0]) {
                            throw new SQLException("statement is closed");
                        }
                        if (DIRTYING.contains(name)) {
                            dirty[0] = true;
                        }
                        return invoke(method, statement, args);
                    });
        }

        private synchronized void giveBack(String sql, PreparedStatement statement, boolean dirty) throws SQLException {
            if (dirty || size <= 0 || idle.containsKey(sql) || !reset(statement)) {
                statement.close();
                return;
            }
            idle.put(sql, statement);
            if (idle.size() > size) {
                Iterator<PreparedStatement> eldest = idle.values().iterator();
                PreparedStatement evicted = eldest.next();
                eldest.remove();
                evicted.close();
            }
        }

        /** Ends the statement's run (and with it any read snapshot) and clears its bindings; false when it cannot be kept. */
        private static boolean reset(PreparedStatement statement) {
            try {
                if (statement.isClosed() || !(statement instanceof CoreStatement core)) {
                    return false;
                }
                ((CoreResultSet) RESULT_SET.get(core)).close();
                core.pointer.safeRunInt(DB::reset);
                // clearBatch forgets the values set (sqlite-jdbc keeps them in its own array and binds all of them
                // at every execution, so the next borrower sees NULL for any it does not set). Not clearParameters:
                // its sqlite3_clear_bindings marks a statement whose plan may depend on a parameter as expired, and
                // SQLite then compiles it again on its next run — measured ~90 us of the sidebar's ~250 us query
                statement.clearBatch();
                return true;
            } catch (SQLException | ReflectiveOperationException | RuntimeException e) {
                return false;
            }
        }

        @Override
        public synchronized void closeAll() {
            for (Map.Entry<String, PreparedStatement> entry : idle.entrySet()) {
                try {
                    entry.getValue().close();
                } catch (SQLException ignored) {
                    // the connection's close finalizes whatever is left
                }
            }
            idle.clear();
        }
    }

    // The DataSource methods below only delegate to the pool.

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return physical.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        physical.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        physical.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return physical.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return physical.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return physical.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || physical.isWrapperFor(iface);
    }
}
