package dev.bulkload.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.DriverManager;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.mock.env.MockEnvironment;

/** The one-line explanations of a start without a database, or with one that cannot be reached. */
class StartupFailureAnalyzerTests {

    @Test
    void startWithoutDataSourceNamesTheVariablesAndTheDemoCommand() throws Exception {
        DataSourceProperties properties = new DataSourceProperties();
        properties.setBeanClassLoader(getClass().getClassLoader());
        properties.afterPropertiesSet();
        Throwable noUrl = catchThrowable(properties::determineDriverClassName);
        Throwable failure = new BeanCreationException("flyway", "Failed to instantiate", noUrl);

        FailureAnalysis analysis = new NoDataSourceFailureAnalyzer(new MockEnvironment()).analyze(failure);

        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).doesNotContain("\n")
            .contains("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD",
                    "./mvnw spring-boot:test-run")
            .doesNotContain("H2", "HSQL", "Derby");
    }

    @Test
    void otherFailuresAndConfiguredUrlsAreLeftToOtherAnalyzers() {
        MockEnvironment configured = new MockEnvironment().withProperty("spring.datasource.url",
                "jdbc:postgresql://db:5432/app");
        assertThat(new NoDataSourceFailureAnalyzer(new MockEnvironment()).analyze(new IllegalStateException("x")))
            .isNull();
        assertThat(new NoDataSourceFailureAnalyzer(configured).analyze(new IllegalStateException("x"))).isNull();
        assertThat(new DatabaseUnreachableFailureAnalyzer(configured).analyze(new IllegalStateException("x")))
            .isNull();
    }

    @Test
    void refusedConnectionNamesHostPortAndCauseOnOneLine() {
        String url = "jdbc:postgresql://localhost:1/app?connectTimeout=5";
        Throwable refused = catchThrowable(() -> DriverManager.getConnection(url, "loader", "secret"));
        Throwable failure = new BeanCreationException("flywayInitializer", "Unable to obtain connection", refused);

        FailureAnalysis analysis = new DatabaseUnreachableFailureAnalyzer(
                new MockEnvironment().withProperty("spring.datasource.url", url))
            .analyze(failure);

        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).isEqualTo("Cannot connect to the database at localhost:1/app: "
                + "connection refused.");
    }

    @Test
    void unknownHostIsNamed() {
        String url = "jdbc:postgresql://no-such-host.invalid:6543/app";
        Throwable unknown = catchThrowable(() -> DriverManager.getConnection(url, "loader", "secret"));

        FailureAnalysis analysis = new DatabaseUnreachableFailureAnalyzer(
                new MockEnvironment().withProperty("spring.datasource.url", url))
            .analyze(new RuntimeException(unknown));

        assertThat(analysis.getDescription()).isEqualTo("Cannot connect to the database at "
                + "no-such-host.invalid:6543/app: unknown host no-such-host.invalid.");
    }

    @Test
    void networkFailuresOutsideJdbcAreNotTakenForTheDatabase() {
        MockEnvironment configured = new MockEnvironment().withProperty("spring.datasource.url",
                "jdbc:postgresql://db:5432/app");
        Throwable identityProviderDown = new IllegalStateException("JWKS unreachable",
                new java.net.ConnectException("Connection refused"));

        assertThat(new DatabaseUnreachableFailureAnalyzer(configured).analyze(identityProviderDown)).isNull();
    }

    @Test
    void severalHostsAreAllNamed() {
        assertThat(DatabaseUnreachableFailureAnalyzer.where("jdbc:postgresql://a:5432,b:5433/app"))
            .isEqualTo("a:5432, b:5433/app");
        assertThat(DatabaseUnreachableFailureAnalyzer.where("jdbc:postgresql:app")).isEqualTo("localhost:5432/app");
    }
}
