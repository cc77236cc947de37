package dev.bulkload.body;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * The format, compression and declared charset of a payload, from a raw body's Content-Type and Content-Encoding
 * or from an uploaded file's part Content-Type and name.
 * @param format the payload format
 * @param gzip whether it is gzip-compressed
 * @param charset the charset its Content-Type names, or null when it names none
 */
public record PayloadType(LoadFormat format, boolean gzip, PayloadCharset charset) {

    public static final String NDJSON = "application/x-ndjson";

    public static final String JSONL = "application/jsonl";

    public static final String JSON_LINES = "application/x-jsonlines";

    /** A raw body: the format from Content-Type, compression from Content-Encoding. */
    public static PayloadType ofBody(String contentType, String contentEncoding) {
        Declared declared = parse(contentType);
        LoadFormat format = formatOf(declared.type());
        if (format == null) {
            throw new UnsupportedPayloadException("Unsupported Content-Type '" + contentType
                    + "'; send one of " + String.join(", ", UnsupportedPayloadException.ACCEPTED));
        }
        return new PayloadType(format, gzip(contentEncoding), declared.charset());
    }

    /**
     * The charset a Content-Type names, or null when it names none; read apart from the rest of it, so that a
     * charset the service does not know is told as such, not as a Content-Type it cannot read.
     * @throws UnsupportedPayloadException for a charset the service does not read
     */
    public static PayloadCharset charsetOf(String contentType) {
        if (contentType == null) {
            return null;
        }
        List<String> parameters = parameters(contentType);
        for (String parameter : parameters.subList(1, parameters.size())) {
            if (isCharset(parameter)) {
                return PayloadCharset.named(parameter.substring(parameter.indexOf('=') + 1));
            }
        }
        return null;
    }

    /** An uploaded file: the format from the part's Content-Type, else from the file name's extension. */
    public static PayloadType ofFile(String filename, String contentType) {
        String name = (filename != null) ? filename.toLowerCase(Locale.ROOT) : "";
        Declared declared = parse(contentType);
        String essence = (declared.type() != null) ? essence(declared.type()) : null;
        boolean gzip = name.endsWith(".gz") || "application/gzip".equals(essence)
                || "application/x-gzip".equals(essence);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        LoadFormat format = null;
        if (!gzip) {
            format = formatOf(declared.type());
        }
        if (format == null) {
            format = formatOfExtension(name);
        }
        if (format == null) {
            throw new UnsupportedPayloadException("Cannot tell the format of the uploaded file '" + filename
                    + "'; name it .csv, .json, .ndjson or .jsonl (optionally .gz) or send its Content-Type");
        }
        return new PayloadType(format, gzip, declared.charset());
    }

    /** The Content-Type without its charset, and the charset. */
    private static Declared parse(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return new Declared(null, null);
        }
        PayloadCharset charset = charsetOf(contentType);
        List<String> parameters = parameters(contentType);
        StringBuilder rest = new StringBuilder(parameters.get(0));
        for (String parameter : parameters.subList(1, parameters.size())) {
            if (!isCharset(parameter)) {
                rest.append(';').append(parameter);
            }
        }
        try {
            return new Declared(MediaType.parseMediaType(rest.toString()), charset);
        }
        catch (InvalidMediaTypeException ex) {
            throw new UnsupportedPayloadException("Invalid Content-Type '" + contentType + "'");
        }
    }

    /** The type and its parameters, split at the semicolons outside quoted strings. */
    private static List<String> parameters(String contentType) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < contentType.length(); i++) {
            char c = contentType.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            else if (c == '\\' && quoted) {
                i++;
            }
            else if (c == ';' && !quoted) {
                parts.add(contentType.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(contentType.substring(start));
        return parts;
    }

    private static boolean isCharset(String parameter) {
        int equals = parameter.indexOf('=');
        return equals > 0 && parameter.substring(0, equals).strip().equalsIgnoreCase("charset");
    }

    private static String essence(MediaType type) {
        return (type.getType() + "/" + type.getSubtype()).toLowerCase(Locale.ROOT);
    }

    private static LoadFormat formatOf(MediaType type) {
        if (type == null) {
            return null;
        }
        return switch (essence(type)) {
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

    /** A Content-Type's media type without its charset, and that charset (null when it names none). */
    private record Declared(MediaType type, PayloadCharset charset) {
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
