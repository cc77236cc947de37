package dev.bulkload;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP against the running service, for end-to-end tests. */
public final class LoadClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final String base;

    public LoadClient(int port) {
        this.base = "http://localhost:" + port;
    }

    /** POSTs a body to {@code /api/v1/tables/{table}/rows?query}. */
    public Response load(String table, String query, String contentType, byte[] body, String... headers) {
        return post(rowsUri(table, query), contentType, HttpRequest.BodyPublishers.ofByteArray(body), headers);
    }

    public Response load(String table, String query, String contentType, String body, String... headers) {
        return load(table, query, contentType, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** POSTs a streamed body, for payloads too large to build in memory. */
    public Response loadStream(String table, String query, String contentType, Supplier<InputStream> body,
            String... headers) {
        return post(rowsUri(table, query), contentType, HttpRequest.BodyPublishers.ofInputStream(body), headers);
    }

    /** POSTs a multipart/form-data upload with one part "file". */
    public Response upload(String table, String query, String filename, String partContentType, byte[] content) {
        return upload(table, query, filename, partContentType, content, new String[0]);
    }

    /** POSTs a multipart/form-data upload with one part "file", with header name/value pairs. */
    public Response upload(String table, String query, String filename, String partContentType, byte[] content,
            String... headers) {
        String boundary = "----bulkload-test-boundary";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\n" + ((partContentType != null) ? "Content-Type: " + partContentType + "\r\n" : "") + "\r\n")
            .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
        return post(rowsUri(table, query), "multipart/form-data; boundary=" + boundary,
                HttpRequest.BodyPublishers.ofByteArray(body), headers);
    }

    /** POSTs nothing to {@code path}, with header name/value pairs. */
    public Response post(String path, String... headers) {
        return post(URI.create(this.base + path), null, HttpRequest.BodyPublishers.noBody(), headers);
    }

    /** GETs {@code path}, with header name/value pairs. */
    public Response get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path)).GET();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    /** DELETEs {@code path}, with header name/value pairs. */
    public Response delete(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path)).DELETE();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    private URI rowsUri(String table, String query) {
        String path = "/api/v1/tables/" + java.net.URLEncoder.encode(table, StandardCharsets.UTF_8).replace("+", "%20")
                + "/rows";
        return URI.create(this.base + path + ((query != null && !query.isEmpty()) ? "?" + query : ""));
    }

    private Response post(URI uri, String contentType, HttpRequest.BodyPublisher body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response.headers().map());
        }
        catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * A response.
     * @param status the HTTP status
     * @param contentType the Content-Type header
     * @param body the body text
     * @param headers every response header
     */
    public record Response(int status, String contentType, String body, java.util.Map<String, java.util.List<String>> headers) {

        public String header(String name) {
            return this.headers.entrySet()
                .stream()
                .filter((e) -> e.getKey().equalsIgnoreCase(name))
                .map((e) -> e.getValue().get(0))
                .findFirst()
                .orElse(null);
        }

        public JsonNode json() {
            return JSON.readTree(this.body);
        }

        public long number(String field) {
            return json().get(field).asLong();
        }

        public String text(String field) {
            JsonNode node = json().get(field);
            return (node == null || node.isNull()) ? null : node.asString();
        }
    }
}
