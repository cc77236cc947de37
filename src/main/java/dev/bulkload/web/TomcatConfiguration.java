package dev.bulkload.web;

import org.apache.catalina.core.StandardHost;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat's part in answering failures: a problem instead of its HTML page for what it refuses itself
 * ({@link ProblemReportValve}), and no reading of a body the service has given up on
 * ({@link ConnectionCloseValve}).
 */
@Configuration(proxyBeanMethods = false)
class TomcatConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> failureValves() {
        return (factory) -> {
            // on the engine, so that it also sees what the /error page and the error report answered
            factory.addEngineValves(new ConnectionCloseValve());
            factory.addContextCustomizers((context) -> {
                if (context.getParent() instanceof StandardHost host) {
                    // the host adds a valve of this class on start unless one is there already
                    host.setErrorReportValveClass(ProblemReportValve.class.getName());
                    host.getPipeline().addValve(new ProblemReportValve());
                }
            });
        };
    }
}
