package dev.baton.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a load's columns differ from the table's: columns the source added, columns it no longer
 * has, and columns whose type changed (types as the warehouse names them).
 */
record SchemaDrift(Map<String, String> added, List<String> missing, Map<String, String> retyped) {
    static final SchemaDrift NONE = new SchemaDrift(Map.of(), List.of(), Map.of());

    static SchemaDrift between(Map<String, String> table, Map<String, String> load) {
        Map<String, String> added = new LinkedHashMap<>();
        Map<String, String> retyped = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        load.forEach((column, type) -> {
            String before = table.get(column);
            if (before == null) {
                added.put(column, type);
            } else if (!before.equals(type)) {
                retyped.put(column, before + " -> " + type);
            }
        });
        table.keySet().stream().filter(column -> !load.containsKey(column)).forEach(missing::add);
        return new SchemaDrift(added, missing, retyped);
    }

    boolean isEmpty() {
        return added.isEmpty() && missing.isEmpty() && retyped.isEmpty();
    }

    /** For people: {@code new column note VARCHAR; missing column code; column amount INTEGER -> VARCHAR}. */
    String describe() {
        List<String> parts = new ArrayList<>();
        added.forEach((column, type) -> parts.add("new column " + column + " " + type));
        missing.forEach(column -> parts.add("missing column " + column));
        retyped.forEach((column, change) -> parts.add("column " + column + " " + change));
        return String.join("; ", parts);
    }
}
