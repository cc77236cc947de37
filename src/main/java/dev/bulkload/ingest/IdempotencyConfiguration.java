package dev.bulkload.ingest;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.bulkload.idempotency.Idempotency;
import dev.bulkload.registry.IdempotencyKeys;

/** Gives loads their Idempotency-Keys: a replay answers with a {@link LoadReport}, listing as many rejects as a report does. */
@Configuration(proxyBeanMethods = false)
class IdempotencyConfiguration {

    @Bean
    Idempotency idempotency(IdempotencyKeys keys, JsonMapper json, LoadProperties properties) {
        return new Idempotency(keys, json, LoadReport.class, properties.maxRejectsReported());
    }
}
