package dev.bulkload.row;

import java.util.ArrayList;
import java.util.List;

/** The column sets one load has met so far; a row's set is found without allocating once it is known. */
public final class ColumnSets {

    private final List<ColumnSet> sets = new ArrayList<>();

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
