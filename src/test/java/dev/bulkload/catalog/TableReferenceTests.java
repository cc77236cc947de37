package dev.bulkload.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** How a {@code {table}} path segment names a table, and the qualified name reports give back. */
class TableReferenceTests {

    @Test
    void unquotedTextSplitsAtItsFirstDotAndIsAlsoLookedUpWhole() {
        assertThat(TableReference.parse("public.users")).isEqualTo(new TableReference("public", "users", "public.users"));
        assertThat(TableReference.parse("users")).isEqualTo(new TableReference("", "users", "users"));
        assertThat(TableReference.parse("public.x.t")).isEqualTo(new TableReference("public", "x.t", "public.x.t"));
    }

    @Test
    void quotedPartsHoldDotsAndQuotes() {
        assertThat(TableReference.parse("\"public.x\".t")).isEqualTo(new TableReference("public.x", "t", null));
        assertThat(TableReference.parse("\"public.x\".\"t\"")).isEqualTo(new TableReference("public.x", "t", null));
        assertThat(TableReference.parse("public.\"x.t\"")).isEqualTo(new TableReference("public", "x.t", null));
        assertThat(TableReference.parse("\"x.t\"")).isEqualTo(new TableReference("", "", "x.t"));
        assertThat(TableReference.parse("\"a\"\"b\".c")).isEqualTo(new TableReference("a\"b", "c", null));
    }

    @Test
    void aMalformedQuotedReferenceIsReadAsUnquotedText() {
        assertThat(TableReference.parse("public.a\"b")).isEqualTo(new TableReference("public", "a\"b", "public.a\"b"));
        assertThat(TableReference.parse("\"public.x.t")).isEqualTo(new TableReference("\"public", "x.t", "\"public.x.t"));
    }

    @Test
    void theQualifiedNameQuotesOnlyAPartHoldingADotOrAQuoteAndReadsBackToTheSameTable() {
        for (String[] table : new String[][] { { "public", "users" }, { "public.x", "t" }, { "public", "x.t" },
                { "a\"b", "c.d" }, { "s", "it's" } }) {
            String qualified = new LoadableTable(table[0], table[1], List.of(), List.of(), List.of()).qualifiedName();
            TableReference read = TableReference.parse(qualified);
            assertThat(read.schema()).as(qualified).isEqualTo(table[0]);
            assertThat(read.name()).as(qualified).isEqualTo(table[1]);
        }
        assertThat(new LoadableTable("public", "users", List.of(), List.of(), List.of()).qualifiedName())
            .isEqualTo("public.users");
        assertThat(new LoadableTable("public.x", "t", List.of(), List.of(), List.of()).qualifiedName())
            .isEqualTo("\"public.x\".t");
    }
}
