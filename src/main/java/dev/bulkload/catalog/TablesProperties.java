package dev.bulkload.catalog;

import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which tables may be loaded.
 * @param include {@code schema.table} patterns ({@code *} and {@code ?} wildcards) a table must match
 * @param exclude {@code schema.table} patterns a table must not match
 */
@ConfigurationProperties("bulkload.tables")
@Validated
public record TablesProperties(
        @DefaultValue("public.*") @NotNull List<@Pattern(regexp = "[^.]+\\..+", message = "must be schema.table") String> include,
        @DefaultValue @NotNull List<@Pattern(regexp = "[^.]+\\..+", message = "must be schema.table") String> exclude) {
}
