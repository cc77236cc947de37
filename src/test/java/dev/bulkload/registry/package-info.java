/** Tests of the load registry: following, cancelling and downloading rejects across replicas; retention; lost COMMITs. */
package dev.bulkload.registry;
