package dev.bulkload.merge;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

import dev.bulkload.batch.BatchWriters;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.catalog.TableCache;
import dev.bulkload.copy.CopyWriters;
import dev.bulkload.jdbc.RowLoader;
import dev.bulkload.jdbc.RowRefusals;
import dev.bulkload.row.ChunkWriter;
import dev.bulkload.row.ColumnSets;
import dev.bulkload.session.LoadSession;

/** Opens the staged writer of a load; its temporary tables are named uniquely per load. */
@Component
public class StagedWrites {

    private static final AtomicLong sequence = new AtomicLong();

    private final CopyWriters copyWriters;

    private final BatchWriters batchWriters;

    private final TableCache tables;

    StagedWrites(CopyWriters copyWriters, BatchWriters batchWriters, TableCache tables) {
        this.copyWriters = copyWriters;
        this.batchWriters = batchWriters;
        this.tables = tables;
    }

    /** The writer of one load; rows reach its staging tables by the plan's method. */
    public ChunkWriter open(LoadSession session, LoadableTable table, ColumnSets sets, MergePlan plan) {
        RowLoader fill = plan.copy() ? this.copyWriters.loader() : this.batchWriters.loader();
        RowRefusals refusals = new RowRefusals(session.connection(), session.serverVersion(), table, sets,
                () -> this.tables.changed(table));
        return new StagedChunkWriter(session, refusals, table, sets, plan, fill, sequence.incrementAndGet());
    }
}
