/**
 * Cross-cutting web concerns only: RFC 9457 problems for every failure (the handler, the {@code /error}
 * page and Tomcat's own error report), closing connections whose body is left unread, and the OpenAPI
 * description.
 */
package dev.bulkload.web;
