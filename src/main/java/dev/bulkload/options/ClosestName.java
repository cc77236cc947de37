package dev.bulkload.options;

import java.util.Collection;
import java.util.Locale;

/**
 * Suggests the name a client probably meant when it sent one the service does not know ({@code onerror} for
 * {@code onError}, {@code dateStlye} for {@code dateStyle}).
 */
public final class ClosestName {

    /** The most edits between a name as sent and a known one for the known one to be suggested. */
    private static final int MAX_DISTANCE = 2;

    private ClosestName() {
    }

    /**
     * The known name closest to {@code name}: the one equal to it but for case, else the nearest within
     * {@link #MAX_DISTANCE} edits (the first of equally near ones); null when none is that near.
     */
    public static String among(String name, Collection<String> candidates) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String candidate : candidates) {
            if (candidate.toLowerCase(Locale.ROOT).equals(lower)) {
                return candidate;
            }
        }
        String closest = null;
        int best = MAX_DISTANCE + 1;
        for (String candidate : candidates) {
            int distance = distance(lower, candidate.toLowerCase(Locale.ROOT));
            if (distance < best) {
                best = distance;
                closest = candidate;
            }
        }
        return closest;
    }

    /**
     * Edits (insert, delete, replace, swap of neighbours) from {@code a} to {@code b}: the optimal string alignment
     * distance, so a swapped pair of letters ({@code dateSytle}) is one edit.
     */
    static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > MAX_DISTANCE) {
            return Integer.MAX_VALUE;
        }
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
