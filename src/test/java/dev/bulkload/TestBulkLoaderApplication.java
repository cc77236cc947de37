package dev.bulkload;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.boot.SpringApplication;

/**
 * {@code ./mvnw spring-boot:test-run}: the service on port 8080 against an embedded PostgreSQL 18
 * whose data lives in {@code .data/postgres} (kept between runs), with the demo table
 * {@code public.users} to load the files in {@code samples/} into.
 */
public final class TestBulkLoaderApplication {

    private static final int DEMO_DATABASE_PORT = 54329;

    private static final String DEMO_TABLE = """
            create table if not exists public.users (
              id bigserial primary key,
              name text not null,
              email text not null unique,
              created_at timestamptz not null default now())
            """;

    private TestBulkLoaderApplication() {
    }

    public static void main(String[] args) throws IOException, SQLException {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
            .setDataDirectory(Path.of(".data", "postgres"))
            .setCleanDataDirectory(false)
            .setPort(DEMO_DATABASE_PORT)
            .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            }
            catch (IOException ex) {
                System.err.println("Stopping the demo PostgreSQL failed: " + ex.getMessage());
            }
        }));
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(DEMO_TABLE);
        }
        String[] demoArgs = { "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
                // the demo answers the README's curl lines without credentials
                "--bulkload.security.enabled=false" };
        System.out.println("Demo: security turned off (--bulkload.security.enabled=false); do not expose this service");
        SpringApplication.from(BulkLoaderApplication::main).run(concat(demoArgs, args));
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = new String[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
