package dev.bulkload.merge;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.row.ChunkLedger;
import dev.bulkload.row.ColumnSet;
import dev.bulkload.row.ColumnSets;

/**
 * Cuts a chunk's rows into segments, runs of consecutive records within which no key value appears
 * in two column sets. The staged writer handles a segment one column set at a time (one statement
 * per set and step); cutting where a key crosses sets makes that order the same as record order for
 * every row a key ties together: the last record of a key wins an upsert or update, the first an
 * ignore, the later ones are the rejects of an insert, whatever fields each record carries.
 * <p>
 * Key values are compared as the database would compare them, or more loosely: integers and numerics
 * by value, {@code uuid} without case or hyphens, {@code char(n)} without trailing blanks, text
 * without case; a value of any other type, or one this class cannot read, is taken to equal every value,
 * so it cuts wherever another set came before it in the segment. A loose comparison only costs a cut.
 */
final class RecordOrderSegments {

    /** A key value that may equal any other (compared by identity). */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String ANY = new String("any");

    private final List<List<Integer>> keys = new ArrayList<>();

    private final List<KeyType[]> keyTypes = new ArrayList<>();

    /**
     * @param table the table, whose primary and unique keys tie records together
     * @param key the load's conflict or match key (empty for insert)
     */
    RecordOrderSegments(LoadableTable table, List<String> key) {
        Set<List<String>> all = new LinkedHashSet<>();
        if (!key.isEmpty()) {
            all.add(List.copyOf(key));
        }
        all.addAll(table.allUniqueKeys());
        for (List<String> columns : all) {
            List<Integer> indexes = new ArrayList<>();
            KeyType[] types = new KeyType[columns.size()];
            for (int i = 0; i < columns.size(); i++) {
                int index = table.indexOf(columns.get(i));
                if (index < 0) {
                    indexes = null;
                    break;
                }
                indexes.add(index);
                types[i] = KeyType.of(table.columns().get(index).type());
            }
            if (indexes != null) {
                this.keys.add(indexes);
                this.keyTypes.add(types);
            }
        }
    }

    /**
     * The chunk's segments in record order; each maps a column set's id to the ledger indexes of its rows
     * in the segment, sets in order of their first row there.
     */
    List<Map<Integer, int[]>> of(ChunkLedger ledger, ColumnSets sets) {
        List<Map<Integer, int[]>> segments = new ArrayList<>();
        if (ledger.rows() == 0) {
            return segments;
        }
        if (oneSet(ledger) || this.keys.isEmpty()) {
            segments.add(bySet(ledger, 0, ledger.rows()));
            return segments;
        }
        Map<String, Integer> seen = new HashMap<>();
        Map<Integer, Set<Integer>> anyBySet = new HashMap<>();
        Set<Integer> setsInSegment = new LinkedHashSet<>();
        int start = 0;
        for (int row = 0; row < ledger.rows(); row++) {
            int set = ledger.set(row);
            String[] values = keyValues(ledger, row, sets.get(set));
            if (crosses(values, set, seen, anyBySet, setsInSegment)) {
                segments.add(bySet(ledger, start, row));
                start = row;
                seen.clear();
                anyBySet.clear();
                setsInSegment.clear();
            }
            setsInSegment.add(set);
            for (int k = 0; k < values.length; k++) {
                if (values[k] == ANY) {
                    anyBySet.computeIfAbsent(k, (key) -> new HashSet<>()).add(set);
                }
                else if (values[k] != null) {
                    seen.putIfAbsent(values[k], set);
                }
            }
        }
        segments.add(bySet(ledger, start, ledger.rows()));
        return segments;
    }

    /** Whether one of the row's key values may equal one met in another set of the segment. */
    private static boolean crosses(String[] values, int set, Map<String, Integer> seen,
            Map<Integer, Set<Integer>> anyBySet, Set<Integer> setsInSegment) {
        boolean otherSets = setsInSegment.size() > 1 || (setsInSegment.size() == 1 && !setsInSegment.contains(set));
        if (!otherSets) {
            return false;
        }
        for (int k = 0; k < values.length; k++) {
            if (values[k] == null) {
                continue;
            }
            if (values[k] == ANY) {
                return true;
            }
            Set<Integer> unreadable = anyBySet.get(k);
            if (unreadable != null && (unreadable.size() > 1 || !unreadable.contains(set))) {
                return true;
            }
            Integer at = seen.get(values[k]);
            if (at != null && at != set) {
                return true;
            }
        }
        return false;
    }

    /**
     * The row's value of each key, tagged with the key: null where the row's set lacks one of the key's columns,
     * {@link #ANY} where a value cannot be compared.
     */
    private String[] keyValues(ChunkLedger ledger, int row, ColumnSet set) {
        String[] values = new String[this.keys.size()];
        String[] fields = null;
        for (int k = 0; k < this.keys.size(); k++) {
            List<Integer> columns = this.keys.get(k);
            if (!carries(set, columns)) {
                continue;
            }
            if (fields == null) {
                fields = ledger.values(row, set.size());
            }
            StringBuilder value = new StringBuilder().append(k);
            boolean any = false;
            for (int c = 0; c < columns.size() && !any; c++) {
                String field = fields[position(set, columns.get(c))];
                String normal = (field == null) ? "\u0000null" : this.keyTypes.get(k)[c].normal(field);
                if (normal == null) {
                    any = true;
                }
                else {
                    value.append('\u0000').append(normal.length()).append(':').append(normal);
                }
            }
            values[k] = any ? ANY : value.toString();
        }
        return values;
    }

    private static boolean carries(ColumnSet set, List<Integer> columns) {
        for (int column : columns) {
            if (!set.present()[column]) {
                return false;
            }
        }
        return true;
    }

    /** Where the table column sits among the set's values. */
    private static int position(ColumnSet set, int column) {
        int[] indexes = set.indexes();
        for (int i = 0; i < indexes.length; i++) {
            if (indexes[i] == column) {
                return i;
            }
        }
        throw new IllegalStateException("column " + column + " is not in set " + set.id());
    }

    private static boolean oneSet(ChunkLedger ledger) {
        int first = ledger.set(0);
        for (int row = 1; row < ledger.rows(); row++) {
            if (ledger.set(row) != first) {
                return false;
            }
        }
        return true;
    }

    /** The rows in [from, to) per column set, sets in order of first appearance. */
    private static Map<Integer, int[]> bySet(ChunkLedger ledger, int from, int to) {
        Map<Integer, int[]> counts = new LinkedHashMap<>();
        for (int i = from; i < to; i++) {
            counts.computeIfAbsent(ledger.set(i), (k) -> new int[1])[0]++;
        }
        Map<Integer, int[]> rows = new LinkedHashMap<>();
        counts.forEach((set, count) -> rows.put(set, new int[count[0]]));
        Map<Integer, Integer> filled = new HashMap<>();
        for (int i = from; i < to; i++) {
            int set = ledger.set(i);
            int at = filled.merge(set, 1, Integer::sum) - 1;
            rows.get(set)[at] = i;
        }
        return rows;
    }

    /** How a key column's values are compared. */
    enum KeyType {

        /** Integers and numerics: by value. */
        NUMBER {
            @Override
            String normal(String value) {
                String trimmed = value.strip();
                if (trimmed.isEmpty() || trimmed.length() > 200) {
                    return null;
                }
                try {
                    BigDecimal number = new BigDecimal(trimmed);
                    return (number.signum() == 0) ? "0" : number.stripTrailingZeros().toPlainString();
                }
                catch (NumberFormatException ex) {
                    // hexadecimal, underscores, NaN: forms this class does not compare
                    return null;
                }
            }
        },

        /** {@code uuid}: without case, hyphens or braces. */
        UUID {
            @Override
            String normal(String value) {
                StringBuilder hex = new StringBuilder(32);
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    if (c != '-' && c != '{' && c != '}') {
                        hex.append(Character.toLowerCase(c));
                    }
                }
                return hex.toString().strip();
            }
        },

        /** {@code char(n)}: trailing blanks do not count. */
        BLANK_PADDED {
            @Override
            String normal(String value) {
                return value.stripTrailing();
            }
        },

        /** Text: without case, so a case-insensitive (nondeterministic) collation cannot tie two unseen. */
        TEXT {
            @Override
            String normal(String value) {
                return value.toLowerCase(Locale.ROOT);
            }
        },

        /** Anything else: may equal any value. */
        OTHER {
            @Override
            String normal(String value) {
                return null;
            }
        };

        /** The value as compared, or null when it may equal any other. */
        abstract String normal(String value);

        static KeyType of(String type) {
            String base = type.toLowerCase(Locale.ROOT);
            int paren = base.indexOf('(');
            if (paren >= 0) {
                base = base.substring(0, paren).strip();
            }
            return switch (base) {
                case "smallint", "integer", "bigint", "numeric" -> NUMBER;
                case "uuid" -> UUID;
                case "character", "bpchar" -> BLANK_PADDED;
                case "text", "character varying" -> TEXT;
                default -> OTHER;
            };
        }
    }
}
