package dev.bulkload.ingest;

/**
 * The caller's database role (an API key's {@code role} or the JWT role claim) cannot be used for this load:
 * it does not exist, the service's database user may not assume it, or it holds no INSERT on the table.
 */
public class ForbiddenRoleException extends RuntimeException {

    private final String table;

    private final String role;

    ForbiddenRoleException(String table, String role, String message) {
        super(message);
        this.table = table;
        this.role = role;
    }

    /** The table, {@code schema.name}. */
    public String table() {
        return this.table;
    }

    /** The caller's database role. */
    public String role() {
        return this.role;
    }
}
