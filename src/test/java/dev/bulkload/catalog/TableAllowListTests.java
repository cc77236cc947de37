package dev.bulkload.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Include and exclude globs, and the service's own schema. */
class TableAllowListTests {

    @Test
    void includeAndExcludeGlobs() {
        TableAllowList list = new TableAllowList(new TablesProperties(List.of("public.*", "sales.order?"),
                List.of("public.secret*"), Duration.ZERO));
        assertThat(list.allows("public", "users")).isTrue();
        assertThat(list.allows("public", "secrets")).isFalse();
        assertThat(list.allows("sales", "orders")).isTrue();
        assertThat(list.allows("sales", "order_lines")).isFalse();
        assertThat(list.allows("other", "users")).isFalse();
    }

    @Test
    void publicStarNeverReachesASchemaNamedPublicDotSomething() {
        TableAllowList list = new TableAllowList(new TablesProperties(List.of("public.*", "\"sales.eu\".order?"),
                List.of("public.secret*", "\"sales.eu\".orders"), Duration.ZERO));
        assertThat(list.allows("public", "x.t")).isTrue();
        assertThat(list.allows("public.x", "t")).isFalse();
        assertThat(list.allows("public.secret", "t")).isFalse();
        assertThat(list.allows("sales.eu", "orderz")).isTrue();
        assertThat(list.allows("sales.eu", "orders")).isFalse();
        assertThat(list.allows("sales", "eu.orderz")).isFalse();
        // an exclude is matched part by part too: public.secret* does not exclude a schema named public.secrets
        TableAllowList everything = new TableAllowList(new TablesProperties(List.of("*.*"),
                List.of("public.secret*"), Duration.ZERO));
        assertThat(everything.allows("public.secrets", "t")).isTrue();
        assertThat(everything.allows("public", "secrets")).isFalse();
    }

    @Test
    void regexCharactersInPatternsAreLiteral() {
        TableAllowList list = new TableAllowList(new TablesProperties(List.of("a.b+c"), List.of(), Duration.ZERO));
        assertThat(list.allows("a", "b+c")).isTrue();
        assertThat(list.allows("a", "bbc")).isFalse();
    }

    @Test
    void ownSchemaIsNeverLoadable() {
        TableAllowList list = new TableAllowList(new TablesProperties(List.of("*.*"), List.of(), Duration.ZERO));
        assertThat(list.allows("bulkload", "flyway_schema_history")).isFalse();
        assertThat(list.allows("anything", "goes")).isTrue();
    }
}
