package dev.bulkload.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.junit.jupiter.api.Test;

class IdempotencyKeyHeaderTests {

    @Test
    void aStructuredFieldStringIsUnquotedAndUnescaped() {
        assertThat(IdempotencyKeyHeader.parse("\"8e03978e-40d5\"")).isEqualTo("8e03978e-40d5");
        assertThat(IdempotencyKeyHeader.parse("\"a \\\"quoted\\\" \\\\ key\"")).isEqualTo("a \"quoted\" \\ key");
    }

    @Test
    void aBareKeyIsTakenAsItIs() {
        assertThat(IdempotencyKeyHeader.parse("8e03978e-40d5")).isEqualTo("8e03978e-40d5");
        assertThat(IdempotencyKeyHeader.parse(" padded ")).isEqualTo("padded");
        assertThat(IdempotencyKeyHeader.parse(null)).isNull();
    }

    @Test
    void theKeyMayHoldUpTo255Characters() {
        assertThat(IdempotencyKeyHeader.parse("k".repeat(255))).hasSize(255);
        assertThat(IdempotencyKeyHeader.parse("\"" + "k".repeat(255) + "\"")).hasSize(255);
        assertThatExceptionOfType(InvalidIdempotencyKeyException.class)
            .isThrownBy(() -> IdempotencyKeyHeader.parse("k".repeat(256)))
            .satisfies((ex) -> assertThat(ex.parameter()).isEqualTo("Idempotency-Key"));
    }

    @Test
    void emptyUnterminatedBadlyEscapedOrNonAsciiKeysAreRefused() {
        for (String bad : new String[] { "", "\"\"", "\"abc", "\"a\\bc\"", "\"abc\";x=1", "caf\u00e9", "a\tb" }) {
            assertThatExceptionOfType(InvalidIdempotencyKeyException.class).as(bad)
                .isThrownBy(() -> IdempotencyKeyHeader.parse(bad));
        }
    }
}
