package dev.statehouse.storage;

import java.nio.file.Path;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The SQLite engine (the embedded default): the one pool, {@link StatehouseDataSource}, with its
 * statement cache; the write turn every transaction waits for; group commit; and the start-up
 * checks of the file. Every repository reaches SQLite through this pool (via {@code JdbcTemplate});
 * nothing else opens the service's database.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnEngine(Engine.SQLITE)
public class SqliteStorageConfig {

    /** The service's own database file, from {@code spring.datasource.url}. */
    @Bean
    public DatabaseLocation databaseLocation(DataSourceProperties properties) {
        return DatabaseLocation.ofSqliteUrl(properties.getUrl());
    }

    /**
     * The pool. Pragmas (journal_mode, busy_timeout, synchronous=NORMAL, foreign_keys, transaction_mode=IMMEDIATE,
     * journal_size_limit) are sqlite-jdbc connection properties (overridable through
     * {@code spring.datasource.hikari.data-source-properties.*}), so every physical connection gets
     * them before the pool hands it out, and none of them has to run inside a migration.
     * Before the pool exists, a resources root or checkpoint store that contains the database is
     * refused (one would offer the live database as a resource, the other would remove it as an
     * orphan snapshot), and so is an empty file ({@link StartupCheck#beforeOpen}).
     */
    @Bean(destroyMethod = "close")
    @ConfigurationProperties("spring.datasource.hikari")
    public StatehouseDataSource dataSource(DataSourceProperties properties,
            StorageProperties storage, ResourcesProperties resources, CheckpointStoreProperties checkpoints) {
        DatabaseLocation location = DatabaseLocation.ofSqliteUrl(properties.getUrl());
        location.createParentDirectories();
        location.refuseDirectoryContaining(Path.of(resources.root()), "statehouse.resources.root");
        location.refuseDirectoryContaining(checkpoints.path(), "statehouse.checkpoints.dir");
        StartupCheck.beforeOpen(location);
        StatehouseDataSource dataSource = properties.initializeDataSourceBuilder().type(StatehouseDataSource.class).build();
        // pragmas as connection properties; spring.datasource.hikari.data-source-properties.* may override them
        dataSource.addDataSourceProperty("journal_mode", storage.journalMode());
        dataSource.addDataSourceProperty("busy_timeout", Integer.toString(storage.busyTimeoutMs()));
        dataSource.addDataSourceProperty("synchronous", "NORMAL");
        dataSource.addDataSourceProperty("foreign_keys", "true");
        dataSource.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        dataSource.addDataSourceProperty("journal_size_limit", "67108864");
        dataSource.setStatementCacheSize(storage.statementCacheSize());
        dataSource.setShutdownCheckpoint(!storage.externallyReplicated());
        return dataSource;
    }

    /**
     * The {@link StartupCheck}s, through the pool's first connection, once the pool is configured
     * (its pragmas are bound after the factory method returns) and before anything can use it:
     * Flyway and every repository get the pool only after it passed. A pool that fails is closed
     * without the shutdown checkpoint.
     */
    @Bean
    static BeanPostProcessor storageStartupCheck(
            @org.springframework.beans.factory.annotation.Value("${statehouse.storage.quick-check-on-start:true}") boolean quickCheck,
            @org.springframework.beans.factory.annotation.Value("${spring.datasource.url}") String url) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof StatehouseDataSource pool) {
                    try {
                        StartupCheck.verify(pool, DatabaseLocation.ofSqliteUrl(url), quickCheck);
                    } catch (StorageStartupException e) {
                        pool.closeWithoutCheckpoint();
                        throw e;
                    }
                }
                return bean;
            }
        };
    }

    /** Every transaction waits its turn for the one write permit, at most the busy timeout. */
    @Bean
    public WriteQueueTransactionManager transactionManager(StatehouseDataSource dataSource,
            StorageProperties storage, ObjectProvider<MeterRegistry> registry) {
        return new WriteQueueTransactionManager(dataSource, storage.busyTimeoutMs(), registry.getIfAvailable(SimpleMeterRegistry::new));
    }

    /** Short write transactions (the worker protocol) committed together while the write turn is busy. */
    @Bean
    public GroupCommit groupCommit(WriteQueueTransactionManager transactionManager,
            StorageProperties storage, ObjectProvider<MeterRegistry> registry) {
        return new GroupCommit(transactionManager, storage.groupCommitMax(), storage.busyTimeoutMs(), registry.getIfAvailable(SimpleMeterRegistry::new));
    }

}
