package dev.baton.cli;

import java.io.PrintWriter;
import java.util.Map;

/** What every command gets: its streams, the environment and the global flags. */
final class CliContext {
    private final PrintWriter out;
    private final PrintWriter err;
    private final Map<String, String> env;
    private final boolean interactive;
    private final String commandLine;
    private boolean debug;

    CliContext(PrintWriter out, PrintWriter err, Map<String, String> env, boolean interactive, String commandLine) {
        this.out = out;
        this.err = err;
        this.env = Map.copyOf(env);
        this.interactive = interactive;
        this.commandLine = commandLine;
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
