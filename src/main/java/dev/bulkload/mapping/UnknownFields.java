package dev.bulkload.mapping;

import java.util.Locale;

/** What a field that meets no column (and that no {@code map} entry names) does to its record. */
public enum UnknownFields {

    /** The record is refused: "Unknown column". */
    REJECT,

    /** The field is skipped and named once in the report's {@code ignoredFields}. */
    IGNORE;

    /** The name used in requests and reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
