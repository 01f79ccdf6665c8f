package dev.baton.cli;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorType;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine;

/** The {@code baton} command. Only {@link #main} exits the JVM; everything below returns exit codes. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int code = execute(args, System.out, System.err, System.getenv(), System.console() != null);
        System.out.flush();
        System.exit(code);
    }

    /** Runs one command line with injected streams and environment, and returns the exit code. */
    public static int execute(String[] args, PrintStream out, PrintStream err, Map<String, String> env, boolean interactive) {
        PrintWriter outWriter = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter errWriter = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        CliContext context = new CliContext(outWriter, errWriter, env, interactive, String.join(" ", Arrays.asList(args)), Arrays.asList(args),
                java.util.Optional.empty());
        return execute(args, context, false);
    }

    /**
     * Executes a writing command that a client submitted to this process's server: the same
     * command as on the command line, with the client's environment over the server's, the
     * server's run id, its event listeners and its cancellation. The request's last argument is
     * the {@code --project-dir} the server added, which may repeat one the client gave.
     */
    public static int executeInServer(dev.baton.server.run.RunRequest request, dev.baton.server.run.RunIo io) {
        PrintWriter outWriter = new PrintWriter(new java.io.OutputStreamWriter(io.out(), StandardCharsets.UTF_8), true);
        PrintWriter errWriter = new PrintWriter(new java.io.OutputStreamWriter(io.err(), StandardCharsets.UTF_8), true);
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.putAll(request.env());
        java.util.List<String> args = request.args();
        String shown = String.join(" ", args.subList(0, Math.max(0, args.size() - 1)));
        CliContext context = new CliContext(outWriter, errWriter, env, request.interactive(), shown, args,
                java.util.Optional.of(new CliContext.ServerRun(request.id(), io.events(), io::onCancel)));
        return execute(args.toArray(String[]::new), context, true);
    }

    private static int execute(String[] args, CliContext context, boolean overwrittenOptionsAllowed) {
        PrintWriter outWriter = context.out();
        PrintWriter errWriter = context.err();
        ContextFactory factory = new ContextFactory(context);
        CommandLine commandLine = new CommandLine(new BatonCommand(context), factory);
        // Before the settings below, which reach only the subcommands added so far.
        for (Class<?> subcommand : BatonCommand.subcommandsFor(args)) {
            commandLine.addSubcommand(new CommandLine(subcommand, factory));
        }
        commandLine.setOverwrittenOptionsAllowed(overwrittenOptionsAllowed);
        commandLine.setOut(outWriter);
        commandLine.setErr(errWriter);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> handle(exception, context));
        commandLine.setParameterExceptionHandler((exception, ignored) -> {
            errWriter.println("error: " + exception.getMessage());
            if (exception instanceof CommandLine.UnmatchedArgumentException unmatched) {
                CommandLine.UnmatchedArgumentException.printSuggestions(unmatched, errWriter);
            }
            errWriter.println("Run '" + exception.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return ErrorType.USER_ERROR.exitCode();
        });
        try {
            return commandLine.execute(args);
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    private static int handle(Exception exception, CliContext context) {
        if (exception instanceof BatonException batonException) {
            context.err().println("error: " + batonException.getMessage());
            if (context.debug()) {
                batonException.printStackTrace(context.err());
            }
            return batonException.errorCode().type().exitCode();
        }
        context.err().println("internal error: " + exception + (context.debug() ? "" : " (run with --debug for the stack trace)"));
        if (context.debug()) {
            exception.printStackTrace(context.err());
        }
        return ErrorType.INTERNAL_ERROR.exitCode();
    }

    /** Gives commands the shared context through their constructor. */
    private record ContextFactory(CliContext context) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            for (var constructor : type.getDeclaredConstructors()) {
                if (constructor.getParameterCount() == 1 && constructor.getParameterTypes()[0] == CliContext.class) {
                    constructor.setAccessible(true);
                    return type.cast(constructor.newInstance(context));
                }
            }
            return CommandLine.defaultFactory().create(type);
        }
    }
}
