package dev.bulkload.security;

import java.util.Collection;
import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * A caller presenting an {@code X-API-Key}: before {@link ApiKeys} checks it, the key alone; after, the key's
 * name, its tables as {@code bulkload:load:} scopes, and its database role.
 */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private final String name;

    private final String role;

    private transient String key;

    private ApiKeyAuthentication(String name, String key, String role,
            Collection<? extends GrantedAuthority> authorities) {
        super(authorities);
        this.name = name;
        this.key = key;
        this.role = role;
    }

    /** A key as presented, not yet checked. */
    static ApiKeyAuthentication presented(String key) {
        return new ApiKeyAuthentication("api-key", key, null, List.of());
    }

    /** The key checked: who holds it and what it grants. */
    static ApiKeyAuthentication verified(String name, String role, Collection<? extends GrantedAuthority> authorities) {
        ApiKeyAuthentication authentication = new ApiKeyAuthentication(name, null, role, authorities);
        authentication.setAuthenticated(true);
        return authentication;
    }

    @Override
    public Object getCredentials() {
        return this.key;
    }

    @Override
    public Object getPrincipal() {
        return this.name;
    }

    @Override
    public String getName() {
        return this.name;
    }

    /** The database role configured for the key, or null; its loads run as it. */
    String role() {
        return this.role;
    }

    @Override
    public void eraseCredentials() {
        this.key = null;
        super.eraseCredentials();
    }
}
