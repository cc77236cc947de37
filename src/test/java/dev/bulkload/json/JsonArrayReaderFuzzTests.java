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
 * The JSON array reader under Jazzer: any bytes in any charset, at the top or under a recordsPath, with any field mapping, end in rows or
 * a payload problem, and rows written as a JSON array read back as they were. {@code ./mvnw test} replays the
 * committed inputs in {@code JsonArrayReaderFuzzTestsInputs}; {@code JAZZER_FUZZ=1} fuzzes (README, Tests).
 */
class JsonArrayReaderFuzzTests {

    private static final String[] PATHS = { "", "/data", "/a/0", "/~1x" };

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
        String path = data.pickValue(PATHS);
        FieldColumns fields = FuzzedPayloads.fields(data, true);
        byte[] payload = data.consumeRemainingAsBytes();
        Row row = new Row(FuzzedPayloads.TABLE.columns().size(), 64);
        FuzzedPayloads.readAll(reader(charset, payload, path, fields), row, payload.length);
    }

    private static void roundTrip(FuzzedDataProvider data) {
        PayloadCharset charset = FuzzedPayloads.charset(data);
        boolean wrapped = data.consumeBoolean();
        boolean escapeAll = data.consumeBoolean();
        List<List<String>> rows = FuzzedPayloads.rows(data, charset);
        List<String> objects = rows.stream().map((values) -> FuzzedPayloads.jsonObject(values, escapeAll)).toList();
        String array = "[" + String.join(",\n", objects) + "]";
        String json = wrapped ? "{\"meta\":{\"n\":[1,{}]},\"data\":" + array + "}" : array;
        byte[] payload = json.getBytes(Charset.forName(charset.label()));
        Row row = new Row(FuzzedPayloads.TABLE.columns().size());
        List<List<String>> read = new ArrayList<>();
        try (JsonArrayReader reader = reader(charset, payload, wrapped ? "/data" : "",
                FieldMapping.NONE.bind(FuzzedPayloads.TABLE, 32))) {
            while (reader.next(row)) {
                FuzzedPayloads.checkValues(row);
                read.add(FuzzedPayloads.values(row));
            }
        }
        catch (IOException ex) {
            throw new AssertionError(ex);
        }
        assertThat(read).as("%s in %s", json, charset).isEqualTo(rows);
    }

    private static JsonArrayReader reader(PayloadCharset charset, byte[] payload, String path, FieldColumns fields) {
        return new JsonArrayReader(FuzzedPayloads.decoded(charset, payload), FuzzedPayloads.TABLE, fields,
                FuzzedPayloads.LIMITS, charset.utf8Bound(payload.length), path.isEmpty() ? null : RecordsPath.parse(path));
    }
}
