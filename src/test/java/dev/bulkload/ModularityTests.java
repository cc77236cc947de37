package dev.bulkload;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the dependencies pointing one way: web-facing features, then ingest, then readers and writers, then row and catalog. */
class ModularityTests {

    private static final JavaClasses CLASSES = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.bulkload");

    @Test
    void readersKnowNothingOfJdbcOrTheWeb() {
        noClasses().that()
            .resideInAnyPackage("dev.bulkload.csv..", "dev.bulkload.json..", "dev.bulkload.row..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("java.sql..", "org.postgresql..", "org.springframework.jdbc..",
                    "org.springframework.web..", "jakarta.servlet..", "dev.bulkload.ingest..", "dev.bulkload.web..",
                    "dev.bulkload.copy..", "dev.bulkload.batch..", "dev.bulkload.jdbc..")
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
            .resideInAnyPackage("dev.bulkload.ingest..", "dev.bulkload.web..")
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
                    "java.sql..", "org.springframework.jdbc..")
            .check(CLASSES);
        noClasses().that()
            .resideInAnyPackage("dev.bulkload.catalog..", "dev.bulkload.row..", "dev.bulkload.csv..",
                    "dev.bulkload.json..", "dev.bulkload.copy..", "dev.bulkload.batch..", "dev.bulkload.merge..",
                    "dev.bulkload.jdbc..", "dev.bulkload.session..", "dev.bulkload.metrics..")
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
                    "dev.bulkload.batch..", "dev.bulkload.merge..")
            .check(CLASSES);
    }

    @Test
    void lowerLayersDoNotReachUp() {
        noClasses().that()
            .resideInAnyPackage("dev.bulkload.copy..", "dev.bulkload.batch..", "dev.bulkload.catalog..",
                    "dev.bulkload.metrics..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.bulkload.ingest..", "dev.bulkload.web..")
            .check(CLASSES);
        noClasses().that()
            .resideInAnyPackage("dev.bulkload.ingest..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.bulkload.web..")
            .check(CLASSES);
    }
}
