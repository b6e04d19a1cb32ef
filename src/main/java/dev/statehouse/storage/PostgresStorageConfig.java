package dev.statehouse.storage;

import java.sql.Connection;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * The PostgreSQL engine, for N replicas over one server: a plain Hikari pool at READ COMMITTED
 * whose sessions carry {@code statement_timeout}, {@code lock_timeout},
 * {@code idle_in_transaction_session_timeout} and this pod's {@code application_name}; the plain
 * JDBC transaction manager; and group commit switched off (PostgreSQL groups WAL flushes itself,
 * and its writers do not queue behind one another). The SQLite machinery (write turn, statement
 * cache, WAL maintenance, deleted-inode heal, backups) does not exist here.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnEngine(Engine.POSTGRESQL)
public class PostgresStorageConfig {

    /** No database file of the service's own; the server ports this process's connections go to (fdLeak counts them). */
    @Bean
    public DatabaseLocation databaseLocation(DataSourceProperties properties) {
        return DatabaseLocation.ofPostgresUrl(properties.getUrl());
    }

    @Bean(destroyMethod = "close")
    @ConfigurationProperties("spring.datasource.hikari")
    public HikariDataSource dataSource(DataSourceProperties properties, PostgresProperties postgres) {
        HikariDataSource dataSource = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        dataSource.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        dataSource.addDataSourceProperty("ApplicationName", postgres.applicationName());
        dataSource.addDataSourceProperty("options", postgres.sessionOptions());
        // a server that does not answer (frozen, cut off) is only ever given up on by the client
        postgres.driverTimeouts().forEach(dataSource::addDataSourceProperty);
        return dataSource;
    }

    /**
     * The {@link PostgresStartupCheck}s through the pool's first connection, before Flyway or any
     * repository gets the pool; a pool that fails is closed.
     */
    @Bean
    static BeanPostProcessor postgresStartupCheck() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof HikariDataSource pool) {
                    String where = pool.getJdbcUrl().split("\\?", 2)[0]; // no credentials from the query
                    try (Connection connection = pool.getConnection()) {
                        PostgresStartupCheck.verify(connection, pool.getMaximumPoolSize(), where);
                    } catch (java.sql.SQLException | RuntimeException e) {
                        pool.close();
                        if (e instanceof StorageStartupException startup) {
                            throw startup;
                        }
                        throw new StorageStartupException(where, "cannot connect: " + StorageErrors.rootMessage(e));
                    }
                }
                return bean;
            }
        };
    }

    @Bean
    public JdbcTransactionManager transactionManager(HikariDataSource dataSource) {
        return new PostgresTransactionManager(dataSource);
    }

    /** Every piece of work runs alone, in its own transaction on its caller's thread. */
    @Bean
    public GroupCommit groupCommit(JdbcTransactionManager transactionManager, StorageProperties storage,
                                   ObjectProvider<MeterRegistry> registry) {
        return new GroupCommit(transactionManager, 0, storage.busyTimeoutMs(), registry.getIfAvailable(SimpleMeterRegistry::new));
    }
}
