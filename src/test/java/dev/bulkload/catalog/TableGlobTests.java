package dev.bulkload.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** The glob shared by the allow-list, JWT scopes and API-key grants. */
class TableGlobTests {

    @Test
    void starsAndQuestionMarksMatchWithinAName() {
        assertThat(TableGlob.of("public.*").matches("public", "users")).isTrue();
        assertThat(TableGlob.of("public.*").matches("sales", "users")).isFalse();
        assertThat(TableGlob.of("*.*").matches("sales", "orders")).isTrue();
        assertThat(TableGlob.of("sales.order?").matches("sales", "orders")).isTrue();
        assertThat(TableGlob.of("sales.order?").matches("sales", "order_lines")).isFalse();
        assertThat(TableGlob.of("public.users").matches("public", "users_archive")).isFalse();
    }

    @Test
    void theSchemaAndTheTableAreMatchedEachAgainstItsOwnName() {
        // a schema literally named "public.x": the joined text public.x.t would match public.*
        assertThat(TableGlob.of("public.*").matches("public.x", "t")).isFalse();
        assertThat(TableGlob.of("public.x*").matches("public.x", "t")).isFalse();
        assertThat(TableGlob.of("pub*.t").matches("public.x", "t")).isTrue();
        assertThat(TableGlob.of("public.*").matches("public", "x.t")).isTrue();
        assertThat(TableGlob.of("public.x.t").matches("public", "x.t")).isTrue();
        assertThat(TableGlob.of("public.x.t").matches("public.x", "t")).isFalse();
        assertThat(TableGlob.of("*.t").matches("public.x", "t")).isTrue();
    }

    @Test
    void aQuotedPartIsThatNameExactlyDotsAndWildcardsIncluded() {
        assertThat(TableGlob.of("\"public.x\".*").matches("public.x", "t")).isTrue();
        assertThat(TableGlob.of("\"public.x\".*").matches("public", "x.t")).isFalse();
        assertThat(TableGlob.of("\"public.x\".t").matches("public.x", "t")).isTrue();
        assertThat(TableGlob.of("\"public.x\".t").matches("public.x", "t2")).isFalse();
        assertThat(TableGlob.of("public.\"x.t\"").matches("public", "x.t")).isTrue();
        assertThat(TableGlob.of("\"a*\".\"b?\"").matches("a*", "b?")).isTrue();
        assertThat(TableGlob.of("\"a*\".\"b?\"").matches("ab", "bc")).isFalse();
        assertThat(TableGlob.of("\"say \"\"hi\"\"\".*").matches("say \"hi\"", "t")).isTrue();
        assertThat(TableGlob.of("\"s.\"\"x\".\"t.\"\"\"").matches("s.\"x", "t.\"")).isTrue();
    }

    @Test
    void aPartThatOpensAQuoteMustBeOneWholeQuotedName() {
        for (String malformed : new String[] { "\"public.x.t", "\"public.x\"t", "\"public.x\".", "\"\".t",
                "public.\"t", "public.\"t\"x", "public.\"\"", "\"public\".\"x\".t" }) {
            assertThat(TableGlob.isGlob(malformed)).as(malformed).isFalse();
            assertThatIllegalArgumentException().as(malformed).isThrownBy(() -> TableGlob.of(malformed));
        }
    }

    @Test
    void onlySchemaDotTablePatternsAreAccepted() {
        assertThatIllegalArgumentException().isThrownBy(() -> TableGlob.of("users"));
        assertThatIllegalArgumentException().isThrownBy(() -> TableGlob.of(".users"));
        assertThatIllegalArgumentException().isThrownBy(() -> TableGlob.of("public."));
    }
}
