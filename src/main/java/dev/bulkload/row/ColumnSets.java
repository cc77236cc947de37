package dev.bulkload.row;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The column sets one load has met so far; a row's set is found without allocating once it is known. Sets are
 * registered by the load's reading thread alone and may be looked up by id from its writer threads (a parallel load).
 */
public final class ColumnSets {

    private final List<ColumnSet> sets = new CopyOnWriteArrayList<>();

    private ColumnSet last;

    /** The set of the columns present in the row, registered on first sight. */
    public ColumnSet of(Row row) {
        if (this.last != null && row.hasColumns(this.last.present())) {
            return this.last;
        }
        for (ColumnSet set : this.sets) {
            if (row.hasColumns(set.present())) {
                this.last = set;
                return set;
            }
        }
        this.last = ColumnSet.of(this.sets.size(), row.presentColumns());
        this.sets.add(this.last);
        return this.last;
    }

    /** The set with this id. */
    public ColumnSet get(int id) {
        return this.sets.get(id);
    }
}
