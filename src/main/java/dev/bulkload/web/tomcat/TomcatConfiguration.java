package dev.bulkload.web.tomcat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.catalina.core.StandardHost;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.bulkload.ingest.LoadProperties;

/**
 * Tomcat's part in admission and in answering failures: requests beyond what the service holds are refused
 * before anything is read or allocated for them ({@link AdmissionValve}), a problem instead of its HTML
 * page for what it refuses itself ({@link ProblemReportValve}), and no reading of a body the service has
 * given up on ({@link ConnectionCloseValve}).
 */
@Configuration(proxyBeanMethods = false)
class TomcatConfiguration {

    @Bean
    AdmissionValve admissionValve(LoadProperties properties, MeterRegistry registry) {
        Counter refused = Counter.builder("bulkload.requests.refused")
            .description("Requests refused at admission (503) before their body was read")
            .register(registry);
        AdmissionValve valve = new AdmissionValve(properties.maxConcurrentLoads() + properties.admissionQueue(),
                properties.maxOtherRequests(), properties.maxDownloads(), properties.retryAfter().toSeconds(),
                refused::increment);
        Gauge.builder("bulkload.loads.admitted", valve, AdmissionValve::loadsInFlight)
            .description("Loads admitted: running, or waiting for a load slot")
            .register(registry);
        return valve;
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> failureValves(AdmissionValve admission) {
        return (factory) -> {
            // first: a load refused here meets nothing else
            factory.addEngineValves(admission);
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
