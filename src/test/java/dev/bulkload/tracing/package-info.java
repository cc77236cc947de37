/** Tests of the service's traces: spans over OTLP, trace ids in problems, logs, the registry and exemplars. */
package dev.bulkload.tracing;
