package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.options.LoadMethod;
import dev.bulkload.options.LoadRequest;
import dev.bulkload.BulkLoaderTest;
import dev.bulkload.TestTables;
import dev.bulkload.body.CountingInputStream;
import dev.bulkload.body.LoadFormat;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.catalog.TableCatalog;
import dev.bulkload.copy.CopyWriters;
import dev.bulkload.csv.CsvFormat;
import dev.bulkload.csv.CsvRecordReader;
import dev.bulkload.metrics.LoadMetrics;
import dev.bulkload.registry.LoadRegistry;
import dev.bulkload.registry.LoadStart;
import dev.bulkload.row.AccountingException;
import dev.bulkload.row.ChunkLedger;
import dev.bulkload.row.ChunkResult;
import dev.bulkload.row.ChunkWriter;
import dev.bulkload.row.ColumnSets;
import dev.bulkload.row.RowReader;
import dev.bulkload.row.WriteCounts;
import dev.bulkload.row.WriteMode;
import dev.bulkload.session.LoadSession;
import dev.bulkload.session.LoadSessions;

/**
 * A chunk whose writer accounts for more rows than the chunk received fails the load with an
 * {@link AccountingException}, and the chunk's rows are undone by {@link ChunkedWrite} itself (back
 * to the chunk's boundary), before anyone rolls the transaction back. The writer is a real direct
 * COPY writer that reports one row more than it wrote.
 */
@BulkLoaderTest
class ChunkAccountingTests {

    private static final String CSV = "id,name\n1,a\n2,b\n3,c\n4,d\n5,e\n";

    @Autowired
    private LoadRegistry registry;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TableCatalog catalog;

    @Autowired
    LoadSessions sessions;

    @Autowired
    CopyWriters copyWriters;

    @Autowired
    LoadMetrics metrics;

    @Autowired
    LimitsProperties limits;

    TestTables tables;

    String items;

    @BeforeEach
    void setUp() {
        this.tables = new TestTables(this.jdbc);
        this.items = this.tables.create("accounted", "id int primary key, name text");
    }

    // Two chunks (3 + 2 rows): a load that is one chunk is written by one COPY that commits on its own, whose
    // counts are the server's (DirectChunkWriter#written), so only a chunk inside a transaction can be undone
    @Test
    void aFirstChunkReportingOneRowMoreThanItWroteFailsAndLeavesNoneOfItsRows() throws Exception {
        try (LoadSession session = this.sessions.open()) {
            AccountingException failure = writeAll(session, 3, 1);
            assertThat(failure.firstRecord()).isEqualTo(1);
            assertThat(failure.received()).isEqualTo(3);
            assertThat(failure.accounted()).isEqualTo(4);
            // committing what the transaction holds now shows the chunk was already undone
            session.commit();
            assertThat(this.tables.count(this.items)).isZero();
        }
        assertThat(this.tables.count(this.items)).isZero();
    }

    @Test
    void aLaterChunkReportingOneRowMoreIsRolledBackToItsBoundaryAndEarlierChunksStay() throws Exception {
        try (LoadSession session = this.sessions.open()) {
            AccountingException failure = writeAll(session, 2, 2);
            assertThat(failure.firstRecord()).isEqualTo(3);
            assertThat(failure.received()).isEqualTo(2);
            assertThat(failure.accounted()).isEqualTo(3);
            session.commit();
        }
        assertThat(this.jdbc.sql("select id from " + this.items + " order by id").query(Integer.class).list())
            .containsExactly(1, 2);
    }

    @Test
    void aLyingChunkLeavesNothingOnceTheSessionIsRolledBackAndClosed() throws Exception {
        try (LoadSession session = this.sessions.open()) {
            assertThat(writeAll(session, 2, 3).firstRecord()).isEqualTo(5);
            session.rollback();
        }
        assertThat(this.tables.count(this.items)).isZero();
    }

    /** Writes the CSV in chunks of {@code batchSize} rows, the writer lying about chunk {@code lyingChunk}. */
    private AccountingException writeAll(LoadSession session, int batchSize, int lyingChunk) throws Exception {
        LoadableTable table = this.catalog.require(this.items);
        LoadRequest request = new LoadRequest(this.items, LoadFormat.CSV, false, WriteMode.INSERT, List.of(),
                LoadMethod.COPY, true, false, null, batchSize, false, CsvFormat.DEFAULT);
        LoadContext context = new LoadContext(request, table, List.of(), new int[0], 16L * 1024 * 1024, 0, 5,
                request.mapping().bind(table, 1600));
        ColumnSets sets = new ColumnSets();
        ChunkWriter writer = new OverCountingWriter(this.copyWriters.direct(session, table, sets), lyingChunk);
        try (RowReader reader = new CsvRecordReader(new ByteArrayInputStream(CSV.getBytes(StandardCharsets.UTF_8)),
                CsvFormat.DEFAULT, table, this.limits.readLimits())) {
            LoadProgress progress = new LoadProgress(
                    this.registry.start(new LoadStart(table.qualifiedName(), null, "csv", "insert", "copy", true, false,
                            java.util.Map.of(), 0)),
                    new CountingInputStream(InputStream.nullInputStream(), Long.MAX_VALUE, "body"), null, true);
            ChunkedWrite chunks = new ChunkedWrite(context, reader, writer, sets, session, null, this.metrics,
                    progress, new LoadTracing(Tracer.NOOP));
            session.begin();
            AccountingException failure = catchThrowableOfType(AccountingException.class, chunks::writeAll);
            assertThat(failure).as("the accounting failure").isNotNull();
            return failure;
        }
    }

    /** A real writer that, for one chunk, says it inserted one row more than it did. */
    private static final class OverCountingWriter implements ChunkWriter {

        private final ChunkWriter delegate;

        private final int lyingChunk;

        private int chunk;

        OverCountingWriter(ChunkWriter delegate, int lyingChunk) {
            this.delegate = delegate;
            this.lyingChunk = lyingChunk;
        }

        @Override
        public void begin(ChunkLedger ledger) {
            this.delegate.begin(ledger);
        }

        @Override
        public boolean rowAdded(ChunkLedger ledger) {
            return this.delegate.rowAdded(ledger);
        }

        @Override
        public ChunkResult finish(ChunkLedger ledger, Runnable rollback) {
            ChunkResult result = this.delegate.finish(ledger, rollback);
            if (++this.chunk != this.lyingChunk) {
                return result;
            }
            WriteCounts counts = result.counts();
            return new ChunkResult(new WriteCounts(counts.inserted() + 1, counts.updated(), counts.skipped()),
                    result.rejects());
        }

        @Override
        public void abort() {
            this.delegate.abort();
        }

        @Override
        public void rolledBack() {
            this.delegate.rolledBack();
        }
    }
}
