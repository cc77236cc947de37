package dev.bulkload.startup;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * A start without database settings: one line naming the environment variables to set, or the demo command,
 * instead of Spring Boot's advice to put an embedded database on the classpath (the production jar has none,
 * on purpose).
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class NoDataSourceFailureAnalyzer implements FailureAnalyzer {

    static final String DESCRIPTION = "No database configured: set SPRING_DATASOURCE_URL "
            + "(jdbc:postgresql://host:5432/database), SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD, "
            + "or try the service with ./mvnw spring-boot:test-run (an embedded PostgreSQL).";

    /**
     * Spring Boot's exception for "no URL and no embedded database"; the class is package-private there, so it is
     * recognised by name.
     */
    private static final String NO_URL_EXCEPTION = "org.springframework.boot.jdbc.autoconfigure."
            + "DataSourceProperties$DataSourceBeanCreationException";

    private final Environment environment;

    NoDataSourceFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        if (StringUtils.hasText(this.environment.getProperty("spring.datasource.url"))) {
            return null;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getClass().getName().equals(NO_URL_EXCEPTION)) {
                return new FailureAnalysis(DESCRIPTION,
                        "Set SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD.",
                        cause);
            }
        }
        return null;
    }
}
