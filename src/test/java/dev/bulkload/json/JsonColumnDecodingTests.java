package dev.bulkload.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.bulkload.catalog.LoadableColumn;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.catalog.TypeShape;
import dev.bulkload.row.ReadLimits;
import dev.bulkload.row.Row;
import dev.bulkload.row.RowReader;

/** What the JSON readers put in a row for json, jsonb and text columns, without a database. */
class JsonColumnDecodingTests {

    private static final LoadableTable TABLE = new LoadableTable("public", "t",
            List.of(column("doc", "jsonb"), column("raw", "json"), column("note", "text"),
                    column("docs", "jsonb[]"), column("n", "numeric")),
            List.of(), List.of());

    private static final ReadLimits LIMITS = new ReadLimits(1 << 20, 100, 4 << 20, 16, 1000);

    @Test
    void stringsIntoJsonColumnsKeepTheirQuotesAndEscapes() {
        String value = "\"a\\\"b\\\\c\\n\\t\\u0001\\u00e9\\ud83d\\ude00/\"";
        List<String[]> rows = ndjson("{\"doc\": " + value + ", \"raw\": " + value + ", \"note\": " + value
                + ", \"docs\": " + value + "}");
        assertThat(rows.get(0)).containsExactly("\"a\\\"b\\\\c\\n\\t\\u0001\u00e9\ud83d\ude00/\"",
                "\"a\\\"b\\\\c\\n\\t\\u0001\u00e9\ud83d\ude00/\"", "a\"b\\c\n\t\u0001\u00e9\ud83d\ude00/",
                "a\"b\\c\n\t\u0001\u00e9\ud83d\ude00/", null);
    }

    @Test
    void numbersKeepTheTextTheyWereWrittenWithEverywhere() {
        List<String[]> rows = ndjson("{\"doc\": 1.50, \"raw\": 1e3, \"note\": 123456789012345678901234567890, "
                + "\"n\": -0.10}",
                "{\"doc\": {\"a\": 1.50, \"b\": [1e3, 1E+3, 0.1000000000000000055511151231257827]}, "
                        + "\"raw\": [1.50], \"note\": {\"x\": 2.50}}");
        assertThat(rows.get(0)).containsExactly("1.50", "1e3", "123456789012345678901234567890", null, "-0.10");
        assertThat(rows.get(1)).containsExactly(
                "{\"a\":1.50,\"b\":[1e3,1E+3,0.1000000000000000055511151231257827]}", "[1.50]", "{\"x\":2.50}",
                null, null);
    }

    @Test
    void booleansObjectsArraysAndNullIntoJsonColumns() {
        List<String[]> rows = jsonArray("[{\"doc\": true, \"raw\": false, \"note\": true},"
                + " {\"doc\": {\"k\": \"v\\\"\", \"e\": {}}, \"raw\": [1, \"two\", null, [] ], \"note\": null},"
                + " {\"doc\": null, \"raw\": null}]");
        assertThat(rows.get(0)).containsExactly("true", "false", "true", null, null);
        assertThat(rows.get(1)).containsExactly("{\"k\":\"v\\\"\",\"e\":{}}", "[1,\"two\",null,[]]", null, null,
                null);
        assertThat(rows.get(2)).containsExactly(null, null, null, null, null);
    }

    @Test
    void emptyStringIntoJsonIsAnEmptyJsonString() {
        assertThat(ndjson("{\"doc\": \"\", \"note\": \"\"}").get(0)).containsExactly("\"\"", null, "", null, null);
    }

    @Test
    void onlyJsonAndJsonbColumnsTakeJsonValues() {
        assertThat(TypeShape.of("json").kind()).isEqualTo(TypeShape.Kind.JSON);
        assertThat(TypeShape.of("jsonb").kind()).isEqualTo(TypeShape.Kind.JSON);
        assertThat(TypeShape.of("jsonb[]").kind()).isEqualTo(TypeShape.Kind.ARRAY);
        assertThat(TypeShape.of("jsonb[]").element()).isEqualTo(TypeShape.JSON);
        assertThat(TypeShape.of("json[]").kind()).isEqualTo(TypeShape.Kind.ARRAY);
        assertThat(TypeShape.of("text").kind()).isEqualTo(TypeShape.Kind.SCALAR);
        assertThat(TypeShape.of("jsonpath").kind()).isEqualTo(TypeShape.Kind.SCALAR);
    }

    private static List<String[]> ndjson(String... lines) {
        return read(new NdjsonReader(input(String.join("\n", lines)), TABLE, LIMITS, 1 << 24));
    }

    private static List<String[]> jsonArray(String json) {
        return read(new JsonArrayReader(input(json), TABLE, LIMITS, 1 << 24));
    }

    private static ByteArrayInputStream input(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String[]> read(RowReader reader) {
        List<String[]> rows = new ArrayList<>();
        Row row = new Row(TABLE.columns().size(), 1024);
        while (reader.next(row)) {
            String[] values = new String[row.columnCount()];
            Arrays.setAll(values, row::text);
            rows.add(values);
        }
        return rows;
    }

    private static LoadableColumn column(String name, String type) {
        return new LoadableColumn(name, type, true, false, false);
    }
}
