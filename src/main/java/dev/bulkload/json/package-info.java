/** JSON arrays and NDJSON to records, with Jackson 3's streaming parser; no JDBC, no web. */
package dev.bulkload.json;
