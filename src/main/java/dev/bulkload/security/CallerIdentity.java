package dev.bulkload.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * A caller's stable name, namespaced by how it authenticated: {@code key:<API key name>} or
 * {@code jwt:<principal claim>}. An API key and a token subject spelled alike are two callers: they share neither
 * a load share nor Idempotency-Keys, and the registry's {@code principal} tells them apart.
 */
final class CallerIdentity {

    static final String API_KEY = "key:";

    static final String JWT = "jwt:";

    /** Any other kind of authentication (only tests build one). */
    static final String OTHER = "other:";

    private CallerIdentity() {
    }

    /** The caller's namespaced name; a token without one (never let through by {@link CallerJwtConverter}) is a 401. */
    static String of(Authentication authentication) {
        String name = authentication.getName();
        if (authentication instanceof ApiKeyAuthentication) {
            return API_KEY + name;
        }
        if (authentication instanceof JwtAuthenticationToken) {
            if (name == null || name.isBlank()) {
                throw new InvalidBearerTokenException("The token names no caller");
            }
            return JWT + name;
        }
        return OTHER + name;
    }
}
