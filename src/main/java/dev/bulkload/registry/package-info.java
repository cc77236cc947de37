/** The load registry: every load's row in {@code bulkload.loads}, its progress, stored rejects, cancellation and retention. */
package dev.bulkload.registry;
