/**
 * Statehouse: the state of an AI-agent platform (sessions with lineage, a kanban board with a
 * claim/lease worker protocol, plan checkpoints of SQLite resources) on one managed pool, with
 * health that tells the truth.
 * <p>
 * Layers: controllers (HTTP only) call services (one transaction per use case) call repositories
 * ({@code JdbcTemplate} over the one pool; all SQL of a feature in its repositories). Packages are
 * features ({@code sessions}, {@code projects}, {@code kanban}, {@code checkpoints}, {@code hermes})
 * plus {@code storage} (the SQLite write path), {@code health}, {@code security}, {@code web} (HTTP
 * conventions) and {@code domain} (what every feature shares and that knows no HTTP).
 * <p>
 * Engines: where a feature's statements differ between SQLite and PostgreSQL, the feature declares
 * a strategy interface with its contract ({@code sessions.ChainStatements}, {@code kanban.DispatchLocks},
 * {@code kanban.ClaimQueue}) and each engine implements it in the feature's {@code sqlite} or
 * {@code postgres} subpackage, selected by {@code storage.ConditionalOnEngine}; the feature's main
 * classes never ask which engine they run on. {@code ArchitectureTest} allows {@code storage.Engine}
 * only there, in the configuration that selects the engine, and in a shrinking list of classes not
 * yet split (issue 26).
 * {@code ArchitectureTest} keeps these rules.
 */
package dev.statehouse;
