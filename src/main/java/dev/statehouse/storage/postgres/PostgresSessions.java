package dev.statehouse.storage.postgres;

import java.util.List;

import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import dev.statehouse.storage.PostgresProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * This pod's sessions as the PostgreSQL server sees them ({@code pg_stat_activity}, by this pod's
 * {@code application_name}): how many, and how long each that sits idle inside a transaction has
 * done so. One cheap query on a pooled connection; the fdLeak indicator runs it only while the pool
 * has an idle connection, so a leak that exhausts the pool never blocks a probe.
 */
@Component
@ConditionalOnEngine(Engine.POSTGRESQL)
public class PostgresSessions {

    /** Sessions of this pod, and the seconds each idle-in-transaction one has been so, longest first. */
    public record Sessions(int total, List<Double> idleInTransactionSeconds) {
        public double longestIdleInTransaction() {
            return idleInTransactionSeconds.isEmpty() ? 0 : idleInTransactionSeconds.get(0);
        }
    }

    private final JdbcTemplate jdbc;
    private final String applicationName;

    /** The server is given this long to answer before the driver cancels the query. */
    private static final int QUERY_TIMEOUT_SECONDS = 2;

    public PostgresSessions(JdbcTemplate jdbc, PostgresProperties props) {
        this.jdbc = new JdbcTemplate(jdbc.getDataSource()); // the one pool, with a query timeout of its own
        this.jdbc.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
        this.applicationName = props.applicationName();
    }

    public Sessions sample() {
        List<Object[]> rows = jdbc.query("SELECT state, EXTRACT(EPOCH FROM clock_timestamp() - state_change)::float8"
                + " FROM pg_stat_activity WHERE application_name = ? AND pid <> pg_backend_pid()",
                (rs, i) -> new Object[] {rs.getString(1), rs.getDouble(2)}, applicationName);
        List<Double> idle = rows.stream().filter(r -> "idle in transaction".equals(r[0]) || "idle in transaction (aborted)".equals(r[0]))
                .map(r -> (Double) r[1]).sorted(java.util.Comparator.reverseOrder()).toList();
        return new Sessions(rows.size() + 1, idle);
    }

    public String applicationName() {
        return applicationName;
    }
}
