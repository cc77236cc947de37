package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.options.LoadMethod;
import dev.bulkload.options.LoadRequest;
import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.PooledConnections;
import dev.bulkload.TestTables;
import dev.bulkload.body.LoadFormat;
import dev.bulkload.csv.CsvFormat;
import dev.bulkload.row.WriteMode;

/**
 * An {@link Error} thrown by the body's stream while a chunk is being written (a COPY streaming, or
 * rows staged): it propagates as it is, nothing of the load stays, and the connection the load held
 * never goes back to the pool dirty.
 */
@BulkLoaderTest
class ErrorDuringLoadTests {

    /** Well past a COPY send buffer, well below the chunk's byte budget: the Error strikes mid-chunk. */
    private static final long BYTES_BEFORE_ERROR = 4L * 1024 * 1024;

    private static final int LOADS_AFTER = 20;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    LoadService loads;

    @Autowired
    DataSource dataSource;

    LoadClient client;

    TestTables tables;

    String items;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.tables = new TestTables(this.jdbc);
        this.items = this.tables.create("errored", "id int primary key, name text not null");
    }

    @ParameterizedTest(name = "method={0}, mode={1}, error={2}")
    @CsvSource({ "COPY, INSERT, OutOfMemoryError", "COPY, INSERT, StackOverflowError", "COPY, UPSERT, OutOfMemoryError",
            "BATCH, INSERT, OutOfMemoryError" })
    void anErrorFromTheBodyPropagatesAndLeavesNoRowAndNoDirtyConnection(LoadMethod method, WriteMode mode,
            String error) throws SQLException {
        Error thrown = error.equals("OutOfMemoryError") ? new OutOfMemoryError("test") : new StackOverflowError("test");
        LoadRequest request = new LoadRequest(this.items, LoadFormat.CSV, false, mode, List.of(), method, true, false,
                null, 1_000_000, false, CsvFormat.DEFAULT);
        ErrorAfterRows body = new ErrorAfterRows(BYTES_BEFORE_ERROR, thrown);

        assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThatThrownBy(() -> this.loads.load(request, body)).isSameAs(thrown));
        assertThat(body.served).as("bytes served before the Error").isGreaterThanOrEqualTo(BYTES_BEFORE_ERROR);

        assertThat(this.tables.count(this.items)).isZero();
        HikariPoolMXBean pool = this.dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pool.getActiveConnections()).isZero());
        // on the server: no session of the service left inside a transaction or a COPY
        await().atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(this.jdbc
                .sql("select count(*) from pg_stat_activity where application_name = 'bulk-loader' "
                        + "and pid <> pg_backend_pid() and state <> 'idle'")
                .query(Long.class)
                .single()).isZero());

        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < LOADS_AFTER; i++) {
                LoadClient.Response response = this.client.load(this.items, "method=" + method.label(), "text/csv",
                        "id,name\n" + i + ",after" + i + "\n");
                assertThat(response.status()).as("load %d after the Error: %s", i + 1, response.body())
                    .isEqualTo(200);
            }
        });
        assertThat(this.tables.count(this.items)).isEqualTo(LOADS_AFTER);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pool.getActiveConnections()).isZero());
        PooledConnections.assertEveryOneIsClean(this.dataSource);
    }

    /** A valid CSV of many rows, then an Error from {@code read}. */
    static final class ErrorAfterRows extends InputStream {

        private final long limit;

        private final Error error;

        private byte[] pending = "id,name\n".getBytes(StandardCharsets.US_ASCII);

        private int at;

        private int next = 1;

        long served;

        ErrorAfterRows(long limit, Error error) {
            this.limit = limit;
            this.error = error;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return (read(one, 0, 1) < 0) ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (this.at == this.pending.length) {
                if (this.served >= this.limit) {
                    throw this.error;
                }
                this.pending = (this.next + ",name of row " + this.next + "\n").getBytes(StandardCharsets.US_ASCII);
                this.next++;
                this.at = 0;
            }
            int n = Math.min(length, this.pending.length - this.at);
            System.arraycopy(this.pending, this.at, buffer, offset, n);
            this.at += n;
            this.served += n;
            return n;
        }
    }
}
