package dev.bulkload.pooling;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Registers {@link ServerSidePrepares} early, as a post-processor must be. */
@Configuration(proxyBeanMethods = false)
class PoolingConfiguration {

    @Bean
    static BeanPostProcessor serverSidePrepares(Environment environment) {
        return new ServerSidePrepares(environment);
    }
}
