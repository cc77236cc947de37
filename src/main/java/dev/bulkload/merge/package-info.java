/**
 * Staged writes: rows go into a temporary table first, are checked there set-based (NOT NULL,
 * CHECK, foreign keys, unique keys), deduplicated by key, and merged into the table by mode.
 */
package dev.bulkload.merge;
