package dev.bulkload.security;

/**
 * A JWT caller's load while {@code bulkload.security.jwt.role-claim} is set, but the token's claim is not exactly
 * one non-empty string: missing, null, blank, a number, a boolean, an array (even of one string) or an object.
 * The load is refused (403) and never runs as the service's own database user.
 */
public class RoleClaimException extends RuntimeException {

    private final String claim;

    RoleClaimException(String claim, String found) {
        super("Your token's " + claim + " claim must be one non-empty string naming the database role your loads run "
                + "as, but it " + found + "; nothing was loaded");
        this.claim = claim;
    }

    /** The claim's name. */
    public String claim() {
        return this.claim;
    }
}
