package dev.bulkload.ingest;

import java.util.List;

import dev.bulkload.options.LoadRequest;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.mapping.FieldColumns;

/**
 * What one load needs to know, resolved once before it starts.
 * @param request the request as the controller understood it
 * @param table the target table from the catalog
 * @param key the resolved conflict/match key columns, empty for insert
 * @param keyColumns the key's column indexes in the table
 * @param batchBytes a chunk ends once its ledger holds this many bytes
 * @param rawLimit bytes of each record's original text kept for rejects, 0 for none
 * @param conflictAttempts how often a chunk is written before a deadlock fails the load
 * @param fields the load's field mapping, bound to the table
 */
record LoadContext(LoadRequest request, LoadableTable table, List<String> key, int[] keyColumns, long batchBytes,
        int rawLimit, int conflictAttempts, FieldColumns fields) {

    LoadContext {
        key = List.copyOf(key);
    }
}
