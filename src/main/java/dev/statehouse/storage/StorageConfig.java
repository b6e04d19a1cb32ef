package dev.statehouse.storage;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What both engines share: the clock, and storage's own fault detection ({@link FaultReporting}). Which engine runs is read from {@code spring.datasource.url} by
 * {@link ConditionalOnEngine}, never injected: no bean asks which engine it is on. The pool, the transaction manager and
 * the write path are built by {@link SqliteStorageConfig} or {@link PostgresStorageConfig}, whichever
 * matches the URL; no other code opens a connection.
 */
@Configuration(proxyBeanMethods = false)
public class StorageConfig {

    /** Every translated SQL exception is shown to {@link StorageHealth} first ({@link FaultReporting}). */
    @Bean
    static org.springframework.beans.factory.config.BeanPostProcessor storageFaultReporting(
            org.springframework.beans.factory.ObjectProvider<StorageHealth> health) {
        return FaultReporting.installer(health);
    }

    @Bean
    public Clock clock() {
        return Clock.systemUTC();
    }
}
