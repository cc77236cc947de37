package dev.bulkload.registry;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the load registry keeps its rows.
 * @param retention finished loads (with their rejects and chunks) older than this are purged
 * @param progressInterval how often a running load's progress is written to its row
 * @param heartbeatInterval a running load's row is touched at least this often, even when no rows arrive
 * @param abandonedAfter a running load whose row was not touched for this long is marked failed (its replica died),
 *     and a retry with its Idempotency-Key no longer finds it running; keep it a few heartbeat intervals
 * @param housekeepingInterval how often one replica marks abandoned loads and purges expired ones
 * @param announceAfter a load gets its running row once it has run this long (or at its first chunk boundary)
 * @param resolveTimeout how long the service tries to learn the outcome of a COMMIT whose answer was lost
 * @param replica this instance's name in the registry; the host name when blank
 */
@ConfigurationProperties("bulkload.loads")
@Validated
public record LoadsProperties(@DefaultValue("7d") @NotNull Duration retention,
        @DefaultValue("1s") @NotNull Duration progressInterval,
        @DefaultValue("10s") @NotNull Duration heartbeatInterval,
        @DefaultValue("30s") @NotNull Duration abandonedAfter,
        @DefaultValue("1m") @NotNull Duration housekeepingInterval,
        @DefaultValue("2s") @NotNull Duration announceAfter,
        @DefaultValue("10s") @NotNull Duration resolveTimeout,
        @DefaultValue("") String replica) {
}
