package dev.bulkload.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the service reads from a JWT beyond its scopes.
 * @param roleClaim the claim naming the database role the caller's loads run as ({@code SET LOCAL ROLE});
 *        unset (the default) means JWT callers load as the service's own database user
 */
@ConfigurationProperties("bulkload.security.jwt")
public record JwtRoleProperties(String roleClaim) {
}
