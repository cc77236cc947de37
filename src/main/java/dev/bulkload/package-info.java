/** The bulk-loader service: streams JSON, NDJSON and CSV payloads into PostgreSQL tables. */
package dev.bulkload;
