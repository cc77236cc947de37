package dev.bulkload.registry;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import dev.bulkload.row.Reject;

/** How stored rejects are written for download: CSV (RFC 4180) or NDJSON, one reject per record. */
enum RejectsFormat {

    CSV("text/csv") {

        @Override
        void header(Writer out) throws IOException {
            out.write("record,line,column,sqlState,constraint,message,raw\r\n");
        }

        @Override
        void write(Writer out, Reject reject, JsonMapper json) throws IOException {
            out.write(Long.toString(reject.record()));
            out.write(',');
            out.write((reject.line() != null) ? reject.line().toString() : "");
            out.write(',');
            field(out, reject.column());
            out.write(',');
            field(out, reject.sqlState());
            out.write(',');
            field(out, reject.constraint());
            out.write(',');
            field(out, reject.message());
            out.write(',');
            field(out, reject.raw());
            out.write("\r\n");
        }

        /** A field quoted when it holds a comma, a quote or a line break (quotes doubled); null as nothing. */
        private void field(Writer out, String value) throws IOException {
            if (value == null) {
                return;
            }
            boolean quote = value.isEmpty() || value.indexOf(',') >= 0 || value.indexOf('"') >= 0
                    || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0;
            if (!quote) {
                out.write(value);
                return;
            }
            out.write('"');
            out.write(value.replace("\"", "\"\""));
            out.write('"');
        }
    },

    NDJSON("application/x-ndjson") {

        @Override
        void header(Writer out) {
        }

        @Override
        void write(Writer out, Reject reject, JsonMapper json) throws IOException {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("record", reject.record());
            object.put("line", reject.line());
            object.put("column", reject.column());
            object.put("sqlState", reject.sqlState());
            object.put("constraint", reject.constraint());
            object.put("message", reject.message());
            object.put("raw", reject.raw());
            out.write(json.writeValueAsString(object));
            out.write('\n');
        }
    };

    private final String mediaType;

    RejectsFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    String mediaType() {
        return this.mediaType;
    }

    abstract void header(Writer out) throws IOException;

    abstract void write(Writer out, Reject reject, JsonMapper json) throws IOException;

    /** NDJSON when the Accept header asks for it (or JSON Lines), else CSV. */
    static RejectsFormat forAccept(String accept) {
        if (accept != null && (accept.contains("application/x-ndjson") || accept.contains("application/jsonl")
                || accept.contains("application/json-lines"))) {
            return NDJSON;
        }
        return CSV;
    }
}
