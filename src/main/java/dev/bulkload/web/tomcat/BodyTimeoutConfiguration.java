package dev.bulkload.web.tomcat;

import org.apache.coyote.http11.AbstractHttp11Protocol;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.bulkload.ingest.LimitsProperties;

/**
 * Tomcat's read timeout while a request body arrives is {@code bulkload.limits.body-idle-timeout}: a
 * read that waits longer fails, and the load answers 408 body-too-slow.
 */
@Configuration(proxyBeanMethods = false)
class BodyTimeoutConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> bodyIdleTimeout(LimitsProperties limits) {
        return (factory) -> factory.addConnectorCustomizers((connector) -> {
            if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
                http.setDisableUploadTimeout(false);
                http.setConnectionUploadTimeout((int) Math.min(limits.bodyIdleTimeout().toMillis(), Integer.MAX_VALUE));
            }
        });
    }
}
