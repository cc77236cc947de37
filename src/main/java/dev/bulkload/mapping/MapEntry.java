package dev.bulkload.mapping;

/**
 * One {@code map=<field>:<column>} entry, split at the last {@code :}.
 * @param field a CSV header name or a JSON key, or (starting with {@code /}) a JSON Pointer into the record
 * @param pointer the parsed pointer when the field is one, else null
 * @param column the column the field loads into, as written; empty to drop the field
 */
public record MapEntry(String field, JsonPointer pointer, String column) {

    /**
     * @throws InvalidMappingException naming {@code map}: no {@code :}, an empty field, a malformed pointer
     */
    static MapEntry parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new InvalidMappingException("map", "map must be <field>:<column> (split at the last ':'), "
                    + "or <field>: to drop the field; got '" + text + "'");
        }
        String field = text.substring(0, colon);
        String column = text.substring(colon + 1).strip();
        if (field.isEmpty()) {
            throw new InvalidMappingException("map", "map names no field before ':' in '" + text + "'");
        }
        JsonPointer pointer = null;
        if (field.charAt(0) == '/') {
            try {
                pointer = JsonPointer.parse(field);
            }
            catch (IllegalArgumentException ex) {
                throw new InvalidMappingException("map", "map field '" + field + "' is not a valid JSON Pointer: "
                        + ex.getMessage());
            }
        }
        return new MapEntry(field, pointer, column);
    }

    /** Whether the entry drops its field ({@code map=<field>:}). */
    public boolean drops() {
        return this.column.isEmpty();
    }

    /** The entry as the client writes it. */
    public String text() {
        return this.field + ":" + this.column;
    }
}
