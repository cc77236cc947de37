package dev.bulkload.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

import dev.bulkload.catalog.LoadableTable;

/** Scopes to table grants: globs, the read scope, bare scopes, malformed ones, and security switched off. */
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
        assertThat(this.grants.callerName()).isEqualTo("alice");
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

    private static void authenticate(String... authorities) {
        TestingAuthenticationToken token = new TestingAuthenticationToken("alice", null, authorities);
        token.setAuthenticated(true);
        SecurityContextHolder.getContext().setAuthentication(token);
    }
}
