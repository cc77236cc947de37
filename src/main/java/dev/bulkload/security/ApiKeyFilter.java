package dev.bulkload.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request carrying {@code X-API-Key} (or {@code Authorization: ApiKey <key>}, the only custom
 * header a Prometheus scrape can send); a wrong key is answered 401 at once.
 */
final class ApiKeyFilter extends OncePerRequestFilter {

    static final String HEADER = "X-API-Key";

    private static final String AUTHORIZATION_SCHEME = "ApiKey ";

    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    private final ApiKeys keys;

    private final AuthenticationEntryPoint entryPoint;

    ApiKeyFilter(ApiKeys keys, AuthenticationEntryPoint entryPoint) {
        this.keys = keys;
        this.entryPoint = entryPoint;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = presentedKey(request);
        if (key == null) {
            chain.doFilter(request, response);
            return;
        }
        Authentication authenticated;
        try {
            authenticated = this.keys.authenticate(ApiKeyAuthentication.presented(key));
        }
        catch (AuthenticationException ex) {
            this.contexts.clearContext();
            this.entryPoint.commence(request, response, ex);
            return;
        }
        SecurityContext context = this.contexts.createEmptyContext();
        context.setAuthentication(authenticated);
        this.contexts.setContext(context);
        chain.doFilter(request, response);
    }

    private static String presentedKey(HttpServletRequest request) {
        String key = request.getHeader(HEADER);
        if (key != null) {
            return key;
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, AUTHORIZATION_SCHEME, 0,
                AUTHORIZATION_SCHEME.length())) {
            return authorization.substring(AUTHORIZATION_SCHEME.length()).trim();
        }
        return null;
    }
}
