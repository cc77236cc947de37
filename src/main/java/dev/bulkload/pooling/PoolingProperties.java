package dev.bulkload.pooling;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the service reaches PostgreSQL.
 * @param pooling {@code session} (a direct connection or a pooler in session mode) or {@code transaction} (a pooler
 *     in transaction mode); checked against the connections themselves at start, which refuses a wrong value
 */
@ConfigurationProperties("bulkload.database")
@Validated
public record PoolingProperties(@DefaultValue("session") @NotNull Pooling pooling) {
}
