package dev.bulkload.health;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Registers {@link ConnectionTimeouts} early, as a post-processor must be. */
@Configuration(proxyBeanMethods = false)
class ConnectionTimeoutsConfiguration {

    @Bean
    static BeanPostProcessor connectionTimeouts(Environment environment) {
        return new ConnectionTimeouts(environment);
    }
}
