/** Traces: the id of the trace the current work belongs to, and which finished spans are worth exporting. */
package dev.bulkload.tracing;
