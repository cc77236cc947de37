/** How the service's database connections are pooled in front of PostgreSQL: the one setting, and its check at start. */
package dev.bulkload.pooling;
