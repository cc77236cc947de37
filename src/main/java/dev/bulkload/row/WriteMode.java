package dev.bulkload.row;

import java.util.Locale;

/** What a row does to the table: insert it, insert or overwrite by key, insert unless the key exists, or update by key. */
public enum WriteMode {

    INSERT, UPSERT, IGNORE, UPDATE;

    /** The name used in requests, reports and metric tags. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
