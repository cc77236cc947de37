/** One class owning every bulkload meter name and tag. */
package dev.bulkload.metrics;
