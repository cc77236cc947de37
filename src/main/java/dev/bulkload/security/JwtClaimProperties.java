package dev.bulkload.security;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the service reads from a JWT beyond its scopes.
 * @param principalClaim the claim naming the caller (its limits, its Idempotency-Keys, the loads' {@code principal}):
 *        a token without it as a non-empty string is a 401; {@code sub} by default
 * @param roleClaim the claim naming the database role the caller's loads run as ({@code SET LOCAL ROLE}); when set,
 *        a load whose token lacks it as exactly one non-empty string is a 403; unset (the default) means JWT callers
 *        load as the service's own database user
 */
@ConfigurationProperties("bulkload.security.jwt")
@Validated
public record JwtClaimProperties(@DefaultValue("sub") @NotBlank String principalClaim, String roleClaim) {

    public JwtClaimProperties {
        roleClaim = (roleClaim == null || roleClaim.isBlank()) ? null : roleClaim.strip();
        principalClaim = (principalClaim == null) ? null : principalClaim.strip();
    }
}
