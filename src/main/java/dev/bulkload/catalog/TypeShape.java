package dev.bulkload.catalog;

import java.util.List;

/**
 * The structure of a column's type as far as a JSON value can fill it, the way PostgreSQL's
 * {@code json_populate_record} sees it: a plain scalar type, {@code json} or {@code jsonb}, an array of some
 * element type, or a composite type with named fields. A domain takes the shape of the type under it.
 * @param kind which of the four it is
 * @param element for an array, the shape of its elements; else null
 * @param fields for a composite type, its fields in attribute order; else empty
 */
public record TypeShape(Kind kind, TypeShape element, List<Field> fields) {

    /** Any type without structure: its text goes to the type's input function. */
    public static final TypeShape SCALAR = new TypeShape(Kind.SCALAR, null, List.of());

    /** {@code json} or {@code jsonb} (or a domain over one). */
    public static final TypeShape JSON = new TypeShape(Kind.JSON, null, List.of());

    public TypeShape {
        fields = List.copyOf(fields);
        if ((kind == Kind.ARRAY) != (element != null)) {
            throw new IllegalArgumentException("An array shape, and only an array shape, has an element shape");
        }
    }

    /** An array of elements of the given shape. */
    public static TypeShape arrayOf(TypeShape element) {
        return new TypeShape(Kind.ARRAY, element, List.of());
    }

    /** A composite type with these fields. */
    public static TypeShape composite(List<Field> fields) {
        return new TypeShape(Kind.COMPOSITE, null, fields);
    }

    /**
     * The shape told by a type's {@code format_type} text alone, for tables described without the catalog:
     * {@code json} and {@code jsonb}, arrays by their {@code []}; a composite type cannot be told by its name.
     */
    public static TypeShape of(String formatType) {
        if (formatType == null) {
            return SCALAR;
        }
        if (formatType.endsWith("[]")) {
            return arrayOf(of(formatType.substring(0, formatType.length() - 2)));
        }
        return ("json".equals(formatType) || "jsonb".equals(formatType)) ? JSON : SCALAR;
    }

    /** Whether a JSON array or object can fill the type as a whole (an array or a composite). */
    public boolean structured() {
        return this.kind == Kind.ARRAY || this.kind == Kind.COMPOSITE;
    }

    /** What a type is, for a JSON value. */
    public enum Kind {

        /** A type whose text goes to its input function as it is. */
        SCALAR,

        /** {@code json} or {@code jsonb}: takes any JSON value, a string with its quotes. */
        JSON,

        /** An array: takes a JSON array, nested arrays as its dimensions. */
        ARRAY,

        /** A composite (row) type: takes a JSON object, field by field. */
        COMPOSITE
    }

    /**
     * A field of a composite type.
     * @param name the attribute name, matched exactly against the JSON object's keys
     * @param shape the shape of its type
     */
    public record Field(String name, TypeShape shape) {
    }
}
