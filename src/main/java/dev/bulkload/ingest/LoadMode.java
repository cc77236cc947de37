package dev.bulkload.ingest;

/** How rows are written: this version inserts; upsert, ignore and update are planned. */
public enum LoadMode {

    INSERT;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
