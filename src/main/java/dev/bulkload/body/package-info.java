/** The HTTP request body of a load: its bounds and pace, multipart and gzip, and the payload type it declares. */
package dev.bulkload.body;
