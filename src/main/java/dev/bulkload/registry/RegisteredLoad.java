package dev.bulkload.registry;

import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.ProblemDetail;

import dev.bulkload.jdbc.SqlFailure;
import dev.bulkload.row.Reject;
import dev.bulkload.session.LoadSession;

/**
 * One load's entry in the registry, held by the thread that runs it. Its row is written lazily: a load that ends
 * in its first chunk writes it once, in its own transaction (so it costs one statement); a longer one gets a
 * running row at its first chunk boundary or after {@code announce-after}, whose progress
 * {@link ProgressWriter} then keeps current. The final state of a load that commits data is written in the
 * transaction that commits it, so that the row tells the truth about a COMMIT whose answer was lost.
 */
public final class RegisteredLoad {

    private static final Logger logger = LoggerFactory.getLogger(RegisteredLoad.class);

    /** Fresh, or an earlier load's that this one resumes ({@link #resumes}). */
    private volatile UUID id = UUID.randomUUID();

    /**
     * Which run of the load under its id this is: 1, or one more than the attempt it resumes. Every write of the
     * row carries it, and the row refuses writes of an older attempt.
     */
    private volatile int attempt = 1;

    /** The counts of the earlier attempts' committed chunks this one resumes from (counted in metrics by them). */
    private volatile LoadCounts resumedFrom = LoadCounts.NONE;

    private final LoadStart start;

    private final LoadRegistry registry;

    private final Instant startedAt = Instant.now();

    private final long startedNanos = System.nanoTime();

    /** Whether a committed row exists, so progress, rejects and a cancel have a row to go to. */
    private volatile boolean announced;

    private volatile boolean ended;

    private volatile boolean cancelRequested;

    /** The latest counts the load thread published, read by the progress writer. */
    private volatile LoadCounts live = LoadCounts.NONE;

    /** Rows of committed chunks (non-atomic), as the registry row holds them. */
    private volatile LoadCounts committed = LoadCounts.NONE;

    /** Transactions of this load that committed data, as the registry row counts them. */
    private volatile int chunksCommitted;

    private long storedRejects;

    /** What the progress writer last wrote; its thread alone reads and writes it. */
    private Written lastWritten = new Written(LoadCounts.NONE, System.nanoTime());

    /** The uploaded file's name, or null. */
    private volatile String sourceName;

    /** The CSV header row as received, once the reader has read it; gives null before, and for other formats. */
    private volatile Supplier<String> sourceHeader = () -> null;

    /** When the load may next try to write its running row (after {@code announce-after}, or again after that). */
    private long nextAnnounceNanos;

    RegisteredLoad(LoadStart start, LoadRegistry registry) {
        this.start = start;
        this.registry = registry;
        this.nextAnnounceNanos = this.startedNanos + registry.announceAfterNanos();
    }

    public UUID id() {
        return this.id;
    }

    /** Which run of the load under its id this is (1 for a new load). */
    public int attempt() {
        return this.attempt;
    }

    /** What the earlier attempts this one resumes had committed (none for a new load). */
    public LoadCounts resumedFrom() {
        return this.resumedFrom;
    }

    /**
     * This load is another attempt at an earlier one (the same Idempotency-Key): it takes that load's id and row,
     * and goes on from what its committed transactions hold. Called before anything of this load is written.
     * @param committed the counts of the earlier load's committed chunks (none when atomic)
     * @param chunksCommitted the earlier load's transactions that committed data
     * @param attempt this attempt's number: one more than the earlier one's
     */
    public void resumes(UUID earlier, LoadCounts committed, int chunksCommitted, int attempt) {
        if (this.announced || this.ended) {
            throw new IllegalStateException("Load " + this.id + " was written already");
        }
        this.id = earlier;
        this.attempt = attempt;
        this.resumedFrom = committed;
        this.committed = committed;
        this.live = committed;
        this.chunksCommitted = chunksCommitted;
    }

    /**
     * The tag the load's transactions carry as their {@code application_name}, so that a cancel from any replica
     * finds the load's backend while (and only while) it works for this load.
     */
    public String backendTag() {
        return backendTag(this.id);
    }

    static String backendTag(UUID id) {
        return "bulkload:" + id;
    }

    /** The uploaded file's name (null for a body sent as it is), written with the load's row. */
    public void sourceName(String name) {
        this.sourceName = name;
    }

    /**
     * The CSV header row as received, written with the load's row: asked for when the row is written (the reader
     * reads it before the first record, so before any write).
     */
    public void sourceHeader(Supplier<String> header) {
        this.sourceHeader = header;
    }

    /** Whether someone asked to cancel this load (seen by the progress writer, or read from the row). */
    public boolean cancelRequested() {
        return this.cancelRequested;
    }

    /**
     * Whether someone asked to cancel this load, asking the database if need be: tells a cancel
     * ({@code pg_cancel_backend}, SQLSTATE 57014) from a statement timeout, which has the same SQLSTATE.
     */
    public boolean cancelRequestedInDatabase() {
        if (!this.cancelRequested && this.announced) {
            this.cancelRequested = this.registry.cancelRequested(this.id);
        }
        return this.cancelRequested;
    }

    void cancelSeen() {
        this.cancelRequested = true;
    }

    /**
     * Publishes the load's counts so far (cheap: the progress writer picks them up); once the load has run for
     * {@code announce-after}, gives it its running row.
     */
    public void progress(LoadCounts counts) {
        this.live = counts;
        if (!this.announced && System.nanoTime() - this.nextAnnounceNanos >= 0) {
            announce();
        }
    }

    /** A chunk ended and more follow: the load is a long one, so it gets its running row now. */
    public void chunkEnded(LoadCounts counts) {
        this.live = counts;
        if (!this.announced) {
            announce();
        }
    }

    private void announce() {
        this.announced = this.registry.announce(this);
        // a database that could not take the row is not asked again for every few hundred rows
        this.nextAnnounceNanos = System.nanoTime() + this.registry.announceAfterNanos();
    }

    /**
     * Writes the row inside the load's open transaction: the final state of an atomic load just before its COMMIT,
     * or a non-atomic load's committed counts in each chunk's transaction. It commits, or not, with the data.
     * @param counts the counts once this transaction commits
     * @param finished whether the load succeeded with this commit
     */
    public void writeInTransaction(LoadSession session, LoadCounts counts, boolean finished) {
        LoadStatus status = finished ? LoadStatus.SUCCEEDED : LoadStatus.RUNNING;
        try {
            if (session.assumesRole()) {
                // the caller's role may not write the service's own schema: the rest of this transaction (this
                // statement, then COMMIT) runs as the service's user again
                this.registry.rows().actAsServiceUser(session.connection());
            }
            this.registry.rows()
                .writeInLoad(session.connection(),
                        row(status, counts, counts.rowsCommitted(), this.chunksCommitted + 1, null));
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("load registry", ex);
        }
    }

    /**
     * Writes the load's running row in the claim of its Idempotency-Key (on the load's connection, before its own
     * transactions): a retry finds the key running from the claim's commit on. {@link #claimed} follows the commit.
     */
    void writeClaim(java.sql.Connection connection) throws SQLException {
        this.registry.rows()
            .writeInLoad(connection, row(LoadStatus.RUNNING, this.live, this.committed.rowsCommitted(),
                    this.chunksCommitted, null));
    }

    /**
     * The claim of the load's Idempotency-Key committed with its running row (a new one, or the row of the attempt
     * it resumes): its heartbeat is kept from now on, which tells a retry from another replica that it runs.
     */
    public void claimed() {
        this.announced = true;
        this.registry.track(this);
    }

    /** The transaction that {@link #writeInTransaction wrote the row} committed. */
    public void committed(LoadCounts counts) {
        this.committed = counts;
        this.chunksCommitted++;
        if (!this.announced && !this.start.atomic()) {
            // the first chunk's transaction wrote the running row: from now on its progress is written too
            this.registry.track(this);
        }
        this.announced = true;
        if (!this.start.atomic()) {
            this.live = counts.rowsReceived() >= this.live.rowsReceived() ? counts : this.live;
        }
    }

    /** Stores rejects for download (up to {@code max-rejects-stored}), off the load's transaction. */
    public void storeRejects(List<Reject> rejects) {
        if (rejects.isEmpty() || this.storedRejects >= this.start.maxRejectsStored()) {
            return;
        }
        if (!this.announced) {
            announce();
        }
        List<Reject> kept = rejects.subList(0,
                (int) Math.min(rejects.size(), this.start.maxRejectsStored() - this.storedRejects));
        if (this.announced && this.registry.storeRejects(this.id, kept)) {
            this.storedRejects += kept.size();
        }
    }

    /** A dry run ended: its data was rolled back, its row says what would have happened. */
    public void dryRunSucceeded(LoadCounts counts) {
        end(LoadStatus.SUCCEEDED, counts, 0, 0, null);
    }

    /**
     * The load failed or was cancelled: its row says so, with what stays committed (nothing when atomic; the
     * committed chunks' counts otherwise) and how far it had read.
     */
    public void ended(LoadStatus status, ProblemDetail problem, long bytesRead) {
        LoadCounts live = this.live;
        LoadCounts done = this.committed;
        long received = Math.max(live.rowsReceived(), done.rowsReceived());
        LoadCounts counts = this.start.atomic()
                ? new LoadCounts(received, 0, 0, 0, live.rowsRejected(), live.batches(), bytesRead)
                : new LoadCounts(received, done.rowsInserted(), done.rowsUpdated(), done.rowsSkipped(),
                        done.rowsRejected(), done.batches(), bytesRead);
        end(status, counts, this.start.atomic() ? 0 : done.rowsCommitted(),
                this.start.atomic() ? 0 : this.chunksCommitted, problem);
    }

    /**
     * The outcome of the load's last COMMIT could not be learned: once the database is back, a row still running
     * is ended as failed with {@code problem}; one that committed as succeeded stays so.
     */
    public void outcomeUnknown(ProblemDetail problem) {
        this.ended = true;
        this.registry.settleLater(this, LoadStatus.FAILED, problem);
    }

    /** Transactions of this load that committed data. */
    public int committedTransactions() {
        return this.chunksCommitted;
    }

    /** Rows of this load that stay in the table: those of its committed transactions. */
    public long committedRows() {
        return this.committed.rowsCommitted();
    }

    private void end(LoadStatus status, LoadCounts counts, long rowsCommitted, int chunks, ProblemDetail problem) {
        this.ended = true;
        this.registry.finish(this, row(status, counts, rowsCommitted, chunks, problem));
    }

    /** The load's thread is done with it; the progress writer forgets it. */
    public void close() {
        this.ended = true;
        this.registry.forget(this);
    }

    /**
     * After a COMMIT whose answer never came (the connection died): what the registry row, which commits with
     * the data, says on a fresh connection.
     */
    public CommitOutcome resolveCommit(LoadCounts expected) {
        CommitOutcome outcome = this.registry.resolve(this, expected);
        if (outcome.committed()) {
            committed(expected);
        }
        logger.warn("Load {}: the COMMIT's answer was lost; the registry says {}", this.id, outcome);
        return outcome;
    }

    LoadRows.LoadRow row(LoadStatus status, LoadCounts counts, long rowsCommitted, int chunks,
            ProblemDetail problem) {
        long nanos = System.nanoTime() - this.startedNanos;
        long rate = (nanos > 0) ? Math.round(counts.rowsReceived() * 1e9 / nanos) : 0;
        return new LoadRows.LoadRow(this.id, this.attempt, this.start, status, counts, rowsCommitted, chunks, rate,
                this.startedAt, problemMap(problem), this.registry.replica(), this.sourceName, this.sourceHeader.get());
    }

    Written lastWritten() {
        return this.lastWritten;
    }

    void written(Written written) {
        this.lastWritten = written;
    }

    /**
     * The counts the progress writer last wrote, and when.
     * @param counts the counts
     * @param nanos {@link System#nanoTime()} of the write
     */
    record Written(LoadCounts counts, long nanos) {
    }

    int chunksCommitted() {
        return this.chunksCommitted;
    }

    LoadStart start() {
        return this.start;
    }

    Instant startedAt() {
        return this.startedAt;
    }

    boolean ended() {
        return this.ended;
    }

    LoadCounts live() {
        return this.live;
    }

    static Map<String, Object> problemMap(ProblemDetail problem) {
        if (problem == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", String.valueOf(problem.getType()));
        map.put("title", problem.getTitle());
        map.put("status", problem.getStatus());
        map.put("detail", problem.getDetail());
        if (problem.getProperties() != null) {
            map.putAll(problem.getProperties());
        }
        return map;
    }
}
