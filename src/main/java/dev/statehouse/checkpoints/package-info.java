/**
 * Plans and checkpoints of SQLite resources: {@code /api/plans}. Snapshots are taken and restored
 * through SQLite only ({@link dev.statehouse.storage.ResourceDatabases}); files and rows are kept in
 * step by {@link dev.statehouse.checkpoints.SnapshotStore}.
 * <p>
 * Invariants: a resource is a SQLite file under {@code statehouse.resources.root} that is not the
 * service's own database by any name; a rollback reports success only when the restored file
 * matches the snapshot (pages and content digest); snapshots count against per-plan and total
 * bounds; no file or connection outlives its plan past the next start.
 */
package dev.statehouse.checkpoints;
