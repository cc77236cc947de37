package dev.bulkload.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
 * The NDJSON reader under Jazzer: any bytes in any charset, with any field mapping, end in rows or a payload problem, and rows written as
 * NDJSON read back as they were. {@code ./mvnw test} replays the committed inputs in
 * {@code NdjsonReaderFuzzTestsInputs}; {@code JAZZER_FUZZ=1} fuzzes (README, Tests).
 */
class NdjsonReaderFuzzTests {

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
        FieldColumns fields = FuzzedPayloads.fields(data, true);
        byte[] payload = data.consumeRemainingAsBytes();
        Row row = new Row(FuzzedPayloads.TABLE.columns().size(), 64);
        FuzzedPayloads.readAll(reader(charset, payload, fields), row, payload.length);
    }

    private static void roundTrip(FuzzedDataProvider data) {
        PayloadCharset charset = FuzzedPayloads.charset(data);
        String newline = data.consumeBoolean() ? "\r\n" : "\n";
        boolean escapeAll = data.consumeBoolean();
        List<List<String>> rows = FuzzedPayloads.rows(data, charset);
        StringBuilder ndjson = new StringBuilder();
        for (List<String> values : rows) {
            ndjson.append(FuzzedPayloads.jsonObject(values, escapeAll)).append(newline);
        }
        byte[] payload = ndjson.toString().getBytes(Charset.forName(charset.label()));
        Row row = new Row(FuzzedPayloads.TABLE.columns().size());
        List<List<String>> read = new ArrayList<>();
        try (NdjsonReader reader = reader(charset, payload, FieldMapping.NONE.bind(FuzzedPayloads.TABLE, 32))) {
            while (reader.next(row)) {
                FuzzedPayloads.checkValues(row);
                read.add(FuzzedPayloads.values(row));
            }
        }
        catch (dev.bulkload.row.MalformedPayloadException empty) {
            // no rows is an empty body, which the reader refuses
            assertThat(rows).isEmpty();
        }
        catch (IOException ex) {
            throw new AssertionError(ex);
        }
        assertThat(read).as("%s in %s", ndjson, charset).isEqualTo(rows);
    }

    private static NdjsonReader reader(PayloadCharset charset, byte[] payload, FieldColumns fields) {
        return new NdjsonReader(FuzzedPayloads.decoded(charset, payload), FuzzedPayloads.TABLE, fields,
                FuzzedPayloads.LIMITS, charset.utf8Bound(payload.length));
    }
}
