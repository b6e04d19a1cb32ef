/**
 * Bringing an existing hermes agent's {@code state.db} into Statehouse: {@code java -jar statehouse.jar
 * import hermes PATH}.
 * <p>
 * Invariants: the source is only ever read, through {@code storage.ResourceDatabases#readSnapshot}
 * ({@code mode=ro}, one read transaction: a consistent snapshot while the agent keeps writing; the
 * source's {@code -wal}/{@code -shm} are never unlinked); a file that is not a hermes database, or
 * of a schema version this code does not know, is refused before anything is written; running the
 * import again adds only what is new and changes only what changed (messages carry an
 * {@code import_key}); sessions that already exist are reconciled field by field
 * ({@link dev.statehouse.hermes.HermesImportRepository}), never overwritten wholesale. All SQL that
 * writes Statehouse's tables for an import is in {@link dev.statehouse.hermes.HermesImportRepository}.
 */
package dev.statehouse.hermes;
