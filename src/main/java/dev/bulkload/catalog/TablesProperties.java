package dev.bulkload.catalog;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which tables may be loaded.
 * @param include {@code schema.table} patterns ({@code *} and {@code ?} wildcards; a part in double quotes is a
 *        name exactly, e.g. {@code "public.x".*}) a table must match; the schema and the table are matched
 *        separately
 * @param exclude {@code schema.table} patterns a table must not match
 * @param cacheRefresh how long a load may use a table's definition read before (columns, keys, constraints,
 *        privileges) without reading it again; zero reads it for every load
 */
@ConfigurationProperties("bulkload.tables")
@Validated
public record TablesProperties(
        @DefaultValue("public.*") @NotNull List<@Pattern(regexp = TableGlob.FORM, message = TableGlob.FORM_MESSAGE) String> include,
        @DefaultValue @NotNull List<@Pattern(regexp = TableGlob.FORM, message = TableGlob.FORM_MESSAGE) String> exclude,
        @DefaultValue("5s") @NotNull Duration cacheRefresh) {

    public TablesProperties {
        if (cacheRefresh != null && cacheRefresh.isNegative()) {
            throw new IllegalArgumentException("bulkload.tables.cache-refresh must not be negative");
        }
    }
}
