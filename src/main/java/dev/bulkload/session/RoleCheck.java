package dev.bulkload.session;

import java.util.List;

/**
 * What {@link LoadSession#assumeRole} found for a caller's database role.
 * @param outcome whether the role is assumed, and if not, why
 * @param missing the table privileges the load needs and the role lacks (only for {@link Outcome#MISSING_PRIVILEGE})
 */
public record RoleCheck(Outcome outcome, List<TablePrivilege> missing) {

    public RoleCheck {
        missing = List.copyOf(missing);
    }

    static RoleCheck of(Outcome outcome) {
        return new RoleCheck(outcome, List.of());
    }

    /** Whether the role was assumed. */
    public enum Outcome {

        /** The role exists, the service's user may SET ROLE to it, and it holds every privilege the load needs. */
        ASSUMED,

        /** No such role in {@code pg_roles}. */
        UNKNOWN,

        /** The role exists but the service's database user is not a member of it, so cannot SET ROLE to it. */
        NOT_MEMBER,

        /** The role lacks a privilege on the table that the load needs ({@link RoleCheck#missing()}). */
        MISSING_PRIVILEGE
    }
}
