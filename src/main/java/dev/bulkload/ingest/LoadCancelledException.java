package dev.bulkload.ingest;

/** Someone cancelled the load ({@code DELETE /api/v1/loads/{id}}, from any replica). */
public class LoadCancelledException extends RuntimeException {

    LoadCancelledException() {
        super("The load was cancelled");
    }
}
