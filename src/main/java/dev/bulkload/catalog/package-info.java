/** Which tables and columns may be loaded, read from pg_catalog, and the one place identifiers are quoted. */
package dev.bulkload.catalog;
