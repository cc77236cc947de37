/**
 * What Tomcat does before any of the service's Spring code runs: the admission gate that answers a burst with 503,
 * the problem+json body of Tomcat's own error answers, closing connections whose body was not read, and the
 * connector's body timeouts.
 */
package dev.bulkload.web.tomcat;
