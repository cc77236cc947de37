package dev.bulkload.mapping;

import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 6901 JSON Pointer into a record: {@code /user/id}, {@code /items/0/id}; {@code ~1} stands for {@code /}
 * and {@code ~0} for {@code ~} inside a token. A token matches an object's key exactly, or an array's element when
 * it is an index written without leading zeros ({@code -}, past the end, matches nothing).
 * @param text the pointer as written
 * @param tokens its reference tokens, unescaped; at least one
 */
public record JsonPointer(String text, List<String> tokens) {

    /** Deeper pointers are refused: the JSON readers refuse deeper documents anyway. */
    static final int MAX_TOKENS = 64;

    public JsonPointer {
        tokens = List.copyOf(tokens);
    }

    /**
     * @throws IllegalArgumentException naming what is wrong: no leading {@code /}, a {@code ~} not followed by
     * {@code 0} or {@code 1}, more than {@value #MAX_TOKENS} tokens
     */
    public static JsonPointer parse(String text) {
        if (text.isEmpty() || text.charAt(0) != '/') {
            throw new IllegalArgumentException("a JSON Pointer starts with '/'");
        }
        List<String> tokens = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        for (int i = 1; i <= text.length(); i++) {
            char c = (i < text.length()) ? text.charAt(i) : '/';
            if (c == '/') {
                if (tokens.size() == MAX_TOKENS) {
                    throw new IllegalArgumentException("a JSON Pointer of more than " + MAX_TOKENS + " tokens");
                }
                tokens.add(token.toString());
                token.setLength(0);
            }
            else if (c == '~') {
                char next = (i + 1 < text.length()) ? text.charAt(i + 1) : 0;
                if (next != '0' && next != '1') {
                    throw new IllegalArgumentException("'~' in a JSON Pointer must be followed by 0 (for '~') or 1 "
                            + "(for '/')");
                }
                token.append((next == '0') ? '~' : '/');
                i++;
            }
            else {
                token.append(c);
            }
        }
        return new JsonPointer(text, tokens);
    }

    /** The array index a token stands for, or -1 when it is none ({@code 01}, {@code -}, {@code x}, too large). */
    static int index(String token) {
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

    /** The pointer to the first {@code depth} tokens, escaped again: {@code /user} of {@code /user/id}. */
    String prefix(int depth) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            text.append('/').append(this.tokens.get(i).replace("~", "~0").replace("/", "~1"));
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return this.text;
    }
}
