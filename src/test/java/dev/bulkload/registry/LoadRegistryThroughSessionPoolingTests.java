package dev.bulkload.registry;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.test.context.ContextConfiguration;

import dev.bulkload.ThroughPgBouncer;

/** {@link LoadRegistryTests}, both replicas through PgBouncer in session pooling. */
@ContextConfiguration(initializers = ThroughPgBouncer.Session.class)
@ExtendWith(ThroughPgBouncer.Required.class)
class LoadRegistryThroughSessionPoolingTests extends LoadRegistryTests {
}
