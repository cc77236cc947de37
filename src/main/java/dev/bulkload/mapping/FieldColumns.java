package dev.bulkload.mapping;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.bulkload.catalog.LoadableColumn;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.row.MalformedPayloadException;
import dev.bulkload.row.Row;

/**
 * One load's field mapping, bound to its table: turns a field name into a {@link FieldTarget} once per name (a
 * CSV header once, a JSON key at its first sight, remembered after), never per row. Explicit {@code map} entries
 * win over matching; a field that meets no column is refused or, with {@code unknownFields=ignore}, skipped and
 * named once in {@link #ignoredFields}. Two different fields that meet one column fail the load: in a CSV header
 * always, in JSON when one of them is mapped explicitly or {@code match=loose} made them meet. Used by one load's
 * reader, on one thread.
 */
public final class FieldColumns {

    /** The most ignored field names a report lists. */
    public static final int MAX_IGNORED_FIELDS = 100;

    private static final int DROPPED = -1;

    private final LoadableTable table;

    private final NameMatch match;

    private final boolean ignoreUnknown;

    private final int maxCached;

    /** The map entries that name a field: its column, or DROPPED. */
    private final Map<String, Integer> named = new HashMap<>();

    /** The pointer trees, by the top-level field they start at. */
    private final Map<String, PointerNode> roots = new HashMap<>();

    /** With match=loose: each loose key's columns. */
    private final Map<String, int[]> looseColumns = new HashMap<>();

    /** The first field that met each column, and whether a map entry brought it there. */
    private final String[] metBy;

    private final boolean[] metByMap;

    private final Map<String, FieldTarget> targets = new HashMap<>();

    private final Set<String> ignored = new LinkedHashSet<>();

    /** The most ignored names kept: {@link #MAX_IGNORED_FIELDS} for a report, more when discovering fields. */
    private final int maxIgnored;

    /** When discovering fields: every field name met, in order of first appearance; else null. */
    private final Set<String> seen;

    FieldColumns(LoadableTable table, FieldMapping mapping, int maxCached) {
        this(table, mapping, maxCached, false);
    }

    /**
     * @param discovering whether the load only discovers its fields: a field that meets no column is skipped and
     * named in {@link #ignoredFields} (up to {@code maxCached} names), and every field met in {@link #seenFields}
     */
    FieldColumns(LoadableTable table, FieldMapping mapping, int maxCached, boolean discovering) {
        this.table = table;
        this.match = mapping.match();
        this.ignoreUnknown = discovering || mapping.unknownFields() == UnknownFields.IGNORE;
        this.maxIgnored = discovering ? maxCached : MAX_IGNORED_FIELDS;
        this.seen = discovering ? new LinkedHashSet<>() : null;
        this.maxCached = maxCached;
        this.metBy = new String[table.columns().size()];
        this.metByMap = new boolean[table.columns().size()];
        String[] mappedBy = new String[table.columns().size()];
        for (MapEntry entry : mapping.entries()) {
            int column = entry.drops() ? DROPPED : mappedColumn(entry, mappedBy);
            JsonPointer pointer = entry.pointer();
            if (pointer == null) {
                this.named.put(entry.field(), column);
            }
            else if (column == DROPPED) {
                // FieldMapping allows only a top-level field to be dropped
                this.named.put(pointer.tokens().get(0), DROPPED);
            }
            else {
                PointerNode node = this.roots.computeIfAbsent(pointer.tokens().get(0),
                        (key) -> new PointerNode(pointer.prefix(1)));
                for (int i = 1; i < pointer.tokens().size(); i++) {
                    node = node.add(pointer.tokens().get(i), pointer.prefix(i + 1));
                }
                node.end(column, entry.field());
            }
        }
        if (this.match == NameMatch.LOOSE) {
            for (int i = 0; i < table.columns().size(); i++) {
                String key = NameMatch.looseKey(table.columns().get(i).name());
                int[] columns = this.looseColumns.get(key);
                this.looseColumns.put(key, (columns == null) ? new int[] { i } : append(columns, i));
            }
        }
    }

    private int mappedColumn(MapEntry entry, String[] mappedBy) {
        int column = this.table.resolve(entry.column());
        if (column < 0) {
            throw new InvalidMappingException("map", "map=" + entry.text() + ": table " + this.table.qualifiedName()
                    + " has no column '" + entry.column() + "'");
        }
        LoadableColumn definition = this.table.columns().get(column);
        if (definition.generated()) {
            throw new InvalidMappingException("map", "map=" + entry.text() + ": column '" + definition.name()
                    + "' is generated and cannot be loaded");
        }
        if (mappedBy[column] != null) {
            throw new InvalidMappingException("map", "map gives column '" + definition.name() + "' two fields, '"
                    + mappedBy[column] + "' and '" + entry.field() + "'; a column takes one field");
        }
        mappedBy[column] = entry.field();
        return column;
    }

    /**
     * Where a JSON object's top-level key goes; resolved at its first sight and remembered.
     * @param row the record being read, for the place of a failure
     * @throws MalformedPayloadException when the key and another field meet one column, or (match=loose) it
     * meets several columns
     */
    public FieldTarget field(String name, Row row) {
        FieldTarget target = this.targets.get(name);
        if (target == null) {
            see(name);
            target = resolve(name, row.record(), row.line());
            if (this.targets.size() < this.maxCached) {
                this.targets.put(name, target);
            }
        }
        return target;
    }

    /**
     * A pointer ending at {@code node} found a value in the record.
     * @throws MalformedPayloadException when another field met the pointer's column before
     */
    public void found(PointerNode node, Row row) {
        // the common case, the same pointer again, is one comparison of references
        if (this.metBy[node.column()] != node.pointer()) {
            meet(node.column(), node.pointer(), true, row.record(), row.line());
        }
    }

    /**
     * The columns of a CSV header's fields, in field order: -1 for a field that is skipped (dropped by map or
     * ignored).
     * @param line the header's line, null when the names come from the {@code columns} parameter
     * @throws MalformedPayloadException for an unknown or generated column, or two fields that meet one column
     */
    public int[] header(List<String> names, Long line) {
        int[] columns = new int[names.size()];
        String[] fieldOf = new String[this.table.columns().size()];
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            see(name);
            Integer mapped = this.named.get(name);
            int column = (mapped != null) ? mapped : columnMatching(name, null, line);
            if (column < 0 && mapped == null) {
                if (!this.ignoreUnknown) {
                    throw new MalformedPayloadException(unknown(name), null, line, name);
                }
                noteIgnored(name);
            }
            if (column >= 0) {
                LoadableColumn definition = this.table.columns().get(column);
                if (mapped == null && definition.generated()) {
                    throw new MalformedPayloadException(generated(name), null, line, name);
                }
                if (fieldOf[column] != null) {
                    throw new MalformedPayloadException(fieldOf[column].equals(name)
                            ? "Column '" + name + "' is named twice" : twoFields(fieldOf[column], name, column),
                            null, line, definition.name());
                }
                fieldOf[column] = name;
            }
            columns[i] = column;
        }
        return columns;
    }

    /**
     * When discovering fields: every field name met so far (a CSV header's, a JSON record's top-level keys), in
     * order of first appearance, at most as many as names are remembered; else empty.
     */
    public List<String> seenFields() {
        return (this.seen != null) ? new ArrayList<>(this.seen) : List.of();
    }

    private void see(String name) {
        if (this.seen != null && this.seen.size() < this.maxCached) {
            this.seen.add(name);
        }
    }

    /**
     * The fields skipped as unknown ({@code unknownFields=ignore}), in order of first appearance, at most 100 (when
     * discovering fields, at most as many as names are remembered).
     */
    public List<String> ignoredFields() {
        return new ArrayList<>(this.ignored);
    }

    private FieldTarget resolve(String name, long record, long line) {
        Integer mapped = this.named.get(name);
        PointerNode pointers = this.roots.get(name);
        int column = (mapped != null) ? mapped : columnMatching(name, record, line);
        if (column >= 0) {
            if (mapped == null && this.table.columns().get(column).generated()) {
                return (pointers != null) ? new FieldTarget(-1, pointers, null) : FieldTarget.refused(generated(name));
            }
            meet(column, name, mapped != null, record, line);
            return new FieldTarget(column, pointers, null);
        }
        if (pointers != null || mapped != null) {
            return new FieldTarget(-1, pointers, null);
        }
        if (this.ignoreUnknown) {
            noteIgnored(name);
            return new FieldTarget(-1, null, null);
        }
        return FieldTarget.refused(unknown(name));
    }

    /** The column a name meets without a map entry, or -1. */
    private int columnMatching(String name, Long record, Long line) {
        int exact = this.table.resolve(name);
        if (exact >= 0 || this.match == NameMatch.EXACT) {
            return exact;
        }
        int[] columns = this.looseColumns.get(NameMatch.looseKey(name));
        if (columns == null) {
            return -1;
        }
        if (columns.length > 1) {
            List<String> names = Arrays.stream(columns).mapToObj((c) -> this.table.columns().get(c).name()).toList();
            throw new MalformedPayloadException("Field '" + name + "' meets columns " + names
                    + " with match=loose; name its column with map=" + name + ":<column>", record, line, name);
        }
        return columns[0];
    }

    private void meet(int column, String field, boolean byMap, Long record, Long line) {
        String first = this.metBy[column];
        if (first == null) {
            this.metBy[column] = field;
            this.metByMap[column] = byMap;
        }
        else if (!first.equals(field) && (byMap || this.metByMap[column] || this.match == NameMatch.LOOSE)) {
            throw new MalformedPayloadException(twoFields(first, field, column), record, line,
                    this.table.columns().get(column).name());
        }
    }

    private void noteIgnored(String name) {
        if (this.ignored.size() < this.maxIgnored) {
            this.ignored.add(name);
        }
    }

    private String twoFields(String first, String second, int column) {
        return "Fields '" + first + "' and '" + second + "' both meet column '" + this.table.columns().get(column).name()
                + "'; a column takes one field (map one of them elsewhere, or drop it with map=" + second + ":)";
    }

    private String unknown(String name) {
        return "Unknown column '" + name + "' for table " + this.table.qualifiedName()
                + " (unknownFields=ignore skips fields that are not columns)";
    }

    private static String generated(String name) {
        return "Column '" + name + "' is generated and cannot be loaded";
    }

    private static int[] append(int[] columns, int column) {
        int[] longer = Arrays.copyOf(columns, columns.length + 1);
        longer[columns.length] = column;
        return longer;
    }
}
