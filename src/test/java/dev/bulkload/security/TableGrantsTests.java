package dev.bulkload.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import dev.bulkload.catalog.LoadableTable;

/**
 * Scopes to table grants: globs, the read scope, bare scopes, malformed ones, and security switched off; callers'
 * names by kind, and the role claim's shapes.
 */
class TableGrantsTests {

    private static final LoadableTable USERS = new LoadableTable("public", "users", List.of(), List.of(), List.of());

    private static final LoadableTable ORDERS = new LoadableTable("sales", "orders", List.of(), List.of(), List.of());

    private final TableGrants grants = new TableGrants(new SecurityProperties(true, true, List.of()));

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void loadScopesGrantTheTablesTheirGlobsMatch() {
        authenticate("SCOPE_bulkload:load:public.*");
        this.grants.requireLoad(USERS);
        assertThatExceptionOfType(ForbiddenTableException.class).isThrownBy(() -> this.grants.requireLoad(ORDERS))
            .satisfies((ex) -> assertThat(ex.table()).isEqualTo("sales.orders"));
        assertThat(this.grants.visible(USERS)).isTrue();
        assertThat(this.grants.visible(ORDERS)).isFalse();
        assertThat(this.grants.callerName()).isEqualTo("other:alice");
    }

    @Test
    void readScopeShowsEverythingAndLoadsNothing() {
        authenticate("SCOPE_bulkload:read");
        assertThat(this.grants.visible(ORDERS)).isTrue();
        assertThatExceptionOfType(ForbiddenTableException.class).isThrownBy(() -> this.grants.requireLoad(USERS));
    }

    @Test
    void bareScopesCountMalformedOnesAndOtherAuthoritiesDoNot() {
        authenticate("bulkload:load:sales.*", "SCOPE_bulkload:load:users", "SCOPE_bulkload:load:", "ROLE_ADMIN",
                "SCOPE_bulkload:loadpublic.users");
        this.grants.requireLoad(ORDERS);
        assertThatExceptionOfType(ForbiddenTableException.class).isThrownBy(() -> this.grants.requireLoad(USERS));
    }

    @Test
    void withoutAuthenticationNothingIsGrantedUnlessSecurityIsOff() {
        assertThatExceptionOfType(ForbiddenTableException.class).isThrownBy(() -> this.grants.requireLoad(USERS));
        assertThat(this.grants.callerName()).isEqualTo("anonymous");
        TableGrants off = new TableGrants(new SecurityProperties(false, true, List.of()));
        off.requireLoad(USERS);
        assertThat(off.visible(ORDERS)).isTrue();
    }

    @Test
    void callersAreNamedByHowTheyAuthenticated() {
        SecurityContextHolder.getContext().setAuthentication(ApiKeyAuthentication.verified("alice", null, List.of()));
        assertThat(this.grants.identifiedCaller()).isEqualTo("key:alice");
        SecurityContextHolder.getContext().setAuthentication(jwt(Map.of("sub", "alice")));
        assertThat(this.grants.identifiedCaller()).isEqualTo("jwt:alice");
        TableGrants off = new TableGrants(new SecurityProperties(false, true, List.of()));
        assertThat(off.identifiedCaller()).isNull();
    }

    @Test
    void aConfiguredRoleClaimMustBeExactlyOneNonEmptyString() {
        TableGrants roles = new TableGrants(new SecurityProperties(true, true, List.of()),
                new JwtClaimProperties("sub", "db_role"));
        SecurityContextHolder.getContext().setAuthentication(jwt(Map.of("sub", "alice", "db_role", "tenant_a")));
        assertThat(roles.callerRole()).isEqualTo("tenant_a");
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("missing", null);
        bad.put("empty", "");
        bad.put("blank", " \t");
        bad.put("NUL", "tenant_a\0");
        bad.put("number", 42);
        bad.put("boolean", Boolean.TRUE);
        bad.put("list of one", List.of("tenant_a"));
        bad.put("array of one", new String[] { "tenant_a" });
        bad.put("object", Map.of("role", "tenant_a"));
        bad.forEach((what, value) -> {
            Map<String, Object> claims = new LinkedHashMap<>(Map.of("sub", "alice"));
            if (value != null) {
                claims.put("db_role", value);
            }
            SecurityContextHolder.getContext().setAuthentication(jwt(claims));
            assertThatExceptionOfType(RoleClaimException.class).as(what).isThrownBy(roles::callerRole)
                .satisfies((ex) -> assertThat(ex.claim()).isEqualTo("db_role"))
                .satisfies((ex) -> assertThat(ex.getMessage()).contains("db_role"));
        });
        // without a role claim configured, JWT callers load as the service's user; an API key's role is its own
        SecurityContextHolder.getContext().setAuthentication(jwt(Map.of("sub", "alice")));
        assertThat(this.grants.callerRole()).isNull();
        SecurityContextHolder.getContext().setAuthentication(ApiKeyAuthentication.verified("k", "feed", List.of()));
        assertThat(roles.callerRole()).isEqualTo("feed");
        SecurityContextHolder.getContext().setAuthentication(ApiKeyAuthentication.verified("k", null, List.of()));
        assertThat(roles.callerRole()).isNull();
    }

    private static JwtAuthenticationToken jwt(Map<String, Object> claims) {
        Jwt token = Jwt.withTokenValue("token").header("alg", "RS256").claims((all) -> all.putAll(claims)).build();
        return new JwtAuthenticationToken(token, List.of(), (String) claims.get("sub"));
    }

    private static void authenticate(String... authorities) {
        TestingAuthenticationToken token = new TestingAuthenticationToken("alice", null, authorities);
        token.setAuthenticated(true);
        SecurityContextHolder.getContext().setAuthentication(token);
    }
}
