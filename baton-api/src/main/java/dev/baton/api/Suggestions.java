package dev.baton.api;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean …?" for names a user mistyped. */
public final class Suggestions {
    private Suggestions() {}

    /** The candidate closest to {@code input}, when it is close enough to be a likely typo. */
    public static Optional<String> closest(String input, Collection<String> candidates) {
        String needle = input.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(needle, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance || distance == bestDistance && best != null && candidate.compareTo(best) < 0) {
                best = candidate;
                bestDistance = distance;
            }
        }
        int allowed = Math.max(2, needle.length() / 3);
        return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** {@code "; did you mean 'x'?"} or the empty string. */
    public static String didYouMean(String input, Collection<String> candidates) {
        return closest(input, candidates).map(value -> "; did you mean '" + value + "'?").orElse("");
    }

    /** {@code "; did you mean 'x'?"} when a candidate is close, else {@code "; " + fallback}. */
    public static String didYouMeanOr(String input, Collection<String> candidates, String fallback) {
        String suggestion = didYouMean(input, candidates);
        return suggestion.isEmpty() ? "; " + fallback : suggestion;
    }

    static int distance(String left, String right) {
        int[] previous = new int[right.length() + 1];
        int[] current = new int[right.length() + 1];
        for (int j = 0; j <= right.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= left.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= right.length(); j++) {
                int cost = left.charAt(i - 1) == right.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[right.length()];
    }
}
