package dev.bulkload.tracing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An OTLP/HTTP traces endpoint of the test's own: accepts {@code POST /v1/traces} in protobuf (what the service's
 * exporter sends) and keeps every span it receives, decoded from the wire format by hand (the OTLP proto classes
 * are not on the classpath): trace and span ids, parent, name, attributes and status.
 */
final class OtlpReceiver implements AutoCloseable {

    private final HttpServer server;

    private final List<ExportedSpan> spans = new CopyOnWriteArrayList<>();

    private final List<String> contentTypes = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    static OtlpReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            OtlpReceiver receiver = new OtlpReceiver(server);
            server.createContext("/v1/traces", receiver::receive);
            server.start();
            return receiver;
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The endpoint to give {@code management.opentelemetry.tracing.export.otlp.endpoint}. */
    String endpoint() {
        return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1/traces";
    }

    /** Every span received so far. */
    List<ExportedSpan> spans() {
        return List.copyOf(this.spans);
    }

    /** The spans of one trace received so far. */
    List<ExportedSpan> trace(String traceId) {
        return this.spans.stream().filter((span) -> span.traceId().equals(traceId)).toList();
    }

    /** The Content-Types of the requests received. */
    List<String> contentTypes() {
        return List.copyOf(this.contentTypes);
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            this.contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            InputStream in = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                in = new GZIPInputStream(in);
            }
            byte[] body = in.readAllBytes();
            this.spans.addAll(decodeRequest(body));
            // an empty ExportTraceServiceResponse: all accepted
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    @Override
    public void close() {
        this.server.stop(0);
    }

    /** ExportTraceServiceRequest: resource_spans (1) of scope_spans (2) of spans (2). */
    static List<ExportedSpan> decodeRequest(byte[] body) {
        List<ExportedSpan> spans = new ArrayList<>();
        for (Field resourceSpans : fields(body)) {
            if (resourceSpans.number() != 1) {
                continue;
            }
            for (Field scopeSpans : fields(resourceSpans.bytes())) {
                if (scopeSpans.number() != 2) {
                    continue;
                }
                for (Field span : fields(scopeSpans.bytes())) {
                    if (span.number() == 2) {
                        spans.add(decodeSpan(span.bytes()));
                    }
                }
            }
        }
        return spans;
    }

    private static ExportedSpan decodeSpan(byte[] bytes) {
        HexFormat hex = HexFormat.of();
        String traceId = "";
        String spanId = "";
        String parentId = "";
        String name = "";
        int statusCode = 0;
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (Field field : fields(bytes)) {
            switch (field.number()) {
                case 1 -> traceId = hex.formatHex(field.bytes());
                case 2 -> spanId = hex.formatHex(field.bytes());
                case 4 -> parentId = hex.formatHex(field.bytes());
                case 5 -> name = field.text();
                case 9 -> {
                    String key = null;
                    Object value = null;
                    for (Field part : fields(field.bytes())) {
                        if (part.number() == 1) {
                            key = part.text();
                        }
                        else if (part.number() == 2) {
                            value = anyValue(part.bytes());
                        }
                    }
                    attributes.put(key, value);
                }
                case 15 -> {
                    for (Field part : fields(field.bytes())) {
                        if (part.number() == 3) {
                            statusCode = (int) part.varint();
                        }
                    }
                }
                default -> {
                    // kind, times, events, links, flags: not needed here
                }
            }
        }
        return new ExportedSpan(traceId, spanId, parentId, name, attributes, statusCode);
    }

    /** AnyValue: string (1), bool (2), int (3), double (4). */
    private static Object anyValue(byte[] bytes) {
        for (Field field : fields(bytes)) {
            switch (field.number()) {
                case 1 -> {
                    return field.text();
                }
                case 2 -> {
                    return field.varint() != 0;
                }
                case 3 -> {
                    return field.varint();
                }
                case 4 -> {
                    return Double.longBitsToDouble(field.varint());
                }
                default -> {
                    return null;
                }
            }
        }
        return "";
    }

    /** The fields of one protobuf message, in order. */
    private static List<Field> fields(byte[] message) {
        List<Field> fields = new ArrayList<>();
        ByteArrayInputStream in = new ByteArrayInputStream(message);
        while (in.available() > 0) {
            long key = varint(in);
            int number = (int) (key >>> 3);
            int wireType = (int) (key & 7);
            switch (wireType) {
                case 0 -> fields.add(new Field(number, varint(in), null));
                case 1 -> fields.add(new Field(number, fixed(in, 8), null));
                case 2 -> {
                    byte[] value = new byte[(int) varint(in)];
                    if (in.read(value, 0, value.length) != value.length && value.length > 0) {
                        throw new IllegalStateException("Truncated field " + number);
                    }
                    fields.add(new Field(number, 0, value));
                }
                case 5 -> fields.add(new Field(number, fixed(in, 4), null));
                default -> throw new IllegalStateException("Unexpected wire type " + wireType);
            }
        }
        return fields;
    }

    private static long varint(ByteArrayInputStream in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw new IllegalStateException("Truncated varint");
            }
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalStateException("Varint too long");
    }

    private static long fixed(ByteArrayInputStream in, int size) {
        long value = 0;
        for (int i = 0; i < size; i++) {
            value |= (long) (in.read() & 0xff) << (8 * i);
        }
        return value;
    }

    /** One protobuf field: a number with a varint or fixed value, or bytes. */
    private record Field(int number, long varint, byte[] bytes) {

        String text() {
            return new String(this.bytes, StandardCharsets.UTF_8);
        }
    }

    /**
     * One exported span.
     * @param traceId 32 hex digits
     * @param spanId 16 hex digits
     * @param parentId the parent's span id, empty for a root
     * @param name the span's name
     * @param attributes its attributes: strings, booleans, longs, doubles
     * @param statusCode 0 unset, 1 ok, 2 error
     */
    record ExportedSpan(String traceId, String spanId, String parentId, String name, Map<String, Object> attributes,
            int statusCode) {

        Object attribute(String key) {
            return this.attributes.get(key);
        }

        boolean error() {
            return this.statusCode == 2;
        }
    }
}
