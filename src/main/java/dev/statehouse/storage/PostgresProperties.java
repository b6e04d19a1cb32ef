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
 * @param connectTimeout           how long opening a connection (TCP connect, then the login) may take
 *                                 before it fails: a server that does not answer is given up on
 * @param socketTimeout            how long the driver waits for any answer from the server before it
 *                                 drops the connection (a frozen server, a partition: the server's own
 *                                 timeouts cannot fire there); null: {@code statementTimeout} + 5 s.
 *                                 Must be longer than {@code statementTimeout}, so that a slow statement
 *                                 is cancelled by the server first and its connection kept
 */
@Validated
@ConfigurationProperties("statehouse.postgresql")
public record PostgresProperties(
        @NotNull @DefaultValue("30s") Duration statementTimeout,
        @NotNull @DefaultValue("5s") Duration lockTimeout,
        @NotNull @DefaultValue("60s") Duration idleInTransactionTimeout,
        @NotBlank @Pattern(regexp = "[A-Za-z0-9_.:-]{1,63}") @DefaultValue("statehouse-local") String applicationName,
        @NotNull @DefaultValue("5s") Duration connectTimeout,
        Duration socketTimeout) {

    /** How much longer than {@code statementTimeout} the driver waits by default. */
    static final Duration SOCKET_MARGIN = Duration.ofSeconds(5);

    public PostgresProperties {
        if (socketTimeout == null) {
            socketTimeout = statementTimeout.plus(SOCKET_MARGIN);
        }
        if (connectTimeout.toMillis() < 1000 || connectTimeout.toSeconds() > 600) {
            throw new IllegalArgumentException("statehouse.postgresql.connect-timeout must be between 1s and 600s, was " + connectTimeout);
        }
        if (socketTimeout.compareTo(statementTimeout) <= 0 || socketTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("statehouse.postgresql.socket-timeout (" + socketTimeout
                    + ") must be longer than statement-timeout (" + statementTimeout + "): a slow statement is the server's to cancel");
        }
    }

    /** pgjdbc's own timeouts, in whole seconds (its unit): connect, login and socket reads. */
    java.util.Map<String, String> driverTimeouts() {
        String connect = Long.toString(Math.max(1, connectTimeout.toSeconds()));
        return java.util.Map.of("connectTimeout", connect, "loginTimeout", connect,
                "socketTimeout", Long.toString(Math.max(1, (socketTimeout.toMillis() + 999) / 1000)),
                "cancelSignalTimeout", connect, "tcpKeepAlive", "true");
    }

    /** pgjdbc's {@code options}: the three timeouts as server settings of every session. */
    String sessionOptions() {
        return "-c statement_timeout=" + statementTimeout.toMillis()
                + " -c lock_timeout=" + lockTimeout.toMillis()
                + " -c idle_in_transaction_session_timeout=" + idleInTransactionTimeout.toMillis();
    }
}
