package dev.bulkload.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** Security settings are checked on start: secure defaults, and API keys only as well-formed digests. */
class SecurityPropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withUserConfiguration(Properties.class);

    @Test
    void securityIsOnAndDocsArePublicByDefault() {
        this.runner.run((context) -> {
            SecurityProperties properties = context.getBean(SecurityProperties.class);
            assertThat(properties.enabled()).isTrue();
            assertThat(properties.docsPublic()).isTrue();
            assertThat(properties.apiKeys()).isEmpty();
        });
    }

    @Test
    void aKeyInClearInsteadOfItsDigestStopsTheStart() {
        this.runner
            .withPropertyValues("bulkload.security.api-keys[0].name=feed",
                    "bulkload.security.api-keys[0].sha256=my-secret-key", "bulkload.security.api-keys[0].tables=public.*")
            .run((context) -> assertThat(context).getFailure().rootCause()
                .hasMessageContaining("must be 64 hex digits (a SHA-256)"));
    }

    @Test
    void tableGrantsMustBeSchemaDotTable() {
        this.runner
            .withPropertyValues("bulkload.security.api-keys[0].name=feed",
                    "bulkload.security.api-keys[0].sha256=" + SecurityTests.sha256("k"),
                    "bulkload.security.api-keys[0].tables=users")
            .run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("must be schema.table"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(SecurityProperties.class)
    static class Properties {
    }
}
