package dev.statehouse.health.postgres;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.statehouse.health.DatabaseConnections;
import dev.statehouse.health.FdKind;
import dev.statehouse.health.FdLeakProperties;
import dev.statehouse.health.FdScan;
import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import dev.statehouse.storage.PoolControl;
import dev.statehouse.storage.postgres.PostgresSessions;
import org.springframework.stereotype.Component;

/**
 * PostgreSQL: each connection is a socket to the server, and the server knows what the pod's
 * sessions are doing: one left idle inside a transaction holds its locks (a warning after
 * {@code idle-in-transaction-warning}, DOWN after {@code idle-in-transaction-critical}). The server is
 * asked on a thread of its own ({@link ServerSessionCheck}); a sample reads its last answer.
 */
@Component
@ConditionalOnEngine(Engine.POSTGRESQL)
public class PostgresConnections implements DatabaseConnections {

    private final ServerSessionCheck server;

    public PostgresConnections(PostgresSessions sessions, PoolControl pool, FdLeakProperties props) {
        this.server = new ServerSessionCheck(sessions, pool, props.sampleInterval());
    }

    @Override
    public int count(FdScan scan) {
        return scan.count(FdKind.SOCKET_DATABASE);
    }

    @Override
    public String counted() {
        return "connections to the database server";
    }

    @Override
    public Map<String, Object> serverRules(FdLeakProperties props, List<String> reasons, List<String> warnings) {
        PostgresSessions.Sessions sessions = server.lastAnswer(warnings);
        if (sessions == null) {
            return null;
        }
        if (!sessions.idleInTransactionSeconds().isEmpty()) {
            double longest = sessions.longestIdleInTransaction();
            String message = String.format(Locale.ROOT, "%d session(s) of this pod idle in a transaction, the longest for %.0f s "
                    + "(a connection left inside a transaction holds its locks)", sessions.idleInTransactionSeconds().size(), longest);
            if (longest >= props.idleInTransactionCritical().toMillis() / 1000.0) {
                reasons.add(message);
            } else if (longest >= props.idleInTransactionWarning().toMillis() / 1000.0) {
                warnings.add(message);
            }
        }
        return Map.of("total", sessions.total(), "idleInTransaction", sessions.idleInTransactionSeconds().size(),
                "longestIdleInTransactionSeconds", Math.round(sessions.longestIdleInTransaction()));
    }

    @Override
    public void askNow() {
        server.ask();
    }

    @Override
    public void start() {
        server.start();
    }

    @Override
    public void stop() {
        server.stop();
    }
}
