/** The only package that touches PGConnection and CopyManager: COPY statements, the row encoder and the writer. */
package dev.bulkload.copy;
