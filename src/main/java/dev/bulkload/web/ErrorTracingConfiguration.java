package dev.bulkload.web;

import io.micrometer.tracing.Tracer;
import jakarta.servlet.DispatcherType;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The request's trace on its error page too: {@link ErrorDispatchTracing} on ERROR dispatches only. */
@Configuration(proxyBeanMethods = false)
class ErrorTracingConfiguration {

    @Bean
    FilterRegistrationBean<ErrorDispatchTracing> errorDispatchTracing(Tracer tracer) {
        FilterRegistrationBean<ErrorDispatchTracing> registration = new FilterRegistrationBean<>(
                new ErrorDispatchTracing(tracer));
        registration.setDispatcherTypes(DispatcherType.ERROR);
        // right after where Spring's observation filter sits on the first dispatch: before security and the page
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }
}
