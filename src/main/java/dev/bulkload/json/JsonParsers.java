package dev.bulkload.json;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
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

    private static JsonFactory build(Key key) {
        StreamReadConstraints constraints = StreamReadConstraints.builder()
            .maxNestingDepth(key.limits().maxNestingDepth())
            .maxStringLength(key.limits().maxFieldBytes())
            .maxNameLength(64 * 1024)
            .maxNumberLength(1000)
            .maxDocumentLength(key.maxDocumentBytes())
            .build();
        return JsonFactory.builder()
            .streamReadConstraints(constraints)
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();
    }

    private record Key(ReadLimits limits, long maxDocumentBytes) {
    }
}
