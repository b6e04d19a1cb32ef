package dev.statehouse.storage;

import java.time.Clock;

import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What both engines share: which engine {@code spring.datasource.url} names, where the service's
 * own database file is (none on PostgreSQL), and the clock. The pool, the transaction manager and
 * the write path are built by {@link SqliteStorageConfig} or {@link PostgresStorageConfig}, whichever
 * matches the URL; no other code opens a connection.
 */
@Configuration(proxyBeanMethods = false)
public class StorageConfig {

    @Bean
    public Engine engine(DataSourceProperties properties) {
        return Engine.fromJdbcUrl(properties.getUrl());
    }

    @Bean
    public DatabaseLocation databaseLocation(DataSourceProperties properties) {
        return DatabaseLocation.fromJdbcUrl(properties.getUrl());
    }

    @Bean
    public Clock clock() {
        return Clock.systemUTC();
    }
}
