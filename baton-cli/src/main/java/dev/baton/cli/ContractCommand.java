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
        subcommands = {ContractCommand.Export.class, ContractCommand.Diff.class})
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

        @Option(names = "--output-file", paramLabel = "FILE", description = "Write to FILE instead of standard output "
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

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "Compare the project's contracts with the ones last published (state store): ERROR for breaking changes (removed column, "
                    + "narrowed type, tightened nullability, uniqueness or accepted values), WARNING for a changed primary key, INFO for additions. "
                    + "Exit 1 on an ERROR unless the contract's version (meta.version) was raised.")
    static final class Diff implements Callable<Integer> {
        private final CliContext context;

        @Mixin
        ProjectOptions projectOptions;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json.")
        String output;

        Diff(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() throws IOException {
            OutputFormat format = OutputFormat.parse(output);
            Project project = Workspace.load(projectOptions, context).project();
            java.util.Map<String, dev.baton.state.ContractRecord> published;
            try (LazyStore store = new LazyStore(project)) {
                published = store.get().lastContracts();
            }
            List<dev.baton.contract.ContractDiff> diffs = new java.util.ArrayList<>();
            java.util.Set<String> current = new java.util.HashSet<>();
            for (Node node : project.nodes().values()) {
                if (!dev.baton.contract.ModelContract.enforced(node)) {
                    continue;
                }
                current.add(node.uniqueId());
                java.util.Optional<dev.baton.contract.OdcsContract> before = java.util.Optional.ofNullable(published.get(node.uniqueId()))
                        .map(record -> Odcs.read(record.contract(), "the contract published in run " + record.runId()).contract());
                diffs.add(dev.baton.contract.ContractDiff.compare(before, Odcs.export(project, node)));
            }
            published.forEach((id, record) -> {
                if (!current.contains(id)) {
                    String name = id.substring(id.lastIndexOf('.') + 1);
                    diffs.add(new dev.baton.contract.ContractDiff(name, java.util.Optional.of(record.version()), record.version(), List.of(
                            new dev.baton.contract.ContractDiff.Change(dev.baton.contract.ContractDiff.Severity.WARNING, "contract_removed",
                                    java.util.Optional.empty(), "the project no longer enforces a contract on this model"))));
                }
            });
            long errors = diffs.stream().mapToLong(diff -> diff.count(dev.baton.contract.ContractDiff.Severity.ERROR)).sum();
            long warnings = diffs.stream().mapToLong(diff -> diff.count(dev.baton.contract.ContractDiff.Severity.WARNING)).sum();
            long infos = diffs.stream().mapToLong(diff -> diff.count(dev.baton.contract.ContractDiff.Severity.INFO)).sum();
            boolean breaking = diffs.stream().anyMatch(dev.baton.contract.ContractDiff::breaking);
            if (format == OutputFormat.JSON) {
                context.out().println(json(diffs, errors, warnings, infos, breaking));
            } else {
                text(diffs, errors, warnings, infos, breaking);
            }
            return breaking ? 1 : 0;
        }

        private void text(List<dev.baton.contract.ContractDiff> diffs, long errors, long warnings, long infos, boolean breaking) {
            if (diffs.isEmpty()) {
                context.out().println("No model enforces a contract (contract: {enforced: true}, or an ODCS file under contracts/).");
                return;
            }
            for (dev.baton.contract.ContractDiff diff : diffs) {
                String versions = diff.publishedVersion().map(old -> old.equals(diff.version()) ? "version " + old : "version " + old + " -> "
                        + diff.version()).orElse("version " + diff.version());
                context.out().println("model " + diff.model() + " (" + versions + ")" + (diff.changes().isEmpty() ? ": no changes" : ":"));
                for (dev.baton.contract.ContractDiff.Change change : diff.changes()) {
                    context.out().printf("  %-8s %s%n", change.severity(), change.message());
                }
                if (diff.count(dev.baton.contract.ContractDiff.Severity.ERROR) > 0) {
                    context.out().println(diff.versionBumped() ? "  breaking changes accepted: the version was raised"
                            : "  breaking changes: raise meta.version (the contract's version) to accept them");
                }
            }
            context.out().println(errors + " error" + (errors == 1 ? "" : "s") + ", " + warnings + " warning" + (warnings == 1 ? "" : "s") + ", "
                    + infos + " info" + (breaking ? "; breaking changes without a version bump" : ""));
        }

        private static String json(List<dev.baton.contract.ContractDiff> diffs, long errors, long warnings, long infos, boolean breaking) {
            List<Object> models = new java.util.ArrayList<>();
            for (dev.baton.contract.ContractDiff diff : diffs) {
                java.util.Map<String, Object> model = new java.util.LinkedHashMap<>();
                model.put("model", diff.model());
                model.put("published_version", diff.publishedVersion().orElse(null));
                model.put("version", diff.version());
                model.put("version_bumped", diff.versionBumped());
                model.put("breaking", diff.breaking());
                List<Object> changes = new java.util.ArrayList<>();
                for (dev.baton.contract.ContractDiff.Change change : diff.changes()) {
                    java.util.Map<String, Object> entry = new java.util.LinkedHashMap<>();
                    entry.put("severity", change.severity().name());
                    entry.put("change", change.change());
                    entry.put("column", change.column().orElse(null));
                    entry.put("message", change.message());
                    changes.add(entry);
                }
                model.put("changes", changes);
                models.add(model);
            }
            java.util.Map<String, Object> root = new java.util.LinkedHashMap<>();
            root.put("models", models);
            root.put("errors", errors);
            root.put("warnings", warnings);
            root.put("infos", infos);
            root.put("breaking", breaking);
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
