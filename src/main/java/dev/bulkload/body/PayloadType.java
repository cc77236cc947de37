package dev.bulkload.body;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * The format and compression of a payload, from a raw body's Content-Type and Content-Encoding or
 * from an uploaded file's part Content-Type and name.
 * @param format the payload format
 * @param gzip whether it is gzip-compressed
 */
public record PayloadType(LoadFormat format, boolean gzip) {

    public static final String NDJSON = "application/x-ndjson";

    public static final String JSONL = "application/jsonl";

    public static final String JSON_LINES = "application/x-jsonlines";

    /** A raw body: the format from Content-Type, compression from Content-Encoding. */
    public static PayloadType ofBody(String contentType, String contentEncoding) {
        LoadFormat format = formatOf(parse(contentType));
        if (format == null) {
            throw new UnsupportedPayloadException("Unsupported Content-Type '" + contentType
                    + "'; send one of " + String.join(", ", UnsupportedPayloadException.ACCEPTED));
        }
        return new PayloadType(format, gzip(contentEncoding));
    }

    /** An uploaded file: the format from the part's Content-Type, else from the file name's extension. */
    public static PayloadType ofFile(String filename, String contentType) {
        String name = (filename != null) ? filename.toLowerCase(Locale.ROOT) : "";
        boolean gzip = name.endsWith(".gz") || "application/gzip".equals(contentType)
                || "application/x-gzip".equals(contentType);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        LoadFormat format = null;
        if (!gzip && contentType != null) {
            format = formatOf(parse(contentType));
        }
        if (format == null) {
            format = formatOfExtension(name);
        }
        if (format == null) {
            throw new UnsupportedPayloadException("Cannot tell the format of the uploaded file '" + filename
                    + "'; name it .csv, .json, .ndjson or .jsonl (optionally .gz) or send its Content-Type");
        }
        return new PayloadType(format, gzip);
    }

    private static MediaType parse(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            Charset charset = type.getCharset();
            if (charset != null && !charset.equals(StandardCharsets.UTF_8)) {
                throw new UnsupportedPayloadException("Only UTF-8 payloads are accepted, not " + charset.name());
            }
            return type;
        }
        catch (InvalidMediaTypeException ex) {
            throw new UnsupportedPayloadException("Invalid Content-Type '" + contentType + "'");
        }
    }

    private static LoadFormat formatOf(MediaType type) {
        if (type == null) {
            return null;
        }
        String essence = type.getType() + "/" + type.getSubtype();
        return switch (essence.toLowerCase(Locale.ROOT)) {
            case "text/csv", "application/csv" -> LoadFormat.CSV;
            case "application/json" -> LoadFormat.JSON;
            case NDJSON, JSONL, JSON_LINES -> LoadFormat.NDJSON;
            default -> null;
        };
    }

    private static LoadFormat formatOfExtension(String name) {
        if (name.endsWith(".csv")) {
            return LoadFormat.CSV;
        }
        if (name.endsWith(".json")) {
            return LoadFormat.JSON;
        }
        if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) {
            return LoadFormat.NDJSON;
        }
        return null;
    }

    private static boolean gzip(String contentEncoding) {
        if (contentEncoding == null || contentEncoding.isBlank()
                || contentEncoding.trim().equalsIgnoreCase("identity")) {
            return false;
        }
        if (contentEncoding.trim().equalsIgnoreCase("gzip") || contentEncoding.trim().equalsIgnoreCase("x-gzip")) {
            return true;
        }
        throw new UnsupportedPayloadException(
                "Unsupported Content-Encoding '" + contentEncoding + "'; only gzip is accepted");
    }
}
