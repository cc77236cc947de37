/** Tests of what ships: the Dockerfile's rules, the layered jar it runs, and the Helm chart. */
package dev.bulkload.deploy;
