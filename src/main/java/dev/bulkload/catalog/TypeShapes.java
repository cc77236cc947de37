package dev.bulkload.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link TypeShape}s from the rows of {@code pg_type} (and composite attributes) the catalog read: json and
 * jsonb by their fixed oids, a domain as its base type, a true array from its element type, a composite type from
 * its attributes; any type not read is a scalar.
 */
final class TypeShapes {

    private static final long JSON = 114;

    private static final long JSONB = 3802;

    /** Deeper than any type PostgreSQL lets one build by nesting arrays of composites of domains. */
    private static final int MAX_DEPTH = 100;

    private final Map<Long, TypeRow> rows;

    private final Map<Long, TypeShape> shapes = new HashMap<>();

    TypeShapes(Map<Long, TypeRow> rows) {
        this.rows = rows;
    }

    /** The shape of the type with this oid. */
    TypeShape of(long oid) {
        return of(oid, 0);
    }

    private TypeShape of(long oid, int depth) {
        if (oid == JSON || oid == JSONB) {
            return TypeShape.JSON;
        }
        TypeRow row = this.rows.get(oid);
        if (row == null || depth > MAX_DEPTH) {
            return TypeShape.SCALAR;
        }
        TypeShape known = this.shapes.get(oid);
        if (known != null) {
            return known;
        }
        TypeShape shape;
        if ("d".equals(row.typtype())) {
            shape = of(row.base(), depth + 1);
        }
        else if (row.array()) {
            shape = TypeShape.arrayOf(of(row.element(), depth + 1));
        }
        else if ("c".equals(row.typtype())) {
            List<TypeShape.Field> fields = new ArrayList<>();
            for (int i = 0; i < row.fieldNames().size(); i++) {
                fields.add(new TypeShape.Field(row.fieldNames().get(i), of(row.fieldTypes().get(i), depth + 1)));
            }
            shape = TypeShape.composite(fields);
        }
        else {
            shape = TypeShape.SCALAR;
        }
        this.shapes.put(oid, shape);
        return shape;
    }

    /**
     * A type as {@code pg_type} describes it.
     * @param typtype {@code b}, {@code c}, {@code d}, {@code e}, {@code p}, {@code r} or {@code m}
     * @param base a domain's base type
     * @param array whether it is a true array type
     * @param element an array's element type
     * @param fieldNames a composite type's attribute names, in order
     * @param fieldTypes their type oids
     */
    record TypeRow(String typtype, long base, boolean array, long element, List<String> fieldNames,
            List<Long> fieldTypes) {
    }
}
