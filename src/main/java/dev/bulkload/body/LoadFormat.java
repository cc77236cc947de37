package dev.bulkload.body;

/** The payload formats a load accepts. */
public enum LoadFormat {

    CSV, JSON, NDJSON;

    /** The name used in reports and metric tags. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
