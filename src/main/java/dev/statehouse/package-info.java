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
 * {@code ArchitectureTest} keeps these rules.
 */
package dev.statehouse;
