package dev.bulkload.ingest;

import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.test.context.ContextConfiguration;

import dev.bulkload.ThroughPgBouncer;

/**
 * {@link BadRowMatrixTests} through PgBouncer in session pooling, on a slice of the matrix (the whole of it twice
 * more would add minutes to every build): every {@code onError=skip} cell of the CSV matrix (every mode, method and
 * atomicity against every kind of bad record: staging, type validation, set-based checks, isolation under
 * savepoints) and its {@code abort} cells for {@code method=batch}, then the mixed-field-set cells of upsert and
 * update; and the class's other tests whole.
 */
@ContextConfiguration(initializers = ThroughPgBouncer.Session.class)
@ExtendWith(ThroughPgBouncer.Required.class)
class BadRowMatrixThroughSessionPoolingTests extends BadRowMatrixTests {

    static Stream<Case> matrix() {
        return BadRowMatrixTests.matrix().filter((c) -> c.onError().equals("skip") || c.method().equals("batch"));
    }

    static Stream<Case> mixedFieldSetMatrix() {
        return BadRowMatrixTests.mixedFieldSetMatrix()
            .filter((c) -> (c.mode().equals("upsert") || c.mode().equals("update")) && c.onError().equals("skip"));
    }
}
