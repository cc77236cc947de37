package dev.bulkload.training;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The AOT cache's training run (off unless asked for; never in a deployment).
 * @param enabled load the training set once the service is ready, then exit (0 when every load answered as
 * expected, 1 otherwise)
 * @param rounds how many times the whole set of small loads is sent (each round: every format, mode and method)
 * @param table the table the run creates in schema public, loads and drops; it must not hold anything of value
 * @param apiKey the API key the run's requests carry when security is on (its SHA-256 configured as a key with
 * the grant public.*)
 */
@ConfigurationProperties("bulkload.training")
@Validated
record TrainingProperties(@DefaultValue("false") boolean enabled, @DefaultValue("40") @Min(1) int rounds,
        @DefaultValue("bulkload_aot_training") @NotBlank String table, @DefaultValue("") String apiKey) {
}
