package dev.bulkload.pooling;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Registers {@link ServerSidePrepares} early, as a post-processor must be, and runs the {@link PoolingCheck} before
 * Flyway's migrations, the first statements the service sends.
 */
@Configuration(proxyBeanMethods = false)
class PoolingConfiguration {

    @Bean
    static BeanPostProcessor serverSidePrepares(Environment environment) {
        return new ServerSidePrepares(environment);
    }

    @Bean
    @ConditionalOnClass(name = "org.flywaydb.core.Flyway")
    FlywayMigrationStrategy checkPoolingThenMigrate(PoolingCheck check) {
        return (flyway) -> {
            check.checkOnce();
            flyway.migrate();
        };
    }
}
