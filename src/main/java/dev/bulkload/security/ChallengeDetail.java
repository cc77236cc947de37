package dev.bulkload.security;

import jakarta.servlet.http.HttpServletRequest;

/**
 * What a 401 may tell the caller beyond "credentials missing or not valid", left on the request for the error page
 * that renders the problem: only for a token that is valid but lacks the claim naming its caller.
 */
public final class ChallengeDetail {

    static final String ATTRIBUTE = ChallengeDetail.class.getName();

    private ChallengeDetail() {
    }

    /** The detail for this request's 401, or null for the usual one. */
    public static String of(HttpServletRequest request) {
        return (request.getAttribute(ATTRIBUTE) instanceof String detail) ? detail : null;
    }
}
