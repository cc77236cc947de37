package dev.bulkload.registry;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.test.context.ContextConfiguration;

import dev.bulkload.ThroughPgBouncer;

/** {@link LoadRegistryTests}, both replicas through PgBouncer in transaction pooling. */
@ContextConfiguration(initializers = ThroughPgBouncer.Transaction.class)
@ExtendWith(ThroughPgBouncer.Required.class)
class LoadRegistryThroughTransactionPoolingTests extends LoadRegistryTests {
}
