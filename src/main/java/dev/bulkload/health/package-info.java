/**
 * The service facing an unreachable database: readiness that says DOWN within a bound, and connections
 * that give up on a server gone silent.
 */
package dev.bulkload.health;
