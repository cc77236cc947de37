package dev.bulkload.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** RFC 6901 pointers as map fields: tokens, escapes, array indexes, and what is refused. */
class JsonPointerTests {

    @Test
    void tokensAreSplitAtSlashes() {
        assertThat(JsonPointer.parse("/user/id").tokens()).containsExactly("user", "id");
        assertThat(JsonPointer.parse("/items/0/id").tokens()).containsExactly("items", "0", "id");
    }

    @Test
    void tildeOneIsASlashAndTildeZeroATildeDecodedLeftToRight() {
        assertThat(JsonPointer.parse("/a~1b/m~0n").tokens()).containsExactly("a/b", "m~n");
        // "~01" is "~" then "1", never "/"
        assertThat(JsonPointer.parse("/~01").tokens()).containsExactly("~1");
    }

    @Test
    void emptyTokensAreKeysToo() {
        assertThat(JsonPointer.parse("/").tokens()).containsExactly("");
        assertThat(JsonPointer.parse("/a//b").tokens()).containsExactly("a", "", "b");
    }

    @Test
    void aPointerWithoutLeadingSlashOrWithABadEscapeIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> JsonPointer.parse("user/id"));
        assertThatIllegalArgumentException().isThrownBy(() -> JsonPointer.parse("/a~2"))
            .withMessageContaining("~");
        assertThatIllegalArgumentException().isThrownBy(() -> JsonPointer.parse("/a~"));
        assertThatIllegalArgumentException().isThrownBy(() -> JsonPointer.parse("/x".repeat(65)))
            .withMessageContaining("64");
    }

    @Test
    void onlyCanonicalNumbersAreArrayIndexes() {
        assertThat(JsonPointer.index("0")).isZero();
        assertThat(JsonPointer.index("12")).isEqualTo(12);
        assertThat(JsonPointer.index("01")).isEqualTo(-1);
        assertThat(JsonPointer.index("-")).isEqualTo(-1);
        assertThat(JsonPointer.index("1a")).isEqualTo(-1);
        assertThat(JsonPointer.index("")).isEqualTo(-1);
        assertThat(JsonPointer.index("99999999999")).isEqualTo(-1);
    }

    @Test
    void aPrefixIsEscapedAgain() {
        assertThat(JsonPointer.parse("/a~1b/c/d").prefix(2)).isEqualTo("/a~1b/c");
    }
}
