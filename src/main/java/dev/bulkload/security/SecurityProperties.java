package dev.bulkload.security;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import dev.bulkload.catalog.TableGlob;

/**
 * Authentication and per-table grants. JWTs are configured by Spring Boot's own
 * {@code spring.security.oauth2.resourceserver.jwt.*}; API keys here.
 * @param enabled whether callers must authenticate; off only for demos and tests
 * @param docsPublic whether {@code /v3/api-docs} and Swagger UI answer without credentials
 * @param apiKeys the accepted API keys; several at once, so a key can be rotated without downtime
 */
@ConfigurationProperties("bulkload.security")
@Validated
public record SecurityProperties(@DefaultValue("true") boolean enabled, @DefaultValue("true") boolean docsPublic,
        @DefaultValue @NotNull List<@Valid @NotNull ApiKey> apiKeys) {

    /**
     * One API key, held only as its digest.
     * @param name who holds the key; the principal's name in logs
     * @param sha256 the hex SHA-256 of the key ({@code printf %s "$KEY" | sha256sum}); never the key itself
     * @param tables the {@code schema.table} globs the key may load, as in a {@code bulkload:load:} scope
     * @param role the database role the key's loads run as ({@code SET LOCAL ROLE}); none means the service's
     *        own database user
     * @param createTables the {@code schema.table} globs of tables the key may create with {@code create=true}, as
     *        in a {@code bulkload:create:} scope (creating also needs a {@code tables} glob for the table)
     */
    public record ApiKey(@NotBlank String name,
            @NotNull @Pattern(regexp = "[0-9a-fA-F]{64}", message = "must be 64 hex digits (a SHA-256)") String sha256,
            @DefaultValue @NotNull List<@Pattern(regexp = TableGlob.FORM, message = TableGlob.FORM_MESSAGE) String> tables,
            String role,
            @DefaultValue @NotNull List<@Pattern(regexp = TableGlob.FORM, message = TableGlob.FORM_MESSAGE) String> createTables) {

        @ConstructorBinding
        public ApiKey {
            createTables = (createTables != null) ? createTables : List.of();
        }

        /** A key that may create no table. */
        public ApiKey(String name, String sha256, List<String> tables, String role) {
            this(name, sha256, tables, role, List.of());
        }
    }
}
