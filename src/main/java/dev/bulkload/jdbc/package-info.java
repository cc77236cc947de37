/** JDBC plumbing the writers share: what a PostgreSQL error means, and savepoints. */
package dev.bulkload.jdbc;
