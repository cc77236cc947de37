/**
 * Cross-cutting web concerns only: admission (requests beyond what the service holds are refused before their
 * body is read), RFC 9457 problems for every failure (the handler, the {@code /error}
 * page (which also renders the security filters' 401s) and Tomcat's own error report), closing connections whose body is left unread, and the OpenAPI
 * description.
 */
package dev.bulkload.web;
