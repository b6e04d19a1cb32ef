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
 * Engines: wherever SQLite and PostgreSQL differ, the package declares a strategy interface with its
 * contract and each engine implements it in the package's {@code sqlite} or {@code postgres}
 * subpackage, selected by {@code storage.ConditionalOnEngine}: a newcomer finds each engine's code
 * there and nowhere else. The strategies: {@code sessions.ChainStatements}; {@code kanban.ClaimQueue},
 * {@code kanban.EventFeed}, {@code kanban.DispatchLocks}; {@code storage.RowLocks},
 * {@code storage.ClusterLocks}, {@code storage.DataVersions}, {@code storage.WriteProbe};
 * {@code health.DatabaseConnections}, {@code health.StorageDetails}; {@code security.UnconfiguredToken}.
 * What exists on one engine only lives in its subpackage too ({@code storage.sqlite}: WAL upkeep,
 * backups, restore; {@code storage.postgres}: the pod's server sessions), and the pool, transactions
 * and write path are built by {@code storage.SqliteStorageConfig} or {@code storage.PostgresStorageConfig}.
 * <p>
 * {@code ArchitectureTest} keeps these rules: {@code storage.Engine} is known only to the engine
 * subpackages and the configuration that selects the engine, and nothing else uses a class of an
 * engine subpackage.
 */
package dev.statehouse;
