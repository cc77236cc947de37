package dev.bulkload.row;

import java.util.List;

/**
 * What the database did with one chunk.
 * @param counts rows inserted, updated and skipped
 * @param rejects rows refused (with {@code onError=skip}), in record order
 */
public record ChunkResult(WriteCounts counts, List<Reject> rejects) {

    public ChunkResult {
        rejects = List.copyOf(rejects);
    }
}
