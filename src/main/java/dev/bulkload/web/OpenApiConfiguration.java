package dev.bulkload.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document's title and description; operations describe themselves. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI bulkLoaderOpenApi() {
        return new OpenAPI().info(new Info().title("bulk-loader")
            .version("v1")
            .description("Streams CSV, JSON arrays and NDJSON into PostgreSQL with COPY or JDBC batches, "
                    + "in transactions, and reports what happened to every row. Errors are RFC 9457 problems."));
    }
}
