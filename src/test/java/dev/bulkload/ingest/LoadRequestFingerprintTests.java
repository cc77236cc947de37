package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.bulkload.options.LoadMethod;
import dev.bulkload.options.LoadRequest;
import dev.bulkload.body.LoadFormat;
import dev.bulkload.csv.CsvFormat;
import dev.bulkload.mapping.FieldMapping;
import dev.bulkload.row.WriteMode;

/**
 * The options an Idempotency-Key's fingerprint hashes: the field mapping changes what is written, so it is among
 * them, and a load without one hashes exactly what it hashed before mappings existed (keys stored then still match).
 */
class LoadRequestFingerprintTests {

    private static final LoadRequest PLAIN = new LoadRequest("users", LoadFormat.CSV, false, WriteMode.INSERT,
            List.of(), LoadMethod.COPY, true, false, null, 50000, false, CsvFormat.DEFAULT);

    @Test
    void aLoadWithoutAMappingHashesWhatItHashedBefore() {
        assertThat(PLAIN.writtenOptions())
            .isEqualTo(String.join("\n", "csv", "false", "insert", "", "copy", "true", "false", "null", "50000", "false",
                    "true", ",", "\"", "", ""));
        assertThat(withMapping(FieldMapping.parse(List.of(), "exact", "reject")).writtenOptions())
            .isEqualTo(PLAIN.writtenOptions());
    }

    @Test
    void everyMappingOptionChangesTheFingerprint() {
        List<String> texts = List.of(PLAIN.writtenOptions(),
                withMapping(FieldMapping.parse(List.of("a:name"), null, null)).writtenOptions(),
                withMapping(FieldMapping.parse(List.of("a:email"), null, null)).writtenOptions(),
                withMapping(FieldMapping.parse(List.of("a:name", "b:email"), null, null)).writtenOptions(),
                withMapping(FieldMapping.parse(List.of("b:email", "a:name"), null, null)).writtenOptions(),
                withMapping(FieldMapping.parse(null, "loose", null)).writtenOptions(),
                withMapping(FieldMapping.parse(null, null, "ignore")).writtenOptions());
        assertThat(texts).doesNotHaveDuplicates();
        assertThat(withMapping(FieldMapping.parse(List.of("a:name"), "loose", null)).withIdempotencyKey("k")
            .writtenOptions()).isEqualTo(withMapping(FieldMapping.parse(List.of("a:name"), "LOOSE", null)).writtenOptions());
    }

    private static LoadRequest withMapping(FieldMapping mapping) {
        return new LoadRequest(PLAIN.table(), PLAIN.format(), PLAIN.gzip(), PLAIN.mode(), PLAIN.key(), PLAIN.method(),
                PLAIN.atomic(), PLAIN.skipBadRows(), PLAIN.maxErrors(), PLAIN.batchSize(), PLAIN.dryRun(), PLAIN.csv(),
                null, null, null, dev.bulkload.body.PayloadCharset.UTF_8, false, mapping);
    }
}
