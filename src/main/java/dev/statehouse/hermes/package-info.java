/**
 * Bringing an existing hermes agent's {@code state.db} into Statehouse: {@code java -jar statehouse.jar
 * import hermes PATH}.
 * <p>
 * Invariants: the source is only ever read, through the storage package ({@code mode=ro}, one read
 * transaction: a consistent snapshot while the agent keeps writing; the source's {@code -wal}/{@code -shm}
 * are never unlinked); it is checked whole — a hermes database of a known schema version, every page
 * passing {@code quick_check} — before the application context starts, so a refused file writes and
 * creates nothing ({@link dev.statehouse.hermes.HermesImport#check}); a row the API would refuse is
 * left out and counted by reason ({@link dev.statehouse.hermes.ImportRules}), and stored JSON is
 * always JSON; a message's key names its source ({@code hermes:<source>:<id>}), the source being
 * recognised by the sessions an earlier import created, never by the file's path, so two agents'
 * databases never collide and running the import again adds only what is new; sessions that already
 * exist are reconciled field by field, never overwritten wholesale, and reported when another source
 * or the API wrote them; memory does not grow with the source (every pass streams it in batches,
 * {@link dev.statehouse.hermes.ImportPasses}). All SQL that writes Statehouse's tables for an import
 * is in {@link dev.statehouse.hermes.HermesImportRepository}.
 */
package dev.statehouse.hermes;
