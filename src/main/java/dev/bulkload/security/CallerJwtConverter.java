package dev.bulkload.security;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Turns a validated JWT into its caller: the scopes as Spring Boot's converter reads them (so its
 * {@code authority-prefix} and {@code authorities-claim-name} settings hold), the name from
 * {@code bulkload.security.jwt.principal-claim}. A token without that claim as a non-empty string names nobody,
 * so it is refused (401) rather than let in as a caller without a name.
 */
final class CallerJwtConverter implements Converter<Jwt, AbstractAuthenticationToken> {

    private final JwtAuthenticationConverter scopes;

    private final String principalClaim;

    CallerJwtConverter(JwtAuthenticationConverter scopes, String principalClaim) {
        this.scopes = scopes;
        this.principalClaim = principalClaim;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        Object value = jwt.getClaims().get(this.principalClaim);
        if (!(value instanceof String name) || name.isBlank() || name.indexOf('\0') >= 0) {
            throw new PrincipalClaimException(this.principalClaim);
        }
        AbstractAuthenticationToken scoped = this.scopes.convert(jwt);
        return new JwtAuthenticationToken(jwt, (scoped != null) ? scoped.getAuthorities() : java.util.List.of(), name);
    }
}
