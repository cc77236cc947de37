package dev.bulkload.create;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

import dev.bulkload.catalog.SqlIdentifier;
import dev.bulkload.catalog.TableName;

/**
 * The table a load makes: its name, its columns (the sample's, with the {@code types=} overrides) and its primary
 * key; {@link #statement} is the CREATE TABLE, built from quoted identifiers and types PostgreSQL accepted only.
 * @param table the new table's name
 * @param columns its columns in table order
 * @param primaryKey the columns of its primary key, empty for none
 */
public record TableDesign(TableName table, List<SampledField> columns, List<String> primaryKey) {

    public TableDesign {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    /**
     * The design for a sample.
     * @param types the {@code types=} overrides, each already accepted by PostgreSQL ({@link TypeNames})
     * @param key the {@code key} columns (or their fields), empty for no primary key
     * @throws CreateParameterException for a types entry or key column that names no column of the sample
     */
    public static TableDesign of(TableName table, PayloadSample sample, List<TypeOverride> types, List<String> key) {
        List<SampledField> columns = new ArrayList<>(sample.fields());
        Map<String, Integer> byColumn = new HashMap<>();
        Map<String, Integer> byField = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            byColumn.put(columns.get(i).column(), i);
            byField.putIfAbsent(columns.get(i).field(), i);
        }
        for (TypeOverride type : types) {
            int index = find(type.column(), byColumn, byField, "types", "types=" + TypeOverride.printable(type.text()),
                    columns);
            SampledField field = columns.get(index);
            columns.set(index, new SampledField(field.field(), field.column(), type.type()));
        }
        Set<String> primaryKey = new LinkedHashSet<>();
        for (String name : key) {
            int index = find(name, byColumn, byField, "key", "key column '" + TypeOverride.printable(name) + "'",
                    columns);
            if (!primaryKey.add(columns.get(index).column())) {
                throw new CreateParameterException("key", "key names column '" + columns.get(index).column()
                        + "' twice");
            }
        }
        return new TableDesign(table, columns, new ArrayList<>(primaryKey));
    }

    private static int find(String name, Map<String, Integer> byColumn, Map<String, Integer> byField,
            String parameter, String what, List<SampledField> columns) {
        Integer index = byColumn.get(name);
        if (index == null) {
            index = byField.get(name);
        }
        if (index == null) {
            List<String> names = columns.stream().map(SampledField::column).limit(50).toList();
            throw new CreateParameterException(parameter, what + " names no column of the new table (its columns: "
                    + String.join(", ", names) + ((columns.size() > 50) ? ", ..." : "") + ")");
        }
        return index;
    }

    /** The CREATE TABLE statement: every identifier quoted, every type one PostgreSQL parsed as a type name. */
    public String statement() {
        StringJoiner definitions = new StringJoiner(", ", "CREATE TABLE " + this.table.sqlName() + " (", ")");
        for (SampledField column : this.columns) {
            definitions.add(SqlIdentifier.quote(column.column()) + " " + column.type()
                    + (this.primaryKey.contains(column.column()) ? " NOT NULL" : ""));
        }
        if (!this.primaryKey.isEmpty()) {
            StringJoiner key = new StringJoiner(", ", "PRIMARY KEY (", ")");
            this.primaryKey.forEach((column) -> key.add(SqlIdentifier.quote(column)));
            definitions.add(key.toString());
        }
        return definitions.toString();
    }
}
