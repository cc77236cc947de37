package dev.bulkload.create;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The type of one new column, inferred value by value from the sampled records: each value rules out the types it
 * does not fit, and the narrowest type left wins, in the order boolean, bigint, numeric, date, timestamptz, uuid,
 * jsonb, else text. Conservative on purpose: an integer with a leading zero ({@code 007}, a code or a ZIP) and
 * an empty string are text, dates and timestamps are ISO 8601 only. A column with no value in the sample is text.
 * Holds a few flags, never the values.
 */
final class ColumnGuess {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private static final Set<String> BOOLEANS = Set.of("true", "false", "t", "f", "yes", "no");

    private static final Pattern BIGINT = Pattern.compile("-?(?:0|[1-9][0-9]{0,18})");

    private static final Pattern NUMERIC = Pattern.compile(
            "-?(?:(?:0|[1-9][0-9]{0,999})(?:\\.[0-9]{1,1000})?|\\.[0-9]{1,1000})(?:[eE][-+]?[0-9]{1,4})?");

    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    private static final Pattern TIMESTAMP = Pattern.compile("([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]"
            + "([0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\\.[0-9]{1,6})?)?)(?:Z|[+-]([0-9]{2})(?::?([0-9]{2}))?)?");

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private boolean values;

    private boolean maybeBoolean = true;

    private boolean maybeBigint = true;

    private boolean maybeNumeric = true;

    private boolean maybeDate = true;

    private boolean maybeTimestamp = true;

    private boolean maybeUuid = true;

    private boolean maybeJsonb = true;

    /** A JSON object or array was seen (JSON payloads): the column is jsonb, which holds any JSON value. */
    private boolean container;

    /** Every object or array seen is one jsonb takes (no number numeric refuses, no unpaired surrogate). */
    private boolean maybeJsonbContainers = true;

    /** A CSV value: text as the field holds it. */
    void text(String value) {
        this.values = true;
        if (value.isEmpty()) {
            ruleOutAll();
            return;
        }
        this.maybeBoolean &= BOOLEANS.contains(value.toLowerCase(Locale.ROOT));
        this.maybeBigint &= isBigint(value);
        this.maybeNumeric &= NUMERIC.matcher(value).matches();
        this.maybeDate &= isDate(value);
        this.maybeTimestamp &= isDate(value) || isTimestamp(value);
        this.maybeUuid &= UUID.matcher(value).matches();
        this.maybeJsonb &= isJsonContainer(value);
    }

    /** A JSON value, as JSON text (a string with its quotes). */
    void json(String value) {
        this.values = true;
        char first = value.charAt(0);
        if (first == '{' || first == '[') {
            this.container = true;
            this.maybeJsonbContainers &= isJsonContainer(value);
            return;
        }
        if (first == '"') {
            String content = stringContent(value);
            this.maybeBoolean = false;
            this.maybeBigint = false;
            this.maybeNumeric = false;
            this.maybeJsonb = false;
            if (content == null || content.isEmpty()) {
                ruleOutAll();
                return;
            }
            this.maybeDate &= isDate(content);
            this.maybeTimestamp &= isDate(content) || isTimestamp(content);
            this.maybeUuid &= UUID.matcher(content).matches();
            return;
        }
        this.maybeDate = false;
        this.maybeTimestamp = false;
        this.maybeUuid = false;
        this.maybeJsonb = false;
        if (value.equals("true") || value.equals("false")) {
            this.maybeBigint = false;
            this.maybeNumeric = false;
            return;
        }
        this.maybeBoolean = false;
        this.maybeBigint &= isBigint(value);
        // a JSON number PostgreSQL's numeric refuses (1e999999) leaves text
        this.maybeNumeric &= NUMERIC.matcher(value).matches();
    }

    /** The type inferred from the values seen so far. */
    String type() {
        if (!this.values) {
            return "text";
        }
        if (this.container) {
            return this.maybeJsonbContainers ? "jsonb" : "text";
        }
        if (this.maybeBoolean) {
            return "boolean";
        }
        if (this.maybeBigint) {
            return "bigint";
        }
        if (this.maybeNumeric) {
            return "numeric";
        }
        if (this.maybeDate) {
            return "date";
        }
        if (this.maybeTimestamp) {
            return "timestamptz";
        }
        if (this.maybeUuid) {
            return "uuid";
        }
        return this.maybeJsonb ? "jsonb" : "text";
    }

    private void ruleOutAll() {
        this.maybeBoolean = false;
        this.maybeBigint = false;
        this.maybeNumeric = false;
        this.maybeDate = false;
        this.maybeTimestamp = false;
        this.maybeUuid = false;
        this.maybeJsonb = false;
    }

    private static boolean isBigint(String value) {
        if (!BIGINT.matcher(value).matches()) {
            return false;
        }
        try {
            Long.parseLong(value);
            return true;
        }
        catch (NumberFormatException ex) {
            return false;
        }
    }

    private static boolean isDate(String value) {
        return DATE.matcher(value).matches() && validDate(value);
    }

    private static boolean isTimestamp(String value) {
        Matcher matcher = TIMESTAMP.matcher(value);
        if (!matcher.matches() || !validDate(matcher.group(1))) {
            return false;
        }
        // PostgreSQL takes zone offsets up to 15:59 either way
        if (matcher.group(3) != null && (Integer.parseInt(matcher.group(3)) > 15
                || (matcher.group(4) != null && Integer.parseInt(matcher.group(4)) > 59))) {
            return false;
        }
        try {
            LocalTime.parse(matcher.group(2));
            return true;
        }
        catch (DateTimeParseException ex) {
            return false;
        }
    }

    private static boolean validDate(String value) {
        try {
            // ISO 8601's year 0000 is 1 BC, which PostgreSQL writes and reads only as "0001-01-01 BC"
            return LocalDate.parse(value).getYear() >= 1;
        }
        catch (DateTimeParseException ex) {
            return false;
        }
    }

    private static boolean isJsonContainer(String value) {
        char first = value.charAt(0);
        if (first != '{' && first != '[') {
            return false;
        }
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), value)) {
            // every value as jsonb reads it: numbers numeric takes, strings without an unpaired surrogate
            int depth = 0;
            do {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    return false;
                }
                if (token.isStructStart()) {
                    depth++;
                }
                else if (token.isStructEnd()) {
                    depth--;
                }
                else if (token.isNumeric() && !NUMERIC.matcher(parser.getText()).matches()) {
                    return false;
                }
                else if ((token == JsonToken.VALUE_STRING || token == JsonToken.PROPERTY_NAME)
                        && unpairedSurrogate(parser.getText())) {
                    return false;
                }
            }
            while (depth > 0);
            return parser.nextToken() == null;
        }
        catch (JacksonException ex) {
            return false;
        }
    }

    private static boolean unpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            }
            else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static String stringContent(String json) {
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), json)) {
            return (parser.nextToken() == JsonToken.VALUE_STRING) ? parser.getString() : null;
        }
        catch (JacksonException ex) {
            return null;
        }
    }
}
