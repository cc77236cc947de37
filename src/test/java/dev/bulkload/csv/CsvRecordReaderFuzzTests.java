package dev.bulkload.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.bulkload.body.PayloadCharset;
import dev.bulkload.mapping.FieldColumns;
import dev.bulkload.mapping.FieldMapping;
import dev.bulkload.row.FuzzedPayloads;
import dev.bulkload.row.Row;

/**
 * The CSV reader under Jazzer: any bytes in any charset with any options and field mapping end in rows or a payload problem, and
 * rows written as CSV read back as they were. {@code ./mvnw test} replays the committed inputs in
 * {@code CsvRecordReaderFuzzTestsInputs}; {@code JAZZER_FUZZ=1} fuzzes (README, Tests).
 */
class CsvRecordReaderFuzzTests {

    private static final char[] DELIMITERS = { ',', ';', '\t', '|' };

    private static final char[] QUOTES = { '"', '\'' };

    private static final String[] NULLS = { "", "NULL", "\\N" };

    @FuzzTest(maxDuration = "10m")
    void readsAnyPayload(FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            roundTrip(data);
        }
        else {
            anyBytes(data);
        }
    }

    private static void anyBytes(FuzzedDataProvider data) {
        PayloadCharset charset = FuzzedPayloads.charset(data);
        CsvFormat format = format(data);
        FieldColumns fields = FuzzedPayloads.fields(data, false);
        byte[] payload = data.consumeRemainingAsBytes();
        Row row = new Row(FuzzedPayloads.TABLE.columns().size(), 64);
        FuzzedPayloads.readAll(reader(FuzzedPayloads.decoded(charset, payload), format, fields), row,
                payload.length);
    }

    private static CsvRecordReader reader(java.io.InputStream in, CsvFormat format, FieldColumns fields) {
        return new CsvRecordReader(in, format, FuzzedPayloads.TABLE, fields, FuzzedPayloads.LIMITS);
    }

    private static void roundTrip(FuzzedDataProvider data) {
        PayloadCharset charset = FuzzedPayloads.charset(data);
        CsvFormat format = new CsvFormat(true, data.pickValue(DELIMITERS), data.pickValue(QUOTES),
                data.pickValue(NULLS), List.of());
        String newline = data.consumeBoolean() ? "\r\n" : "\n";
        List<List<String>> rows = FuzzedPayloads.rows(data, charset);
        StringBuilder csv = new StringBuilder(String.join(String.valueOf(format.delimiter()), FuzzedPayloads.COLUMNS));
        for (List<String> values : rows) {
            csv.append(newline);
            for (int i = 0; i < values.size(); i++) {
                csv.append((i > 0) ? String.valueOf(format.delimiter()) : "");
                String value = values.get(i);
                String quote = String.valueOf(format.quote());
                csv.append((value == null) ? format.nullString() : quote + value.replace(quote, quote + quote) + quote);
            }
        }
        byte[] payload = csv.toString().getBytes(Charset.forName(charset.label()));
        Row row = new Row(FuzzedPayloads.TABLE.columns().size());
        List<List<String>> read = new ArrayList<>();
        try (CsvRecordReader reader = reader(FuzzedPayloads.decoded(charset, payload), format,
                FieldMapping.NONE.bind(FuzzedPayloads.TABLE, 32))) {
            while (reader.next(row)) {
                FuzzedPayloads.checkValues(row);
                read.add(FuzzedPayloads.values(row));
            }
        }
        catch (java.io.IOException ex) {
            throw new AssertionError(ex);
        }
        assertThat(read).as("%s in %s", csv, charset).isEqualTo(rows);
    }

    private static CsvFormat format(FuzzedDataProvider data) {
        boolean header = !data.consumeBoolean();
        List<String> columns = (header || data.consumeBoolean()) ? List.of() : List.of("note", "id");
        return new CsvFormat(header, data.pickValue(DELIMITERS), data.pickValue(QUOTES), data.pickValue(NULLS),
                columns);
    }
}
