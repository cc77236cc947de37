package dev.bulkload.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.bulkload.PgBouncer;
import dev.bulkload.TestDatabase;
import dev.bulkload.ThroughPgBouncer;

/**
 * What a shutdown's cancel of a load's statement ({@link LoadSession#cancelStatement}, pgJDBC's cancel request)
 * does behind PgBouncer in transaction pooling: the cancel key is PgBouncer's, which sends it on to the backend the
 * load's connection holds at that moment, and to none while the load holds none, so another client that runs on the
 * load's last backend meanwhile is never hit.
 */
@ExtendWith(ThroughPgBouncer.Required.class)
class CancelThroughPoolerTests {

    HikariDataSource pool;

    @BeforeEach
    void openPool() {
        TestDatabase.Settings settings = TestDatabase.settings();
        this.pool = new HikariDataSource();
        this.pool.setJdbcUrl(PgBouncer.of(PgBouncer.Mode.TRANSACTION).url());
        this.pool.setUsername(settings.username());
        this.pool.setPassword(settings.password());
        this.pool.addDataSourceProperty("prepareThreshold", "0");
        this.pool.setMaximumPoolSize(3);
    }

    @AfterEach
    void closePool() {
        this.pool.close();
    }

    @Test
    void theLoadsRunningStatementIsCancelledOnTheBackendThatRunsIt() throws Exception {
        try (LoadSession session = new LoadSessions(this.pool).open()) {
            session.begin();
            CompletableFuture<String> sleeping = CompletableFuture
                .supplyAsync(() -> run(session.connection(), "select pg_sleep(30) /* load */"));
            await().atMost(10, TimeUnit.SECONDS).until(() -> sleepers("/* load */") == 1);

            session.cancelStatement();

            assertThat(sleeping.get(10, TimeUnit.SECONDS)).as("SQLSTATE").isEqualTo("57014");
            assertThat(sleepers("/* load */")).isZero();
        }
    }

    @Test
    void aCancelWhileTheLoadHoldsNoBackendReachesNoOtherClient() throws Exception {
        try (LoadSession session = new LoadSessions(this.pool).open()) {
            // one transaction of the load, then it holds no backend: the next client gets the one it used
            session.begin();
            assertThat(run(session.connection(), "select 1")).isNull();
            session.commit();
            try (Connection other = this.pool.getConnection()) {
                CompletableFuture<String> sleeping = CompletableFuture
                    .supplyAsync(() -> run(other, "select pg_sleep(2) /* other client */"));
                await().atMost(10, TimeUnit.SECONDS).until(() -> sleepers("/* other client */") == 1);

                session.cancelStatement();

                assertThat(sleeping.get(10, TimeUnit.SECONDS)).as("the other client's statement").isNull();
            }
        }
    }

    /** Runs the statement: null when it succeeded, else its failure's SQLSTATE. */
    private static String run(Connection connection, String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
            return null;
        }
        catch (SQLException ex) {
            return ex.getSQLState();
        }
    }

    /** Backends running a statement with this comment now, as the server itself sees them. */
    private static long sleepers(String comment) throws SQLException {
        TestDatabase.Settings settings = TestDatabase.settings();
        try (Connection direct = DriverManager.getConnection(settings.url(), settings.username(), settings.password());
                Statement statement = direct.createStatement();
                ResultSet rs = statement.executeQuery("select count(*) from pg_stat_activity where state = 'active' "
                        + "and query like 'select pg_sleep%" + comment + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
