package dev.bulkload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/** The whole service on a random port against the real {@link TestDatabase}; one context shared by all such tests. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "bulkload.limits.max-field-size=1MB", "bulkload.limits.max-record-size=4MB",
                "bulkload.limits.max-body-size=64MB", "bulkload.limits.max-decompressed-size=64MB",
                "bulkload.limits.max-json-depth=16", "bulkload.load.batch-size=1000",
                // the loads themselves are under test here; SecurityTests runs a context with security on
                "bulkload.security.enabled=false" })
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
public @interface BulkLoaderTest {
}
