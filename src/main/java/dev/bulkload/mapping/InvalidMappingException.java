package dev.bulkload.mapping;

/** A mapping option ({@code map}, {@code match}, {@code unknownFields}) has a value the service cannot use. */
public class InvalidMappingException extends RuntimeException {

    private final String parameter;

    public InvalidMappingException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    /** The query parameter at fault, as the client typed it. */
    public String parameter() {
        return this.parameter;
    }
}
