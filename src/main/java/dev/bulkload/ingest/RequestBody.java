package dev.bulkload.ingest;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;

import dev.bulkload.row.PayloadTooLargeException;

/**
 * The request body as a load reads it: refused before anything else when its declared length is over
 * {@code max-body-size}; otherwise counted against that limit as it arrives (every multipart part
 * included, not only the file) and cut when the client sends too slowly.
 */
final class RequestBody {

    private RequestBody() {
    }

    static InputStream open(HttpServletRequest request, LimitsProperties limits) throws IOException {
        long max = limits.maxBodySize().toBytes();
        long declared = request.getContentLengthLong();
        if (declared > max) {
            throw new PayloadTooLargeException(
                    "The request body (Content-Length " + declared + ") is larger than the limit of " + max + " bytes");
        }
        InputStream counted = new CountingInputStream(new ClientConnectionStream(request.getInputStream()), max,
                "The request body");
        return new UploadPace(counted, limits.minUploadRate().toBytes(), limits.uploadRateWindow().toNanos());
    }
}
