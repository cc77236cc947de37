package dev.bulkload.row;

import java.util.ArrayList;
import java.util.List;

import dev.bulkload.catalog.LoadableTable;

/**
 * The columns a group of records carries, numbered per load: records with the same keys share one
 * statement shape (and, when staged, one staging table), absent columns take their DEFAULT.
 * @param id 0-based, in order of first appearance within the load
 * @param present one flag per table column
 * @param indexes the table column indexes present, in table order
 */
public record ColumnSet(int id, boolean[] present, int[] indexes) {

    static ColumnSet of(int id, boolean[] present) {
        int count = 0;
        for (boolean p : present) {
            count += p ? 1 : 0;
        }
        int[] indexes = new int[count];
        for (int i = 0, j = 0; i < present.length; i++) {
            if (present[i]) {
                indexes[j++] = i;
            }
        }
        return new ColumnSet(id, present.clone(), indexes);
    }

    /** The names of the present columns, in table order. */
    public List<String> names(LoadableTable table) {
        List<String> names = new ArrayList<>(this.indexes.length);
        for (int index : this.indexes) {
            names.add(table.columns().get(index).name());
        }
        return names;
    }

    /** The number of columns present. */
    public int size() {
        return this.indexes.length;
    }
}
