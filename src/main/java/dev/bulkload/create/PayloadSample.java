package dev.bulkload.create;

import java.util.List;

import dev.bulkload.mapping.FieldMapping;

/**
 * What the first records of a payload say about the table to make from it.
 * @param fields the columns, in the order their fields first appear
 * @param mapping the field mapping the load then reads with: the request's own entries, their columns folded, and
 * an entry for every other field sampled into its column
 * @param records the records the types were inferred from
 */
public record PayloadSample(List<SampledField> fields, FieldMapping mapping, long records) {

    public PayloadSample {
        fields = List.copyOf(fields);
    }
}
