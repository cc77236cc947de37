package dev.bulkload.registry;

import java.util.List;

import org.springframework.stereotype.Component;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.catalog.TableCatalog;
import dev.bulkload.security.ForbiddenTableException;
import dev.bulkload.security.TableGrants;

/**
 * Who may see and cancel which loads: reading needs {@code bulkload:read} or a load grant on the load's table,
 * cancelling needs the load grant. With security off, anyone may do anything.
 */
@Component
class LoadAccess {

    private final TableCatalog catalog;

    private final TableGrants grants;

    LoadAccess(TableCatalog catalog, TableGrants grants) {
        this.catalog = catalog;
        this.grants = grants;
    }

    boolean mayRead(String table) {
        return this.grants.readsEveryTable() || this.catalog.find(table).map(this.grants::visible).orElse(false);
    }

    /** Throws ForbiddenTableException unless the caller may load into (and so cancel loads of) {@code table}. */
    void requireCancel(String table) {
        LoadableTable loadable = this.catalog.find(table).orElse(null);
        if (loadable != null) {
            this.grants.requireLoad(loadable);
        }
        else if (this.grants.identifiedCaller() != null) {
            // a table no longer loadable: no grant can name it any more
            throw new ForbiddenTableException(table);
        }
    }

    /** The tables whose loads the caller may list, or null for every table. */
    List<String> readableTables() {
        if (this.grants.readsEveryTable()) {
            return null;
        }
        return this.catalog.tables().stream().filter(this.grants::visible).map(LoadableTable::qualifiedName).toList();
    }

    /** The table's {@code schema.name} as the registry stores it, else {@code reference} as given. */
    String qualified(String reference) {
        return this.catalog.find(reference).map(LoadableTable::qualifiedName).orElse(reference);
    }
}
