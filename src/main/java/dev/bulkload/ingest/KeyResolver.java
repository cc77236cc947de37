package dev.bulkload.ingest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import dev.bulkload.options.InvalidLoadRequestException;
import dev.bulkload.catalog.LoadableTable;

/**
 * Resolves the {@code key} parameter to the primary key or a unique key of the table that can arbitrate
 * {@code ON CONFLICT}.
 */
final class KeyResolver {

    private KeyResolver() {
    }

    /**
     * @param requested the requested columns, empty for the primary key
     * @return the key's columns in the order of the matching unique key
     * @throws InvalidLoadRequestException when the columns are unknown, form no unique key, or form a deferrable one
     */
    static List<String> resolve(LoadableTable table, List<String> requested) {
        if (requested.isEmpty()) {
            if (table.primaryKey().isEmpty()) {
                throw new InvalidLoadRequestException("key",
                        "Table " + table.qualifiedName() + " has no primary key; name a unique key with key=");
            }
            return immediate(table, table.primaryKey());
        }
        List<String> columns = new ArrayList<>();
        for (String name : requested) {
            int index = table.resolve(name);
            if (index < 0) {
                throw new InvalidLoadRequestException("key",
                        "Unknown column '" + name + "' in key for table " + table.qualifiedName());
            }
            columns.add(table.columns().get(index).name());
        }
        for (List<String> unique : table.allUniqueKeys()) {
            if (new HashSet<>(unique).equals(new HashSet<>(columns)) && unique.size() == columns.size()) {
                return immediate(table, unique);
            }
        }
        throw new InvalidLoadRequestException("key", "Columns " + columns + " are not the primary key or a unique key of "
                + table.qualifiedName() + "; unique keys are " + table.allUniqueKeys());
    }

    // PostgreSQL refuses a deferrable key as an ON CONFLICT arbiter (SQLSTATE 55000) only once rows reach it;
    // saying so up front names the key instead of failing the load halfway.
    private static List<String> immediate(LoadableTable table, List<String> key) {
        if (table.isDeferrableKey(key)) {
            throw new InvalidLoadRequestException("key", "Key " + key + " of table " + table.qualifiedName()
                    + " is DEFERRABLE, and PostgreSQL cannot use a deferrable key to detect conflicts;"
                    + " name a key that is not deferrable with key=");
        }
        return key;
    }
}
