package dev.bulkload.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

/** An RS256 key pair made for the test run, its public key as a PEM file, and tokens signed with it (or not). */
final class JwtFixture {

    static final String AUDIENCE = "bulk-loader";

    private final KeyPair keys = generate();

    private final KeyPair otherKeys = generate();

    private final Path publicKeyPem;

    JwtFixture() {
        try {
            this.publicKeyPem = Files.createTempFile("bulkload-jwt", ".pem");
            this.publicKeyPem.toFile().deleteOnExit();
            Files.writeString(this.publicKeyPem, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(this.keys.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The value for {@code spring.security.oauth2.resourceserver.jwt.public-key-location}. */
    String publicKeyLocation() {
        return this.publicKeyPem.toUri().toString();
    }

    /** A valid token for {@code subject} with these space-separated scopes. */
    String token(String subject, String scope) {
        return sign(this.keys.getPrivate(), claims(subject, scope, AUDIENCE, Instant.now().plus(Duration.ofMinutes(5))));
    }

    /** A valid token for {@code subject} with these scopes and one more claim. */
    String token(String subject, String scope, String claim, Object value) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder(claims(subject, scope, AUDIENCE,
                Instant.now().plus(Duration.ofMinutes(5)))).claim(claim, value).build();
        return sign(this.keys.getPrivate(), claims);
    }

    /** A valid token with exactly these claims besides audience, issue and expiry times (no {@code sub} unless given). */
    String tokenWith(java.util.Map<String, Object> claims) {
        Instant expires = Instant.now().plus(Duration.ofMinutes(5));
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().audience(AUDIENCE)
            .issueTime(Date.from(expires.minus(Duration.ofMinutes(30))))
            .expirationTime(Date.from(expires));
        claims.forEach(builder::claim);
        return sign(this.keys.getPrivate(), builder.build());
    }

    /**
     * A valid token whose payload is this JSON object with audience, issue and expiry times added, sent as it is
     * written (a claim that is JSON {@code null} stays in the payload).
     */
    String tokenWithPayload(String jsonMembers) {
        long now = Instant.now().getEpochSecond();
        String payload = "{\"aud\":\"" + AUDIENCE + "\",\"iat\":" + (now - 60) + ",\"exp\":" + (now + 300) + ","
                + jsonMembers + "}";
        try {
            JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.RS256), new Payload(payload));
            jws.sign(new RSASSASigner((RSAPrivateKey) this.keys.getPrivate()));
            return jws.serialize();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    String expired(String scope) {
        return sign(this.keys.getPrivate(), claims("alice", scope, AUDIENCE, Instant.now().minus(Duration.ofMinutes(10))));
    }

    String forAudience(String audience, String scope) {
        return sign(this.keys.getPrivate(), claims("alice", scope, audience, Instant.now().plus(Duration.ofMinutes(5))));
    }

    /** Well formed, but signed by a key the service does not know. */
    String signedByAnotherKey(String scope) {
        return sign(this.otherKeys.getPrivate(), claims("mallory", scope, AUDIENCE,
                Instant.now().plus(Duration.ofMinutes(5))));
    }

    /** {@code alg: none}: no signature at all. */
    String unsigned(String scope) {
        return new PlainJWT(claims("mallory", scope, AUDIENCE, Instant.now().plus(Duration.ofMinutes(5)))).serialize();
    }

    private static JWTClaimsSet claims(String subject, String scope, String audience, Instant expires) {
        return new JWTClaimsSet.Builder().subject(subject)
            .audience(audience)
            .issueTime(Date.from(expires.minus(Duration.ofMinutes(30))))
            .expirationTime(Date.from(expires))
            .claim("scope", scope)
            .build();
    }

    private static String sign(PrivateKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
            jwt.sign(new RSASSASigner((RSAPrivateKey) key));
            return jwt.serialize();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
