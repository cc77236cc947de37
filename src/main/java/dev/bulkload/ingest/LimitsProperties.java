package dev.bulkload.ingest;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import dev.bulkload.row.ReadLimits;

/**
 * Size limits on payloads; exceeding one is a 413, or with {@code onError=skip} a reject when the reader can step
 * over the record.
 * @param maxBodySize largest request body as sent (raw or multipart file)
 * @param maxDecompressedSize largest payload after gzip decompression
 * @param maxCompressionRatio largest decompressed-to-compressed ratio, against gzip bombs
 * @param maxFieldSize largest single value
 * @param maxRecordSize largest record (all its values, or one NDJSON line)
 * @param maxColumns most columns in a header or record
 * @param maxJsonDepth deepest JSON nesting of a record, its own object being level 1 (PostgreSQL's limit depends on
 *     its {@code max_stack_depth}: about 10,000 levels of jsonb at the default 2MB)
 * @param maxJsonNumberLength longest JSON number, in characters: by default the longest a {@code numeric} holds
 *     (131,072 digits before the point, 16,383 after, the point and a sign)
 * @param bodyIdleTimeout longest wait for the next bytes of a request body (408 body-too-slow after it)
 * @param minUploadRate least average bytes per second a body must arrive at over {@code uploadRateWindow}
 *     (408 body-too-slow below it); 0 = no minimum
 * @param uploadRateWindow the time spent waiting for the body over which its rate is averaged
 * @param readinessTimeout longest wait of the readiness probe's database check before it says DOWN
 * @param createSampleSize most bytes of a (decompressed) payload held while a load with {@code create=true} samples
 *     its first records for the new table's columns; a load holds them until the load has read them again
 */
@ConfigurationProperties("bulkload.limits")
@Validated
public record LimitsProperties(@DefaultValue("10GB") @NotNull DataSize maxBodySize,
        @DefaultValue("50GB") @NotNull DataSize maxDecompressedSize,
        @DefaultValue("200") @Min(2) int maxCompressionRatio,
        @DefaultValue("64MB") @NotNull DataSize maxFieldSize,
        @DefaultValue("256MB") @NotNull DataSize maxRecordSize,
        @DefaultValue("1600") @Min(1) @Max(1600) int maxColumns,
        @DefaultValue("1000") @Min(1) @Max(10000) int maxJsonDepth,
        @DefaultValue("147457") @Min(1) int maxJsonNumberLength,
        @DefaultValue("30s") @NotNull Duration bodyIdleTimeout,
        @DefaultValue("1KB") @NotNull DataSize minUploadRate,
        @DefaultValue("30s") @NotNull Duration uploadRateWindow,
        @DefaultValue("1s") @NotNull Duration readinessTimeout,
        @DefaultValue("16MB") @NotNull DataSize createSampleSize) {

    ReadLimits readLimits() {
        return new ReadLimits(clamp(this.maxFieldSize), this.maxColumns, clamp(this.maxRecordSize), this.maxJsonDepth,
                this.maxJsonNumberLength);
    }

    private static int clamp(DataSize size) {
        return (int) Math.min(size.toBytes(), Integer.MAX_VALUE - 64);
    }
}
