package dev.bulkload.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Checks an {@code X-API-Key} against the configured SHA-256 digests. Every digest is compared, each in
 * constant time, so neither which key matched nor how much of it did shows in the time taken.
 */
final class ApiKeys implements AuthenticationProvider {

    private static final MessageDigest SHA_256 = sha256Prototype();

    private final List<Entry> entries;

    ApiKeys(List<SecurityProperties.ApiKey> keys) {
        this.entries = keys.stream().map(Entry::of).toList();
    }

    boolean isEmpty() {
        return this.entries.isEmpty();
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String presented = (String) authentication.getCredentials();
        if (presented == null || presented.isEmpty()) {
            throw new BadCredentialsException("Empty API key");
        }
        byte[] digest = sha256(presented);
        Entry found = null;
        for (Entry entry : this.entries) {
            if (MessageDigest.isEqual(entry.sha256(), digest) && found == null) {
                found = entry;
            }
        }
        if (found == null) {
            throw new BadCredentialsException("Unknown API key");
        }
        List<SimpleGrantedAuthority> scopes = new ArrayList<>();
        found.key().tables().forEach((glob) -> scopes.add(
                new SimpleGrantedAuthority(TableGrants.AUTHORITY_PREFIX + TableGrants.LOAD_SCOPE + glob)));
        found.key().createTables().forEach((glob) -> scopes.add(
                new SimpleGrantedAuthority(TableGrants.AUTHORITY_PREFIX + TableGrants.CREATE_SCOPE + glob)));
        return ApiKeyAuthentication.verified(found.key().name(), found.key().role(), scopes);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return ApiKeyAuthentication.class.isAssignableFrom(authentication);
    }

    private static byte[] sha256(String key) {
        try {
            // a copy of one instance: looking the algorithm up among the providers cost more than the digest
            return ((MessageDigest) SHA_256.clone()).digest(key.getBytes(StandardCharsets.UTF_8));
        }
        catch (CloneNotSupportedException ex) {
            throw new IllegalStateException("The runtime's SHA-256 can be copied", ex);
        }
    }

    private static MessageDigest sha256Prototype() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("Every Java runtime has SHA-256", ex);
        }
    }

    private record Entry(SecurityProperties.ApiKey key, byte[] sha256) {

        static Entry of(SecurityProperties.ApiKey key) {
            return new Entry(key, HexFormat.of().parseHex(key.sha256().toLowerCase(Locale.ROOT)));
        }
    }
}
