package dev.bulkload.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.bulkload.catalog.LoadableColumn;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.catalog.TypeShape;
import dev.bulkload.mapping.FieldColumns;
import dev.bulkload.mapping.FieldMapping;
import dev.bulkload.row.MalformedRecordException;
import dev.bulkload.row.ReadLimits;
import dev.bulkload.row.Row;
import dev.bulkload.row.RowReader;
import dev.bulkload.row.RowRejectedException;

/**
 * What the JSON readers put in a row for array and composite columns, without a database: the literals
 * PostgreSQL's input functions read as {@code json_populate_record} would fill the type (the load tests compare
 * with PostgreSQL itself).
 */
class JsonStructuredColumnDecodingTests {

    private static final TypeShape POINT = TypeShape.composite(List.of(new TypeShape.Field("x", TypeShape.SCALAR),
            new TypeShape.Field("label", TypeShape.SCALAR), new TypeShape.Field("tags", TypeShape.of("text[]"))));

    private static final LoadableTable TABLE = new LoadableTable("public", "t",
            List.of(column("ints", "integer[]", null), column("texts", "text[]", null),
                    column("docs", "jsonb[]", null), column("p", "pt", POINT),
                    column("ps", "pt[]", TypeShape.arrayOf(POINT)), column("note", "text", null)),
            List.of(), List.of());

    private static final ReadLimits LIMITS = new ReadLimits(1 << 20, 100, 4 << 20, 16, 1000);

    @Test
    void jsonArraysBecomeArrayLiteralsWithEveryElementQuoted() {
        String[] row = ndjson("{\"ints\": [1, -2, 3.50, null], \"texts\": [\"a,b\", \"q\\\"u\", \"b\\\\s\", "
                + "\"{x}\", \" s \", \"NULL\", null, \"\"]}").get(0);
        assertThat(row[0]).isEqualTo("{\"1\",\"-2\",\"3.50\",NULL}");
        assertThat(row[1]).isEqualTo("{\"a,b\",\"q\\\"u\",\"b\\\\s\",\"{x}\",\" s \",\"NULL\",NULL,\"\"}");
    }

    @Test
    void nestedArraysAreDimensionsAndEmptyArraysAreEmpty() {
        List<String[]> rows = ndjson("{\"ints\": [[1, 2], [3, 4]]}", "{\"ints\": []}", "{\"ints\": [[], []]}",
                "{\"texts\": [\"a\", [\"b\", 1]]}");
        assertThat(rows.get(0)[0]).isEqualTo("{{\"1\",\"2\"},{\"3\",\"4\"}}");
        assertThat(rows.get(1)[0]).isEqualTo("{}");
        assertThat(rows.get(2)[0]).isEqualTo("{}");
        // once the dimensions are known, a deeper array is an element: its JSON text
        assertThat(rows.get(3)[1]).isEqualTo("{\"a\",\"[\\\"b\\\",1]\"}");
    }

    @Test
    void jsonElementsKeepStringQuotesAndObjectText() {
        String[] row = ndjson("{\"docs\": [\"s\", {\"k\": [1, \"v\"]}, 2, null, true]}").get(0);
        assertThat(row[2]).isEqualTo("{\"\\\"s\\\"\",\"{\\\"k\\\":[1,\\\"v\\\"]}\",\"2\",NULL,\"true\"}");
    }

    @Test
    void objectsFillCompositesByFieldNameWithMissingFieldsNull() {
        List<String[]> rows = ndjson("{\"p\": {\"label\": \"a \\\"b\\\", c\", \"x\": 1, \"unknown\": [1], "
                + "\"tags\": [\"t,1\", null]}}", "{\"p\": {\"x\": 1, \"x\": 2, \"label\": \"\"}}",
                "{\"ps\": [{\"x\": 2}, null, {\"label\": \"(y)\"}]}");
        assertThat(rows.get(0)[3]).isEqualTo("(\"1\",\"a \\\"b\\\", c\",\"{\\\"t,1\\\",NULL}\")");
        assertThat(rows.get(1)[3]).isEqualTo("(\"2\",\"\",)");
        assertThat(rows.get(2)[4]).isEqualTo("{\"(\\\"2\\\",,)\",NULL,\"(,\\\"(y)\\\",)\"}");
    }

    @Test
    void stringsGoToTheTypesOwnInputAsTheyAre() {
        String[] row = ndjson("{\"ints\": \"{1,2}\", \"p\": \"(1,a,)\"}").get(0);
        assertThat(row[0]).isEqualTo("{1,2}");
        assertThat(row[3]).isEqualTo("(1,a,)");
    }

    @Test
    void objectsAndArraysIntoTextColumnsStayJsonText() {
        assertThat(ndjson("{\"note\": [1, {\"a\": null}]}").get(0)[5]).isEqualTo("[1,{\"a\":null}]");
    }

    @Test
    void jsonPointersLoadArraysAndObjectsIntoArrayAndCompositeColumns() {
        FieldColumns fields = FieldMapping.parse(List.of("/a/ints:ints", "/a/p:p", "/a/n:note"), null, "ignore")
            .bind(TABLE, 32);
        NdjsonReader reader = new NdjsonReader(input("{\"a\": {\"ints\": [1, 2], \"p\": {\"x\": 3}, \"n\": 1}}\n"
                + "{\"a\": {\"n\": [1]}}\n"), TABLE, fields, LIMITS, 1 << 24);
        Row row = new Row(TABLE.columns().size(), 1024);
        assertThat(reader.next(row)).isTrue();
        assertThat(row.text(0)).isEqualTo("{\"1\",\"2\"}");
        assertThat(row.text(3)).isEqualTo("(\"3\",,)");
        assertThat(row.text(5)).isEqualTo("1");
        // an array found for a text column is still refused: point further into it
        assertThat(catchThrowableOfType(MalformedRecordException.class, () -> reader.next(row)).column())
            .isEqualTo("note");
    }

    @Test
    void valuesOfTheWrongShapeAreRowErrorsNamingTheColumnAndTheNextRecordIsRead() {
        assertRefused("{\"ints\": 1}", "ints", "22P02");
        assertRefused("{\"ints\": true}", "ints", "22P02");
        assertRefused("{\"ints\": {\"a\": 1}}", "ints", "22P02");
        assertRefused("{\"ints\": [[1], [2, 3]]}", "ints", "22P02");
        assertRefused("{\"ints\": [[1], 2]}", "ints", "22P02");
        assertRefused("{\"p\": [1]}", "p", "22023");
        assertRefused("{\"p\": 1}", "p", "22023");
        assertRefused("{\"ps\": [1]}", "ps", "22023");
        assertRefused("{\"p\": {\"tags\": 1}}", "p", "22P02");
    }

    private static void assertRefused(String record, String column, String sqlState) {
        NdjsonReader reader = new NdjsonReader(input(record + "\n{\"note\": \"next\"}"), TABLE, LIMITS, 1 << 24);
        Row row = new Row(TABLE.columns().size(), 1024);
        RowRejectedException refused = catchThrowableOfType(RowRejectedException.class, () -> reader.next(row));
        assertThat(refused).as(record).isNotNull();
        assertThat(refused.column()).isEqualTo(column);
        assertThat(refused.sqlState()).isEqualTo(sqlState);
        assertThat(refused.record()).isEqualTo(1L);
        assertThat(refused.line()).isEqualTo(1L);
        assertThat(reader.next(row)).isTrue();
        assertThat(row.text(5)).isEqualTo("next");
    }

    private static List<String[]> ndjson(String... lines) {
        return read(new NdjsonReader(input(String.join("\n", lines)), TABLE, LIMITS, 1 << 24));
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

    private static LoadableColumn column(String name, String type, TypeShape shape) {
        return new LoadableColumn(name, type, true, false, false, LoadableColumn.Identity.NONE, shape);
    }
}
