package dev.bulkload.mapping;

/**
 * Where one top-level field of a record goes, decided once per field name: into a column, through JSON Pointers
 * into its nested value, both, nowhere (skipped), or it refuses the record.
 */
public final class FieldTarget {

    private final int column;

    private final PointerNode pointers;

    private final String refusal;

    FieldTarget(int column, PointerNode pointers, String refusal) {
        this.column = column;
        this.pointers = pointers;
        this.refusal = refusal;
    }

    static FieldTarget refused(String refusal) {
        return new FieldTarget(-1, null, refusal);
    }

    /** The table column the field's value loads into, or -1. */
    public int column() {
        return this.column;
    }

    /** The pointers that read inside the field's value (their first token is the field's name), or null. */
    public PointerNode pointers() {
        return this.pointers;
    }

    /** Why a record carrying the field is refused, or null. */
    public String refusal() {
        return this.refusal;
    }

    /** Whether the field's value is read past: dropped by {@code map} or ignored ({@code unknownFields=ignore}). */
    public boolean skipped() {
        return this.column < 0 && this.pointers == null && this.refusal == null;
    }
}
