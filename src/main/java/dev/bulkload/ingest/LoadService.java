package dev.bulkload.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

import dev.bulkload.batch.BatchWriters;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.catalog.TableCache;
import dev.bulkload.copy.CopyWriters;
import dev.bulkload.csv.CsvRecordReader;
import dev.bulkload.json.JsonArrayReader;
import dev.bulkload.json.NdjsonReader;
import dev.bulkload.merge.MergePlan;
import dev.bulkload.merge.StagedWrites;
import dev.bulkload.metrics.LoadMetrics;
import dev.bulkload.row.ReadLimits;
import dev.bulkload.row.RowReader;
import dev.bulkload.row.RowRejectedException;
import dev.bulkload.row.ChunkWriter;
import dev.bulkload.row.ColumnSets;
import dev.bulkload.row.WriteCounts;
import dev.bulkload.row.WriteMode;
import dev.bulkload.security.TableGrants;
import dev.bulkload.session.LoadSession;
import dev.bulkload.session.LoadSessions;
import dev.bulkload.session.RoleCheck;
import dev.bulkload.session.TablePrivilege;

/**
 * Runs a load: resolves the table, streams the body through the reader for its format, writes it
 * chunk by chunk in one transaction (atomic) or a transaction per chunk, and reports the counts.
 */
@Service
public class LoadService {

    private static final Logger logger = LoggerFactory.getLogger(LoadService.class);

    private final TableCache catalog;

    private final TableGrants grants;

    private final CopyWriters copyWriters;

    private final BatchWriters batchWriters;

    private final StagedWrites stagedWrites;

    private final LoadSessions sessions;

    private final LoadPermits permits;

    private final LoadMetrics metrics;

    private final LoadProperties properties;

    private final LimitsProperties limits;

    LoadService(TableGrants grants, TableCache catalog, CopyWriters copyWriters, BatchWriters batchWriters, StagedWrites stagedWrites,
            LoadSessions sessions, LoadPermits permits, LoadMetrics metrics, LoadProperties properties, LimitsProperties limits) {
        this.grants = grants;
        this.permits = permits;
        this.catalog = catalog;
        this.copyWriters = copyWriters;
        this.batchWriters = batchWriters;
        this.stagedWrites = stagedWrites;
        this.sessions = sessions;
        this.metrics = metrics;
        this.properties = properties;
        this.limits = limits;
    }

    /**
     * Loads the body into the request's table.
     * @throws LoadFailedException when the payload is malformed, too large or refused by the database
     */
    public LoadReport load(LoadRequest request, InputStream body) {
        return load(request, body, (rows) -> {
        });
    }

    /**
     * Loads the body into the request's table, telling {@code committed} the rows committed so far after
     * each commit of a non-atomic load.
     * @throws LoadFailedException when the payload is malformed, too large or refused by the database
     */
    public LoadReport load(LoadRequest request, InputStream body, LongConsumer committed) {
        LoadableTable table = this.catalog.require(request.table());
        // after the catalog: a table outside the allow-list stays a 404 whoever asks
        this.grants.requireLoad(table);
        List<String> key = (request.mode() == WriteMode.INSERT) ? List.of() : KeyResolver.resolve(table, request.key());
        String role = this.grants.callerRole();
        if (role != null && table.rowSecurity() && request.method() == LoadMethod.COPY) {
            // PostgreSQL refuses COPY FROM into a table whose row-level security applies to the role (0A000)
            request = request.withMethod(LoadMethod.BATCH);
        }
        LoadContext context = new LoadContext(request, table, key, key.stream().mapToInt(table::indexOf).toArray(),
                this.properties.batchBytes().toBytes(), request.skipBadRows() ? this.properties.rejectRawBytes() : 0,
                this.properties.conflictAttempts());
        String caller = this.grants.identifiedCaller();
        this.permits.acquire(caller);
        try (LoadSession session = this.sessions.open()) {
            if (role != null) {
                assumeRole(session, role, table, request);
            }
            session.limitWaits(this.properties.lockTimeout(), this.properties.statementTimeout());
            return run(context, session, body, committed);
        }
        finally {
            this.permits.release(caller);
        }
    }

    /** Every transaction of the load runs as the caller's database role, or the load is refused with 403. */
    private void assumeRole(LoadSession session, String role, LoadableTable table, LoadRequest request) {
        RoleCheck check = session.assumeRole(role, table.sqlName(), neededPrivileges(request));
        List<String> missing = check.missing().stream().map(Enum::name).toList();
        String problem = switch (check.outcome()) {
            case ASSUMED -> null;
            case UNKNOWN -> "The database role " + role + " configured for you does not exist";
            case NOT_MEMBER -> "The service's database user may not act as the role " + role
                    + " configured for you (GRANT it to the service's user)";
            case MISSING_PRIVILEGE -> "The database role " + role + " configured for you lacks "
                    + String.join(" and ", missing) + " on " + table.qualifiedName() + ", which a load with mode="
                    + request.mode().label() + (request.skipBadRows() ? " and onError=skip" : "") + " needs";
        };
        if (problem != null) {
            logger.info("Load into {} for {} refused: {}", table.qualifiedName(), this.grants.callerName(), problem);
            throw new ForbiddenRoleException(table.qualifiedName(), role, problem, missing);
        }
    }

    /**
     * What the load does to the table: inserts (every mode but update), updates (upsert, update), and reads it
     * wherever rows go through a stage, which matches keys and checks rows against the table.
     */
    private static Set<TablePrivilege> neededPrivileges(LoadRequest request) {
        Set<TablePrivilege> needed = EnumSet.noneOf(TablePrivilege.class);
        if (request.mode() != WriteMode.UPDATE) {
            needed.add(TablePrivilege.INSERT);
        }
        if (request.mode() == WriteMode.UPSERT || request.mode() == WriteMode.UPDATE) {
            needed.add(TablePrivilege.UPDATE);
        }
        if (request.mode() != WriteMode.INSERT || request.skipBadRows()) {
            needed.add(TablePrivilege.SELECT);
        }
        return needed;
    }

    private LoadReport run(LoadContext context, LoadSession session, InputStream body, LongConsumer progress) {
        LoadRequest request = context.request();
        String tableName = context.table().qualifiedName();
        long started = System.nanoTime();
        CountingInputStream counted = new CountingInputStream(body, this.limits.maxBodySize().toBytes(),
                "The request body");
        RejectCollector rejects = request.skipBadRows()
                ? new RejectCollector(this.properties.maxRejectsReported(), request.maxErrors()) : null;
        long committed = 0;
        Long committedThrough = null;
        this.metrics.loadStarted();
        try (RowReader reader = openReader(request, context.table(), counted)) {
            ColumnSets sets = new ColumnSets();
            ChunkedWrite chunks = new ChunkedWrite(context, reader, writer(context, session, sets), sets, session,
                    rejects, this.metrics);
            if (request.atomic() || request.dryRun()) {
                session.begin();
                chunks.writeAll();
                if (request.dryRun()) {
                    session.rollback();
                }
                else {
                    session.commit();
                }
            }
            else {
                boolean more = true;
                while (more) {
                    session.begin();
                    more = chunks.writeChunk();
                    session.commit();
                    WriteCounts done = chunks.counts();
                    committed = done.inserted() + done.updated();
                    progress.accept(committed);
                    committedThrough = (chunks.lastRecordWritten() > 0) ? chunks.lastRecordWritten() : null;
                }
            }
            LoadReport report = report(request, tableName, chunks, rejects, counted.count(),
                    System.nanoTime() - started);
            recordSuccess(request, tableName, report, System.nanoTime() - started);
            return report;
        }
        catch (IOException ex) {
            session.rollback();
            throw failed(request, tableName, new UncheckedIOException(ex), committed, committedThrough, started,
                    counted);
        }
        catch (RuntimeException ex) {
            session.rollback();
            // a table changed under a cached definition: read it again for the next load, and say so
            RuntimeException cause = this.catalog.refreshIfChanged(context.table(), ex);
            throw failed(request, tableName, cause, committed, committedThrough, started, counted);
        }
        catch (Error ex) {
            // an Error may have struck mid-statement: the connection is not trusted again
            session.markBroken();
            throw ex;
        }
        finally {
            this.metrics.loadEnded();
        }
    }

    private RowReader openReader(LoadRequest request, LoadableTable table, CountingInputStream counted) {
        InputStream payload = request.gzip() ? new GzipPayloadStream(counted,
                this.limits.maxDecompressedSize().toBytes(), this.limits.maxCompressionRatio()) : counted;
        ReadLimits readLimits = this.limits.readLimits();
        long maxDocument = request.gzip() ? this.limits.maxDecompressedSize().toBytes()
                : this.limits.maxBodySize().toBytes();
        return switch (request.format()) {
            case CSV -> new CsvRecordReader(payload, request.csv(), table, readLimits);
            case JSON -> new JsonArrayReader(payload, table, readLimits, maxDocument);
            case NDJSON -> new NdjsonReader(payload, table, readLimits, maxDocument);
        };
    }

    /** Plain inserts that fail on the first bad row go straight to the table; everything else is staged. */
    private ChunkWriter writer(LoadContext context, LoadSession session, ColumnSets sets) {
        LoadRequest request = context.request();
        if (context.table().hasDeferrableConstraints()) {
            // deferred checks would fire at COMMIT, where no row can be named: check at each statement's end,
            // inside the chunk, so a violation is found and isolated like any other
            session.addPrelude("SET CONSTRAINTS ALL IMMEDIATE");
        }
        if (request.mode() == WriteMode.INSERT && !request.skipBadRows()) {
            return switch (request.method()) {
                case COPY -> this.copyWriters.direct(session, context.table(), sets);
                case BATCH -> this.batchWriters.direct(session, context.table(), sets);
            };
        }
        return this.stagedWrites.open(session, context.table(), sets,
                new MergePlan(request.mode(), context.key(), request.skipBadRows(), request.method() == LoadMethod.COPY));
    }

    private LoadReport report(LoadRequest request, String table, ChunkedWrite chunks, RejectCollector rejects,
            long bytes, long nanos) {
        long durationMs = nanos / 1_000_000;
        long rowsPerSecond = (nanos > 0) ? Math.round(chunks.rowsReceived() * 1e9 / nanos) : 0;
        WriteCounts counts = chunks.counts();
        return new LoadReport(table, request.format().label(), request.mode().label(), request.method().label(),
                request.atomic(), request.dryRun(), chunks.rowsReceived(), counts.inserted(), counts.updated(),
                counts.skipped(), (rejects != null) ? rejects.count() : 0,
                (rejects != null) ? rejects.kept() : List.of(), rejects != null && rejects.truncated(),
                chunks.batches(), bytes, durationMs, rowsPerSecond);
    }

    private void recordSuccess(LoadRequest request, String table, LoadReport report, long nanos) {
        if (!request.dryRun()) {
            String mode = request.mode().label();
            this.metrics.rows(table, mode, "inserted", report.rowsInserted());
            this.metrics.rows(table, mode, "updated", report.rowsUpdated());
            this.metrics.rows(table, mode, "skipped", report.rowsSkipped());
            this.metrics.rows(table, mode, "rejected", report.rowsRejected());
        }
        this.metrics.bytes(table, request.format().label(), report.bytesRead());
        this.metrics.load(table, request.format().label(), request.method().label(), true, nanos,
                report.rowsPerSecond());
        logger.info("Loaded {} for {}: format={} mode={} method={} atomic={} dryRun={} received={} inserted={} updated={} "
                + "skipped={} rejected={} batches={} bytes={} durationMs={} rowsPerSecond={}", table,
                this.grants.callerName(), report.format(),
                report.mode(), report.method(), report.atomic(), report.dryRun(), report.rowsReceived(),
                report.rowsInserted(), report.rowsUpdated(), report.rowsSkipped(), report.rowsRejected(),
                report.batches(), report.bytesRead(), report.durationMs(), report.rowsPerSecond());
    }

    private LoadFailedException failed(LoadRequest request, String table, RuntimeException cause, long committed,
            Long committedThrough, long started, CountingInputStream counted) {
        long nanos = System.nanoTime() - started;
        if (committed > 0) {
            this.metrics.rows(table, request.mode().label(), "inserted", committed);
        }
        if (cause instanceof RowRejectedException || cause instanceof TooManyRejectsException) {
            this.metrics.rows(table, request.mode().label(), "rejected", 1);
        }
        this.metrics.bytes(table, request.format().label(), counted.count());
        this.metrics.load(table, request.format().label(), request.method().label(), false, nanos, 0);
        logger.info("Load into {} for {} failed after {} ms ({} rows committed): {}", table, this.grants.callerName(),
                nanos / 1_000_000, committed, cause.getMessage());
        return new LoadFailedException(cause, table, committed, committedThrough);
    }
}
