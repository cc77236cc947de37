package dev.bulkload.json;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

import dev.bulkload.row.MalformedPayloadException;

/**
 * Where the array of records is inside a JSON document: an RFC 6901 JSON Pointer ({@code /data},
 * {@code /result/items}, {@code /pages/0/rows}, {@code ~1} for {@code /} and {@code ~0} for {@code ~} in a member
 * name). The parser is moved to that array as the body streams by: every member and element on the way is skipped
 * without being held, and so is everything after the array once it ends.
 */
public final class RecordsPath {

    private final String pointer;

    private final List<String> tokens;

    private RecordsPath(String pointer, List<String> tokens) {
        this.pointer = pointer;
        this.tokens = List.copyOf(tokens);
    }

    /**
     * @param pointer a JSON Pointer: empty (the whole document) or {@code /}-separated reference tokens
     * @throws IllegalArgumentException when it is not one, saying why
     */
    public static RecordsPath parse(String pointer) {
        if (!pointer.isEmpty() && pointer.charAt(0) != '/') {
            throw new IllegalArgumentException("recordsPath must be a JSON Pointer starting with /, e.g. /data");
        }
        List<String> tokens = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        for (int i = 1; i <= pointer.length(); i++) {
            char c = (i < pointer.length()) ? pointer.charAt(i) : '/';
            if (c == '/') {
                tokens.add(token.toString());
                token.setLength(0);
            }
            else if (c == '~') {
                char next = (i + 1 < pointer.length()) ? pointer.charAt(i + 1) : 0;
                if (next != '0' && next != '1') {
                    throw new IllegalArgumentException(
                            "recordsPath: ~ must be followed by 0 (for ~) or 1 (for /) in a JSON Pointer");
                }
                token.append((next == '0') ? '~' : '/');
                i++;
            }
            else {
                token.append(c);
            }
        }
        return new RecordsPath(pointer, tokens);
    }

    /** The pointer as given. */
    public String pointer() {
        return this.pointer;
    }

    /** How many containers enclose the array of records. */
    int depth() {
        return this.tokens.size();
    }

    /**
     * Reads from the start of the document up to the start of the array of records: the parser's current token
     * is then that array's START_ARRAY.
     * @throws MalformedPayloadException when the body is empty, or nothing or no array is at the pointer
     */
    void enter(JsonParser parser) {
        JsonToken token = parser.nextToken();
        if (token == null) {
            throw new MalformedPayloadException("The request body is empty");
        }
        for (int level = 0; level < this.tokens.size(); level++) {
            String name = this.tokens.get(level);
            if (token == JsonToken.START_OBJECT) {
                token = member(parser, name, level);
            }
            else if (token == JsonToken.START_ARRAY) {
                token = element(parser, name, level);
            }
            else {
                throw new MalformedPayloadException("Nothing at recordsPath " + this.pointer + ": "
                        + at(level) + " is " + kind(token) + ", not an object or an array", null, line(parser), null);
            }
        }
        if (token != JsonToken.START_ARRAY) {
            throw new MalformedPayloadException("recordsPath " + this.pointer + " points to " + kind(token)
                    + ", not an array of records", null, line(parser), null);
        }
    }

    /**
     * Reads what follows the array of records (its END_ARRAY is the current token) up to the end of the
     * top-level value, checking that no object on the way names the pointer's member a second time.
     */
    void leave(JsonParser parser) {
        for (int level = this.tokens.size() - 1; level >= 0; level--) {
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_OBJECT && token != JsonToken.END_ARRAY) {
                if (token == JsonToken.PROPERTY_NAME) {
                    if (parser.currentName().equals(this.tokens.get(level))) {
                        throw duplicate(parser, level);
                    }
                    parser.nextToken();
                }
                parser.skipChildren();
            }
        }
    }

    /** In an object: the value of member {@code name}, skipping the members before it. */
    private JsonToken member(JsonParser parser, String name, int level) {
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            boolean match = parser.currentName().equals(name);
            JsonToken value = parser.nextToken();
            if (match) {
                return value;
            }
            parser.skipChildren();
        }
        throw new MalformedPayloadException("Nothing at recordsPath " + this.pointer + ": " + at(level)
                + " has no member \"" + name + "\"", null, line(parser), null);
    }

    /** In an array: the element at index {@code name}, skipping the elements before it. */
    private JsonToken element(JsonParser parser, String name, int level) {
        int index = index(name);
        if (index < 0) {
            throw new MalformedPayloadException("Nothing at recordsPath " + this.pointer + ": " + at(level)
                    + " is an array, and \"" + name + "\" is not an array index", null, line(parser), null);
        }
        JsonToken token;
        int position = 0;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (position++ == index) {
                return token;
            }
            parser.skipChildren();
        }
        throw new MalformedPayloadException("Nothing at recordsPath " + this.pointer + ": " + at(level)
                + " has " + position + (position == 1 ? " element" : " elements") + ", no index " + index, null,
                line(parser), null);
    }

    private MalformedPayloadException duplicate(JsonParser parser, int level) {
        return new MalformedPayloadException("recordsPath " + this.pointer + ": " + at(level) + " has the member \""
                + this.tokens.get(level) + "\" more than once", null, line(parser), null);
    }

    /** An RFC 6901 array index: 0, or digits without a leading zero; -1 for anything else ("-" included). */
    private static int index(String token) {
        if (token.isEmpty() || token.length() > 9 || (token.length() > 1 && token.charAt(0) == '0')) {
            return -1;
        }
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) < '0' || token.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(token);
    }

    /** The value the first {@code level} tokens point to, in words. */
    private String at(int level) {
        if (level == 0) {
            return "the top-level value";
        }
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < level; i++) {
            prefix.append('/').append(this.tokens.get(i).replace("~", "~0").replace("/", "~1"));
        }
        return prefix.toString();
    }

    private static String kind(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "not a JSON value";
        };
    }

    private static Long line(JsonParser parser) {
        return (long) parser.currentTokenLocation().getLineNr();
    }
}
