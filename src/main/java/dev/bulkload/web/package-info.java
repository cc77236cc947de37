/** Cross-cutting web concerns only: the RFC 9457 problem-detail handler and the OpenAPI description. */
package dev.bulkload.web;
