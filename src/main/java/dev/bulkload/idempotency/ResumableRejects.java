package dev.bulkload.idempotency;

import java.util.List;

import dev.bulkload.row.Reject;

/** A load's reject collection as a keyed load sees it: a resumed load counts the earlier attempt's rejects first. */
public interface ResumableRejects {

    /** Goes on from an earlier attempt's committed chunks: {@code rejected} refused, {@code first} the first of them. */
    void resumeAfter(long rejected, List<Reject> first);
}
