package dev.baton.server.run;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * Work submitted to the server: one writing command as it would be typed after {@code baton}.
 *
 * @param id the run id the work records in the state store
 * @param args the command line, such as {@code build -s orders+}
 * @param env environment values that override the server's own for this run
 * @param interactive whether the output goes to a terminal (live status line)
 */
public record RunRequest(String id, List<String> args, Map<String, String> env, boolean interactive) {
    public RunRequest {
        requireNonNull(id, "id is null");
        args = List.copyOf(args);
        env = Map.copyOf(env);
    }
}
