package dev.statehouse.storage;

/**
 * Published (a Spring application event) by a write to a scope's tables, inside its transaction.
 * Whoever keeps state derived from the scope listens after commit
 * ({@code @TransactionalEventListener(phase = AFTER_COMMIT, fallbackExecution = true)}), so derived
 * state is refreshed in one place, never by hand at each write.
 */
public record DataChanged(DataVersions.Scope scope) {

    public static final DataChanged SESSIONS = new DataChanged(DataVersions.Scope.SESSIONS);
}
