package dev.bulkload.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.bulkload.catalog.LoadableColumn;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.mapping.FieldColumns;
import dev.bulkload.mapping.FieldMapping;
import dev.bulkload.row.MalformedPayloadException;
import dev.bulkload.row.MalformedRecordException;
import dev.bulkload.row.PayloadTooLargeException;
import dev.bulkload.row.ReadLimits;
import dev.bulkload.row.Row;

/** The CSV scanner on its own: quoting, line numbers, options and limits. */
class CsvRecordReaderTests {

    private static final LoadableTable TABLE = new LoadableTable("public", "t",
            List.of(column("id"), column("name"), column("note")), List.of(), List.of());

    private static final ReadLimits LIMITS = new ReadLimits(64, 10, 1024, 8, 100);

    @Test
    void crlfBomAndBlankLines() {
        List<String> rows = read("\uFEFFid,name\r\n1,a\r\n\r\n2,b", CsvFormat.DEFAULT);
        assertThat(rows).containsExactly("1@2|1|a|-", "2@4|2|b|-");
    }

    @Test
    void quotedNewlinesAdvanceTheLineOfTheNextRecord() {
        List<String> rows = read("id,name\n1,\"a\nb\nc\"\n2,d\n", CsvFormat.DEFAULT);
        assertThat(rows).containsExactly("1@2|1|a\nb\nc|-", "2@5|2|d|-");
    }

    @Test
    void emptyUnquotedIsNullAndQuotedEmptyIsEmpty() {
        assertThat(read("id,name,note\n1,,\"\"\n", CsvFormat.DEFAULT)).containsExactly("1@2|1|<null>|");
    }

    @Test
    void delimiterQuoteAndNullOptions() {
        CsvFormat format = new CsvFormat(true, ';', '\'', "NULL", List.of());
        assertThat(read("id;name;note\n1;'a;b';NULL\n2;'NULL';\n", format))
            .containsExactly("1@2|1|a;b|<null>", "2@3|2|NULL|");
    }

    @Test
    void noHeaderWithNamedColumns() {
        CsvFormat format = new CsvFormat(false, ',', '"', "", List.of("note", "id"));
        assertThat(read("x,1\ny,2\n", format)).containsExactly("1@1|1|-|x", "2@2|2|-|y");
    }

    @Test
    void noHeaderWithoutColumnsMeansEveryColumn() {
        CsvFormat format = new CsvFormat(false, ',', '"', "", List.of());
        assertThat(read("1,a,b\n", format)).containsExactly("1@1|1|a|b");
    }

    @Test
    void headerNamesMatchCaseInsensitively() {
        assertThat(read("ID,Name\n1,a\n", CsvFormat.DEFAULT)).containsExactly("1@2|1|a|-");
    }

    @Test
    void characterAfterClosingQuoteIsMalformed() {
        assertThatExceptionOfType(MalformedPayloadException.class)
            .isThrownBy(() -> read("id,name\n1,\"a\"b\n", CsvFormat.DEFAULT))
            .satisfies((ex) -> {
                assertThat(ex.record()).isEqualTo(1);
                assertThat(ex.line()).isEqualTo(2);
                assertThat(ex.column()).isEqualTo("name");
            });
    }

    @Test
    void characterAfterClosingQuoteRefusesTheRecordAndReadingGoesOnAtTheNextLine() {
        CsvRecordReader reader = new CsvRecordReader(
                new ByteArrayInputStream("id,name\n1,\"a\"b,\"x\"\n2,c\n3,\"d\"\"e\"\n".getBytes(StandardCharsets.UTF_8)),
                CsvFormat.DEFAULT, TABLE, LIMITS);
        Row row = new Row(3);
        assertThatExceptionOfType(MalformedRecordException.class).isThrownBy(() -> reader.next(row))
            .satisfies((ex) -> {
                assertThat(ex.record()).isEqualTo(1);
                assertThat(ex.line()).isEqualTo(2);
                assertThat(ex.column()).isEqualTo("name");
            });
        assertThat(reader.next(row)).isTrue();
        assertThat(row.record() + "@" + row.line() + "|" + row.text(0) + "|" + row.text(1)).isEqualTo("2@3|2|c");
        assertThat(reader.next(row)).isTrue();
        assertThat(row.record() + "@" + row.line() + "|" + row.text(1)).isEqualTo("3@4|d\"e");
        assertThat(reader.next(row)).isFalse();
    }

    @Test
    void characterAfterAClosingQuoteInTheHeaderRefusesThePayload() {
        assertThatExceptionOfType(MalformedPayloadException.class)
            .isThrownBy(() -> read("id,\"name\"x\n1,a\n", CsvFormat.DEFAULT))
            .satisfies((ex) -> assertThat(ex).isNotInstanceOf(MalformedRecordException.class));
    }

    @Test
    void fieldAndColumnLimits() {
        assertThatExceptionOfType(PayloadTooLargeException.class)
            .isThrownBy(() -> read("id,name\n1," + "x".repeat(65) + "\n", CsvFormat.DEFAULT))
            .satisfies((ex) -> assertThat(ex.column()).isEqualTo("name"));
        assertThatExceptionOfType(PayloadTooLargeException.class)
            .isThrownBy(() -> read("a,b,c,d,e,f,g,h,i,j,k\n", CsvFormat.DEFAULT));
    }

    @Test
    void invalidUtf8NamesTheColumn() {
        byte[] bytes = "id,name\n1,ok\n2,\u00ff\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatExceptionOfType(MalformedPayloadException.class)
            .isThrownBy(() -> read(new ByteArrayInputStream(bytes), CsvFormat.DEFAULT))
            .satisfies((ex) -> {
                assertThat(ex.record()).isEqualTo(2);
                assertThat(ex.column()).isEqualTo("name");
            });
    }

    @Test
    void aUtf8SequenceCutAtADelimiterIsInvalidThoughTheNextValueWouldCompleteIt() {
        // found by CsvRecordReaderFuzzTests: "1\xC3" and "\xA9" side by side in the row's buffer read as "1é"
        byte[] bytes = { 'i', 'd', ',', 'n', 'a', 'm', 'e', '\n', '1', (byte) 0xC3, ',', (byte) 0xA9, '\n' };
        assertThatExceptionOfType(MalformedPayloadException.class)
            .isThrownBy(() -> read(new ByteArrayInputStream(bytes), CsvFormat.DEFAULT))
            .satisfies((ex) -> {
                assertThat(ex.record()).isEqualTo(1);
                assertThat(ex.column()).isEqualTo("id");
            });
    }

    @Test
    void recordsLongerThanTheReadBufferAreWhole() {
        String big = "y".repeat(60);
        StringBuilder csv = new StringBuilder("id,name\n");
        for (int i = 0; i < 5000; i++) {
            csv.append(i).append(",\"").append(big).append("\"\n");
        }
        List<String> rows = read(csv.toString(), CsvFormat.DEFAULT);
        assertThat(rows).hasSize(5000);
        assertThat(rows.get(4999)).isEqualTo("5000@5001|4999|" + big + "|-");
    }

    @Test
    void skippedFieldsAreReadPastQuotedLineBreaksAndAllAndLinesStayRight() {
        String csv = "Full Name,trace,id\n"
                + "Ann,\"multi\nline \"\"quoted\"\", and long\",1\n"
                + "Bob,plain,2\n"
                + "Cy,\"" + "z".repeat(5000) + "\",3\n";
        FieldColumns fields = FieldMapping.parse(List.of("Full Name:name"), null, "ignore").bind(TABLE, 10);
        List<String> rows = read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), CsvFormat.DEFAULT,
                fields);
        assertThat(rows).containsExactly("1@2|1|Ann|-", "2@4|2|Bob|-", "3@5|3|Cy|-");
        assertThat(fields.ignoredFields()).containsExactly("trace");
    }

    @Test
    void aStrayQuoteInASkippedFieldRefusesTheRecordAndTheReaderGoesOn() {
        String csv = "name,trace,id\nAnn,\"t\"x,1\nBob,t,2\n";
        FieldColumns fields = FieldMapping.parse(null, null, "ignore").bind(TABLE, 10);
        CsvRecordReader reader = new CsvRecordReader(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                CsvFormat.DEFAULT, TABLE, fields, LIMITS);
        Row row = new Row(3);
        assertThatExceptionOfType(MalformedPayloadException.class).isThrownBy(() -> reader.next(row))
            .withMessageContaining("in a field")
            .satisfies((ex) -> assertThat(ex.record()).isEqualTo(1));
        assertThat(reader.next(row)).isTrue();
        assertThat(row.text(1)).isEqualTo("Bob");
    }

    private static List<String> read(String csv, CsvFormat format) {
        return read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), format);
    }

    /** Each record as {@code record@line|id|name|note}, {@code -} for absent and {@code <null>} for NULL. */
    private static List<String> read(InputStream in, CsvFormat format) {
        return read(in, format, FieldMapping.NONE.bind(TABLE, 10));
    }

    private static List<String> read(InputStream in, CsvFormat format, FieldColumns fields) {
        CsvRecordReader reader = new CsvRecordReader(in, format, TABLE, fields, LIMITS);
        Row row = new Row(3);
        List<String> rows = new ArrayList<>();
        while (reader.next(row)) {
            StringBuilder text = new StringBuilder().append(row.record()).append('@').append(row.line());
            for (int c = 0; c < 3; c++) {
                text.append('|').append(!row.isPresent(c) ? "-" : row.isNull(c) ? "<null>" : row.text(c));
            }
            rows.add(text.toString());
        }
        return rows;
    }

    private static LoadableColumn column(String name) {
        return new LoadableColumn(name, "text", true, false, false);
    }
}
