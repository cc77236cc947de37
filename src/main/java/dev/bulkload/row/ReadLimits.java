package dev.bulkload.row;

/**
 * Limits every payload reader enforces record by record.
 * @param maxFieldBytes largest value of one field, in bytes
 * @param maxColumns most fields in one record or header
 * @param maxRecordBytes largest record (all its fields, or one NDJSON line), in bytes
 * @param maxNestingDepth deepest JSON nesting of a record (the record's own object is level 1)
 * @param maxNumberLength longest JSON number, in characters
 */
public record ReadLimits(int maxFieldBytes, int maxColumns, int maxRecordBytes, int maxNestingDepth,
        int maxNumberLength) {
}
