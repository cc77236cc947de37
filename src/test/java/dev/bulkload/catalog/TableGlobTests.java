package dev.bulkload.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** The glob shared by the allow-list, JWT scopes and API-key grants. */
class TableGlobTests {

    @Test
    void starsAndQuestionMarksMatchTheWholeQualifiedName() {
        assertThat(TableGlob.of("public.*").matches("public", "users")).isTrue();
        assertThat(TableGlob.of("public.*").matches("sales", "users")).isFalse();
        assertThat(TableGlob.of("*.*").matches("sales", "orders")).isTrue();
        assertThat(TableGlob.of("sales.order?").matches("sales", "orders")).isTrue();
        assertThat(TableGlob.of("sales.order?").matches("sales", "order_lines")).isFalse();
        assertThat(TableGlob.of("public.users").matches("public", "users_archive")).isFalse();
    }

    @Test
    void onlySchemaDotTablePatternsAreAccepted() {
        assertThatIllegalArgumentException().isThrownBy(() -> TableGlob.of("users"));
        assertThatIllegalArgumentException().isThrownBy(() -> TableGlob.of(".users"));
        assertThatIllegalArgumentException().isThrownBy(() -> TableGlob.of("public."));
    }
}
