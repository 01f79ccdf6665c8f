package dev.baton.cli;

import dev.baton.project.ProjectLoader;
import dev.baton.project.ProjectSettings;
import dev.baton.server.auth.Role;
import dev.baton.server.auth.Tokens;
import dev.baton.state.StateStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "token", mixinStandardHelpOptions = true, description = "API tokens of the server.",
        subcommands = TokenCommand.Create.class)
final class TokenCommand implements Runnable {
    private final CliContext context;

    TokenCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public void run() {
        context.out().println(new picocli.CommandLine(this).getUsageMessage());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a token and print it once; the state store keeps only its hash.")
    static final class Create implements Callable<Integer> {
        private final CliContext context;

        @Mixin
        ProjectOptions projectOptions;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "viewer (reads), operator (also triggers and cancels runs) or admin (also manages tokens).")
        String role;

        @Option(names = "--name", paramLabel = "NAME", description = "What the token is for (default: its role).")
        String name;

        Create(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Role parsed = Role.fromLabel(role);
            Path root = projectOptions.projectDir.toAbsolutePath().normalize();
            ProjectSettings settings = ProjectLoader.settings(projectOptions.projectDir, context.env());
            try (StateStore store = StateStore.open(root, settings.stateUrl())) {
                Tokens.Created created = Tokens.create(store, parsed, name != null ? name : parsed.label());
                context.err().println("Created " + parsed.label() + " token '" + created.record().name() + "' (id " + created.record().id()
                        + ") in " + store.location() + ". It is shown only this once; keep it secret:");
                context.out().println(created.token());
            }
            return 0;
        }
    }
}
