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
        CliContext context = new CliContext(outWriter, errWriter, env, interactive, String.join(" ", Arrays.asList(args)));
        CommandLine commandLine = new CommandLine(new BatonCommand(context), new ContextFactory(context));
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
