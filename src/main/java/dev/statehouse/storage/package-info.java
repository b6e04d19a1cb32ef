/**
 * The engine behind the service ({@link dev.statehouse.storage.Engine}, from {@code spring.datasource.url})
 * and its one pool. PostgreSQL ({@link dev.statehouse.storage.PostgresStorageConfig}): a plain pool at
 * READ COMMITTED with server-side timeouts, start-up checks, cross-replica locks
 * ({@link dev.statehouse.storage.ClusterLocks}) and this pod's sessions for the fdLeak rules. SQLite
 * ({@link dev.statehouse.storage.SqliteStorageConfig}), the default: the write path and everything
 * that touches database files: the one pool
 * ({@link dev.statehouse.storage.StatehouseDataSource}, pragmas as connection properties), the
 * write turn ({@link dev.statehouse.storage.WriteQueueTransactionManager}), group commit, the
 * statement cache, start-up checks, storage faults, data versions, and the only code that opens
 * resource files ({@link dev.statehouse.storage.ResourceDatabases}). What exists on one engine only
 * lives in {@code storage.sqlite} (WAL upkeep, backups, restore) and {@code storage.postgres} (the
 * pod's server sessions), beside each engine's implementation of the strategies declared here.
 * <p>
 * Invariants a newcomer must keep:
 * <ul>
 * <li>No code outside this package opens a JDBC connection ({@code ArchitectureTest}); everything
 * else uses {@code JdbcTemplate} over the pool.</li>
 * <li>A write transaction is opened in one way: a service method annotated {@code @Transactional}
 * (BEGIN IMMEDIATE through the write turn), or, for the worker protocol's hot single-task steps,
 * {@link dev.statehouse.storage.GroupCommit#write}, which runs the same kind of transaction shared
 * with others queued meanwhile. Either way the write turn is taken before BEGIN, so SQLite's busy
 * handler never spins.</li>
 * <li>Never open (and so never close) a descriptor on the service's own database file outside the
 * pool: closing any descriptor on it drops the process's POSIX locks. Inspect {@code /proc/self/fd}
 * with readlink only; resource files are opened through SQLite only, and refused when they are the
 * database by another name ({@link dev.statehouse.storage.DatabaseLocation#isOwnFile}).</li>
 * <li>Beans that only make sense on one engine say so ({@link dev.statehouse.storage.ConditionalOnEngine});
 * the rest of the service does not ask which engine runs. Where statements differ by engine, a
 * strategy interface states the contract and each engine implements it in a {@code sqlite} or
 * {@code postgres} subpackage: here {@link dev.statehouse.storage.RowLocks} and
 * {@link dev.statehouse.storage.ClusterLocks}, in the features {@code sessions.ChainStatements} and
 * {@code kanban.DispatchLocks}. Classes of this package that still branch on the engine are listed
 * in {@code ArchitectureTest} (issue 26), and leave that list as they are split.</li>
 * <li>A write acknowledged to a client has committed; derived state (the sidebar cache) learns of it
 * from {@link dev.statehouse.storage.DataChanged} after the commit, never before.</li>
 * </ul>
 */
package dev.statehouse.storage;
