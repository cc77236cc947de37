package dev.bulkload.catalog;

import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The loadable tables as loads see them: a table's definition read by {@link TableCatalog} is reused, without a
 * query, for {@code bulkload.tables.cache-refresh}; after that the next load reads it again. Every entry is
 * dropped at once on {@link #refresh()} ({@code POST /api/v1/tables/refresh}), and a table's entries when a load
 * into it fails and the catalog, read again, describes the table differently ({@link #changed}). Shared by all
 * requests; each replica keeps its own.
 */
@Component
public class TableCache {

    private static final Logger logger = LoggerFactory.getLogger(TableCache.class);

    /**
     * SQLSTATE classes a statement fails with when its table is not what the definition it was built from says:
     * syntax error or access rule violation (42: an undefined column or table, a datatype mismatch, no unique
     * constraint for an ON CONFLICT key, no longer a table, a privilege revoked, a column made an identity),
     * feature not supported (0A: "cached plan must not change result type", COPY once row-level security is on)
     * and invalid schema name (3F). Such a failure only makes the table a suspect: it changed when the catalog,
     * read again, describes it differently ({@link #changed}).
     */
    private static final Set<String> MAY_MEAN_CHANGED = Set.of("42", "0A", "3F");

    /** More references than any allow-list has tables in any spelling: a flood of names only empties the cache. */
    private static final int MAX_ENTRIES = 10_000;

    private final TableCatalog catalog;

    private final long refreshNanos;

    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** Bumped by every refresh: an entry read before it is stale even if it was stored after it. */
    private final AtomicLong generation = new AtomicLong();

    TableCache(TableCatalog catalog, TablesProperties properties) {
        this.catalog = catalog;
        this.refreshNanos = properties.cacheRefresh().toNanos();
    }

    /**
     * The loadable table named {@code name} or {@code schema.name}, as read at most
     * {@code bulkload.tables.cache-refresh} ago.
     * @throws TableNotFoundException when there is none (never cached: a table created is found at once)
     */
    public LoadableTable require(String reference) {
        long now = System.nanoTime();
        Entry entry = this.entries.get(reference);
        if (entry != null && now - entry.readAt() < this.refreshNanos && entry.generation() == this.generation.get()) {
            return entry.table();
        }
        long generation = this.generation.get();
        LoadableTable table = this.catalog.find(reference).orElse(null);
        if (table == null) {
            this.entries.remove(reference);
            throw new TableNotFoundException(reference);
        }
        if (this.refreshNanos > 0) {
            if (this.entries.size() >= MAX_ENTRIES) {
                this.entries.clear();
            }
            this.entries.put(reference, new Entry(table, now, generation));
        }
        return table;
    }

    /** Forgets every table's definition: the next load into each reads it again. */
    public void refresh() {
        this.generation.incrementAndGet();
        this.entries.clear();
        logger.info("Table definitions refreshed on demand");
    }

    /**
     * Whether {@code table}, the definition a load was built from, is no longer what the catalog says: the table
     * is read again, bypassing the cache, and compared. When it changed, its cached entries are forgotten, so the
     * next load reads it again. A catalog that cannot be read now is taken for unchanged (the load's own failure
     * stands).
     */
    public boolean changed(LoadableTable table) {
        LoadableTable now;
        try {
            now = this.catalog.describe(table.schema(), table.name()).orElse(null);
        }
        catch (RuntimeException ex) {
            logger.debug("Definition of {} could not be read again", table.qualifiedName(), ex);
            return false;
        }
        if (table.equals(now)) {
            return false;
        }
        this.entries.values().removeIf((entry) -> entry.table().qualifiedName().equals(table.qualifiedName()));
        logger.info("Definition of {} changed while a load used it; it is read again", table.qualifiedName());
        return true;
    }

    /**
     * A load into {@code table} failed: when {@code failure} (anywhere in its causes) carries a SQLSTATE a changed
     * table may answer and the catalog, read again, says the table did change ({@link #changed}), answers a
     * {@link TableChangedException}; else {@code failure} itself. A SQLSTATE alone never makes a schema change.
     */
    public RuntimeException refreshIfChanged(LoadableTable table, RuntimeException failure) {
        String sqlState = sqlState(failure);
        if (sqlState == null || sqlState.length() != 5 || !MAY_MEAN_CHANGED.contains(sqlState.substring(0, 2))
                || !changed(table)) {
            return failure;
        }
        return new TableChangedException(table.qualifiedName(), sqlState, failure);
    }

    private static String sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    private record Entry(LoadableTable table, long readAt, long generation) {
    }
}
