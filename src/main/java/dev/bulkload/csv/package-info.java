/** CSV bytes to records with line numbers: RFC 4180 quoting, no JDBC, no web. */
package dev.bulkload.csv;
