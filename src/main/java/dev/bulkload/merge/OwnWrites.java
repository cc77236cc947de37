package dev.bulkload.merge;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The (sub)transactions whose merges wrote rows of one load, by their 32-bit transaction id as a row's {@code xmin}
 * shows it: a row whose {@code xmin} is one of them was last written by this load, so a key of a later chunk that
 * meets it was written earlier in the load. Kept in the load, not the database, so it outlives the load's
 * transactions on any backend; bound as an {@code int8multirange}, which collapses consecutive ids. An id whose
 * transaction rolled back may stay: no row that a statement can see carries it.
 * <p>
 * At most {@link #MAX_RANGES} ranges are kept, so every merge binds a short literal however many chunks the load
 * has: past that the two ranges with the smallest gap between them become one. The ids in such a gap are mostly
 * the load's own (the staging tables' writes, which never touch the table); one of another transaction that wrote
 * a key this load writes later would make that row count as skipped rather than updated, and never changes the
 * total.
 */
final class OwnWrites {

    static final int MAX_RANGES = 64;

    /** Inclusive [from, to] ranges, sorted, neither overlapping nor adjacent. */
    private final List<long[]> ranges = new ArrayList<>();

    /** A merge's rows were written by this transaction id. */
    void add(long xid) {
        int at = this.ranges.size();
        // ids mostly grow: look from the end
        while (at > 0 && this.ranges.get(at - 1)[0] > xid) {
            at--;
        }
        if (at > 0) {
            long[] before = this.ranges.get(at - 1);
            if (xid <= before[1]) {
                return;
            }
            if (xid == before[1] + 1) {
                before[1] = xid;
                joinNext(at - 1);
                return;
            }
        }
        if (at < this.ranges.size() && this.ranges.get(at)[0] == xid + 1) {
            this.ranges.get(at)[0] = xid;
            return;
        }
        this.ranges.add(at, new long[] { xid, xid });
        if (this.ranges.size() > MAX_RANGES) {
            joinClosest();
        }
    }

    private void joinClosest() {
        int closest = 0;
        for (int i = 1; i + 1 < this.ranges.size(); i++) {
            if (gap(i) < gap(closest)) {
                closest = i;
            }
        }
        this.ranges.get(closest)[1] = this.ranges.get(closest + 1)[1];
        this.ranges.remove(closest + 1);
    }

    /** The ids between range {@code i} and the next. */
    private long gap(int i) {
        return this.ranges.get(i + 1)[0] - this.ranges.get(i)[1];
    }

    private void joinNext(int index) {
        if (index + 1 < this.ranges.size() && this.ranges.get(index + 1)[0] == this.ranges.get(index)[1] + 1) {
            this.ranges.get(index)[1] = this.ranges.get(index + 1)[1];
            this.ranges.remove(index + 1);
        }
    }

    /** The ids as an {@code int8multirange} literal, e.g. {@code {[7,9],[12,12]}}; {@code {}} when none. */
    String multirange() {
        StringJoiner literal = new StringJoiner(",", "{", "}");
        for (long[] range : this.ranges) {
            literal.add("[" + range[0] + "," + range[1] + "]");
        }
        return literal.toString();
    }
}
