package dev.bulkload.csv;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.util.Assert;

/**
 * How a CSV payload is written.
 * @param header whether the first record names the columns
 * @param delimiter the field separator, one ASCII character
 * @param quote the quote character, one ASCII character
 * @param nullString an unquoted field equal to this is SQL NULL (empty by default)
 * @param columns with {@code header=false}: the columns of the fields, in order; empty means every column of the table
 */
public record CsvFormat(boolean header, char delimiter, char quote, String nullString, List<String> columns) {

    public static final CsvFormat DEFAULT = new CsvFormat(true, ',', '"', "", List.of());

    public CsvFormat {
        Assert.isTrue(delimiter > 0 && delimiter < 128, "delimiter must be one ASCII character");
        Assert.isTrue(quote > 0 && quote < 128, "quote must be one ASCII character");
        Assert.isTrue(delimiter != quote, "delimiter and quote must differ");
        Assert.isTrue("\r\n".indexOf(delimiter) < 0 && "\r\n".indexOf(quote) < 0,
                "delimiter and quote cannot be a line break");
        Assert.notNull(nullString, "nullString must not be null");
        Assert.isTrue(nullString.indexOf(delimiter) < 0 && nullString.indexOf(quote) < 0
                && nullString.indexOf('\n') < 0 && nullString.indexOf('\r') < 0,
                "null must not hold the delimiter, the quote or a line break");
        columns = List.copyOf(columns);
        Assert.isTrue(header || columns.stream().noneMatch(String::isEmpty), "columns must not be empty names");
        Assert.isTrue(!header || columns.isEmpty(), "columns is for header=false only");
    }

    byte[] nullBytes() {
        return this.nullString.getBytes(StandardCharsets.UTF_8);
    }
}
