package dev.bulkload;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Points the application context at the {@link TestDatabase}, with a pool that keeps few idle connections. Runs
 * before unordered initializers, so that one a test class adds (such as {@link ThroughPgBouncer}) may point it
 * elsewhere.
 */
@Order(Ordered.LOWEST_PRECEDENCE - 1)
public class TestDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestDatabase.Settings settings = TestDatabase.settings();
        TestPropertyValues.of("spring.datasource.url=" + settings.url(),
                "spring.datasource.username=" + nullToEmpty(settings.username()),
                "spring.datasource.password=" + nullToEmpty(settings.password()),
                // the suite keeps dozens of application contexts cached, each with its pool: one idle connection
                // each (the rest retired after 10 s idle) keeps them all within a default server's 100 connections
                "spring.datasource.hikari.minimum-idle=1", "spring.datasource.hikari.idle-timeout=10000")
            .applyTo(context);
    }

    private static String nullToEmpty(String value) {
        return (value != null) ? value : "";
    }
}
