package dev.baton.state;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What a run printed, in the order it printed it.
 *
 * @param chunks pieces of output, each on {@code out} or {@code err}
 */
public record RunLog(String runId, List<Chunk> chunks) {
    /** A piece of output: its stream ({@code out} or {@code err}) and its text. */
    public record Chunk(String stream, String text) {
        public Chunk {
            requireNonNull(stream, "stream is null");
            requireNonNull(text, "text is null");
        }
    }

    public RunLog {
        requireNonNull(runId, "runId is null");
        chunks = List.copyOf(chunks);
    }

    /** The output as one text: every stream, or only the one given. */
    public String text(Optional<String> stream) {
        StringBuilder text = new StringBuilder();
        for (Chunk chunk : chunks) {
            if (stream.isEmpty() || stream.get().equals(chunk.stream())) {
                text.append(chunk.text());
            }
        }
        return text.toString();
    }
}
