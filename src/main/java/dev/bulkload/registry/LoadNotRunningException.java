package dev.bulkload.registry;

/** A cancel of a load that already ended (answered 409 load-not-running, with its status). */
public class LoadNotRunningException extends RuntimeException {

    private final String id;

    private final String status;

    LoadNotRunningException(String id, String status) {
        super("Load " + id + " is not running: it " + status);
        this.id = id;
        this.status = status;
    }

    public String id() {
        return this.id;
    }

    public String status() {
        return this.status;
    }
}
