package dev.bulkload.registry;

/** A query parameter of the registry API that cannot be used (answered 400 invalid-parameter). */
public class InvalidLoadQueryException extends RuntimeException {

    private final String parameter;

    InvalidLoadQueryException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return this.parameter;
    }
}
