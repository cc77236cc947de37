package dev.bulkload.registry;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;

import dev.bulkload.row.Reject;

/**
 * A load's rejected records as a file to fix and load again ({@code form=records}): for CSV the header row as the
 * load received it, then each rejected record's original text; for JSON arrays and NDJSON, NDJSON of the original
 * records. One record a line, its own line break dropped; named after the table and the uploaded file.
 */
final class RejectedRecords {

    /** The response header that says how many rejected records were left out, their text kept cut. */
    static final String OMITTED_HEADER = "Bulkload-Records-Omitted";

    private final LoadView load;

    private final String header;

    /**
     * @param load the load whose rejects these are
     * @param header its CSV header row as received, or null
     */
    RejectedRecords(LoadView load, String header) {
        this.load = load;
        this.header = header;
    }

    private boolean csv() {
        return "csv".equals(this.load.format());
    }

    String mediaType() {
        return csv() ? "text/csv" : "application/x-ndjson";
    }

    /**
     * {@code <table>-rejects-<file>}: the table without the {@code public} schema, the uploaded file's name
     * without its folders and {@code .gz} (a JSON file's records come as NDJSON: {@code .ndjson}), or the load's
     * id for a body sent as it is.
     */
    String fileName() {
        String table = this.load.table().startsWith("public.") ? this.load.table().substring("public.".length())
                : this.load.table();
        String source = (this.load.source() != null) ? baseName(this.load.source()) : "";
        String extension = csv() ? ".csv" : ".ndjson";
        if (source.isEmpty()) {
            source = this.load.id() + extension;
        }
        else if (!csv()) {
            String lower = source.toLowerCase(Locale.ROOT);
            for (String json : new String[] { ".json", ".ndjson", ".jsonl" }) {
                if (lower.endsWith(json)) {
                    source = source.substring(0, source.length() - json.length());
                    break;
                }
            }
            source += extension;
        }
        else if (source.lastIndexOf('.') <= 0) {
            source += extension;
        }
        return safe(table) + "-rejects-" + source;
    }

    /** The file's first line: the CSV header row, when the load read one. */
    void writeHeader(Writer out) throws IOException {
        if (csv() && this.header != null) {
            out.write(this.header);
            out.write("\r\n");
        }
    }

    /**
     * One rejected record on a line of its own. One whose text was not kept (an aborted load's) or was kept cut at
     * the raw limit is left out: cut short, it could load wrong values.
     */
    void write(Writer out, Reject reject) throws IOException {
        String raw = reject.raw();
        if (raw == null || reject.rawTruncated()) {
            return;
        }
        if (csv()) {
            out.write(withoutLineBreak(raw));
            out.write("\r\n");
        }
        else {
            String record = oneLine(raw.strip());
            if (!record.isEmpty()) {
                out.write(record);
                out.write('\n');
            }
        }
    }

    /** The record without the line break that ended it (a quoted line break inside it stays). */
    static String withoutLineBreak(String raw) {
        int end = raw.length();
        if (end > 0 && raw.charAt(end - 1) == '\n') {
            end--;
        }
        if (end > 0 && raw.charAt(end - 1) == '\r') {
            end--;
        }
        return raw.substring(0, end);
    }

    /**
     * A JSON record on one line: a line break between tokens (a pretty-printed record of a JSON array) becomes a
     * space; one inside a string, which JSON does not allow there anyway, its escape, so the line stays one record.
     */
    static String oneLine(String json) {
        if (json.indexOf('\n') < 0 && json.indexOf('\r') < 0) {
            return json;
        }
        StringBuilder line = new StringBuilder(json.length());
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString && c == '\\' && i + 1 < json.length()) {
                char next = json.charAt(++i);
                line.append(c);
                if (next == '\n') {
                    line.append('n');
                }
                else if (next == '\r') {
                    line.append('r');
                }
                else {
                    line.append(next);
                }
                continue;
            }
            if (c == '"') {
                inString = !inString;
                line.append(c);
            }
            else if (c == '\n' || c == '\r') {
                line.append(inString ? ((c == '\n') ? "\\n" : "\\r") : " ");
            }
            else {
                line.append(c);
            }
        }
        return line.toString();
    }

    /** The last part of a path a client may have sent as the file's name, without a {@code .gz}. */
    private static String baseName(String name) {
        String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        if (base.toLowerCase(Locale.ROOT).endsWith(".gz")) {
            base = base.substring(0, base.length() - 3);
        }
        return safe(base);
    }

    /** Control characters, quotes and path separators out of a file name. */
    private static String safe(String name) {
        StringBuilder safe = new StringBuilder(name.length());
        name.codePoints().forEach((c) -> safe.appendCodePoint(
                (Character.isISOControl(c) || c == '"' || c == '/' || c == '\\' || c == '\uFFFD') ? '_' : c));
        return safe.toString().strip();
    }
}
