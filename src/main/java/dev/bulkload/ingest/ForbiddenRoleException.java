package dev.bulkload.ingest;

import java.util.List;

/**
 * The caller's database role (an API key's {@code role} or the JWT role claim) cannot be used for this load:
 * it does not exist, the service's database user may not assume it, or it lacks a privilege on the table
 * that the load's mode needs (INSERT, UPDATE, SELECT).
 */
public class ForbiddenRoleException extends RuntimeException {

    private final String table;

    private final String role;

    private final List<String> missingPrivileges;

    ForbiddenRoleException(String table, String role, String message, List<String> missingPrivileges) {
        super(message);
        this.table = table;
        this.role = role;
        this.missingPrivileges = List.copyOf(missingPrivileges);
    }

    /** The privileges on the table the role lacks (SELECT, INSERT, UPDATE); empty when the role itself is unusable. */
    public List<String> missingPrivileges() {
        return this.missingPrivileges;
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
