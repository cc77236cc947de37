package dev.bulkload.create;

/**
 * One column of a table made from a payload.
 * @param field the field it is made from, as the payload (or a {@code map} entry) names it
 * @param column the column's name
 * @param type its type: inferred from the sample, or the {@code types=} override
 */
public record SampledField(String field, String column, String type) {
}
