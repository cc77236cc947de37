/** A table made from a payload ({@code create=true}): column names and types from a bounded sample, and the DDL. */
package dev.bulkload.create;
