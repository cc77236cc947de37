package dev.bulkload.registry;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.bulkload.PgBouncer;
import dev.bulkload.ThroughPgBouncer;

/**
 * {@link LostCommitTests} with the proxy that cuts at a COMMIT in front of PgBouncer in transaction pooling: the
 * COMMIT whose answer is lost is resolved from the registry row on whichever backend the next transaction reaches.
 */
@ExtendWith(ThroughPgBouncer.Required.class)
class LostCommitThroughTransactionPoolingTests extends LostCommitTests {

    @BeforeAll
    static void startReplicaBehindProxy() throws Exception {
        startReplicaBehindProxy(PgBouncer.of(PgBouncer.Mode.TRANSACTION).url(), "transaction");
    }
}
