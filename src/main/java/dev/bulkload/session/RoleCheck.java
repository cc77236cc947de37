package dev.bulkload.session;

/** What {@link LoadSession#assumeRole} found for a caller's database role. */
public enum RoleCheck {

    /** The role exists, the service's user may SET ROLE to it, and it may INSERT into the table. */
    ASSUMED,

    /** No such role in {@code pg_roles}. */
    UNKNOWN,

    /** The role exists but the service's database user is not a member of it, so cannot SET ROLE to it. */
    NOT_MEMBER,

    /** The role holds no INSERT privilege on the table. */
    NO_INSERT
}
