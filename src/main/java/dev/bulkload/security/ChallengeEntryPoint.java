package dev.bulkload.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers a request without valid credentials: 401 with a {@code WWW-Authenticate} challenge for each scheme
 * configured. The body is left to the container's error page, which renders every status as a problem
 * ({@code urn:bulkload:problem:unauthorized}), so the security filters need no problem writer of their own.
 */
final class ChallengeEntryPoint implements AuthenticationEntryPoint {

    private static final String REALM = "realm=\"bulk-loader\"";

    private final boolean bearer;

    private final boolean apiKey;

    ChallengeEntryPoint(boolean bearer, boolean apiKey) {
        this.bearer = bearer;
        this.apiKey = apiKey;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException failure) throws IOException {
        if (this.bearer) {
            // RFC 6750: say the token was bad (not just absent), never why in detail
            response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer " + REALM
                    + ((failure instanceof InvalidBearerTokenException) ? ", error=\"invalid_token\"" : ""));
        }
        if (this.apiKey) {
            response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "ApiKey " + REALM + ", header=\"" + ApiKeyFilter.HEADER
                    + "\"");
        }
        if (failure instanceof PrincipalClaimException) {
            // the token is valid but names nobody: say which claim it lacks (nothing secret about that)
            request.setAttribute(ChallengeDetail.ATTRIBUTE, failure.getMessage());
        }
        response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
    }
}
