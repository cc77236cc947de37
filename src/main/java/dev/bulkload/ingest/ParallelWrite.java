package dev.bulkload.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.bulkload.body.CountingInputStream;
import dev.bulkload.idempotency.IdempotentLoad;
import dev.bulkload.idempotency.ResumableWrite;
import dev.bulkload.metrics.LoadMetrics;
import dev.bulkload.registry.LedgerChunk;
import dev.bulkload.registry.LoadCounts;
import dev.bulkload.registry.RegisteredLoad;
import dev.bulkload.row.PayloadException;
import dev.bulkload.row.Reject;
import dev.bulkload.row.WriteCounts;
import dev.bulkload.session.LoadSession;

/**
 * A non-atomic load written by several connections at once ({@code parallel=N}). The request's thread reads the
 * body once, in order, and cuts it into chunks ({@link ChunkCutter}); N writer threads, each with a connection of
 * its own, take the chunks as they come and write each in a transaction of its own. At most N + 1 chunks exist at
 * once (one being cut, N being written), so the load holds at most N + 1 times a chunk's bytes.
 * <p>
 * Chunks commit in whatever order they finish, one COMMIT at a time: each commit writes the registry row with the
 * totals of the chunks committed so far (and, with an Idempotency-Key, the chunk's ledger row), so the registry,
 * the ledger and a failure's counts are exactly what is in the table. maxErrors is checked across the writers
 * before a chunk commits; the report lists its rejects in record order. The first failure (of a writer, the
 * reader, a cancel or the client going away) stops everything: chunks not yet committed roll back, the writers'
 * running statements are cancelled, and no COMMIT follows.
 */
final class ParallelWrite implements ResumableWrite {

    /** How long a waiting thread sleeps before it looks again whether the load failed. */
    private static final long POLL_MILLIS = 50;

    /** Commits a chunk's transaction (the registry row and ledger row are written). */
    interface Commit {

        /**
         * @param counts the load's counts once it commits
         * @param last whether the load succeeds with it
         * @param committedThrough the last record of the unbroken run of committed records from the first, 0 for none
         */
        void commit(LoadSession session, LoadCounts counts, boolean last, long committedThrough);
    }

    private final LoadContext context;

    private final ChunkCutter cutter;

    private final List<ChunkWorker> workers;

    private final RejectCollector rejects;

    private final LoadMetrics metrics;

    private final LoadProgress progress;

    private final LoadTracing tracing;

    private final RegisteredLoad entry;

    private final IdempotentLoad keyed;

    private final CountingInputStream body;

    private final Commit commit;

    private final BlockingQueue<ParallelChunk> free;

    private final BlockingQueue<ParallelChunk> ready;

    /** Rejects of chunks written (committed or about to be), checked against maxErrors before a chunk commits. */
    private final AtomicLong rejectsReserved = new AtomicLong();

    /** Guards the commits and what they add up to; one chunk commits at a time. */
    private final Object commitLock = new Object();

    /** Committed record ranges, first to last (an earlier attempt's too), for the run of records from the first. */
    private final TreeMap<Long, Long> committedRanges = new TreeMap<>();

    private volatile ParallelTotals totals = ParallelTotals.NONE;

    private volatile Throwable failure;

    private volatile boolean readingEnded;

    /** Chunks handed to the writers in all, once the body has been read whole; -1 before. */
    private volatile int chunkCount = -1;

    /** Records an earlier attempt this one resumes committed. */
    private long resumedReceived;

    /** Chunks committed (or, empty, ended), guarded by the commit lock. */
    private int chunksEnded;

    ParallelWrite(LoadContext context, ChunkCutter cutter, List<ChunkWorker> workers, RejectCollector rejects,
            LoadMetrics metrics, LoadProgress progress, LoadTracing tracing, RegisteredLoad entry,
            IdempotentLoad keyed, CountingInputStream body, Commit commit) {
        this.context = context;
        this.cutter = cutter;
        this.workers = List.copyOf(workers);
        this.rejects = rejects;
        this.metrics = metrics;
        this.progress = progress;
        this.tracing = tracing;
        this.entry = entry;
        this.keyed = keyed;
        this.body = body;
        this.commit = commit;
        this.free = new ArrayBlockingQueue<>(workers.size() + 1);
        this.ready = new ArrayBlockingQueue<>(workers.size() + 1);
        for (int i = 0; i <= workers.size(); i++) {
            this.free.add(new ParallelChunk(context.rawLimit() > 0));
        }
        for (LedgerChunk chunk : keyed.earlierChunks()) {
            this.committedRanges.put(chunk.firstRecord(), chunk.lastRecord());
        }
    }

    /** Cancels the statement each writer runs now (a shutdown, from another thread). */
    void cancelStatements() {
        for (ChunkWorker worker : this.workers) {
            worker.session().cancelStatement();
        }
    }

    /**
     * Reads the body and has the writers write it; returns once every chunk committed.
     * @param readToEnd reads what follows the payload in the body, before the last chunk is handed on
     * @throws IOException when the body could not be read
     */
    void run(BodyEnd readToEnd) throws IOException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < this.workers.size(); i++) {
            ChunkWorker worker = this.workers.get(i);
            Thread thread = new Thread(this.tracing.inCurrentSpan(() -> work(worker)),
                    "bulkload-writer-" + this.entry.id().toString().substring(0, 8) + "-" + (i + 1));
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        try {
            read(readToEnd);
        }
        catch (IOException ex) {
            fail(new UncheckedIOException(ex), null);
        }
        catch (RuntimeException | Error ex) {
            fail(ex, null);
        }
        finally {
            this.readingEnded = true;
            joinAll(threads);
        }
        Throwable failed = this.failure;
        if (failed instanceof UncheckedIOException io) {
            throw io.getCause();
        }
        if (failed instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failed instanceof Error error) {
            throw error;
        }
    }

    /** Reads what follows the payload. */
    interface BodyEnd {

        void read() throws IOException;
    }

    private void read(BodyEnd readToEnd) throws IOException {
        int number = this.keyed.firstChunkNumber();
        int handed = 0;
        while (this.failure == null) {
            ParallelChunk chunk = take(this.free);
            if (chunk == null) {
                return;
            }
            this.progress.chunkStarting();
            chunk.reset(number, this.body.count());
            PayloadException refused = this.cutter.fill(chunk, this.resumedReceived, this.totals);
            if (refused != null) {
                throw refused;
            }
            this.cutter.cut(chunk);
            boolean exhausted = this.cutter.exhausted();
            if (exhausted) {
                readToEnd.read();
                // before the last chunk goes: the writer that commits the load's last chunk knows it is the last
                this.chunkCount = handed + 1;
            }
            number++;
            handed++;
            this.ready.add(chunk);
            if (exhausted) {
                return;
            }
        }
    }

    /** A writer's thread: takes chunks until the reading ended and none is left. */
    private void work(ChunkWorker worker) {
        while (true) {
            ParallelChunk chunk;
            try {
                chunk = this.ready.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                fail(new LoadStoppedException(), worker);
                return;
            }
            if (chunk == null) {
                if (this.readingEnded && this.ready.isEmpty()) {
                    return;
                }
                continue;
            }
            try {
                if (this.failure == null) {
                    writeAndCommit(worker, chunk);
                }
            }
            catch (RuntimeException ex) {
                worker.rollback();
                fail(ex, worker);
            }
            catch (Error ex) {
                // an Error may have struck mid-statement: the connection is not trusted again
                worker.session().markBroken();
                worker.rollback();
                fail(ex, worker);
            }
            finally {
                this.free.add(chunk);
            }
        }
    }

    private void writeAndCommit(ChunkWorker worker, ParallelChunk chunk) {
        OpenSpan span = this.tracing.chunk(chunk.number());
        try {
            long started = System.nanoTime();
            ChunkWorker.Written written = worker.write(chunk);
            Integer maxErrors = (this.rejects != null) ? this.rejects.maxErrors() : null;
            int refused = written.rejects().size();
            if (maxErrors != null && refused > 0 && this.rejectsReserved.addAndGet(refused) > maxErrors) {
                synchronized (this.commitLock) {
                    throw new TooManyRejectsException(maxErrors, this.rejects.keptWith(written.rejects()));
                }
            }
            if (chunk.received() > 0) {
                span.span().tag(LoadSpanTags.ROWS_RECEIVED, chunk.received())
                    .tag(LoadSpanTags.FIRST_RECORD, chunk.firstRecord())
                    .tag(LoadSpanTags.LAST_RECORD, chunk.lastRecord());
                this.metrics.batch(this.context.table().qualifiedName(), this.context.request().method().label(),
                        System.nanoTime() - started);
            }
            commit(worker, chunk, written);
        }
        catch (RuntimeException | Error ex) {
            span.span().error(new SpanFailure("The chunk failed"));
            throw ex;
        }
        finally {
            span.close();
        }
    }

    private void commit(ChunkWorker worker, ParallelChunk chunk, ChunkWorker.Written written) {
        synchronized (this.commitLock) {
            if (this.failure != null) {
                worker.rollback();
                return;
            }
            long refused = written.rejects().size();
            ParallelTotals after = this.totals.plus(chunk.received(), written.counts(), refused);
            boolean last = this.chunkCount >= 0 && this.chunksEnded + 1 == this.chunkCount;
            LoadCounts counts = counts(after);
            LoadSession session = worker.session();
            this.entry.writeInTransaction(session, counts, last);
            WriteCounts done = written.counts();
            this.keyed.chunkCommitting(session, this.entry, new LedgerChunk(chunk.number(), chunk.firstRecord(),
                    chunk.lastRecord(), chunk.byteFrom(), chunk.byteTo(), chunk.sha256(), chunk.received(),
                    done.inserted(), done.updated(), done.skipped(), refused));
            if (chunk.received() > 0) {
                this.committedRanges.put(chunk.firstRecord(), chunk.lastRecord());
            }
            int before = this.entry.committedTransactions();
            try {
                this.commit.commit(session, counts, last, committedThrough());
            }
            catch (RuntimeException | Error ex) {
                // a COMMIT whose answer was lost but which did commit stays counted (the registry says so)
                if (chunk.received() > 0 && this.entry.committedTransactions() == before) {
                    this.committedRanges.remove(chunk.firstRecord());
                }
                throw ex;
            }
            this.totals = after;
            this.chunksEnded++;
            if (this.rejects != null) {
                for (Reject reject : written.rejects()) {
                    this.rejects.rejectOutOfOrder(reject);
                }
            }
            this.progress.chunkEnded(after.received(), after.counts(), after.batches(), !last);
        }
    }

    private LoadCounts counts(ParallelTotals totals) {
        WriteCounts counts = totals.counts();
        return new LoadCounts(totals.received(), counts.inserted(), counts.updated(), counts.skipped(),
                totals.received() - counts.inserted() - counts.updated() - counts.skipped(), totals.batches(),
                this.body.count());
    }

    /**
     * The first failure stops the load: later ones (the cancels it causes among them) are dropped; the other
     * writers' running statements are cancelled. Under the commit lock, so no COMMIT is cancelled halfway.
     */
    private void fail(Throwable ex, ChunkWorker failed) {
        synchronized (this.commitLock) {
            if (this.failure != null) {
                return;
            }
            this.failure = ex;
            for (ChunkWorker worker : this.workers) {
                if (worker != failed) {
                    worker.session().cancelStatement();
                }
            }
        }
    }

    private ParallelChunk take(BlockingQueue<ParallelChunk> queue) {
        try {
            while (this.failure == null) {
                ParallelChunk chunk = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (chunk != null) {
                    return chunk;
                }
            }
            return null;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new LoadStoppedException();
        }
    }

    private static void joinAll(List<Thread> threads) {
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (true) {
                try {
                    thread.join();
                    break;
                }
                catch (InterruptedException ex) {
                    // the writers end by themselves once the reading has ended; their connections must not be left
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last record of the unbroken run of committed records from the first; 0 for none. */
    long committedThrough() {
        long through = 0;
        for (Map.Entry<Long, Long> range : this.committedRanges.entrySet()) {
            if (range.getKey() > through + 1) {
                break;
            }
            through = Math.max(through, range.getValue());
        }
        return through;
    }

    @Override
    public long rowsReceived() {
        return this.totals.received();
    }

    @Override
    public long lastRecordReceived() {
        synchronized (this.commitLock) {
            return committedThrough();
        }
    }

    @Override
    public WriteCounts counts() {
        return this.totals.counts();
    }

    long batches() {
        return this.totals.batches();
    }

    @Override
    public void resumeAfter(long rowsReceived, WriteCounts counts, long batches, long lastRecord) {
        this.totals = new ParallelTotals(rowsReceived, counts,
                rowsReceived - counts.inserted() - counts.updated() - counts.skipped(), batches);
        this.rejectsReserved.set(this.totals.rejected());
        this.resumedReceived = rowsReceived;
    }
}
