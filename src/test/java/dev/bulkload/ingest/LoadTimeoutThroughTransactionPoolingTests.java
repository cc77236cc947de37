package dev.bulkload.ingest;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.test.context.ContextConfiguration;

import dev.bulkload.ThroughPgBouncer;

/**
 * {@link LoadTimeoutTests} through PgBouncer in transaction pooling, where a wait limit set once on a connection
 * would be lost on the next backend: each transaction of a load sets its own.
 */
@ContextConfiguration(initializers = ThroughPgBouncer.Transaction.class)
@ExtendWith(ThroughPgBouncer.Required.class)
class LoadTimeoutThroughTransactionPoolingTests extends LoadTimeoutTests {
}
