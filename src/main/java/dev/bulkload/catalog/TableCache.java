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
 * into it fails with an error that says its definition changed ({@link #refreshIfChanged}). Shared by all
 * requests; each replica keeps its own.
 */
@Component
public class TableCache {

    private static final Logger logger = LoggerFactory.getLogger(TableCache.class);

    /**
     * SQLSTATEs that say the table is not what the cached definition describes: undefined column (42703) or table
     * (42P01), wrong type (42804), no unique constraint matching an ON CONFLICT key (42P10), a schema gone (3F000),
     * no longer a table (42809), privilege revoked (42501), and feature not supported (0A000), which is also
     * what a prepared statement answers once a table it reads has changed ("cached plan must not change result
     * type") and what COPY answers once row-level security was turned on.
     */
    static final Set<String> SCHEMA_CHANGED = Set.of("42703", "42P01", "42804", "42P10", "3F000", "42809", "42501",
            "0A000");

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
     * A load into {@code table} failed: when {@code failure} (anywhere in its causes) carries a SQLSTATE that
     * says the table changed, forgets the table's definition, so the next load reads it again, and answers a
     * {@link TableChangedException} that says so; else answers {@code failure} itself.
     */
    public RuntimeException refreshIfChanged(LoadableTable table, RuntimeException failure) {
        String sqlState = sqlState(failure);
        if (sqlState == null || !SCHEMA_CHANGED.contains(sqlState)) {
            return failure;
        }
        this.entries.values().removeIf((entry) -> entry.table().qualifiedName().equals(table.qualifiedName()));
        logger.info("Definition of {} read again after a load failed with SQLSTATE {}", table.qualifiedName(), sqlState);
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
