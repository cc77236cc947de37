package dev.bulkload.ingest;

/** The attribute names of a load's spans, in one place (docs/observability.md, Tracing, lists them). */
final class LoadSpanTags {

    static final String LOAD_ID = "bulkload.load.id";

    static final String TABLE = "bulkload.table";

    static final String FORMAT = "bulkload.format";

    static final String MODE = "bulkload.mode";

    static final String METHOD = "bulkload.method";

    static final String ATOMIC = "bulkload.atomic";

    static final String DRY_RUN = "bulkload.dry_run";

    static final String ON_ERROR = "bulkload.on_error";

    static final String STATUS = "bulkload.status";

    static final String ROWS_RECEIVED = "bulkload.rows.received";

    static final String ROWS_INSERTED = "bulkload.rows.inserted";

    static final String ROWS_UPDATED = "bulkload.rows.updated";

    static final String ROWS_SKIPPED = "bulkload.rows.skipped";

    static final String ROWS_REJECTED = "bulkload.rows.rejected";

    static final String ROWS_COMMITTED = "bulkload.rows.committed";

    static final String BATCHES = "bulkload.batches";

    static final String BYTES = "bulkload.bytes";

    static final String PROBLEM_TYPE = "bulkload.problem.type";

    static final String CHUNK = "bulkload.chunk";

    static final String FIRST_RECORD = "bulkload.record.first";

    static final String LAST_RECORD = "bulkload.record.last";

    static final String ROWS = "bulkload.rows";

    static final String RECORD = "bulkload.record";

    static final String LINE = "bulkload.line";

    static final String COLUMN = "bulkload.column";

    static final String SQL_STATE = "bulkload.sql_state";

    static final String COMMITTED = "bulkload.committed";

    static final String LAST = "bulkload.last";

    private LoadSpanTags() {
    }
}
