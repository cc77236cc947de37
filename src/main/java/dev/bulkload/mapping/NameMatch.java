package dev.bulkload.mapping;

import java.util.Locale;

/** How a field name meets a column name when no {@code map} entry names the field. */
public enum NameMatch {

    /** The exact name, else the only column whose name differs from it in case alone. */
    EXACT,

    /** Names that are equal once case, white space, {@code _}, {@code -} and {@code .} are ignored. */
    LOOSE;

    /** The name used in requests and reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The name with case, white space (a no-break space too), {@code _}, {@code -} and {@code .} taken out:
     * {@code E-mail Address}, {@code email_address} and {@code EmailAddress} all give {@code emailaddress}.
     */
    public static String looseKey(String name) {
        StringBuilder key = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '_' && c != '-' && c != '.' && !Character.isWhitespace(c) && !Character.isSpaceChar(c)) {
                key.append(c);
            }
        }
        return key.toString().toLowerCase(Locale.ROOT);
    }
}
