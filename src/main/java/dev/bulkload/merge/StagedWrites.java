package dev.bulkload.merge;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

import dev.bulkload.batch.BatchWriters;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.copy.CopyWriters;
import dev.bulkload.jdbc.RowLoader;
import dev.bulkload.row.ChunkWriter;
import dev.bulkload.row.ColumnSets;
import dev.bulkload.session.LoadSession;

/** Opens the staged writer of a load; its temporary tables are named uniquely per load. */
@Component
public class StagedWrites {

    private static final AtomicLong sequence = new AtomicLong();

    private final CopyWriters copyWriters;

    private final BatchWriters batchWriters;

    StagedWrites(CopyWriters copyWriters, BatchWriters batchWriters) {
        this.copyWriters = copyWriters;
        this.batchWriters = batchWriters;
    }

    /** The writer of one load; rows reach its staging tables by the plan's method. */
    public ChunkWriter open(LoadSession session, LoadableTable table, ColumnSets sets, MergePlan plan) {
        RowLoader fill = plan.copy() ? this.copyWriters.loader() : this.batchWriters.loader();
        return new StagedChunkWriter(session, table, sets, plan, fill, sequence.incrementAndGet());
    }
}
