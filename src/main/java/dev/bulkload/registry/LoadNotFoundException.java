package dev.bulkload.registry;

/** No load with this id, or not one the caller may see (the same answer, so ids of others' loads do not leak). */
public class LoadNotFoundException extends RuntimeException {

    private final String id;

    LoadNotFoundException(String id) {
        super("No load " + id);
        this.id = id;
    }

    public String id() {
        return this.id;
    }
}
