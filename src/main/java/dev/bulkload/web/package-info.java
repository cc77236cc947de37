/**
 * Cross-cutting web concerns inside Spring: RFC 9457 problems for every failure (the handler, the {@code /error}
 * page, which also renders the security filters' 401s, their trace ids and types), answers at shutdown, strict
 * query parameters, and the OpenAPI description. What Tomcat does before Spring (admission, its own error report,
 * closing unread bodies) is {@link dev.bulkload.web.tomcat}.
 */
package dev.bulkload.web;
