package dev.bulkload.security;

/** Security is on, but neither API keys nor JWT validation is configured: nobody could call the service. */
class NoAuthenticationConfiguredException extends IllegalStateException {

    static final String WHAT_TO_SET = "set bulkload.security.api-keys[0].name, .sha256 and .tables, or "
            + "spring.security.oauth2.resourceserver.jwt.issuer-uri (or .jwk-set-uri or .public-key-location), "
            + "or bulkload.security.enabled=false for a service nobody else can reach";

    NoAuthenticationConfiguredException() {
        super("bulkload.security.enabled is true but no way to authenticate is configured: " + WHAT_TO_SET);
    }
}
