/** JDBC batch writer (reWriteBatchedInserts) and the INSERT statement builder. */
package dev.bulkload.batch;
