/**
 * Field mapping: which table column each field of a payload (a CSV header name, a JSON key or a JSON Pointer into
 * the record) loads into, decided once per field name, between the readers and the writers; no JDBC, no web.
 */
package dev.bulkload.mapping;
