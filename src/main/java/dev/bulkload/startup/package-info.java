/** Start-up failures explained in one line: what is missing or unreachable, and what to set. */
package dev.bulkload.startup;
