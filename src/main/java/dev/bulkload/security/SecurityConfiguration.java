package dev.bulkload.security;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.context.support.WebApplicationContextUtils;

/**
 * The one security filter chain: stateless, no sessions or cookies (so no CSRF to defend against), JWT bearer
 * tokens when Spring Boot's {@code spring.security.oauth2.resourceserver.jwt.*} configures a decoder, API keys
 * when {@code bulkload.security.api-keys} lists any. Health, info and (unless turned off) the API docs are open;
 * everything else needs credentials; which tables a caller may load is {@link TableGrants}' business.
 * <p>
 * With {@code management.server.port} set to a port of its own, Spring Boot runs the actuator in a child
 * context that still passes through these filter chains; a first chain matches only requests served by that
 * management context and lets them all through (the port is meant for the cluster's network only, and a
 * Prometheus scrape then needs no key). The main port then has no {@code /actuator} at all; its probes are
 * {@code /livez} and {@code /readyz} ({@code management.endpoint.health.probes.add-additional-paths}).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger logger = LoggerFactory.getLogger(SecurityConfiguration.class);

    private static final String[] PROBES = { "/actuator/health", "/actuator/health/**", "/actuator/info", "/livez",
            "/readyz" };

    /** Spring Boot's server namespace of the actuator's child context on {@code management.server.port}. */
    private static final String MANAGEMENT_NAMESPACE = "management";

    /** Requests served by the management context on a port of its own; never a request on the main port. */
    static final RequestMatcher MANAGEMENT_PORT = (request) -> WebServerApplicationContext.hasServerNamespace(
            WebApplicationContextUtils.getWebApplicationContext(request.getServletContext()), MANAGEMENT_NAMESPACE);

    private static final String[] DOCS = { "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml", "/swagger-ui.html",
            "/swagger-ui/**" };

    /** The load page: static files holding no data; what it asks the API for needs credentials like any client. */
    private static final String[] PAGE = { "/", "/index.html", "/load.css", "/load.js", "/recent.css", "/recent.js",
        "/favicon.svg", "/favicon.ico" };

    /** A bean, so that Spring Boot's generated in-memory user (and its logged password) never appears. */
    @Bean
    ApiKeys apiKeys(SecurityProperties properties) {
        return new ApiKeys(properties.apiKeys());
    }

    /**
     * Spring Security's firewall, but letting a semicolon through: table names may hold one (sent as
     * {@code %3B}), the catalog finds them by bound parameters, and every path outside the open probes and
     * docs needs the same credentials, so a path parameter cannot reach a rule it should not.
     */
    @Bean
    HttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowSemicolon(true);
        return firewall;
    }

    /**
     * No observation around each security filter: with them on, a 10-row load spent more time wrapping, timing
     * and tagging the chain's dozen filters than writing its rows. The load's own metrics and Spring's
     * {@code http.server.requests} stay.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /** Everything on a separate management port is open: no credentials, no sessions. */
    @Bean
    @Order(0)
    SecurityFilterChain managementPortFilterChain(HttpSecurity http) throws Exception {
        return http.securityMatcher(MANAGEMENT_PORT)
            .csrf((csrf) -> csrf.disable())
            .sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .requestCache((cache) -> cache.disable())
            .httpBasic((basic) -> basic.disable())
            .formLogin((form) -> form.disable())
            .logout((logout) -> logout.disable())
            .authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
            .build();
    }

    @Bean
    @Order(1)
    SecurityFilterChain securityFilterChain(HttpSecurity http, SecurityProperties properties, ApiKeys keys,
            ObjectProvider<JwtDecoder> jwtDecoders, JwtClaimProperties claims,
            ObjectProvider<JwtAuthenticationConverter> jwtConverters) throws Exception {
        http.csrf((csrf) -> csrf.disable())
            .sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .requestCache((cache) -> cache.disable())
            .httpBasic((basic) -> basic.disable())
            .formLogin((form) -> form.disable())
            .logout((logout) -> logout.disable());
        if (!properties.enabled()) {
            logger.warn("Security is OFF (bulkload.security.enabled=false): anyone who can reach this service "
                    + "may load rows into every allowed table");
            return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
        }
        boolean jwt = jwtDecoders.getIfAvailable() != null;
        if (!jwt && keys.isEmpty()) {
            throw new NoAuthenticationConfiguredException();
        }
        ChallengeEntryPoint entryPoint = new ChallengeEntryPoint(jwt, !keys.isEmpty());
        http.authorizeHttpRequests((requests) -> {
            requests.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
            requests.requestMatchers(PROBES).permitAll();
            requests.requestMatchers(PAGE).permitAll();
            // who the caller is: answered without credentials too (it says so); wrong ones are refused by the filters
            requests.requestMatchers(HttpMethod.GET, "/api/v1/me").permitAll();
            if (properties.docsPublic()) {
                requests.requestMatchers(DOCS).permitAll();
            }
            // reading the tables again costs each table a catalog read: only for callers with a load or read scope
            requests.requestMatchers(HttpMethod.POST, "/api/v1/tables/refresh")
                .access((authentication, context) -> new AuthorizationDecision(
                        TableGrants.mayRefresh(authentication.get())));
            requests.anyRequest().authenticated();
        })
            // a caller authenticated but refused by a rule here (the refresh): 403, rendered as a problem by the
            // container's error page like the 401 (the resource server's default handler would send no body)
            .exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(entryPoint)
                .accessDeniedHandler((request, response, denied) -> response.sendError(HttpServletResponse.SC_FORBIDDEN)))
            .addFilterBefore(new ApiKeyFilter(keys, entryPoint), BearerTokenAuthenticationFilter.class);
        if (jwt) {
            // Spring Boot's converter, when its properties make one, still reads the scopes; the caller's name is ours
            CallerJwtConverter converter = new CallerJwtConverter(
                    jwtConverters.getIfAvailable(JwtAuthenticationConverter::new), claims.principalClaim());
            http.oauth2ResourceServer((resourceServer) -> resourceServer
                .jwt((jwtTokens) -> jwtTokens.jwtAuthenticationConverter(converter))
                .authenticationEntryPoint(entryPoint));
        }
        logger.info("Security on: {}{}", jwt ? "JWT bearer tokens" : "",
                keys.isEmpty() ? "" : (jwt ? " and " : "") + "API keys (" + properties.apiKeys().size() + ")");
        return http.build();
    }
}
