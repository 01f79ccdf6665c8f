package dev.baton.server.run;

/**
 * Executes one writing command inside the server. The command line module supplies it, so that a
 * run submitted to the server does exactly what the same command does locally.
 */
@FunctionalInterface
public interface RunExecutor {
    /** Runs the command to its end and returns its exit code. */
    int execute(RunRequest request, RunIo io);
}
