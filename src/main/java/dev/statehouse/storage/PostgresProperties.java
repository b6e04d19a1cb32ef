package dev.statehouse.storage;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code statehouse.postgresql.*}: the session settings every pooled PostgreSQL connection gets
 * (used only when {@code spring.datasource.url} is a PostgreSQL url), validated once at start.
 *
 * @param statementTimeout         a statement running longer is cancelled (SQLSTATE 57014: 503, retry)
 * @param lockTimeout              a statement waiting longer for a row lock gives up (55P03: 503, retry)
 * @param idleInTransactionTimeout the server ends a session left idle inside a transaction this long
 *                                 (a leaked connection stops holding locks and the event horizon)
 * @param applicationName          {@code application_name} of this pod's sessions ({@code pg_stat_activity});
 *                                 unique per pod, so the idle-in-transaction rule finds only its own
 */
@Validated
@ConfigurationProperties("statehouse.postgresql")
public record PostgresProperties(
        @NotNull @DefaultValue("30s") Duration statementTimeout,
        @NotNull @DefaultValue("5s") Duration lockTimeout,
        @NotNull @DefaultValue("60s") Duration idleInTransactionTimeout,
        @NotBlank @Pattern(regexp = "[A-Za-z0-9_.:-]{1,63}") @DefaultValue("statehouse-local") String applicationName) {

    /** pgjdbc's {@code options}: the three timeouts as server settings of every session. */
    String sessionOptions() {
        return "-c statement_timeout=" + statementTimeout.toMillis()
                + " -c lock_timeout=" + lockTimeout.toMillis()
                + " -c idle_in_transaction_session_timeout=" + idleInTransactionTimeout.toMillis();
    }
}
