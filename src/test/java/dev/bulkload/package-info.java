/** Tests of the whole service, and the test-run launcher with its embedded PostgreSQL. */
package dev.bulkload;
