package dev.bulkload.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.bulkload.RawHttp;

/** A load whose body the test sends piece by piece (HTTP chunked encoding), as slowly as it likes. */
final class ChunkedUpload implements AutoCloseable {

    private final RawHttp http;

    private CompletableFuture<RawHttp.Response> answer;

    ChunkedUpload(int port, String table, String query, String contentType) {
        this.http = new RawHttp(port, Duration.ofSeconds(60));
        this.http.send("POST /api/v1/tables/" + table + "/rows?" + query + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: " + contentType + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
    }

    /** Sends one piece of the body; false once the server closed the connection. */
    boolean send(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return this.http.send(Integer.toHexString(bytes.length) + "\r\n" + text + "\r\n");
    }

    /** Sends the last chunk: the body is complete. */
    boolean finish() {
        return this.http.send("0\r\n\r\n");
    }

    /** The answer, read in the background (the body may still be being sent). */
    synchronized CompletableFuture<RawHttp.Response> answer() {
        if (this.answer == null) {
            this.answer = CompletableFuture.supplyAsync(this.http::readUntilClosed);
        }
        return this.answer;
    }

    RawHttp raw() {
        return this.http;
    }

    @Override
    public void close() {
        this.http.close();
    }
}
