/** Tests of authentication and per-table grants, over real HTTP with security on. */
package dev.bulkload.security;
