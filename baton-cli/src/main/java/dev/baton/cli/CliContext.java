package dev.baton.cli;

import dev.baton.api.event.EventSink;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** What every command gets: its streams, the environment and the global flags. */
final class CliContext {
    private final PrintWriter out;
    private final PrintWriter err;
    private final Map<String, String> env;
    private final boolean interactive;
    private final String commandLine;
    private final List<String> args;
    private final Optional<ServerRun> serverRun;
    private boolean debug;

    /**
     * A command executed by a running server for a client: its run id, a sink for the server's
     * own listeners, and where it registers what cancels it.
     */
    record ServerRun(String runId, EventSink events, Consumer<Runnable> onCancel) {}

    CliContext(PrintWriter out, PrintWriter err, Map<String, String> env, boolean interactive, String commandLine) {
        this(out, err, env, interactive, commandLine, List.of(commandLine.split(" ")), Optional.empty());
    }

    CliContext(PrintWriter out, PrintWriter err, Map<String, String> env, boolean interactive, String commandLine, List<String> args,
            Optional<ServerRun> serverRun) {
        this.out = out;
        this.err = err;
        this.env = Map.copyOf(env);
        this.interactive = interactive;
        this.commandLine = commandLine;
        this.args = List.copyOf(args);
        this.serverRun = serverRun;
    }

    /** The arguments as given, for handing the command to a server. */
    List<String> args() {
        return args;
    }

    /** Present when this command runs inside a server on a client's behalf. */
    Optional<ServerRun> serverRun() {
        return serverRun;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    Map<String, String> env() {
        return env;
    }

    boolean interactive() {
        return interactive;
    }

    String commandLine() {
        return commandLine;
    }

    boolean debug() {
        return debug;
    }

    void setDebug(boolean debug) {
        this.debug = debug;
    }
}
