package dev.bulkload.options;

/** A query parameter has a value the service cannot use. */
public class InvalidLoadRequestException extends RuntimeException {

    private final String parameter;

    public InvalidLoadRequestException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return this.parameter;
    }
}
