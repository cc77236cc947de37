package dev.bulkload.json;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;

import dev.bulkload.row.ReadLimits;

/** Builds the Jackson factory every JSON reader uses, with explicit limits instead of Jackson's loose defaults. */
final class JsonParsers {

    private JsonParsers() {
    }

    static JsonFactory factory(ReadLimits limits, long maxDocumentBytes) {
        StreamReadConstraints constraints = StreamReadConstraints.builder()
            .maxNestingDepth(limits.maxNestingDepth())
            .maxStringLength(limits.maxFieldBytes())
            .maxNameLength(64 * 1024)
            .maxNumberLength(1000)
            .maxDocumentLength(maxDocumentBytes)
            .build();
        return JsonFactory.builder()
            .streamReadConstraints(constraints)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();
    }
}
