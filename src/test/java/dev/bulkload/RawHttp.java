package dev.bulkload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP/1.1 over a plain socket, for what no client library sends: requests Tomcat refuses, and uploads
 * that stop halfway while the client waits for the answer.
 */
public final class RawHttp implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Socket socket;

    private long sent;

    public RawHttp(int port, Duration readTimeout) {
        try {
            this.socket = new Socket("localhost", port);
            this.socket.setSoTimeout((int) readTimeout.toMillis());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Sends the bytes; false when the server closed the connection first. */
    public boolean send(byte[] bytes) {
        try {
            this.socket.getOutputStream().write(bytes);
            this.socket.getOutputStream().flush();
            this.sent += bytes.length;
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    public boolean send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Stops sending (a half close): the server reads the end of the stream, the answer can still be read. */
    public void stopSending() {
        try {
            this.socket.shutdownOutput();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Bytes written so far. */
    public long sent() {
        return this.sent;
    }

    /**
     * Reads the response until the server closes the connection.
     * @throws UncheckedIOException when the server keeps the connection open past the read timeout
     */
    public Response readUntilClosed() {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            InputStream in = this.socket.getInputStream();
            for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                received.write(buffer, 0, n);
            }
        }
        catch (SocketException ex) {
            // a reset after the answer: the server closed with the client's unread bytes still queued
            if (received.size() == 0) {
                throw new UncheckedIOException(ex);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("No answer and no close; received so far: "
                    + received.toString(StandardCharsets.ISO_8859_1), ex);
        }
        return Response.parse(received.toByteArray());
    }

    /** The socket, for what a test does to the connection itself (a half close). */
    public Socket raw() {
        return this.socket;
    }

    @Override
    public void close() {
        try {
            this.socket.close();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * A response as it came over the wire.
     * @param status the status code
     * @param headers the headers, names in lower case
     * @param body the body, de-chunked
     */
    public record Response(int status, Map<String, String> headers, String body) {

        public String header(String name) {
            return this.headers.get(name.toLowerCase(Locale.ROOT));
        }

        public JsonNode json() {
            return JSON.readTree(this.body);
        }

        static Response parse(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                throw new IllegalStateException("Not an HTTP response: " + text);
            }
            String[] lines = text.substring(0, end).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
            String body = text.substring(end + 4);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = dechunk(body);
            }
            return new Response(status, headers,
                    new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        }

        private static String dechunk(String chunked) {
            StringBuilder body = new StringBuilder();
            int at = 0;
            while (true) {
                int lineEnd = chunked.indexOf("\r\n", at);
                int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].trim(), 16);
                if (size == 0) {
                    return body.toString();
                }
                body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
                at = lineEnd + 2 + size + 2;
            }
        }
    }
}
