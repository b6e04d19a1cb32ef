package dev.statehouse.health;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.statehouse.storage.DatabaseReachability;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code db} (readiness): whether the database answers, from the last {@link DatabaseReachability}
 * probe. It replaces Spring Boot's own {@code db} indicator, which asks the pool for a connection
 * and validates it on the probe's thread: on a frozen or cut-off server that call waits for the
 * pool's timeout and then for the socket, and readiness hangs with it. This one reads memory only,
 * so readiness answers at once and is DOWN while the database does not answer in time.
 */
@Component("db")
public class DatabaseHealthIndicator implements HealthIndicator {

    private final DatabaseReachability reachability;

    public DatabaseHealthIndicator(DatabaseReachability reachability) {
        this.reachability = reachability;
    }

    @Override
    public Health health() {
        DatabaseReachability.Status status = reachability.status();
        Health.Builder health = status.reachable() ? Health.up() : Health.down();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reachable", status.reachable());
        if (status.lastAnswer() != null) {
            details.put("lastAnswer", status.lastAnswer().toString());
        }
        if (!status.reachable()) {
            if (status.downSince() != null) {
                details.put("downSince", status.downSince().toString());
            }
            details.put("error", status.error());
        }
        details.put("timeoutSeconds", reachability.timeout().toMillis() / 1000.0);
        return health.withDetails(details).build();
    }
}
