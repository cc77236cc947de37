/** Pins one database connection to a load, so all of its transactions and temporary tables share it. */
package dev.bulkload.session;
