package dev.bulkload.create;

/** A {@code types} or {@code key} entry of a create that names no column of the new table, or no usable type. */
public class CreateParameterException extends RuntimeException {

    private final String parameter;

    public CreateParameterException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    /** The parameter at fault, as the client sent it. */
    public String parameter() {
        return this.parameter;
    }
}
