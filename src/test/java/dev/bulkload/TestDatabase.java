package dev.bulkload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL server tests run against: {@code BULKLOAD_TEST_DATABASE_URL} (with {@code _USERNAME}
 * and {@code _PASSWORD}) when set, otherwise one embedded PostgreSQL started once per JVM, of the version
 * whose binaries are on the test classpath ({@code -Dembedded-postgres-binaries.version=14.22.0} picks 14).
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
     * @param embedded whether this is the embedded server started for the tests (not an external one)
     * @param serverVersionNum the server's {@code server_version_num}, e.g. 180001 or 140022
     */
    public record Settings(String url, String username, String password, boolean embedded, int serverVersionNum) {

        /** The server's major version, e.g. 18. */
        public int majorVersion() {
            return this.serverVersionNum / 10000;
        }
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
        return identified(url, System.getenv("BULKLOAD_TEST_DATABASE_USERNAME"),
                System.getenv("BULKLOAD_TEST_DATABASE_PASSWORD"), false);
    }

    private static Settings embedded() {
        try {
            // Real servers are often set to hide NOTICEs; the suite must not depend on them, so neither does this one.
            // Headroom over the default 100 connections, as CI gives its Debian server: the suite's cached contexts,
            // replicas and the PgBouncers in front of it (dev.bulkload.PgBouncer) all hold some.
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setServerConfig("client_min_messages", "warning")
                .setServerConfig("max_connections", "300")
                .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                }
                catch (IOException ex) {
                    // the JVM is exiting; the temporary cluster goes with it
                }
            }));
            return identified(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", true);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL", ex);
        }
    }

    // Printed once per test JVM so a CI log shows which server each pass really ran on.
    private static Settings identified(String url, String username, String password, boolean embedded) {
        try (Connection connection = DriverManager.getConnection(url, username, password);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "select current_setting('server_version'), current_setting('server_version_num')::int")) {
            rs.next();
            System.out.println("Tests run against " + (embedded ? "embedded" : "external") + " PostgreSQL "
                    + rs.getString(1));
            return new Settings(url, username, password, embedded, rs.getInt(2));
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Could not connect to the test PostgreSQL at " + url, ex);
        }
    }
}
