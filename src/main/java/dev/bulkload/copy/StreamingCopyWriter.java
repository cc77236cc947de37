package dev.bulkload.copy;

import java.sql.SQLException;

import org.postgresql.copy.CopyIn;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.jdbc.DirectChunkWriter;
import dev.bulkload.jdbc.RowRefusals;
import dev.bulkload.row.ChunkLedger;
import dev.bulkload.row.ChunkResult;
import dev.bulkload.row.ColumnSets;
import dev.bulkload.session.LoadSession;

/**
 * The fast path: a chunk streams into the table with COPY while it is still being read, each
 * {@link CopyLoader#SEND_BYTES} as they fill the ledger. A refused row stops the chunk; the
 * ledger then serves to find it (see {@link DirectChunkWriter}). A chunk that runs at the top level of the
 * transaction that created the table writes its rows frozen ({@code COPY ... FREEZE}, see
 * {@link LoadSession#chunkMayFreeze}); the rows written again to find a refused one never are (they go under
 * savepoints).
 */
final class StreamingCopyWriter extends DirectChunkWriter {

    private final ColumnSets sets;

    private final LoadSession session;

    /** Whether this chunk's COPYs write frozen rows: asked of the session as each chunk begins. */
    private boolean freeze;

    private CopyIn copy;

    private int copySet = -1;

    /** Ledger rows already sent. */
    private int sent;

    /** Rows the COPYs of this chunk that have ended wrote. */
    private long written;

    private SQLException failure;

    /** COPY stores given identity values as they are, so it needs no {@code OVERRIDING SYSTEM VALUE}. */
    StreamingCopyWriter(RowRefusals refusals, LoadableTable table, ColumnSets sets, LoadSession session) {
        super(refusals, table, sets, new CopyLoader(), false);
        this.sets = sets;
        this.session = session;
    }

    @Override
    public void begin(ChunkLedger ledger) {
        this.copy = null;
        this.copySet = -1;
        this.sent = 0;
        this.written = 0;
        this.failure = null;
        this.freeze = this.session.chunkMayFreeze();
    }

    @Override
    public boolean rowAdded(ChunkLedger ledger) {
        if (this.failure != null) {
            return false;
        }
        int last = ledger.rows() - 1;
        boolean newSet = ledger.set(last) != this.copySet;
        if (newSet || ledger.end(last) - ledger.start(this.sent) >= CopyLoader.SEND_BYTES) {
            try {
                send(ledger, newSet ? last : ledger.rows());
            }
            catch (SQLException ex) {
                CopyLoader.cancel(this.copy);
                this.failure = ex;
                return false;
            }
        }
        return true;
    }

    @Override
    public ChunkResult finish(ChunkLedger ledger, Runnable rollback) {
        if (this.failure == null) {
            try {
                send(ledger, ledger.rows());
                endCopy();
                return written(ledger, this.written);
            }
            catch (SQLException ex) {
                CopyLoader.cancel(this.copy);
                this.failure = ex;
            }
        }
        return failed(ledger, this.failure, rollback);
    }

    @Override
    protected boolean earlierChunksLost() {
        return this.session.earlierChunksLost();
    }

    @Override
    public void abort() {
        CopyLoader.cancel(this.copy);
    }

    /** Sends ledger rows [sent, to), opening a COPY for each run of one column set. */
    private void send(ChunkLedger ledger, int to) throws SQLException {
        while (this.sent < to) {
            int set = ledger.set(this.sent);
            if (set != this.copySet) {
                endCopy();
                this.copy = CopyLoader.start(this.connection, relation(this.sets.get(set)), this.freeze);
                this.copySet = set;
            }
            int end = this.sent + 1;
            while (end < to && ledger.set(end) == set) {
                end++;
            }
            CopyLoader.sendBytes(this.copy, ledger.data(), ledger.start(this.sent), ledger.end(end - 1));
            this.sent = end;
        }
    }

    private void endCopy() throws SQLException {
        if (this.copy != null) {
            this.written += this.copy.endCopy();
            this.copy = null;
            this.copySet = -1;
        }
    }
}
