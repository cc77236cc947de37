package dev.bulkload.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.bulkload.row.AccountingException;
import dev.bulkload.row.ChunkConflictException;
import dev.bulkload.row.ChunkLedger;
import dev.bulkload.row.ChunkResult;
import dev.bulkload.row.ChunkWriter;
import dev.bulkload.row.Reject;
import dev.bulkload.row.RetryableChunkException;
import dev.bulkload.row.WriteCounts;
import dev.bulkload.session.ChunkBoundary;
import dev.bulkload.session.LoadSession;

/**
 * One writer connection of a parallel load: writes a chunk in a transaction of its own (left open for the
 * load to commit), again from its start after a deadlock or serialization failure, and checks that it accounts for
 * every record it received.
 */
final class ChunkWorker {

    private final LoadSession session;

    private final ChunkWriter writer;

    private final int conflictAttempts;

    ChunkWorker(LoadSession session, ChunkWriter writer, int conflictAttempts) {
        this.session = session;
        this.writer = writer;
        this.conflictAttempts = conflictAttempts;
    }

    LoadSession session() {
        return this.session;
    }

    /**
     * Opens the chunk's transaction and writes the chunk in it.
     * @return what the database did with its rows, and every reject of the chunk (the reader's too), in record order
     */
    Written write(ParallelChunk chunk) {
        this.session.begin();
        ChunkBoundary boundary = this.session.chunkBoundary();
        ChunkLedger ledger = chunk.ledger();
        ChunkResult result;
        if (ledger.rows() == 0) {
            result = new ChunkResult(WriteCounts.NONE, List.of());
        }
        else {
            this.writer.begin(ledger);
            try {
                result = finish(ledger, boundary);
            }
            catch (RuntimeException | Error ex) {
                this.writer.abort();
                throw ex;
            }
        }
        WriteCounts written = result.counts();
        long accounted = written.inserted() + written.updated() + written.skipped() + result.rejects().size()
                + chunk.readerRejects().size();
        if (accounted != chunk.received()) {
            throw new AccountingException(chunk.firstRecord(), chunk.received(), accounted);
        }
        boundary.release();
        return new Written(written, inRecordOrder(chunk.readerRejects(), result.rejects()));
    }

    /** The chunk failed or was not to commit: its transaction is rolled back, what it created forgotten. */
    void rollback() {
        this.session.rollback();
        this.writer.rolledBack();
    }

    private ChunkResult finish(ChunkLedger ledger, ChunkBoundary boundary) {
        Runnable rollback = () -> {
            boundary.rollback();
            this.writer.rolledBack();
        };
        for (int attempt = 1;; attempt++) {
            try {
                return this.writer.finish(ledger, rollback);
            }
            catch (RetryableChunkException ex) {
                this.writer.abort();
                rollback.run();
                if (attempt >= this.conflictAttempts) {
                    throw new ChunkConflictException(ex.sqlState(), attempt);
                }
                pause(attempt);
                this.writer.begin(ledger);
            }
        }
    }

    private static List<Reject> inRecordOrder(List<Reject> reader, List<Reject> database) {
        List<Reject> all = new ArrayList<>(reader.size() + database.size());
        int i = 0;
        int j = 0;
        while (i < reader.size() || j < database.size()) {
            boolean fromReader = j >= database.size()
                    || (i < reader.size() && reader.get(i).record() < database.get(j).record());
            all.add(fromReader ? reader.get(i++) : database.get(j++));
        }
        return all;
    }

    /** Waits before another attempt, longer each time and at random, so conflicting writers fall out of step. */
    private static void pause(int attempt) {
        long bound = 20L << Math.min(attempt, 6);
        try {
            TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextLong(bound / 2, bound));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new ChunkConflictException("40P01", attempt);
        }
    }

    /**
     * A chunk written, not yet committed.
     * @param counts rows inserted, updated and skipped
     * @param rejects every refused record of the chunk, in record order
     */
    record Written(WriteCounts counts, List<Reject> rejects) {
    }
}
