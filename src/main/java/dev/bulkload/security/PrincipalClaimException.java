package dev.bulkload.security;

import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/** A valid token without the claim that names its caller ({@code bulkload.security.jwt.principal-claim}): a 401. */
class PrincipalClaimException extends InvalidBearerTokenException {

    PrincipalClaimException(String claim) {
        super("The token has no " + claim + " claim naming its caller (a non-empty string)");
    }
}
