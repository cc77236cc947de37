package dev.bulkload.json.value;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

import dev.bulkload.catalog.TypeShape;

/**
 * The one place that decides what text a JSON value becomes for a column, the way PostgreSQL's
 * {@code json_populate_record} does: null is SQL NULL; a string gives its content (for {@code json} and
 * {@code jsonb}, the string with its quotes), which an array or composite type reads as its literal; numbers and
 * booleans their text as written; an object or array its JSON text, except that a JSON array fills an array type
 * (nested arrays as its dimensions) and a JSON object a composite type (by field name, a missing field NULL), at any
 * depth. A number or boolean for an array or composite type, an object for an array type and an array for a
 * composite type are refused with PostgreSQL's own SQLSTATE, as is an array whose sub-arrays differ in length.
 */
public final class JsonColumnText {

    /** PostgreSQL's {@code invalid_text_representation}, for what is not an array where one is expected. */
    public static final String NOT_AN_ARRAY_STATE = "22P02";

    /** PostgreSQL's {@code invalid_parameter_value}, for what is not an object where a composite is expected. */
    public static final String NOT_AN_OBJECT_STATE = "22023";

    private JsonColumnText() {
    }

    /** What a JSON value of the given first token becomes for a type of the given shape. */
    public enum Rule {

        /** SQL NULL. */
        NULL,

        /** A string's content. */
        CONTENT,

        /** A string as a JSON string literal, quoted and escaped. */
        JSON_STRING,

        /** A number's or boolean's text as written. */
        AS_WRITTEN,

        /** An object's or array's JSON text. */
        JSON_TEXT,

        /** A JSON array as an array literal. */
        ARRAY_LITERAL,

        /** A JSON object as a record literal. */
        RECORD_LITERAL,

        /** Refused: an array type takes only a JSON array (or a string holding its literal). */
        NOT_AN_ARRAY,

        /** Refused: a composite type takes only a JSON object (or a string holding its literal). */
        NOT_AN_OBJECT
    }

    public static Rule rule(TypeShape shape, JsonToken token) {
        TypeShape.Kind kind = shape.kind();
        return switch (token) {
            case VALUE_NULL -> Rule.NULL;
            case VALUE_STRING -> (kind == TypeShape.Kind.JSON) ? Rule.JSON_STRING : Rule.CONTENT;
            case START_OBJECT -> switch (kind) {
                case ARRAY -> Rule.NOT_AN_ARRAY;
                case COMPOSITE -> Rule.RECORD_LITERAL;
                default -> Rule.JSON_TEXT;
            };
            case START_ARRAY -> switch (kind) {
                case ARRAY -> Rule.ARRAY_LITERAL;
                case COMPOSITE -> Rule.NOT_AN_OBJECT;
                default -> Rule.JSON_TEXT;
            };
            default -> switch (kind) {
                case ARRAY -> Rule.NOT_AN_ARRAY;
                case COMPOSITE -> Rule.NOT_AN_OBJECT;
                default -> Rule.AS_WRITTEN;
            };
        };
    }

    /** The reason a value is refused by the given rule, or null when the rule takes it. */
    public static Refusal refusal(Rule rule, JsonToken token) {
        return switch (rule) {
            case NOT_AN_ARRAY -> new Refusal("expected JSON array, found " + what(token), NOT_AN_ARRAY_STATE);
            case NOT_AN_OBJECT -> new Refusal("expected JSON object for a composite type, found " + what(token),
                    NOT_AN_OBJECT_STATE);
            default -> null;
        };
    }

    /**
     * The array or record literal for the JSON array or object in {@code json} (compact JSON text, checked against
     * the reader's limits already), for a type of the given shape.
     * @throws Refused when the value or a value inside it does not fit its type's shape
     */
    public static String literal(JsonParser parser, byte[] json, TypeShape shape) {
        return text(parser, json, shape, rule(shape, parser.currentToken()));
    }

    /** The text of the value at the parser (which ends on its last token), or null for SQL NULL. */
    private static String text(JsonParser parser, byte[] json, TypeShape shape, Rule rule) {
        JsonToken token = parser.currentToken();
        return switch (rule) {
            case NULL -> null;
            case CONTENT, AS_WRITTEN -> parser.getString();
            case JSON_STRING -> jsonString(parser.getString());
            case JSON_TEXT -> jsonText(parser, json);
            case ARRAY_LITERAL -> new ArrayLiteral(parser, json, shape.element()).read();
            case RECORD_LITERAL -> recordLiteral(parser, json, shape);
            case NOT_AN_ARRAY, NOT_AN_OBJECT -> throw new Refused(refusal(rule, token));
        };
    }

    /** The JSON text of the object or array at the parser, cut from the compact text it is read from. */
    private static String jsonText(JsonParser parser, byte[] json) {
        int start = (int) parser.currentTokenLocation().getByteOffset();
        parser.skipChildren();
        int end = (int) parser.currentLocation().getByteOffset();
        return new String(json, start, end - start, StandardCharsets.UTF_8);
    }

    /**
     * {@code (a,"b c",)}: each field from the key of its name (the last one when a key repeats), NULL where none;
     * keys no field has are read past.
     */
    private static String recordLiteral(JsonParser parser, byte[] json, TypeShape shape) {
        Map<String, Integer> index = new HashMap<>();
        List<TypeShape.Field> fields = shape.fields();
        for (int i = 0; i < fields.size(); i++) {
            index.putIfAbsent(fields.get(i).name(), i);
        }
        String[] values = new String[fields.size()];
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            Integer field = index.get(parser.currentName());
            JsonToken token = parser.nextToken();
            if (field == null) {
                parser.skipChildren();
                continue;
            }
            TypeShape fieldShape = fields.get(field).shape();
            values[field] = text(parser, json, fieldShape, rule(fieldShape, token));
        }
        StringBuilder literal = new StringBuilder().append('(');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                literal.append(',');
            }
            if (values[i] != null) {
                quote(values[i], literal);
            }
        }
        return literal.append(')').toString();
    }

    /** {@code "…"} with backslashes before quotes and backslashes: what array and record literals both read. */
    private static void quote(String value, StringBuilder literal) {
        literal.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                literal.append('\\');
            }
            literal.append(c);
        }
        literal.append('"');
    }

    /** A string as a JSON string literal, escaped as PostgreSQL's {@code escape_json} does. */
    private static String jsonString(String value) {
        StringBuilder json = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }

    private static String what(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "a number";
        };
    }

    /**
     * A JSON array read into an array literal as {@code populate_array_json} does: the depth of the first value
     * that is not an array (or of the first empty array's elements) fixes the number of dimensions; a shallower
     * value is refused, a deeper array is an element (its JSON text, or its own literal for an element type that is
     * an array); every sub-array of a dimension must have the same length; no element at all is the empty array.
     */
    private static final class ArrayLiteral {

        private final JsonParser parser;

        private final byte[] json;

        private final TypeShape element;

        private final StringBuilder literal = new StringBuilder();

        /** The number of dimensions, 0 while unknown. */
        private int dimensions;

        /** The length of each dimension once known, -1 before. */
        private final List<Integer> lengths = new ArrayList<>();

        private long elements;

        ArrayLiteral(JsonParser parser, byte[] json, TypeShape element) {
            this.parser = parser;
            this.json = json;
            this.element = element;
        }

        /** Reads the array at the parser, which ends on its END_ARRAY. */
        String read() {
            readArray(1);
            return (this.elements == 0) ? "{}" : this.literal.toString();
        }

        /** Reads an array whose values are at the given depth (the outermost array's at 1). */
        private void readArray(int depth) {
            this.literal.append('{');
            int length = 0;
            JsonToken token;
            while ((token = this.parser.nextToken()) != JsonToken.END_ARRAY) {
                if (length > 0) {
                    this.literal.append(',');
                }
                length++;
                if (token == JsonToken.START_ARRAY && (this.dimensions == 0 || depth < this.dimensions)) {
                    readArray(depth + 1);
                    continue;
                }
                if (this.dimensions == 0) {
                    this.dimensions = depth;
                }
                else if (depth < this.dimensions) {
                    throw new Refused(new Refusal("expected JSON array, found " + what(token) + " among the "
                            + "sub-arrays of a " + this.dimensions + "-dimensional array", NOT_AN_ARRAY_STATE));
                }
                String text = text(this.parser, this.json, this.element, rule(this.element, token));
                if (text == null) {
                    this.literal.append("NULL");
                }
                else {
                    quote(text, this.literal);
                }
                this.elements++;
            }
            if (this.dimensions == 0) {
                this.dimensions = depth;
            }
            this.literal.append('}');
            while (this.lengths.size() < depth) {
                this.lengths.add(-1);
            }
            int known = this.lengths.get(depth - 1);
            if (known == -1) {
                this.lengths.set(depth - 1, length);
            }
            else if (known != length) {
                throw new Refused(new Refusal("malformed JSON array: multidimensional arrays must have sub-arrays "
                        + "with matching dimensions", NOT_AN_ARRAY_STATE));
            }
        }
    }

    /**
     * Why a value does not fit its column's type.
     * @param message what was expected and found
     * @param sqlState the SQLSTATE PostgreSQL's {@code json_populate_record} gives the same value
     */
    public record Refusal(String message, String sqlState) {
    }

    /** A value inside a structured value does not fit its type: the whole value is refused. */
    public static final class Refused extends RuntimeException {

        private final Refusal refusal;

        Refused(Refusal refusal) {
            super(refusal.message(), null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return this.refusal;
        }
    }
}
