package dev.baton.project;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds dbt's {@code {% snapshot name %} ... {% endsnapshot %}} blocks in a file under
 * {@code snapshots/}. Each block's template keeps its lines where they are in the file (the text
 * around it becomes blank lines), so an error inside it names the file's own line.
 */
final class SnapshotBlocks {
    private static final Pattern OPEN = Pattern.compile("\\{%-?\\s*snapshot\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*-?%}");
    private static final Pattern ANY_OPEN = Pattern.compile("\\{%-?\\s*snapshot\\b");
    private static final Pattern CLOSE = Pattern.compile("\\{%-?\\s*endsnapshot\\s*-?%}");

    /** One block: its name, its line, the template as written and the template padded to its place in the file. */
    record Block(String name, SourceLocation location, String body, String placedBody) {}

    private SnapshotBlocks() {}

    static List<Block> parse(String text, String file) {
        List<Block> blocks = new ArrayList<>();
        int from = 0;
        Matcher anyOpen = ANY_OPEN.matcher(text);
        while (anyOpen.find(from)) {
            SourceLocation at = SourceLocation.of(file, lineOf(text, anyOpen.start()));
            Matcher open = OPEN.matcher(text);
            if (!open.find(anyOpen.start()) || open.start() != anyOpen.start()) {
                throw new BatonException(ErrorCode.SNAPSHOT_BLOCK_MALFORMED, "a snapshot block needs a name: write {% snapshot orders_snapshot %}", at);
            }
            Matcher close = CLOSE.matcher(text);
            if (!close.find(open.end())) {
                throw new BatonException(ErrorCode.SNAPSHOT_BLOCK_MALFORMED, "{% snapshot " + open.group(1)
                        + " %} is never closed; add {% endsnapshot %} where the snapshot's query ends", at);
            }
            String body = text.substring(open.end(), close.start());
            blocks.add(new Block(open.group(1), at, body, blankLines(text.substring(0, open.end())) + body));
            from = close.end();
        }
        if (blocks.isEmpty()) {
            throw new BatonException(ErrorCode.SNAPSHOT_BLOCK_MALFORMED, file + " holds no snapshot; wrap its query in"
                    + " {% snapshot name %} ... {% endsnapshot %}, or move the file out of the snapshot folder", SourceLocation.of(file, 1));
        }
        return blocks;
    }

    /** As many line breaks as {@code text} has, and spaces for the rest of its last line. */
    private static String blankLines(String text) {
        StringBuilder blank = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            blank.append(text.charAt(i) == '\n' ? '\n' : ' ');
        }
        return blank.toString();
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
