package dev.bulkload;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the bulk-loader service. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BulkLoaderApplication {

    public static void main(String[] args) {
        SpringApplication.run(BulkLoaderApplication.class, args);
    }
}
