package dev.bulkload;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL server tests run against: {@code BULKLOAD_TEST_DATABASE_URL} (with {@code _USERNAME}
 * and {@code _PASSWORD}) when set, otherwise one embedded PostgreSQL 18 started once per JVM.
 */
public final class TestDatabase {

    private static Settings settings;

    private TestDatabase() {
    }

    /**
     * How to connect.
     * @param url the JDBC URL
     * @param username the user
     * @param password the password
     */
    public record Settings(String url, String username, String password) {
    }

    public static synchronized Settings settings() {
        if (settings == null) {
            settings = external();
        }
        if (settings == null) {
            settings = embedded();
        }
        return settings;
    }

    private static Settings external() {
        String url = System.getenv("BULKLOAD_TEST_DATABASE_URL");
        if (url == null || url.isBlank()) {
            return null;
        }
        return new Settings(url, System.getenv("BULKLOAD_TEST_DATABASE_USERNAME"),
                System.getenv("BULKLOAD_TEST_DATABASE_PASSWORD"));
    }

    private static Settings embedded() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                }
                catch (IOException ex) {
                    // the JVM is exiting; the temporary cluster goes with it
                }
            }));
            return new Settings(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL", ex);
        }
    }
}
