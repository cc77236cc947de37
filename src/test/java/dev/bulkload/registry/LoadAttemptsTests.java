package dev.bulkload.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;

/**
 * A load's row knows its attempts: every write names the attempt that makes it, and a write of an older attempt
 * (a final state written late through the pool, a progress write, a settle, a write in its own transaction)
 * never changes the row of a newer attempt that resumed the load.
 */
@BulkLoaderTest
class LoadAttemptsTests {

    private static final LoadStart START = new LoadStart("public.t", null, "csv", "insert", "copy", false, false,
            Map.of(), 100);

    @Autowired
    LoadRows rows;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aLateFinalStateOfAnEarlierAttemptLeavesTheResumedAttemptRunning() throws SQLException {
        UUID id = UUID.randomUUID();
        write(row(id, 1, LoadStatus.FAILED, 100), true);
        write(row(id, 2, LoadStatus.RUNNING, 150), true);
        // the first attempt's final state arrives late, through the pool
        write(row(id, 1, LoadStatus.FAILED, 100), true);
        assertThat(state(id)).isEqualTo("running|2|150");
        // nor in a transaction of its own (an old attempt's chunk committing after the resume began)
        write(row(id, 1, LoadStatus.SUCCEEDED, 120), false);
        assertThat(state(id)).isEqualTo("running|2|150");
        // the newer attempt's own writes go through
        write(row(id, 2, LoadStatus.SUCCEEDED, 300), false);
        assertThat(state(id)).isEqualTo("succeeded|2|300");
    }

    @Test
    void progressAndSettleOfAnEarlierAttemptChangeNothing() throws SQLException {
        UUID id = UUID.randomUUID();
        write(row(id, 2, LoadStatus.RUNNING, 150), true);
        try (Connection connection = this.dataSource.getConnection()) {
            connection.setAutoCommit(true);
            this.rows.progress(connection, id, 1, new LoadCounts(999, 999, 0, 0, 0, 9, 9), 1);
            this.rows.settle(connection, id, 1, START, Instant.now(), "replica", LoadStatus.FAILED, null);
        }
        assertThat(state(id)).isEqualTo("running|2|150");
        assertThat(this.jdbc.sql("select rows_received from bulkload.loads where id = ?").param(id)
            .query(Long.class).single()).isEqualTo(150);
    }

    private void write(LoadRows.LoadRow row, boolean fromPool) throws SQLException {
        try (Connection connection = this.dataSource.getConnection()) {
            connection.setAutoCommit(fromPool);
            if (fromPool) {
                this.rows.writeFromPool(connection, row, "bulkload:" + row.id());
            }
            else {
                this.rows.writeInLoad(connection, row);
                connection.commit();
            }
        }
    }

    private String state(UUID id) {
        return this.jdbc.sql("select status || '|' || attempt || '|' || rows_committed from bulkload.loads where id = ?")
            .param(id)
            .query(String.class)
            .single();
    }

    private static LoadRows.LoadRow row(UUID id, int attempt, LoadStatus status, long committed) {
        LoadCounts counts = new LoadCounts(committed, committed, 0, 0, 0, 1, 10);
        return new LoadRows.LoadRow(id, attempt, START, status, counts, committed, 1, 0, Instant.now(), null,
                "replica", null, null);
    }
}
