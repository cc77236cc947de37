package dev.bulkload.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/** API keys are matched by digest only, grant their tables as load scopes, and keep their role. */
class ApiKeysTests {

    private final ApiKeys keys = new ApiKeys(List.of(
            new SecurityProperties.ApiKey("old", SecurityTests.sha256("k1"), List.of("public.*"), null),
            new SecurityProperties.ApiKey("new", SecurityTests.sha256("k2").toUpperCase(), List.of("public.*",
                    "sales.orders"), "loader_new")));

    @Test
    void eitherKeyOfARotationAuthenticatesAsItsOwnName() {
        Authentication first = this.keys.authenticate(ApiKeyAuthentication.presented("k1"));
        Authentication second = this.keys.authenticate(ApiKeyAuthentication.presented("k2"));
        assertThat(first.getName()).isEqualTo("old");
        assertThat(first.isAuthenticated()).isTrue();
        assertThat(first.getCredentials()).isNull();
        assertThat(second.getName()).isEqualTo("new");
        assertThat(second.getAuthorities()).map(GrantedAuthority::getAuthority)
            .containsExactly("SCOPE_bulkload:load:public.*", "SCOPE_bulkload:load:sales.orders");
        assertThat(((ApiKeyAuthentication) second).role()).isEqualTo("loader_new");
    }

    @Test
    void anUnknownEmptyOrDigestPresentedKeyIsRefused() {
        for (String presented : new String[] { "k3", "", "K1", SecurityTests.sha256("k1") }) {
            assertThatExceptionOfType(BadCredentialsException.class)
                .isThrownBy(() -> this.keys.authenticate(ApiKeyAuthentication.presented(presented)));
        }
    }
}
