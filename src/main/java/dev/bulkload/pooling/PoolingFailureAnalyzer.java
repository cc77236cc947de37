package dev.bulkload.pooling;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A wrong {@code bulkload.database.pooling}: what the connections do, and the value to set. */
class PoolingFailureAnalyzer extends AbstractFailureAnalyzer<PoolingMismatchException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PoolingMismatchException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
