package dev.bulkload.ingest;

import java.math.BigDecimal;

import org.springdoc.core.customizers.OperationCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Puts the configured bounds of a load's parameters into the OpenAPI description, where annotations cannot. */
@Configuration(proxyBeanMethods = false)
class LoadApiDocumentation {

    /** {@code batchSize}'s maximum is {@code bulkload.load.max-batch-size}, so Swagger UI can check it. */
    @Bean
    OperationCustomizer batchSizeBounds(LoadProperties properties) {
        return (operation, handler) -> {
            if (handler.getBeanType() == LoadController.class && operation.getParameters() != null) {
                operation.getParameters()
                    .stream()
                    .filter((parameter) -> "batchSize".equals(parameter.getName()) && parameter.getSchema() != null)
                    .forEach((parameter) -> parameter.getSchema()
                        .setMaximum(BigDecimal.valueOf(properties.maxBatchSize())));
            }
            return operation;
        };
    }
}
