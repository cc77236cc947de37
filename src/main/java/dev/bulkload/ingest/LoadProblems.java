package dev.bulkload.ingest;

import org.springframework.http.ProblemDetail;

/**
 * Describes a failed load as the RFC 9457 problem its client is answered with, so the registry records the same
 * problem the client gets. Implemented by the web layer, which owns the problem types.
 */
public interface LoadProblems {

    ProblemDetail problem(LoadFailedException failure);
}
