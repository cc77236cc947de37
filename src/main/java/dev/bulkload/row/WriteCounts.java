package dev.bulkload.row;

/**
 * What one writer did.
 * @param inserted rows inserted
 * @param updated rows updated
 * @param skipped rows skipped (key exists, or repeated within the load)
 */
public record WriteCounts(long inserted, long updated, long skipped) {

    public static final WriteCounts NONE = new WriteCounts(0, 0, 0);

    public WriteCounts plus(WriteCounts other) {
        return new WriteCounts(this.inserted + other.inserted, this.updated + other.updated,
                this.skipped + other.skipped);
    }
}
