package dev.bulkload;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;

/**
 * Points a test's application context at the {@link TestDatabase} through {@link PgBouncer}, with
 * {@code bulkload.database.pooling} set to the pooler's mode: a test class that runs through a pooler names one of
 * the nested initializers in its {@code @ContextConfiguration} (after {@link TestDatabaseInitializer}, whose URL it
 * replaces) and extends with {@link Required}, which skips it, saying why, where PgBouncer is not installed.
 */
public abstract class ThroughPgBouncer implements ApplicationContextInitializer<ConfigurableApplicationContext>, Ordered {

    private final PgBouncer.Mode mode;

    ThroughPgBouncer(PgBouncer.Mode mode) {
        this.mode = mode;
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        PgBouncer bouncer = PgBouncer.of(this.mode);
        TestPropertyValues.of("spring.datasource.url=" + bouncer.url(),
                "bulkload.database.pooling=" + this.mode.property())
            .applyTo(context);
    }

    @Override
    public int getOrder() {
        // after TestDatabaseInitializer: the pooler's URL wins
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** PgBouncer in session mode. */
    public static class Session extends ThroughPgBouncer {

        public Session() {
            super(PgBouncer.Mode.SESSION);
        }
    }

    /** PgBouncer in transaction mode. */
    public static class Transaction extends ThroughPgBouncer {

        public Transaction() {
            super(PgBouncer.Mode.TRANSACTION);
        }
    }

    /** Skips the test class where PgBouncer is not installed (a JUnit assumption with the reason), except in CI. */
    public static class Required implements BeforeAllCallback {

        @Override
        public void beforeAll(ExtensionContext context) {
            PgBouncer.assumeAvailable();
        }
    }
}
