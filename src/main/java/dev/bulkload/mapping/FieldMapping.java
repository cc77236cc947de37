package dev.bulkload.mapping;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.bulkload.catalog.LoadableTable;

/**
 * How a load's fields meet the table's columns, as the request asks: the {@code map} entries, the name
 * {@code match} and what {@code unknownFields} do. Parsed and checked once per request; {@link #bind} checks it
 * against the table and gives the load's {@link FieldColumns}.
 * @param entries the {@code map} entries, in the order given
 * @param match how names that no entry maps meet columns
 * @param unknownFields what a field that meets no column does
 */
public record FieldMapping(List<MapEntry> entries, NameMatch match, UnknownFields unknownFields) {

    /** Today's behaviour: no map, exact names, unknown fields refused. */
    public static final FieldMapping NONE = new FieldMapping(List.of(), NameMatch.EXACT, UnknownFields.REJECT);

    /** More entries than any table has columns is a mistake, not a mapping (PostgreSQL allows 1,600). */
    static final int MAX_ENTRIES = 4096;

    public FieldMapping {
        entries = List.copyOf(entries);
    }

    /**
     * Parses the options as sent; null or empty values take the defaults.
     * @throws InvalidMappingException naming the parameter at fault
     */
    public static FieldMapping parse(List<String> map, String match, String unknownFields) {
        List<MapEntry> entries = new ArrayList<>();
        Map<String, String> fields = new HashMap<>();
        if (map != null) {
            if (map.size() > MAX_ENTRIES) {
                throw new InvalidMappingException("map", "map has " + map.size() + " entries; at most "
                        + MAX_ENTRIES + " are allowed");
            }
            for (String text : map) {
                if (text == null || text.isEmpty()) {
                    continue;
                }
                MapEntry entry = MapEntry.parse(text);
                // "/name" points at the same top-level field as "name"
                String field = (entry.pointer() == null) ? "name:" + entry.field()
                        : (entry.pointer().tokens().size() == 1) ? "name:" + entry.pointer().tokens().get(0)
                        : "pointer:" + entry.field();
                String earlier = fields.putIfAbsent(field, entry.field());
                if (earlier != null) {
                    throw new InvalidMappingException("map", "map names field '" + entry.field() + "' twice"
                            + (earlier.equals(entry.field()) ? "" : " (as '" + earlier + "')")
                            + "; a field loads into one column");
                }
                if (entry.drops() && entry.pointer() != null && entry.pointer().tokens().size() > 1) {
                    throw new InvalidMappingException("map", "map cannot drop '" + entry.field()
                            + "': a pointer into a field loads nothing unless mapped; drop the top-level field ("
                            + "map=" + entry.pointer().tokens().get(0) + ":) or leave the pointer out");
                }
                entries.add(entry);
            }
        }
        return new FieldMapping(entries, choose("match", match, NameMatch.EXACT, NameMatch.values()),
                choose("unknownFields", unknownFields, UnknownFields.REJECT, UnknownFields.values()));
    }

    private static <E extends Enum<E>> E choose(String parameter, String value, E fallback, E[] values) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        for (E candidate : values) {
            if (candidate.name().equals(value.trim().toUpperCase(Locale.ROOT))) {
                return candidate;
            }
        }
        List<String> allowed = java.util.Arrays.stream(values).map((e) -> e.name().toLowerCase(Locale.ROOT)).toList();
        throw new InvalidMappingException(parameter, parameter + " must be one of " + allowed);
    }

    /** Whether the load reads its fields as a load without these options does. */
    public boolean isDefault() {
        return this.entries.isEmpty() && this.match == NameMatch.EXACT && this.unknownFields == UnknownFields.REJECT;
    }

    /** Whether some entry is a JSON Pointer (which CSV cannot have). */
    public boolean hasPointers() {
        return this.entries.stream().anyMatch((entry) -> entry.pointer() != null);
    }

    /** The first entry that is a JSON Pointer, or null. */
    public MapEntry firstPointer() {
        return this.entries.stream().filter((entry) -> entry.pointer() != null).findFirst().orElse(null);
    }

    /**
     * The options as text for an Idempotency-Key's fingerprint, in a fixed order: empty for the defaults, so the
     * fingerprints of loads that do not use them stay what they were.
     */
    public String writtenOptions() {
        if (isDefault()) {
            return "";
        }
        StringBuilder text = new StringBuilder("match=").append(this.match.label())
            .append("\nunknownFields=")
            .append(this.unknownFields.label());
        for (MapEntry entry : this.entries) {
            text.append("\nmap=").append(entry.text());
        }
        return text.toString();
    }

    /**
     * This mapping for one load into the table.
     * @param maxCachedNames the most distinct field names whose column is remembered
     * @throws InvalidMappingException naming {@code map}: a column the table does not have or cannot load
     * (generated), or two entries for one column
     */
    public FieldColumns bind(LoadableTable table, int maxCachedNames) {
        return new FieldColumns(table, this, maxCachedNames);
    }

    /**
     * This mapping for reading a payload only to find its fields (a table made from the payload): a field that meets
     * no column is read past and named in {@link FieldColumns#ignoredFields}, whatever {@code unknownFields} says.
     * @param maxNames the most distinct field names remembered
     * @throws InvalidMappingException as {@link #bind} does
     */
    public FieldColumns discover(LoadableTable table, int maxNames) {
        return new FieldColumns(table, this, maxNames, true);
    }
}
