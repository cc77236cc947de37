package dev.bulkload.health;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import dev.bulkload.ingest.LimitsProperties;

/**
 * The readiness group's database check (health component {@code database}): DOWN when the database
 * does not answer within {@code bulkload.limits.readiness-timeout}, instead of after the pool's
 * connection timeout. One check runs at a time; while it hangs, every probe answers DOWN at once.
 */
@Component("database")
class DatabaseReadiness implements HealthIndicator {

    private final DataSource dataSource;

    private final Duration timeout;

    private final Executor executor = (task) -> {
        Thread thread = new Thread(task, "database-readiness");
        thread.setDaemon(true);
        thread.start();
    };

    private CompletableFuture<Health> running;

    DatabaseReadiness(DataSource dataSource, LimitsProperties limits) {
        this.dataSource = dataSource;
        this.timeout = limits.readinessTimeout();
    }

    @Override
    public Health health() {
        CompletableFuture<Health> check = start();
        try {
            return check.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException ex) {
            return Health.down().withDetail("error", "No answer within " + this.timeout.toMillis() + " ms").build();
        }
        catch (ExecutionException ex) {
            return Health.down().withDetail("error", String.valueOf(ex.getCause().getMessage())).build();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return Health.down().build();
        }
    }

    private synchronized CompletableFuture<Health> start() {
        if (this.running == null || this.running.isDone()) {
            this.running = CompletableFuture.supplyAsync(this::check, this.executor);
        }
        return this.running;
    }

    private Health check() {
        try (Connection connection = this.dataSource.getConnection()) {
            int seconds = (int) Math.max(1, (this.timeout.toMillis() + 999) / 1000);
            return connection.isValid(seconds) ? Health.up().build()
                    : Health.down().withDetail("error", "The connection is not valid").build();
        }
        catch (SQLException ex) {
            return Health.down().withDetail("error", ex.getMessage()).build();
        }
    }
}
