package dev.bulkload.json;

import java.nio.charset.StandardCharsets;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

import dev.bulkload.mapping.FieldColumns;
import dev.bulkload.mapping.FieldTarget;
import dev.bulkload.mapping.PointerNode;
import dev.bulkload.row.Row;

/**
 * Reads the values that JSON Pointers ({@code map=/user/id:user_id}) pick out of a top-level field, walking its
 * value once: keys and array elements no pointer goes to are skipped unread, a pointer that finds nothing leaves
 * its column absent (so it takes its DEFAULT). A pointer that finds an object or an array for a column that takes
 * none (any but json, jsonb, array and composite columns) refuses the record, naming the column.
 */
final class NestedFields {

    private final JsonObjectDecoder decoder;

    private final FieldColumns fields;

    NestedFields(JsonObjectDecoder decoder, FieldColumns fields) {
        this.decoder = decoder;
        this.fields = fields;
    }

    /**
     * Reads the value of a field that pointers go into (and that may load into a column of its own too), the
     * parser on the value's first token.
     * @param raw the generator of the record's raw text, or null
     */
    void read(JsonParser parser, JsonToken token, FieldTarget target, String name, Row row, JsonGenerator raw) {
        if (target.column() < 0 && raw == null) {
            walk(parser, token, target.pointers(), row);
            return;
        }
        // the value is needed twice (whole, and walked): read it once as text, then from that text
        byte[] json = this.decoder.capture(parser, row, name);
        if (raw != null) {
            raw.writeRawValue(new String(json, StandardCharsets.UTF_8));
        }
        if (target.column() >= 0) {
            if (row.isPresent(target.column())) {
                this.decoder.refuse("Key '" + name + "' appears twice in the object", name);
            }
            else {
                try (JsonParser whole = this.decoder.replay(json)) {
                    this.decoder.readValue(whole, whole.currentToken(), row, target.column(), name, null);
                }
            }
        }
        try (JsonParser inside = this.decoder.replay(json)) {
            walk(inside, inside.currentToken(), target.pointers(), row);
        }
    }

    /** Follows the pointers below {@code node} through the value at the parser, which ends on the value's last token. */
    private void walk(JsonParser parser, JsonToken token, PointerNode node, Row row) {
        if (node.column() >= 0) {
            if (node.hasChildren() && token.isStructStart()) {
                byte[] json = this.decoder.capture(parser, row, node.pointer());
                try (JsonParser whole = this.decoder.replay(json)) {
                    take(whole, whole.currentToken(), node, row);
                }
                try (JsonParser inside = this.decoder.replay(json)) {
                    descend(inside, inside.currentToken(), node, row);
                }
                return;
            }
            take(parser, token, node, row);
            return;
        }
        descend(parser, token, node, row);
    }

    private void descend(JsonParser parser, JsonToken token, PointerNode node, Row row) {
        if (token == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                PointerNode child = node.child(parser.currentName());
                JsonToken value = parser.nextToken();
                if (child == null) {
                    parser.skipChildren();
                }
                else {
                    walk(parser, value, child, row);
                }
            }
        }
        else if (token == JsonToken.START_ARRAY) {
            int index = 0;
            JsonToken value;
            while ((value = parser.nextToken()) != JsonToken.END_ARRAY) {
                PointerNode child = node.element(index++);
                if (child == null) {
                    parser.skipChildren();
                }
                else {
                    walk(parser, value, child, row);
                }
            }
        }
        // a scalar has nothing inside it: the pointers that go deeper find nothing
    }

    /** The value a pointer ends at, into its column. */
    private void take(JsonParser parser, JsonToken token, PointerNode node, Row row) {
        int column = node.column();
        String columnName = this.decoder.columnName(column);
        this.fields.found(node, row);
        if (row.isPresent(column)) {
            this.decoder.refuse("'" + node.pointer() + "' finds a value twice in the record", columnName);
            parser.skipChildren();
        }
        else if (token.isStructStart() && !this.decoder.takesStructure(column)) {
            this.decoder.refuse("'" + node.pointer() + "' finds " + ((token == JsonToken.START_OBJECT) ? "an object"
                    : "an array") + ", and column '" + columnName + "' takes no object or array (only json, jsonb, "
                    + "array and composite columns do); point further into it", columnName);
            parser.skipChildren();
        }
        else {
            this.decoder.readValue(parser, token, row, column, node.pointer(), null);
        }
    }
}
