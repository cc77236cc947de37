package dev.bulkload.security;

import java.util.Collection;
import java.util.List;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.catalog.TableGlob;
import dev.bulkload.catalog.TableVisibility;

/**
 * What the current caller may do with a loadable table, from its scopes ({@code bulkload:load:<schema>.<table
 * glob>}, {@code bulkload:read}); an API key's tables arrive as the same scopes. With security off, anything.
 */
@Component
public class TableGrants implements TableVisibility {

    static final String AUTHORITY_PREFIX = "SCOPE_";

    static final String LOAD_SCOPE = "bulkload:load:";

    static final String READ_SCOPE = "bulkload:read";

    private static final String ANONYMOUS = "anonymous";

    private final boolean enabled;

    TableGrants(SecurityProperties properties) {
        this.enabled = properties.enabled();
    }

    /** Throws {@link ForbiddenTableException} unless the current caller may load into {@code table}. */
    public void requireLoad(LoadableTable table) {
        if (!mayLoad(table)) {
            throw new ForbiddenTableException(table.qualifiedName());
        }
    }

    @Override
    public boolean visible(LoadableTable table) {
        return mayLoad(table) || scopes().stream().anyMatch(READ_SCOPE::equals);
    }

    /** The current caller's name for logs ({@code anonymous} without authentication); never a metric tag. */
    public String callerName() {
        Authentication authentication = authentication();
        return (authentication != null) ? authentication.getName() : ANONYMOUS;
    }

    /** The current caller's name when security tells callers apart, else null (every caller is anonymous). */
    public String identifiedCaller() {
        return this.enabled ? callerName() : null;
    }

    private boolean mayLoad(LoadableTable table) {
        if (!this.enabled) {
            return true;
        }
        return scopes().stream()
            .filter((scope) -> scope.startsWith(LOAD_SCOPE))
            .map((scope) -> scope.substring(LOAD_SCOPE.length()))
            .filter((glob) -> glob.matches(TableGlob.FORM))
            .anyMatch((glob) -> TableGlob.of(glob).matches(table.schema(), table.name()));
    }

    private Collection<String> scopes() {
        Authentication authentication = authentication();
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
