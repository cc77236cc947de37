package dev.bulkload.merge;

import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import dev.bulkload.catalog.SqlIdentifier;
import dev.bulkload.row.RejectSink;
import dev.bulkload.row.RowWriterFactory;
import dev.bulkload.row.TargetWriters;
import dev.bulkload.row.WriteMode;
import dev.bulkload.row.WriteTarget;

/**
 * Starts staged loads. A load's staging tables and its table of keys already written are
 * temporary tables on the load's pinned connection, named uniquely per load.
 */
@Component
public class StagedWrites {

    private static final AtomicLong sequence = new AtomicLong();

    private final JdbcTemplate jdbc;

    private final DataSource dataSource;

    StagedWrites(JdbcTemplate jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /**
     * The writer factory of one staged load.
     * @param fill how rows reach the staging table (COPY or batch)
     * @param rejects where refused rows go, or null to fail on the first
     */
    public RowWriterFactory begin(MergePlan plan, TargetWriters fill, RejectSink rejects) {
        long load = sequence.incrementAndGet();
        String keys = SqlIdentifier.quote("pg_temp", "bulkload_keys_" + load);
        AtomicLong stages = new AtomicLong();
        boolean[] keysCreated = new boolean[1];
        return (table, columns) -> {
            String stageName = "bulkload_stage_" + load + "_" + stages.incrementAndGet();
            StagingSql sql = new StagingSql(table, StagedRowWriter.present(table, columns), plan.key(),
                    SqlIdentifier.quote("pg_temp", stageName), keys);
            if (!keysCreated[0] && (plan.mode() == WriteMode.UPSERT || plan.mode() == WriteMode.UPDATE)) {
                this.jdbc.execute(sql.createKeys());
                keysCreated[0] = true;
            }
            this.jdbc.execute(sql.createStage());
            WriteTarget target = new WriteTarget(table, SqlIdentifier.quote("pg_temp", stageName), stageName, columns,
                    StagingSql.RECORD);
            return new StagedRowWriter(this.jdbc, this.dataSource, table, columns, plan, sql,
                    (sink) -> fill.open(target, sink), rejects);
        };
    }
}
