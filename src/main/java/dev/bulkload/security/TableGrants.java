package dev.bulkload.security;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.catalog.TableGlob;
import dev.bulkload.catalog.TableName;
import dev.bulkload.catalog.TableVisibility;

/**
 * What the current caller may do with a loadable table, from its scopes ({@code bulkload:load:<schema>.<table
 * glob>}, {@code bulkload:create:<schema>.<table glob>}, {@code bulkload:read}); an API key's tables and
 * create-tables arrive as the same scopes. With security off, anything.
 */
@Component
public class TableGrants implements TableVisibility {

    static final String AUTHORITY_PREFIX = "SCOPE_";

    static final String LOAD_SCOPE = "bulkload:load:";

    static final String READ_SCOPE = "bulkload:read";

    static final String CREATE_SCOPE = "bulkload:create:";

    private static final String ANONYMOUS = "anonymous";

    private final boolean enabled;

    /** Patterns of the grants seen so far, compiled once (at most MAX_GLOBS of them: scopes come from tokens). */
    private final Map<String, TableGlob> globs = new ConcurrentHashMap<>();

    private static final int MAX_GLOBS = 1024;

    private final String roleClaim;

    TableGrants(SecurityProperties properties) {
        this(properties, new JwtClaimProperties("sub", null));
    }

    @Autowired
    TableGrants(SecurityProperties properties, JwtClaimProperties jwt) {
        this.enabled = properties.enabled();
        this.roleClaim = jwt.roleClaim();
    }

    /** Throws {@link ForbiddenTableException} unless the current caller may load into {@code table}. */
    public void requireLoad(LoadableTable table) {
        if (!mayLoad(table)) {
            throw new ForbiddenTableException(table.qualifiedName());
        }
    }

    /**
     * Throws {@link ForbiddenTableException} unless the current caller may load into {@code table}, which a load with
     * {@code create=true} is about to create.
     */
    public void requireLoad(TableName table) {
        if (!granted(LOAD_SCOPE, table.schema(), table.name())) {
            throw new ForbiddenTableException(table.qualifiedName());
        }
    }

    /**
     * Throws {@link ForbiddenTableException} unless the current caller may create {@code table}: a
     * {@code bulkload:create:<schema>.<table glob>} scope (an API key's {@code create-tables}) matches it; with
     * security off, any table the allow-list admits.
     */
    public void requireCreate(TableName table) {
        if (!granted(CREATE_SCOPE, table.schema(), table.name())) {
            throw new ForbiddenTableException(table.qualifiedName(), "You may not create " + table.qualifiedName()
                    + ": no scope bulkload:create:<schema>.<table glob> or API key create-tables grants it");
        }
    }

    /** Whether security is on: callers authenticate, and grants decide what each may do. */
    public boolean enabled() {
        return this.enabled;
    }

    /** Whether the current caller authenticated (never, with security off). */
    public boolean authenticated() {
        return this.enabled && authentication() != null;
    }

    /** Whether the current caller may load into {@code table}, by the same grants a load checks. */
    public boolean mayLoadInto(LoadableTable table) {
        return mayLoad(table);
    }

    /** The {@code schema.table} globs the current caller may create tables by, as its scopes (or key) give them. */
    public List<String> createGlobs() {
        return scopes().stream()
            .filter((scope) -> scope.startsWith(CREATE_SCOPE))
            .map((scope) -> scope.substring(CREATE_SCOPE.length()))
            .filter(TableGlob::isGlob)
            .distinct()
            .toList();
    }

    @Override
    public boolean visible(LoadableTable table) {
        return mayLoad(table) || scopes().stream().anyMatch(READ_SCOPE::equals);
    }

    /** Whether the current caller may read every table's loads: security off, or {@code bulkload:read}. */
    public boolean readsEveryTable() {
        return !this.enabled || scopes().stream().anyMatch(READ_SCOPE::equals);
    }

    /**
     * The current caller's name for logs, namespaced by how it authenticated ({@code key:orders-feed},
     * {@code jwt:alice}; {@code anonymous} without authentication); never a metric tag.
     */
    public String callerName() {
        Authentication authentication = authentication();
        return (authentication != null) ? CallerIdentity.of(authentication) : ANONYMOUS;
    }

    /**
     * The current caller's stable name when security tells callers apart, else null (every caller is anonymous):
     * what its load share and Idempotency-Keys are kept under, and the loads' {@code principal}.
     */
    public String identifiedCaller() {
        return this.enabled ? callerName() : null;
    }

    /**
     * The database role the current caller's loads run as: its API key's {@code role}, or the JWT claim named by
     * {@code bulkload.security.jwt.role-claim}; null when there is none (or security is off), so loads run as
     * the service's own database user.
     * @throws RoleClaimException when a role claim is configured and a JWT caller's is not one non-empty string
     */
    public String callerRole() {
        if (!this.enabled) {
            return null;
        }
        Authentication authentication = authentication();
        if (authentication instanceof ApiKeyAuthentication apiKey) {
            String role = apiKey.role();
            return (role == null || role.isBlank()) ? null : role;
        }
        if (authentication instanceof JwtAuthenticationToken token && this.roleClaim != null) {
            return roleClaim(token.getToken().getClaims());
        }
        return null;
    }

    /** The role claim's value, which must be exactly one non-empty string: anything else is refused, never ignored. */
    private String roleClaim(Map<String, Object> claims) {
        Object value = claims.get(this.roleClaim);
        String found;
        if (value instanceof String role) {
            if (!role.isBlank() && role.indexOf('\0') < 0) {
                return role;
            }
            found = role.isBlank() ? "is blank" : "holds a NUL character";
        }
        else if (value == null) {
            found = claims.containsKey(this.roleClaim) ? "is null" : "is missing";
        }
        else if (value instanceof Collection<?> || value.getClass().isArray()) {
            found = "is an array (send one string, not a list of roles)";
        }
        else if (value instanceof Map<?, ?>) {
            found = "is an object";
        }
        else if (value instanceof Boolean) {
            found = "is true or false";
        }
        else if (value instanceof Number) {
            found = "is a number";
        }
        else {
            found = "is not a string";
        }
        throw new RoleClaimException(this.roleClaim, found);
    }

    private boolean mayLoad(LoadableTable table) {
        return granted(LOAD_SCOPE, table.schema(), table.name());
    }

    private boolean granted(String prefix, String schema, String name) {
        if (!this.enabled) {
            return true;
        }
        return scopes().stream()
            .filter((scope) -> scope.startsWith(prefix))
            .map((scope) -> scope.substring(prefix.length()))
            .filter(TableGlob::isGlob)
            .anyMatch((glob) -> glob(glob).matches(schema, name));
    }

    private TableGlob glob(String glob) {
        TableGlob known = this.globs.get(glob);
        if (known != null) {
            return known;
        }
        TableGlob compiled = TableGlob.of(glob);
        if (this.globs.size() < MAX_GLOBS) {
            this.globs.putIfAbsent(glob, compiled);
        }
        return compiled;
    }

    /**
     * Whether {@code authentication} may have the table definitions read again ({@code POST /api/v1/tables/refresh}):
     * a caller holding any load scope or the read scope.
     */
    static boolean mayRefresh(Authentication authentication) {
        return scopes(authentication).stream().anyMatch((scope) -> scope.startsWith(LOAD_SCOPE) || scope.equals(READ_SCOPE));
    }

    private Collection<String> scopes() {
        return scopes(authentication());
    }

    private static Collection<String> scopes(Authentication authentication) {
        if (authentication == null) {
            return List.of();
        }
        return authentication.getAuthorities()
            .stream()
            .map(GrantedAuthority::getAuthority)
            .filter((authority) -> authority != null)
            // with spring.security.oauth2.resourceserver.jwt.authority-prefix set to "" scopes arrive bare
            .map((authority) -> authority.startsWith(AUTHORITY_PREFIX)
                    ? authority.substring(AUTHORITY_PREFIX.length()) : authority)
            .toList();
    }

    private static Authentication authentication() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return (authentication == null || authentication instanceof AnonymousAuthenticationToken
                || !authentication.isAuthenticated()) ? null : authentication;
    }
}
