package dev.bulkload.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The file of rejected records: its name from the table and the uploaded file, and a JSON record on one line. */
class RejectedRecordsTests {

    private static final UUID ID = UUID.fromString("0b6f6c43-5c2e-4a8e-9f7b-2f1d0c7e4a11");

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "public.users | csv | users.csv | users-rejects-users.csv",
            "public.users | csv | Export 2026.CSV.GZ | users-rejects-Export 2026.CSV",
            "public.users | csv | users.tsv | users-rejects-users.tsv",
            "public.users | csv | users | users-rejects-users.csv",
            "sales.orders | csv | orders.csv | sales.orders-rejects-orders.csv",
            "public.users | json | people.json.gz | users-rejects-people.ndjson",
            "public.users | ndjson | people.jsonl | users-rejects-people.ndjson",
            "public.users | csv | C:\\Users\\ann\\users.csv | users-rejects-users.csv",
            "public.users | csv | ../../etc/passwd | users-rejects-passwd.csv",
            "public.users | csv | NULL | users-rejects-0b6f6c43-5c2e-4a8e-9f7b-2f1d0c7e4a11.csv",
            "public.users | ndjson | NULL | users-rejects-0b6f6c43-5c2e-4a8e-9f7b-2f1d0c7e4a11.ndjson" })
    void theFileIsNamedAfterTheTableAndTheUploadedFile(String table, String format, String source, String expected) {
        assertThat(records(table, format, source).fileName()).isEqualTo(expected);
    }

    @Test
    void theAttachmentNamesTheFileInAsciiForEveryClientAndInUtf8AsNamed() {
        String header = LoadsController.attachment("users-rejects-rej \u00fc\"x\".csv");
        assertThat(header).startsWith("attachment; filename=\"users-rejects-rej __x_.csv\"; filename*=UTF-8''")
            .contains("%C3%BC");
        assertThat(header.chars()).allMatch((c) -> c < 0x80);
    }

    @Test
    void quotesAndLineBreaksNeverReachTheHeader() {
        assertThat(records("public.users", "csv", "a\"b\r\nc.csv").fileName()).isEqualTo("users-rejects-a_b__c.csv");
        assertThat(records("public.users", "csv", "\"q\".csv").fileName()).isEqualTo("users-rejects-_q_.csv");
    }

    @Test
    void aCsvRecordLosesOnlyItsOwnLineBreak() {
        assertThat(RejectedRecords.withoutLineBreak("Ann,\n")).isEqualTo("Ann,");
        assertThat(RejectedRecords.withoutLineBreak("Ann,\r\n")).isEqualTo("Ann,");
        assertThat(RejectedRecords.withoutLineBreak("\"a\nb\",x\r\n")).isEqualTo("\"a\nb\",x");
        assertThat(RejectedRecords.withoutLineBreak("x")).isEqualTo("x");
    }

    @Test
    void aJsonRecordComesOnOneLine() {
        assertThat(RejectedRecords.oneLine("{\n  \"a\": 1,\r\n  \"b\": \"x\"\n}"))
            .isEqualTo("{   \"a\": 1,    \"b\": \"x\" }");
        // a line break inside a string (not JSON, so refused) is escaped, keeping the record on its line
        assertThat(RejectedRecords.oneLine("{\"a\":\"line\nbreak\"}")).isEqualTo("{\"a\":\"line\\nbreak\"}");
        // an escaped quote does not end the string
        assertThat(RejectedRecords.oneLine("{\"a\":\"q\\\"\n\"}")).isEqualTo("{\"a\":\"q\\\"\\n\"}");
        assertThat(RejectedRecords.oneLine("{\"a\":1}")).isEqualTo("{\"a\":1}");
    }

    private static RejectedRecords records(String table, String format, String source) {
        LoadView load = new LoadView(ID, table, "succeeded", format, "insert", "copy", true, false, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, null, null, null, null, null, null, false, null, null, null, 1, null, source);
        return new RejectedRecords(load, null);
    }
}
