package dev.bulkload.json;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;

import dev.bulkload.row.ReadLimits;

/**
 * The Jackson factories every JSON reader uses, with explicit limits instead of Jackson's loose defaults. One per
 * set of limits, shared by all loads: a factory holds the root of the symbol table its parsers share (a new one
 * per load would intern every key again), and buffers come from a pool shared across threads rather than Jackson's
 * default per-thread ones (request threads come and go, and a virtual thread's would never be reused).
 */
final class JsonParsers {

    /** The service has one set of limits and two document sizes (plain, gzip); tests have a few more. */
    private static final int MAX_FACTORIES = 32;

    private static final Map<Key, JsonFactory> FACTORIES = new ConcurrentHashMap<>();

    private JsonParsers() {
    }

    static JsonFactory factory(ReadLimits limits, long maxDocumentBytes) {
        Key key = new Key(limits, maxDocumentBytes);
        JsonFactory factory = FACTORIES.get(key);
        if (factory == null) {
            if (FACTORIES.size() >= MAX_FACTORIES) {
                FACTORIES.clear();
            }
            factory = FACTORIES.computeIfAbsent(key, JsonParsers::build);
        }
        return factory;
    }

    /**
     * The service's own depth and number limits are checked by the decoder, which then refuses the record and reads
     * on; Jackson's own are what it can be given past them and still read to the end of the record: its number
     * limit is the field limit (a number is a value), its depth ten times the service's. Past Jackson's limits, or a
     * string longer than the field limit, Jackson stops where it is: an NDJSON line is refused, a JSON array fails.
     */
    private static JsonFactory build(Key key) {
        ReadLimits limits = key.limits();
        StreamReadConstraints constraints = StreamReadConstraints.builder()
            .maxNestingDepth((int) Math.min(Integer.MAX_VALUE, 10L * limits.maxNestingDepth()))
            .maxStringLength(limits.maxFieldBytes())
            .maxNameLength(64 * 1024)
            .maxNumberLength(Math.max(limits.maxNumberLength(), limits.maxFieldBytes()))
            .maxDocumentLength(key.maxDocumentBytes())
            .build();
        return JsonFactory.builder()
            .streamReadConstraints(constraints)
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(limits.maxNestingDepth()).build())
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();
    }

    private record Key(ReadLimits limits, long maxDocumentBytes) {
    }
}
