package dev.bulkload.training;

/**
 * One load of the training run and what it must answer: the query, the body, its content type, the status and,
 * for a 200, the rows the report must say were rejected.
 */
record TrainingLoad(String query, String contentType, String body, int status, int rejected) {
}
