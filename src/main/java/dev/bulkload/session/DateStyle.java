package dev.bulkload.session;

/**
 * How a load's transactions read dates and timestamps whose field order is ambiguous ({@code 31/12/2024}): the
 * field order of PostgreSQL's {@code DateStyle}. Output stays ISO in every style (the JDBC driver requires it), and
 * ISO input ({@code 2024-12-31}) is read the same in every style.
 */
public enum DateStyle {

    /** PostgreSQL's default reading: month before day ({@code ISO, MDY}). */
    ISO("ISO, MDY"),

    /** Month, day, year: {@code 12/31/2024}. */
    MDY("ISO, MDY"),

    /** Day, month, year: {@code 31/12/2024}. */
    DMY("ISO, DMY"),

    /** Year, month, day: {@code 2024/12/31}. */
    YMD("ISO, YMD");

    private final String setting;

    DateStyle(String setting) {
        this.setting = setting;
    }

    /** The value of PostgreSQL's {@code DateStyle} setting. */
    String setting() {
        return this.setting;
    }
}
