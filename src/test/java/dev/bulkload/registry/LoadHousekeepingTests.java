package dev.bulkload.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;

/**
 * The registry's upkeep: finished loads past the retention go with their rejects and chunks, running loads whose
 * heartbeat stopped are marked abandoned, and only the replica holding the advisory lock does either.
 */
@BulkLoaderTest
class LoadHousekeepingTests {

    @Autowired
    LoadHousekeeping housekeeping;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    String table;

    @BeforeEach
    void setUp() {
        this.table = "public.housekeeping_" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void finishedLoadsPastTheRetentionArePurgedWithTheirRejectsAndChunksAndNewerOnesStay() {
        UUID old = insert("succeeded", "now() - interval '8 days'", "now() - interval '8 days'");
        UUID oldFailed = insert("failed", "now() - interval '30 days'", "now() - interval '30 days'");
        UUID recent = insert("succeeded", "now() - interval '6 days'", "now() - interval '6 days'");
        UUID running = insert("running", null, "now()");
        reject(old);
        chunk(old);
        reject(recent);

        LoadHousekeeping.Result result = this.housekeeping.run();

        assertThat(result).isNotNull();
        assertThat(result.purged()).isGreaterThanOrEqualTo(2);
        assertThat(exists(old)).isFalse();
        assertThat(exists(oldFailed)).isFalse();
        assertThat(exists(recent)).isTrue();
        assertThat(exists(running)).isTrue();
        assertThat(count("bulkload.load_rejects", old)).isZero();
        assertThat(count("bulkload.load_chunks", old)).isZero();
        assertThat(count("bulkload.load_rejects", recent)).isOne();
    }

    @Test
    void aRunningLoadWhoseHeartbeatStoppedIsMarkedAbandonedAndALiveOneIsNot() {
        UUID dead = insert("running", null, "now() - interval '10 minutes'");
        UUID alive = insert("running", null, "now()");

        this.housekeeping.run();

        assertThat(status(dead)).isEqualTo("failed");
        assertThat(this.jdbc.sql("select problem->>'type' from bulkload.loads where id = ?").param(dead)
            .query(String.class).single()).isEqualTo("urn:bulkload:problem:abandoned");
        assertThat(this.jdbc.sql("select finished_at is not null from bulkload.loads where id = ?").param(dead)
            .query(Boolean.class).single()).isTrue();
        assertThat(status(alive)).isEqualTo("running");
    }

    @Test
    void onlyTheReplicaHoldingTheLockDoesTheRound() throws Exception {
        UUID old = insert("succeeded", "now() - interval '8 days'", "now() - interval '8 days'");
        try (Connection other = this.dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement("select pg_advisory_xact_lock(?)")) {
                lock.setLong(1, 0x62756c6b6c6f6164L);
                lock.execute();
            }
            assertThat(this.housekeeping.run()).as("another replica holds the lock").isNull();
            assertThat(exists(old)).isTrue();
            other.rollback();
        }
        assertThat(this.housekeeping.run()).isNotNull();
        assertThat(exists(old)).isFalse();
    }

    private UUID insert(String status, String finishedAt, String updatedAt) {
        UUID id = UUID.randomUUID();
        this.jdbc.sql("insert into bulkload.loads (id, table_name, format, mode, method, atomic, dry_run, status, "
                + "started_at, updated_at, finished_at, replica) values (?, ?, 'csv', 'insert', 'copy', true, false, ?, "
                + updatedAt + ", " + updatedAt + ", " + ((finishedAt != null) ? finishedAt : "null") + ", 'test')")
            .params(id, this.table, status)
            .update();
        return id;
    }

    private void reject(UUID id) {
        this.jdbc.sql("insert into bulkload.load_rejects (load_id, record, message) values (?, 1, 'bad')").param(id)
            .update();
    }

    private void chunk(UUID id) {
        this.jdbc.sql("insert into bulkload.load_chunks (load_id, chunk, first_record, last_record, byte_from, byte_to, "
                + "sha256, rows_received, rows_inserted, rows_updated, rows_skipped, rows_rejected) "
                + "values (?, 1, 1, 1, 0, 10, '\\x00'::bytea, 1, 1, 0, 0, 0)").param(id).update();
    }

    private boolean exists(UUID id) {
        return this.jdbc.sql("select count(*) from bulkload.loads where id = ?").param(id).query(Long.class)
            .single() == 1;
    }

    private String status(UUID id) {
        return this.jdbc.sql("select status from bulkload.loads where id = ?").param(id).query(String.class).single();
    }

    private long count(String table, UUID id) {
        return this.jdbc.sql("select count(*) from " + table + " where load_id = ?").param(id).query(Long.class)
            .single();
    }
}
