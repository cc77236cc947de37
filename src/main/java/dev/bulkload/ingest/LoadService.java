package dev.bulkload.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Service;

import dev.bulkload.options.InvalidLoadRequestException;
import dev.bulkload.options.LoadMethod;
import dev.bulkload.options.LoadRequest;
import dev.bulkload.batch.BatchWriters;
import dev.bulkload.body.CountingInputStream;
import dev.bulkload.body.GzipPayloadStream;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.catalog.TableCache;
import dev.bulkload.catalog.TableCatalog;
import dev.bulkload.catalog.TableName;
import dev.bulkload.catalog.TableNotFoundException;
import dev.bulkload.create.CreatedTable;
import dev.bulkload.create.PayloadSample;
import dev.bulkload.create.PayloadSampler;
import dev.bulkload.create.SampleBuffer;
import dev.bulkload.create.SampledField;
import dev.bulkload.create.TableCreator;
import dev.bulkload.create.TableDesign;
import dev.bulkload.create.TypeNames;
import dev.bulkload.copy.CopyWriters;
import dev.bulkload.csv.CsvRecordReader;
import dev.bulkload.idempotency.Idempotency;
import dev.bulkload.idempotency.IdempotentLoad;
import dev.bulkload.json.JsonArrayReader;
import dev.bulkload.json.NdjsonReader;
import dev.bulkload.mapping.FieldColumns;
import dev.bulkload.mapping.FieldMapping;
import dev.bulkload.mapping.InvalidMappingException;
import dev.bulkload.mapping.UnknownFields;
import dev.bulkload.merge.MergePlan;
import dev.bulkload.merge.StagedWrites;
import dev.bulkload.metrics.LoadMetrics;
import dev.bulkload.registry.CommitOutcome;
import dev.bulkload.registry.LoadCounts;
import dev.bulkload.registry.LoadRegistry;
import dev.bulkload.registry.LoadStart;
import dev.bulkload.registry.LoadStatus;
import dev.bulkload.registry.RegisteredLoad;
import dev.bulkload.row.ChunkWriter;
import dev.bulkload.row.ColumnSets;
import dev.bulkload.row.DatabaseTimeLimitException;
import dev.bulkload.row.ReadLimits;
import dev.bulkload.row.RowReader;
import dev.bulkload.row.RowRejectedException;
import dev.bulkload.row.WriteCounts;
import dev.bulkload.row.WriteMode;
import dev.bulkload.security.RoleClaimException;
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

    private final LoadRegistry registry;

    private final LoadProblems problems;

    private final Idempotency idempotency;

    private final LoadTracing tracing;

    private final TableCatalog tables;

    private final TypeNames typeNames;

    private final TableCreator creator;

    LoadService(TableGrants grants, TableCache catalog, CopyWriters copyWriters, BatchWriters batchWriters, StagedWrites stagedWrites,
            LoadSessions sessions, LoadPermits permits, LoadMetrics metrics, LoadProperties properties, LimitsProperties limits,
            LoadRegistry registry, LoadProblems problems, Idempotency idempotency, LoadTracing tracing,
            TableCatalog tables, TypeNames typeNames, TableCreator creator) {
        this.tables = tables;
        this.typeNames = typeNames;
        this.creator = creator;
        this.tracing = tracing;
        this.idempotency = idempotency;
        this.grants = grants;
        this.registry = registry;
        this.problems = problems;
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
        return load(request, body, LoadObserver.NONE);
    }

    /**
     * Loads the body into the request's table, telling {@code observer} the load's id and the rows committed so
     * far after each commit of a non-atomic load. The load runs in a span of its own (see {@link LoadTracing}).
     * @throws LoadFailedException when the payload is malformed, too large or refused by the database
     */
    public LoadReport load(LoadRequest request, InputStream body, LoadObserver observer) {
        return load(request, body, observer, null);
    }

    /**
     * Loads the body of an uploaded file into the request's table, as {@link #load(LoadRequest, InputStream,
     * LoadObserver)} does; the registry keeps the file's name, so that its rejects download as a file named after it.
     * @param sourceName the file's name as the client gave it, or null
     */
    public LoadReport load(LoadRequest request, InputStream body, LoadObserver observer, String sourceName) {
        LoadTrace trace = this.tracing.load(request, observer);
        try {
            return trace.succeeded(traced(request, body, trace, sourceName));
        }
        catch (RuntimeException | Error ex) {
            trace.failed(ex);
            throw ex;
        }
        finally {
            trace.close();
        }
    }

    /** The load, in its span: {@code observer} is the load's trace, which tells the caller's observer. */
    private LoadReport traced(LoadRequest request, InputStream body, LoadObserver observer, String sourceName) {
        LoadableTable table = null;
        TableName creating = null;
        try {
            table = this.catalog.require(request.table());
        }
        catch (TableNotFoundException ex) {
            if (request.creation() == null) {
                throw ex;
            }
            // create=true: a table that does not exist is made from the payload, if it may be
            creating = this.tables.creatable(request.table());
        }
        LoadRequest sent = request;
        String tableName;
        List<String> key;
        if (table != null) {
            tableName = table.qualifiedName();
            // after the catalog: a table outside the allow-list stays a 404 whoever asks
            this.grants.requireLoad(table);
            key = (request.mode() == WriteMode.INSERT) ? List.of() : KeyResolver.resolve(table, request.key());
        }
        else {
            tableName = creating.qualifiedName();
            this.grants.requireLoad(creating);
            this.grants.requireCreate(creating);
            // before a slot, a connection or a byte of the body is taken: a type PostgreSQL does not know is a 400
            this.typeNames.check(request.creation().types());
            key = List.of();
        }
        String role;
        try {
            role = this.grants.callerRole();
        }
        catch (RoleClaimException ex) {
            logger.info("Load into {} for {} refused: {}", tableName, this.grants.callerName(), ex.getMessage());
            throw ex;
        }
        if (table != null && role != null && table.rowSecurity() && request.method() == LoadMethod.COPY) {
            // PostgreSQL refuses COPY FROM into a table whose row-level security applies to the role (0A000)
            request = request.withMethod(LoadMethod.BATCH);
        }
        LoadContext context = (table == null) ? null : context(request, table, key, fields(request, table));
        String caller = this.grants.identifiedCaller();
        if (request.parallel() > this.permits.maxLoads()) {
            throw new InvalidLoadRequestException("parallel", "parallel=" + request.parallel() + " needs as many load "
                    + "slots, and the service has " + this.permits.maxLoads());
        }
        if (caller != null && request.parallel() > this.properties.maxLoadsPerCaller()) {
            throw new InvalidLoadRequestException("parallel", "parallel=" + request.parallel() + " needs as many load "
                    + "slots, and one caller may hold " + this.properties.maxLoadsPerCaller()
                    + " (bulkload.load.max-loads-per-caller)");
        }
        this.permits.acquire(caller);
        int extraSlots = request.parallel() - 1;
        try {
            this.permits.acquireExtra(caller, extraSlots);
        }
        catch (RuntimeException ex) {
            this.permits.release(caller);
            throw ex;
        }
        RegisteredLoad entry = this.registry.start(start(request, tableName, caller));
        entry.sourceName(sourceName);
        LoadRequest asked = request;
        LoadableTable known = table;
        ParallelSessions writers = () -> writerSession(entry, asked, role, known, tableName);
        observer.registered(entry.id());
        try (LoadSession session = open(entry, request, tableName)) {
            observer.cancellable(session::cancelStatement);
            // before the Idempotency-Key is claimed, whose running row only a load that goes on should write: a
            // refused retry leaves the load it would resume as it was
            if (role != null) {
                assumeRole(session, role, table, tableName, request);
            }
            // before the load's tag is set: a retry takes over the id of the attempt it resumes
            IdempotentLoad keyed = this.idempotency.claim(session, entry, sent, tableName, caller, body);
            try {
                session.limitWaits(this.properties.lockTimeout(), this.properties.statementTimeout());
                session.tag(entry.backendTag());
                if (request.dateStyle() != null) {
                    session.readDates(request.dateStyle());
                }
                // a retry that resumes an earlier attempt goes on under that attempt's id
                observer.registered(entry.id());
                return run(request, tableName, context, creating, session, entry, keyed.body(body), observer, keyed,
                        writers);
            }
            catch (LoadFailedException ex) {
                keyed.failed(ex.loadId(), ex.problem(), ex.isFinal());
                throw ex;
            }
        }
        finally {
            entry.close();
            this.permits.release(caller);
            this.permits.releaseExtra(caller, extraSlots);
        }
    }

    /** Opens the further connections of a parallel load's writers. */
    interface ParallelSessions {

        LoadSession open();
    }

    /**
     * One more connection for a parallel load's writers, set up as the load's own: the caller's role (checked
     * again), the wait limits, the load's tag (a cancel finds every writer by it) and its date style.
     */
    private LoadSession writerSession(RegisteredLoad entry, LoadRequest request, String role, LoadableTable table,
            String tableName) {
        LoadSession session = this.sessions.open();
        try {
            if (role != null) {
                assumeRole(session, role, table, tableName, request);
            }
            session.limitWaits(this.properties.lockTimeout(), this.properties.statementTimeout());
            session.tag(entry.backendTag());
            if (request.dateStyle() != null) {
                session.readDates(request.dateStyle());
            }
            return session;
        }
        catch (RuntimeException ex) {
            session.close();
            throw ex;
        }
    }

    private LoadContext context(LoadRequest request, LoadableTable table, List<String> key, FieldColumns fields) {
        return new LoadContext(request, table, key, key.stream().mapToInt(table::indexOf).toArray(),
                this.properties.batchBytes().toBytes(), request.skipBadRows() ? this.properties.rejectRawBytes() : 0,
                this.properties.conflictAttempts(), fields);
    }

    /** The request's field mapping checked against the table: a column it cannot load into is a 400 naming map. */
    private FieldColumns fields(LoadRequest request, LoadableTable table) {
        return fields(request.mapping(), table);
    }

    private FieldColumns fields(FieldMapping mapping, LoadableTable table) {
        try {
            return mapping.bind(table, 4 * this.limits.readLimits().maxColumns());
        }
        catch (InvalidMappingException ex) {
            throw new InvalidLoadRequestException(ex.parameter(), ex.getMessage());
        }
    }

    /** The load's connection; a load that cannot get one failed, and its registry row says so. */
    private LoadSession open(RegisteredLoad entry, LoadRequest request, String table) {
        try {
            return this.sessions.open();
        }
        catch (RuntimeException ex) {
            LoadFailedException failure = failed(request, table, ex, entry, 0, null, System.nanoTime(), 0);
            end(entry, LoadStatus.FAILED, failure, 0);
            throw failure;
        }
    }

    /** What the registry records about the load when it starts: the request's options as given. */
    private LoadStart start(LoadRequest request, String table, String caller) {
        Map<String, Object> options = new LinkedHashMap<>();
        if (!request.key().isEmpty()) {
            options.put("key", String.join(",", request.key()));
        }
        options.put("onError", request.skipBadRows() ? "skip" : "abort");
        if (request.maxErrors() != null) {
            options.put("maxErrors", request.maxErrors());
        }
        options.put("batchSize", request.batchSize());
        if (request.gzip()) {
            options.put("gzip", true);
        }
        request.usedOptions(this.properties.batchSize()).forEach(options::putIfAbsent);
        return new LoadStart(table, caller, request.format().label(), request.mode().label(),
                request.method().label(), request.atomic(), request.dryRun(), options,
                this.properties.maxRejectsStored());
    }

    /** Every transaction of the load runs as the caller's database role, or the load is refused with 403. */
    private void assumeRole(LoadSession session, String role, LoadableTable table, String tableName,
            LoadRequest request) {
        // a table the load creates is the role's own: only the role itself is checked here, CREATE by the database
        RoleCheck check = (table != null) ? session.assumeRole(role, table.sqlName(), neededPrivileges(request))
                : session.assumeRole(role, null, EnumSet.noneOf(TablePrivilege.class));
        List<String> missing = check.missing().stream().map(Enum::name).toList();
        String problem = switch (check.outcome()) {
            case ASSUMED -> null;
            case UNKNOWN -> "The database role " + role + " configured for you does not exist";
            case NOT_MEMBER -> "The service's database user may not act as the role " + role
                    + " configured for you (GRANT it to the service's user)";
            case MISSING_PRIVILEGE -> "The database role " + role + " configured for you lacks "
                    + String.join(" and ", missing) + " on " + tableName + ", which a load with mode="
                    + request.mode().label() + (request.skipBadRows() ? " and onError=skip" : "") + " needs";
        };
        if (problem != null) {
            logger.info("Load into {} for {} refused: {}", tableName, this.grants.callerName(), problem);
            throw new ForbiddenRoleException(tableName, role, problem, missing);
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

    /**
     * Runs the load.
     * @param context the load's context, when its table exists; null when it is created ({@code creating})
     * @param creating the table the load creates from its payload, or null
     * @param writers opens the further connections of a parallel load
     */
    private LoadReport run(LoadRequest request, String tableName, LoadContext context, TableName creating,
            LoadSession session, RegisteredLoad entry, InputStream body, LoadObserver observer, IdempotentLoad keyed,
            ParallelSessions writers) {
        long started = System.nanoTime();
        CountingInputStream counted = new CountingInputStream(body, this.limits.maxBodySize().toBytes(),
                "The request body");
        RejectCollector rejects = request.skipBadRows() ? new RejectCollector(this.properties.maxRejectsReported(),
                request.maxErrors(), this.properties.maxRejectsStored()) : null;
        LoadProgress tracking = new LoadProgress(entry, counted, rejects, request.atomic() || request.dryRun());
        // a load that resumes an earlier attempt has that attempt's committed chunks
        long committed = entry.committedRows();
        Long committedThrough = keyed.committedThroughRecord();
        this.metrics.loadStarted();
        List<LoadSession> extraSessions = new ArrayList<>();
        try (PreparedLoad prepared = prepare(request, context, creating, session, counted, keyed, entry)) {
            LoadContext loading = prepared.context();
            RowReader reader = prepared.reader();
            ColumnSets sets = new ColumnSets();
            if (request.parallel() > 1) {
                ParallelWrite parallel = parallelWrite(loading, reader, session, sets, rejects, tracking, entry, keyed,
                        counted, observer, writers, extraSessions);
                keyed.resume(parallel, rejects);
                try {
                    parallel.run(() -> readToEnd(counted));
                }
                finally {
                    committed = entry.committedRows();
                    committedThrough = (parallel.committedThrough() > 0) ? parallel.committedThrough() : null;
                }
                LoadReport report = report(entry, loading, prepared.table(), parallel.rowsReceived(),
                        parallel.counts(), parallel.batches(), rejects, counted.count(), System.nanoTime() - started,
                        keyed.resumedFromRecord());
                keyed.succeeded(entry, report);
                recordSuccess(request, tableName, report, entry.resumedFrom(), System.nanoTime() - started);
                this.metrics.loadFinished(tableName, LoadStatus.SUCCEEDED.label());
                return report;
            }
            ChunkedWrite chunks = new ChunkedWrite(loading, reader, writer(loading, session, sets), sets, session,
                    rejects, this.metrics, tracking, this.tracing);
            keyed.resume(chunks, rejects);
            if (request.atomic() || request.dryRun()) {
                if (!prepared.begun()) {
                    session.begin();
                }
                chunks.writeAll();
                readToEnd(counted);
                LoadCounts counts = tracking.counts(chunks.rowsReceived(), chunks.counts(), chunks.batches());
                if (request.dryRun()) {
                    session.rollback();
                    entry.dryRunSucceeded(counts);
                }
                else {
                    // the final state commits with the data: after a COMMIT whose answer is lost, the row tells
                    entry.writeInTransaction(session, counts, true);
                    keyed.committing(session, entry);
                    commit(session, entry, counts, true, observer, chunks.lastRecordWritten());
                }
            }
            else {
                boolean more = true;
                while (more) {
                    session.begin();
                    more = chunks.writeChunk();
                    if (!more) {
                        readToEnd(counted);
                    }
                    LoadCounts done = tracking.counts(chunks.rowsReceived(), chunks.counts(), chunks.batches());
                    // the committed counts commit with the chunk (the hook for a per-chunk ledger row)
                    entry.writeInTransaction(session, done, !more);
                    keyed.chunkCommitting(session, entry, chunks, counted.count());
                    int before = entry.committedTransactions();
                    try {
                        commit(session, entry, done, !more, observer, chunks.lastRecordWritten());
                    }
                    finally {
                        // a COMMIT whose answer was lost but which did commit counts too
                        if (entry.committedTransactions() != before) {
                            committed = entry.committedRows();
                            committedThrough = (chunks.lastRecordWritten() > 0) ? chunks.lastRecordWritten() : null;
                        }
                    }
                }
            }
            LoadReport report = report(entry, loading, prepared.table(), chunks.rowsReceived(), chunks.counts(),
                    chunks.batches(), rejects, counted.count(), System.nanoTime() - started,
                    keyed.resumedFromRecord());
            keyed.succeeded(entry, report);
            recordSuccess(request, tableName, report, entry.resumedFrom(), System.nanoTime() - started);
            this.metrics.loadFinished(tableName, LoadStatus.SUCCEEDED.label());
            return report;
        }
        catch (IOException ex) {
            session.rollback();
            RuntimeException cause = observer.stopped() ? new LoadStoppedException() : new UncheckedIOException(ex);
            throw fail(entry, request, tableName, cause, committed, committedThrough, started, counted, tracking);
        }
        catch (RuntimeException ex) {
            session.rollback();
            // stopped by a shutdown, whatever the cancel made the statement fail with; else a table changed under a
            // cached definition: read it again for the next load, and say so
            RuntimeException cause = observer.stopped() ? new LoadStoppedException()
                    : (context != null) ? this.catalog.refreshIfChanged(context.table(), ex) : ex;
            throw fail(entry, request, tableName, cause, committed, committedThrough, started, counted, tracking);
        }
        catch (Error ex) {
            // an Error may have struck mid-statement: the connection is not trusted again
            session.markBroken();
            entry.ended(LoadStatus.FAILED, null, counted.count());
            this.metrics.loadFinished(tableName, LoadStatus.FAILED.label());
            throw ex;
        }
        finally {
            this.metrics.loadEnded();
            extraSessions.forEach(LoadSession::close);
        }
    }

    /**
     * A parallel load's writers: the load's own connection and {@code parallel - 1} more, each with a writer of
     * its own; a shutdown's cancel reaches every one of them.
     */
    private ParallelWrite parallelWrite(LoadContext context, RowReader reader, LoadSession session, ColumnSets sets,
            RejectCollector rejects, LoadProgress tracking, RegisteredLoad entry, IdempotentLoad keyed,
            CountingInputStream counted, LoadObserver observer, ParallelSessions writers,
            List<LoadSession> extraSessions) {
        List<ChunkWorker> workers = new ArrayList<>();
        workers.add(new ChunkWorker(session, this.tracing.steps(context, writer(context, session, sets)),
                context.conflictAttempts()));
        for (int i = 1; i < context.request().parallel(); i++) {
            LoadSession more = writers.open();
            extraSessions.add(more);
            workers.add(new ChunkWorker(more, this.tracing.steps(context, writer(context, more, sets)),
                    context.conflictAttempts()));
        }
        ChunkCutter cutter = new ChunkCutter(context, reader, new RowChecks(context, session.serverVersion()), sets,
                tracking, keyed, counted);
        ParallelWrite parallel = new ParallelWrite(context, cutter, workers, rejects, this.metrics, tracking,
                this.tracing, entry, keyed, counted,
                (writer, counts, last, through) -> commit(writer, entry, counts, last, observer, through));
        observer.cancellable(parallel::cancelStatements);
        return parallel;
    }

    /**
     * Commits; when the connection dies during the COMMIT, asks the registry on a fresh connection whether it
     * committed. It did (the row commits with the data): a load's last transaction succeeded as if the answer had
     * come, and a non-atomic load that has more chunks fails there with those rows counted as committed (its
     * connection is gone). It did not: the failure stands. The database stays unreachable: the outcome is unknown.
     * The observer is asked first, so a shutdown that stopped the load keeps it from committing, and told after.
     * @param last whether this is the load's last transaction
     * @param lastRecord the last record this transaction writes, 0 for none
     */
    private void commit(LoadSession session, RegisteredLoad entry, LoadCounts expected, boolean last,
            LoadObserver observer, long lastRecord) {
        observer.committing();
        int before = entry.committedTransactions();
        try {
            session.commit();
            entry.committed(expected);
        }
        catch (DataAccessResourceFailureException ex) {
            CommitOutcome outcome = entry.resolveCommit(expected);
            if (!outcome.known()) {
                throw new OutcomeUnknownException(ex);
            }
            if (!outcome.committed() || !last) {
                throw ex;
            }
            return;
        }
        finally {
            boolean committed = entry.committedTransactions() != before;
            observer.commitEnded(committed, entry.committedRows(), (committed && lastRecord > 0) ? lastRecord : null,
                    last);
        }
    }

    /**
     * Reads what is left of the body once the payload has ended, before the last commit: a reader stops at the end
     * of its payload (gzip at the end of the compressed stream), and what follows it must not go unseen (a form field
     * after the file part of an upload is refused there). Nothing is left in a well-formed body.
     */
    private static void readToEnd(InputStream body) throws IOException {
        byte[] rest = new byte[8192];
        while (body.read(rest) >= 0) {
            // read and dropped: counted against the body's limit like any other byte
        }
    }

    /**
     * The load's context and reader: for a table that exists, as resolved before; for one the load creates, the
     * payload's first records sampled, the table created in the load's transaction (committed first when the load
     * is not atomic), and the reader given the sampled bytes again, then the rest of the payload.
     */
    private PreparedLoad prepare(LoadRequest request, LoadContext context, TableName creating, LoadSession session,
            CountingInputStream counted, IdempotentLoad keyed, RegisteredLoad entry) {
        if (creating == null) {
            RowReader reader = keyed.reader(openReader(request, context.table(), context.fields(), decoded(request,
                    counted), entry));
            return new PreparedLoad(context, reader,
                    (request.creation() != null) ? CreatedTable.existing(context.table().qualifiedName())
                            : context.table().qualifiedName(),
                    false);
        }
        SampleBuffer buffer = new SampleBuffer(decoded(request, counted), this.limits.createSampleSize().toBytes());
        PayloadSample sample = new PayloadSampler(request.format(), request.csv(), request.recordsPath(),
                request.mapping(), this.limits.readLimits(), maxDocument(request))
            .sample(buffer, request.creation().sampleRows());
        TableDesign design = TableDesign.of(creating, sample, request.creation().types(), request.key());
        session.begin();
        session.startNow();
        LoadableTable table = this.creator.create(session, design);
        boolean atomic = request.atomic() || request.dryRun();
        if (!atomic) {
            // atomic=false: the table stands on its own, whatever becomes of the chunks
            session.commit();
        }
        logger.info("Created {} for {} ({} columns from {} sampled records{})", table.qualifiedName(),
                this.grants.callerName(), table.columns().size(), sample.records(),
                atomic ? "; commits with the load" : "");
        List<String> key = (request.mode() == WriteMode.INSERT) ? List.of()
                : KeyResolver.resolve(table, design.primaryKey());
        LoadContext created = context(request, table, key, fields(sample.mapping(), table));
        List<SampledField> columns = design.columns()
            .stream()
            .map((column) -> new SampledField(column.field(), column.column(),
                    table.column(column.column()).type()))
            .toList();
        RowReader reader = keyed.reader(openReader(request, table, created.fields(), buffer.payload(), entry));
        return new PreparedLoad(created, reader,
                new CreatedTable(table.qualifiedName(), true, design.statement(), columns), atomic);
    }

    /**
     * What a load runs with once its table is known.
     * @param context the load's context
     * @param reader the payload's reader
     * @param table the report's {@code table}: its name, or with create=true a {@link CreatedTable}
     * @param begun whether the load's (atomic) transaction is open already, holding the CREATE TABLE
     */
    private record PreparedLoad(LoadContext context, RowReader reader, Object table, boolean begun)
            implements AutoCloseable {

        @Override
        public void close() throws IOException {
            this.reader.close();
        }
    }

    /** The payload as the readers take it: decompressed, and transcoded to UTF-8 from another charset. */
    private InputStream decoded(LoadRequest request, CountingInputStream counted) {
        InputStream sent = request.gzip() ? new GzipPayloadStream(counted,
                this.limits.maxDecompressedSize().toBytes(), this.limits.maxCompressionRatio()) : counted;
        // UTF-8 is read as it is; another charset is transcoded to UTF-8, whose bytes the readers' limits count
        return request.charset().decode(sent);
    }

    private long maxDocument(LoadRequest request) {
        return request.charset().utf8Bound(request.gzip() ? this.limits.maxDecompressedSize().toBytes()
                : this.limits.maxBodySize().toBytes());
    }

    /** The reader for the request's format; a CSV reader tells the registry its header row as received. */
    private RowReader openReader(LoadRequest request, LoadableTable table, FieldColumns fields, InputStream payload,
            RegisteredLoad entry) {
        ReadLimits readLimits = this.limits.readLimits();
        long maxDocument = maxDocument(request);
        return switch (request.format()) {
            case CSV -> {
                CsvRecordReader csv = new CsvRecordReader(payload, request.csv(), table, fields, readLimits);
                entry.sourceHeader(csv::headerLine);
                yield csv;
            }
            case JSON -> new JsonArrayReader(payload, table, fields, readLimits, maxDocument, request.recordsPath());
            case NDJSON -> new NdjsonReader(payload, table, fields, readLimits, maxDocument);
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
                case BATCH -> this.batchWriters.direct(session, context.table(), sets, request.overridingSystemValue());
            };
        }
        return this.stagedWrites.open(session, context.table(), sets, new MergePlan(request.mode(), context.key(),
                request.skipBadRows(), request.method() == LoadMethod.COPY, request.overridingSystemValue()));
    }

    private LoadReport report(RegisteredLoad entry, LoadContext context, Object table, long rowsReceived,
            WriteCounts counts, long batches, RejectCollector rejects, long bytes, long nanos,
            Long resumedFromRecord) {
        LoadRequest request = context.request();
        long durationMs = nanos / 1_000_000;
        long rowsPerSecond = (nanos > 0) ? Math.round(rowsReceived * 1e9 / nanos) : 0;
        return new LoadReport(entry.id(), table, request.format().label(), request.mode().label(), request.method().label(),
                request.atomic(), request.dryRun(), rowsReceived, counts.inserted(), counts.updated(),
                counts.skipped(), (rejects != null) ? rejects.count() : 0,
                (rejects != null) ? rejects.kept() : List.of(), rejects != null && rejects.truncated(),
                batches, bytes, durationMs, rowsPerSecond, resumedFromRecord,
                request.usedOptions(this.properties.batchSize()),
                (request.mapping().unknownFields() == UnknownFields.IGNORE) ? context.fields().ignoredFields() : null);
    }

    /**
     * Counts the load's rows in the metrics: those of this attempt only, since the earlier attempts that a resumed
     * load goes on from counted their committed rows themselves (the report adds them up).
     */
    private void recordSuccess(LoadRequest request, String table, LoadReport report, LoadCounts earlier, long nanos) {
        if (!request.dryRun()) {
            String mode = request.mode().label();
            this.metrics.rows(table, mode, "inserted", report.rowsInserted() - earlier.rowsInserted());
            this.metrics.rows(table, mode, "updated", report.rowsUpdated() - earlier.rowsUpdated());
            this.metrics.rows(table, mode, "skipped", report.rowsSkipped() - earlier.rowsSkipped());
            this.metrics.rows(table, mode, "rejected", report.rowsRejected() - earlier.rowsRejected());
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

    /**
     * The load failed: its cause as the client sees it (a cancel, not the statement timeout it looks like), its
     * registry row ended with the problem the client gets, its rejects stored.
     */
    private LoadFailedException fail(RegisteredLoad entry, LoadRequest request, String table, RuntimeException cause,
            long committed, Long committedThrough, long started, CountingInputStream counted, LoadProgress tracking) {
        RuntimeException reason = cause;
        if (cause instanceof DatabaseTimeLimitException limit && "57014".equals(limit.sqlState())
                && entry.cancelRequestedInDatabase()) {
            // pg_cancel_backend from DELETE /api/v1/loads/{id}, not statement_timeout: the SQLSTATE is the same
            reason = new LoadCancelledException();
        }
        LoadFailedException failure = failed(request, table, reason, entry, committed, committedThrough, started,
                counted.count());
        tracking.storeRejects();
        failure.problem(this.problems.problem(failure));
        if (reason instanceof OutcomeUnknownException) {
            entry.outcomeUnknown(failure.problem());
            this.metrics.loadFinished(table, LoadStatus.FAILED.label());
        }
        else {
            end(entry, (reason instanceof LoadCancelledException) ? LoadStatus.CANCELLED : LoadStatus.FAILED, failure,
                    counted.count());
        }
        return failure;
    }

    private void end(RegisteredLoad entry, LoadStatus status, LoadFailedException failure, long bytesRead) {
        if (failure.problem() == null) {
            failure.problem(this.problems.problem(failure));
        }
        entry.ended(status, failure.problem(), bytesRead);
        this.metrics.loadFinished(failure.table(), status.label());
    }

    private LoadFailedException failed(LoadRequest request, String table, RuntimeException cause,
            RegisteredLoad entry, long committed, Long committedThrough, long started, long bytes) {
        long nanos = System.nanoTime() - started;
        // rows this attempt committed: an earlier attempt it resumed counted its own
        long committedHere = committed - entry.resumedFrom().rowsCommitted();
        if (committedHere > 0) {
            this.metrics.rows(table, request.mode().label(), "inserted", committedHere);
        }
        if (cause instanceof RowRejectedException || cause instanceof TooManyRejectsException) {
            this.metrics.rows(table, request.mode().label(), "rejected", 1);
        }
        this.metrics.bytes(table, request.format().label(), bytes);
        this.metrics.load(table, request.format().label(), request.method().label(), false, nanos, 0);
        logger.info("Load {} into {} for {} failed after {} ms ({} rows committed): {}", entry.id(), table,
                this.grants.callerName(), nanos / 1_000_000, committed, cause.getMessage());
        return new LoadFailedException(cause, entry.id(), table, committed, committedThrough);
    }
}
