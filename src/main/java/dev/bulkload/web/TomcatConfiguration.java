package dev.bulkload.web;

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
 * Tomcat's part in admission and in answering failures: loads beyond what the service holds are refused
 * before anything is read or allocated for them ({@link LoadAdmissionValve}), a problem instead of its HTML
 * page for what it refuses itself ({@link ProblemReportValve}), and no reading of a body the service has
 * given up on ({@link ConnectionCloseValve}).
 */
@Configuration(proxyBeanMethods = false)
class TomcatConfiguration {

    @Bean
    LoadAdmissionValve loadAdmissionValve(LoadProperties properties, MeterRegistry registry) {
        Counter refused = Counter.builder("bulkload.loads.refused")
            .description("Loads refused at admission (503 service-busy) before their body was read")
            .register(registry);
        LoadAdmissionValve valve = new LoadAdmissionValve(
                properties.maxConcurrentLoads() + properties.admissionQueue(), properties.retryAfter().toSeconds(),
                refused::increment);
        Gauge.builder("bulkload.loads.admitted", valve, LoadAdmissionValve::inFlight)
            .description("Loads admitted: running, or waiting for a load slot")
            .register(registry);
        return valve;
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> failureValves(LoadAdmissionValve admission) {
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
