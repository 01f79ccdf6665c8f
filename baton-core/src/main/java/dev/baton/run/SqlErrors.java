package dev.baton.run;

import dev.baton.project.Node;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an engine's SQL error into a message that points at the node's file and the line of its
 * compiled SQL. Every statement Baton wraps around compiled SQL puts it on its own lines after
 * one line of its own, so the engine's line minus one is the compiled SQL's line.
 */
final class SqlErrors {
    private static final Pattern LINE = Pattern.compile("LINE (\\d+):");

    private SqlErrors() {}

    static String describe(Node node, SQLException error, String compiledPath) {
        String engineMessage = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        engineMessage = engineMessage.replaceFirst("^java\\.sql\\.SQLException: ", "");
        Matcher line = LINE.matcher(engineMessage);
        String place = node.path();
        if (line.find() && !node.compiledSql().isEmpty()) {
            int compiledLine = Math.max(1, Integer.parseInt(line.group(1)) - 1);
            place = node.path() + ": compiled SQL line " + compiledLine;
            engineMessage = engineMessage.substring(0, line.start());
        }
        String summary = engineMessage.strip().replaceAll("\\s*\\n\\s*", " ");
        String seeCompiled = node.compiledSql().isEmpty() ? "" : "; see " + compiledPath;
        return place + ": " + summary + seeCompiled;
    }
}
