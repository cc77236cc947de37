package dev.bulkload.catalog;

/** Which loadable tables the current caller may see listed; the security feature decides, the catalog asks. */
public interface TableVisibility {

    /** Whether the current caller may see {@code table} in the table list and its description. */
    boolean visible(LoadableTable table);
}
