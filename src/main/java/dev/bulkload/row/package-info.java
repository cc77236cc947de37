/** Tiny shared types between payload readers, database writers and the load use case. */
package dev.bulkload.row;
