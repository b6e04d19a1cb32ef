/**
 * The health indicators' PostgreSQL side: connections counted as sockets to the server and this pod's
 * sessions as the server sees them, asked on a thread of their own
 * ({@link dev.statehouse.health.postgres.PostgresConnections},
 * {@link dev.statehouse.health.postgres.ServerSessionCheck}); no storage details of the server's own
 * ({@link dev.statehouse.health.postgres.PostgresStorageDetails}). Invariant: only what differs by
 * engine lives here, and a probe never waits on the server.
 */
package dev.statehouse.health.postgres;
