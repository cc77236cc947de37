package dev.bulkload;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

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
        AtomicReference<ConfigurableApplicationContext> started = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(started.get(), postgres), "demo-shutdown"));
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(DEMO_TABLE);
        }
        String[] demoArgs = { "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
                // the demo answers the README's curl lines without credentials
                "--bulkload.security.enabled=false" };
        System.out.println("Demo: security turned off (--bulkload.security.enabled=false); do not expose this service");
        started.set(SpringApplication.from(BulkLoaderApplication::main).run(concat(demoArgs, args))
            .getApplicationContext());
    }

    /**
     * Ctrl-C or {@code kill}: the service stops (gracefully), then the demo PostgreSQL, and the process ends with
     * status 0, so that Maven reports the stop as the success it is instead of a BUILD FAILURE for exit code 143.
     * A start that failed keeps its failing status.
     */
    private static void stop(ConfigurableApplicationContext context, EmbeddedPostgres postgres) {
        if (context != null) {
            context.close();
        }
        try {
            postgres.close();
        }
        catch (IOException ex) {
            System.err.println("Stopping the demo PostgreSQL failed: " + ex.getMessage());
        }
        if (context != null) {
            System.out.println("Demo stopped (data kept in .data/postgres)");
            Runtime.getRuntime().halt(0);
        }
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = new String[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
