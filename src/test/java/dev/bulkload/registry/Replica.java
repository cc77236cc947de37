package dev.bulkload.registry;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.bulkload.BulkLoaderApplication;
import dev.bulkload.TestDatabase;

/** Another instance of the service in the same JVM, on a port of its own: a second replica. */
final class Replica implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    /**
     * @param url the JDBC URL it connects to (the test database's, or a proxy's in front of it)
     * @param properties more {@code name=value} settings
     */
    Replica(String url, String... properties) {
        TestDatabase.Settings settings = TestDatabase.settings();
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + nullToEmpty(settings.username()),
                "--spring.datasource.password=" + nullToEmpty(settings.password()),
                "--bulkload.security.enabled=false", "--bulkload.load.batch-size=1000",
                "--bulkload.limits.max-body-size=64MB", "--spring.main.banner-mode=off"));
        for (String property : properties) {
            args.add("--" + property);
        }
        this.context = new SpringApplication(BulkLoaderApplication.class).run(args.toArray(String[]::new));
    }

    /** A replica on the test database itself. */
    static Replica direct(String... properties) {
        return new Replica(TestDatabase.settings().url(), properties);
    }

    /**
     * A replica on the same database, reached the same way (directly, or through the same pooler in the same
     * pooling mode) as the test's own application context.
     */
    static Replica like(org.springframework.core.env.Environment environment) {
        return new Replica(environment.getRequiredProperty("spring.datasource.url"),
                "bulkload.database.pooling=" + environment.getProperty("bulkload.database.pooling", "session"));
    }

    int port() {
        return ((WebServerApplicationContext) this.context).getWebServer().getPort();
    }

    <T> T bean(Class<T> type) {
        return this.context.getBean(type);
    }

    @Override
    public void close() {
        this.context.close();
    }

    private static String nullToEmpty(String value) {
        return (value != null) ? value : "";
    }
}
