package dev.bulkload.copy;

import org.springframework.stereotype.Component;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.jdbc.RowLoader;
import dev.bulkload.row.ChunkWriter;
import dev.bulkload.row.ColumnSets;
import dev.bulkload.session.LoadSession;

/** Opens COPY writers for a load, on its session's connection. */
@Component
public class CopyWriters {

    /** Streams chunks straight into the table; fails on the first bad row. */
    public ChunkWriter direct(LoadSession session, LoadableTable table, ColumnSets sets) {
        return new StreamingCopyWriter(session.connection(), session.serverVersion(), table, sets);
    }

    /** Loads ledger rows into a staging table with COPY. */
    public RowLoader loader() {
        return new CopyLoader();
    }
}
