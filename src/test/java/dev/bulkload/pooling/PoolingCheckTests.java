package dev.bulkload.pooling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.env.MockEnvironment;

import dev.bulkload.BulkLoaderApplication;
import dev.bulkload.PgBouncer;
import dev.bulkload.TestDatabase;
import dev.bulkload.ThroughPgBouncer;

/**
 * The start-up check of {@code bulkload.database.pooling}: what the connections do is found out (a direct connection
 * and PgBouncer in session mode keep a backend per connection, PgBouncer in transaction mode does not), a wrong value
 * refuses to start with a message saying what to set, and behind a transaction pooler nothing is prepared on the
 * server.
 */
@ExtendWith(ThroughPgBouncer.Required.class)
class PoolingCheckTests {

    @Test
    void aDirectConnectionAndSessionPoolingKeepTheirBackendTransactionPoolingDoesNot() throws Exception {
        assertThat(detect(TestDatabase.settings().url())).isEqualTo(Pooling.SESSION);
        assertThat(detect(PgBouncer.of(PgBouncer.Mode.SESSION).url())).isEqualTo(Pooling.SESSION);
        assertThat(detect(PgBouncer.of(PgBouncer.Mode.TRANSACTION).url())).isEqualTo(Pooling.TRANSACTION);
    }

    @Test
    void theServiceRefusesToStartBehindATransactionPoolerThatItWasNotToldOf() {
        assertThat(refusal(() -> start(PgBouncer.of(PgBouncer.Mode.TRANSACTION).url(), "session").close()))
            .hasMessageContaining("bulkload.database.pooling is session")
            .hasMessageContaining("pool_mode=transaction");
    }

    @Test
    void theServiceRefusesToStartToldOfATransactionPoolerThatIsNotThere() {
        for (String url : List.of(TestDatabase.settings().url(), PgBouncer.of(PgBouncer.Mode.SESSION).url())) {
            assertThat(refusal(() -> start(url, "transaction").close())).hasMessageContaining("bulkload.database.pooling is transaction")
                .hasMessageContaining("keeps its PostgreSQL backend");
        }
    }

    @Test
    void aPrepareThresholdOtherThanZeroInTheUrlIsRefusedBehindATransactionPooler() {
        String url = PgBouncer.of(PgBouncer.Mode.TRANSACTION).url();
        assertThat(refusal(() -> start(url + "?prepareThreshold=5", "transaction").close()))
            .hasMessageContaining("prepareThreshold is 5");
    }

    @Test
    void onlyBehindATransactionPoolerDoesTheDriverPrepareNothingOnTheServer() {
        HikariDataSource transaction = new HikariDataSource();
        new ServerSidePrepares(environment("transaction")).postProcessBeforeInitialization(transaction, "dataSource");
        assertThat(transaction.getDataSourceProperties()).containsEntry("prepareThreshold", "0");

        HikariDataSource session = new HikariDataSource();
        new ServerSidePrepares(environment("session")).postProcessBeforeInitialization(session, "dataSource");
        assertThat(session.getDataSourceProperties()).doesNotContainKey("prepareThreshold");

        // one given in the data source's properties stays (the start-up check refuses it if it is not 0)
        HikariDataSource given = new HikariDataSource();
        given.addDataSourceProperty("prepareThreshold", "3");
        new ServerSidePrepares(environment("transaction")).postProcessBeforeInitialization(given, "dataSource");
        assertThat(given.getDataSourceProperties()).containsEntry("prepareThreshold", "3");
    }

    private static MockEnvironment environment(String pooling) {
        return new MockEnvironment().withProperty("bulkload.database.pooling", pooling);
    }

    /** The mismatch the service refused to start with (thrown as it is, or as the cause of what was thrown). */
    private static PoolingMismatchException refusal(Runnable start) {
        Throwable thrown = catchThrowable(start::run);
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof PoolingMismatchException mismatch) {
                return mismatch;
            }
        }
        throw new AssertionError("The service started, or failed otherwise", thrown);
    }

    private static Pooling detect(String url) throws Exception {
        TestDatabase.Settings settings = TestDatabase.settings();
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(url);
            pool.setUsername(settings.username());
            pool.setPassword(settings.password());
            pool.setMaximumPoolSize(2);
            return new PoolingCheck(pool, new PoolingProperties(Pooling.SESSION)).detect();
        }
    }

    private static ConfigurableApplicationContext start(String url, String pooling) {
        TestDatabase.Settings settings = TestDatabase.settings();
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + settings.username(),
                "--spring.datasource.password=" + ((settings.password() != null) ? settings.password() : ""),
                "--bulkload.database.pooling=" + pooling, "--bulkload.security.enabled=false",
                "--spring.main.banner-mode=off"));
        return new SpringApplication(BulkLoaderApplication.class).run(args.toArray(String[]::new));
    }
}
