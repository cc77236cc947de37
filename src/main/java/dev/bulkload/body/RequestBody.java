package dev.bulkload.body;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;

import dev.bulkload.row.PayloadTooLargeException;

/**
 * The request body as a load reads it: refused before anything else when its declared length is over
 * {@code max-body-size}; otherwise counted against that limit as it arrives (every multipart part
 * included, not only the file) and cut when the client sends too slowly.
 */
public final class RequestBody {

    private RequestBody() {
    }

    /**
     * @param max the most bytes the body may hold
     * @param minBytesPerSecond the least average rate the body must arrive at; 0 for no minimum
     * @param rateWindowNanos the time spent waiting for the body over which its rate is averaged
     */
    public static InputStream open(HttpServletRequest request, long max, long minBytesPerSecond, long rateWindowNanos)
            throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > max) {
            throw new PayloadTooLargeException(
                    "The request body (Content-Length " + declared + ") is larger than the limit of " + max + " bytes");
        }
        InputStream counted = new CountingInputStream(new ClientConnectionStream(request.getInputStream()), max,
                "The request body");
        return new UploadPace(counted, minBytesPerSecond, rateWindowNanos);
    }
}
