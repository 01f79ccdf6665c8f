package dev.baton.graph.selector;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Shell-style wildcards as dbt uses them: fnmatch for names, pathlib-style globs for paths. */
final class WildcardPatterns {
    private WildcardPatterns() {}

    static boolean hasWildcard(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0 || text.indexOf(']') >= 0;
    }

    /**
     * Compiles a pattern the way Python's {@code fnmatch} reads it: {@code *} is any run of
     * characters (slashes and dots included), {@code ?} any one character, {@code [abc]} and
     * {@code [!abc]} character sets. Everything else matches itself.
     */
    static Predicate<String> fnmatch(String pattern) {
        if (!hasWildcard(pattern)) {
            return pattern::equals;
        }
        Pattern compiled = Pattern.compile(translate(pattern, true), Pattern.DOTALL);
        return text -> compiled.matcher(text).matches();
    }

    /**
     * Compiles a project-relative path glob: {@code *}, {@code ?} and sets stay within one path
     * segment, and a {@code **} segment spans any number of segments, including none.
     */
    static Predicate<String> pathGlob(String glob) {
        String[] segments = glob.split("/");
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals("**") && last) {
                regex.append(i == 0 ? ".*" : "(?:/.*)?");
            } else if (segment.equals("**")) {
                regex.append(i == 0 ? "(?:[^/]+/)*" : "/(?:[^/]+/)*");
            } else {
                if (i > 0 && !segments[i - 1].equals("**")) {
                    regex.append('/');
                }
                regex.append(translate(segment, false));
            }
        }
        Pattern compiled = Pattern.compile(regex.toString(), Pattern.DOTALL);
        return path -> compiled.matcher(path).matches();
    }

    private static String translate(String pattern, boolean wildcardCrossesSlash) {
        String any = wildcardCrossesSlash ? "." : "[^/]";
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i++);
            if (c == '*') {
                regex.append(any).append('*');
            } else if (c == '?') {
                regex.append(any);
            } else if (c == '[') {
                int end = pattern.indexOf(']', i + (i < pattern.length() && pattern.charAt(i) == '!' ? 2 : 1));
                if (end < 0) {
                    regex.append("\\[");
                } else {
                    String set = pattern.substring(i, end).replace("\\", "\\\\");
                    if (set.startsWith("!")) {
                        set = "^" + set.substring(1);
                    } else if (set.startsWith("^")) {
                        set = "\\" + set;
                    }
                    regex.append('[').append(set).append(']');
                    i = end + 1;
                }
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }
}
