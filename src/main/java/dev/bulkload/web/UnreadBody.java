package dev.bulkload.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;

/**
 * Tells whether a request body still has bytes nobody read. A failure answered while the client is
 * still sending should close the connection: otherwise Tomcat keeps reading (swallowing) the rest of
 * the upload before the connection can serve another request.
 */
final class UnreadBody {

    private UnreadBody() {
    }

    static boolean remainsIn(HttpServletRequest request) {
        // without Content-Length or Transfer-Encoding an HTTP/1.1 request has no body at all
        if (request.getContentLengthLong() == 0 || (request.getContentLengthLong() < 0
                && request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null)) {
            return false;
        }
        try {
            return !request.getInputStream().isFinished();
        }
        catch (IOException | IllegalStateException ex) {
            // the stream is broken, or was taken as a reader: closing is the answer that cannot go wrong
            return true;
        }
    }
}
