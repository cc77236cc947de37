package dev.bulkload.registry;

import java.util.Arrays;

/** Where a load stands: running until it succeeds, fails or is cancelled. */
public enum LoadStatus {

    RUNNING("running"), SUCCEEDED("succeeded"), FAILED("failed"), CANCELLED("cancelled");

    private final String label;

    LoadStatus(String label) {
        this.label = label;
    }

    /** The value in the registry and the API. */
    public String label() {
        return this.label;
    }

    /** The status for {@code label}, as stored. */
    public static LoadStatus of(String label) {
        return Arrays.stream(values())
            .filter((status) -> status.label.equals(label))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("Unknown load status: " + label));
    }
}
