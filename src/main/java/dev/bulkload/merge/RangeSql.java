package dev.bulkload.merge;

/**
 * A statement over a range of staged records, with the number of {@code BETWEEN ? AND ?} pairs its
 * builder put in it, so the range is bound without searching the SQL for placeholders.
 * @param sql the statement
 * @param ranges how many record ranges it binds, first and last each
 */
record RangeSql(String sql, int ranges) {

    /** The range bound as often as the statement needs it, then any further parameters. */
    Object[] parameters(long first, long last, Object... more) {
        Object[] parameters = new Object[this.ranges * 2 + more.length];
        for (int i = 0; i < this.ranges; i++) {
            parameters[2 * i] = first;
            parameters[2 * i + 1] = last;
        }
        System.arraycopy(more, 0, parameters, this.ranges * 2, more.length);
        return parameters;
    }

    /** A parameter that comes before the ranges, then the range bound as often as the statement needs it. */
    Object[] parametersAfter(Object leading, long first, long last) {
        Object[] ranges = parameters(first, last);
        Object[] parameters = new Object[ranges.length + 1];
        parameters[0] = leading;
        System.arraycopy(ranges, 0, parameters, 1, ranges.length);
        return parameters;
    }
}
