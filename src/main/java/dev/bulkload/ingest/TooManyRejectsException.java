package dev.bulkload.ingest;

import java.util.List;

import dev.bulkload.row.Reject;

/** More rows were refused than {@code maxErrors} allows. */
public class TooManyRejectsException extends RuntimeException {

    private final List<Reject> rejects;

    TooManyRejectsException(int maxErrors, List<Reject> rejects) {
        super("More than " + maxErrors + " rows were rejected (maxErrors=" + maxErrors + ")");
        this.rejects = List.copyOf(rejects);
    }

    /** The first rejects, as many as the report would list. */
    public List<Reject> rejects() {
        return this.rejects;
    }
}
