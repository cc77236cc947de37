package dev.bulkload;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Keeps the dependencies pointing one way: web-facing features, then ingest, then the request body, idempotency,
 * readers and writers, the field mapping, then row and catalog.
 */
class ModularityTests {

    private static final JavaClasses CLASSES = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.bulkload");

    @Test
    void readersKnowNothingOfJdbcOrTheWeb() {
        noClasses().that()
            .resideInAnyPackage("dev.bulkload.csv..", "dev.bulkload.json..", "dev.bulkload.row..",
                    "dev.bulkload.mapping..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("java.sql..", "org.postgresql..", "org.springframework.jdbc..",
                    "org.springframework.web..", "jakarta.servlet..", "dev.bulkload.ingest..", "dev.bulkload.web..",
                    "dev.bulkload.copy..", "dev.bulkload.batch..", "dev.bulkload.jdbc..", "dev.bulkload.body..",
                    "dev.bulkload.idempotency..")
            .check(CLASSES);
    }

    /**
     * The field mapping sits between the readers and the writers: the CSV and JSON readers ask it where a field goes;
     * it knows only the table (catalog) and the row types, and nothing below the readers knows it.
     */
    @Test
    void theMappingKnowsOnlyTheCatalogAndRowsAndOnlyReadersAndIngestKnowIt() {
        classes().that()
            .resideInAPackage("dev.bulkload.mapping..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("dev.bulkload.mapping..", "dev.bulkload.catalog..", "dev.bulkload.row..", "java..")
            .check(CLASSES);
        noClasses().that()
            .resideInAnyPackage("dev.bulkload.catalog..", "dev.bulkload.row..", "dev.bulkload.copy..",
                    "dev.bulkload.batch..", "dev.bulkload.merge..", "dev.bulkload.jdbc..", "dev.bulkload.session..",
                    "dev.bulkload.registry..", "dev.bulkload.body..", "dev.bulkload.idempotency..",
                    "dev.bulkload.security..", "dev.bulkload.metrics..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.bulkload.mapping..")
            .check(CLASSES);
    }

    @Test
    void onlyTheCopyPackageTouchesCopyManager() {
        noClasses().that()
            .resideOutsideOfPackage("dev.bulkload.copy..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.postgresql.copy..")
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName("org.postgresql.PGConnection")
            .check(CLASSES);
    }

    @Test
    void jdbcStaysBelowIngest() {
        noClasses().that()
            .resideInAnyPackage("dev.bulkload.ingest..", "dev.bulkload.web..", "dev.bulkload.body..",
                    "dev.bulkload.idempotency..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("java.sql..", "org.postgresql..", "org.springframework.jdbc..", "dev.bulkload.jdbc..")
            .check(CLASSES);
    }

    @Test
    void securityKnowsOnlyTheCatalogAndOnlyWebFacingFeaturesKnowSecurity() {
        noClasses().that()
            .resideInAnyPackage("dev.bulkload.security..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.bulkload.ingest..", "dev.bulkload.web..", "dev.bulkload.jdbc..",
                    "dev.bulkload.copy..", "dev.bulkload.batch..", "dev.bulkload.merge..", "dev.bulkload.session..",
                    "dev.bulkload.body..", "dev.bulkload.idempotency..", "java.sql..", "org.springframework.jdbc..")
            .check(CLASSES);
        noClasses().that()
            .resideInAnyPackage("dev.bulkload.catalog..", "dev.bulkload.row..", "dev.bulkload.csv..",
                    "dev.bulkload.json..", "dev.bulkload.copy..", "dev.bulkload.batch..", "dev.bulkload.merge..",
                    "dev.bulkload.jdbc..", "dev.bulkload.session..", "dev.bulkload.metrics..", "dev.bulkload.body..",
                    "dev.bulkload.idempotency..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.bulkload.security..", "org.springframework.security..")
            .check(CLASSES);
    }

    /**
     * The registry is below ingest: ingest registers its loads through {@code RegisteredLoad} and keeps its JDBC
     * out of ingest; the registry knows nothing of ingest or of the web layer's problem types.
     */
    @Test
    void theRegistryKnowsNothingOfIngestOrTheWebLayer() {
        noClasses().that()
            .resideInAnyPackage("dev.bulkload.registry..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.bulkload.ingest..", "dev.bulkload.web..", "dev.bulkload.copy..",
                    "dev.bulkload.batch..", "dev.bulkload.merge..", "dev.bulkload.body..", "dev.bulkload.idempotency..")
            .check(CLASSES);
    }

    /**
     * The request body and idempotency are below ingest: the load use case wires them in (a {@code LoadRequest} is
     * a {@code KeyedRequest}, its chunked write a {@code ResumableWrite}), they know nothing of it. The body is the
     * lowest of the two: bytes off the wire, no database, no key.
     */
    @Test
    void theBodyAndIdempotencyKnowNothingOfIngest() {
        noClasses().that()
            .resideInAnyPackage("dev.bulkload.body..", "dev.bulkload.idempotency..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.bulkload.ingest..", "dev.bulkload.web..", "dev.bulkload.copy..",
                    "dev.bulkload.batch..", "dev.bulkload.merge..", "dev.bulkload.csv..", "dev.bulkload.json..")
            .check(CLASSES);
        noClasses().that()
            .resideInAnyPackage("dev.bulkload.body..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.bulkload.idempotency..", "dev.bulkload.registry..", "dev.bulkload.session..",
                    "dev.bulkload.catalog..")
            .check(CLASSES);
    }

    /** Traces are below everything: any package may ask for the current trace id; tracing knows none of them. */
    @Test
    void tracingKnowsNoOtherPackage() {
        noClasses().that()
            .resideInAnyPackage("dev.bulkload.tracing..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.bulkload.ingest..", "dev.bulkload.web..", "dev.bulkload.registry..",
                    "dev.bulkload.security..", "dev.bulkload.catalog..", "dev.bulkload.row..", "dev.bulkload.session..",
                    "dev.bulkload.body..", "dev.bulkload.idempotency..", "dev.bulkload.metrics..", "jakarta.servlet..",
                    "org.springframework.web..")
            .check(CLASSES);
    }

    @Test
    void lowerLayersDoNotReachUp() {
        noClasses().that()
            .resideInAnyPackage("dev.bulkload.copy..", "dev.bulkload.batch..", "dev.bulkload.catalog..",
                    "dev.bulkload.metrics..", "dev.bulkload.session..", "dev.bulkload.jdbc..", "dev.bulkload.merge..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.bulkload.ingest..", "dev.bulkload.web..", "dev.bulkload.body..",
                    "dev.bulkload.idempotency..")
            .check(CLASSES);
        noClasses().that()
            .resideInAnyPackage("dev.bulkload.ingest..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.bulkload.web..")
            .check(CLASSES);
    }

    /**
     * What a load asks for is read and checked before anything runs: the options know the payload's formats and the
     * types they are parsed into, never how a load runs, the database or the web layer around them.
     */
    @Test
    void theOptionsKnowNothingOfHowALoadRuns() {
        noClasses().that()
            .resideInAnyPackage("dev.bulkload.options..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.bulkload.ingest..", "dev.bulkload.web..", "dev.bulkload.registry..",
                    "dev.bulkload.copy..", "dev.bulkload.batch..", "dev.bulkload.merge..", "dev.bulkload.jdbc..",
                    "java.sql..")
            .check(CLASSES);
        noClasses().that()
            .resideInAnyPackage("dev.bulkload.catalog..", "dev.bulkload.row..", "dev.bulkload.csv..",
                    "dev.bulkload.json..", "dev.bulkload.body..", "dev.bulkload.session..", "dev.bulkload.mapping..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.bulkload.options..")
            .check(CLASSES);
    }
}
