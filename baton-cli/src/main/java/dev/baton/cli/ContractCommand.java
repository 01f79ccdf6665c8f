package dev.baton.cli;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.Suggestions;
import dev.baton.contract.Odcs;
import dev.baton.project.Node;
import dev.baton.project.Project;
import dev.baton.project.ResourceType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "contract", mixinStandardHelpOptions = true, description = "Data contracts (Open Data Contract Standard 3.1).",
        subcommands = {ContractCommand.Export.class})
final class ContractCommand implements Runnable {
    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "name a subcommand: export, diff");
    }

    static Node model(Project project, String name) {
        List<String> models = project.nodes().values().stream().filter(node -> node.resourceType() == ResourceType.MODEL).map(Node::name).toList();
        return project.nodes().values().stream().filter(node -> node.resourceType() == ResourceType.MODEL && node.name().equals(name)
                && node.relation().isPresent()).findFirst().orElseThrow(() -> new BatonException(ErrorCode.UNKNOWN_REF, "unknown model '" + name + "'"
                        + Suggestions.didYouMean(name, models)));
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write a model's contract as ODCS 3.1 YAML: its columns and types, constraints and checks, SLA (meta.sla) and owner (meta.owner).")
    static final class Export implements Callable<Integer> {
        private final CliContext context;

        @Mixin
        ProjectOptions projectOptions;

        @Parameters(paramLabel = "MODEL", description = "The model's name.")
        String model;

        @Option(names = {"-o", "--output-file"}, paramLabel = "FILE", description = "Write to FILE instead of standard output "
                + "(under contracts/ the project then enforces it).")
        Path outputFile;

        Export(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() throws IOException {
            Project project = Workspace.load(projectOptions, context).project();
            String yaml = Odcs.write(Odcs.export(project, model(project, model)));
            if (outputFile == null) {
                context.out().print(yaml);
            } else {
                Path file = outputFile.isAbsolute() ? outputFile : project.root().resolve(outputFile);
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, yaml);
                context.out().println("Wrote the contract of model " + model + " to " + outputFile);
            }
            return 0;
        }
    }
}
