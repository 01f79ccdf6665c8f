package dev.baton.lineage;

import static java.util.Objects.requireNonNull;

import dev.baton.api.event.EventSink;
import dev.baton.api.event.NodeResult;
import dev.baton.api.event.NodeStatus;
import dev.baton.api.event.RunEvent;
import dev.baton.api.event.RunStatus;
import dev.baton.project.ColumnInfo;
import dev.baton.project.Node;
import dev.baton.project.Project;
import dev.baton.project.ResourceType;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClient;
import io.openlineage.client.transports.FileConfig;
import io.openlineage.client.transports.FileTransport;
import io.openlineage.client.transports.HttpConfig;
import io.openlineage.client.transports.HttpTransport;
import io.openlineage.client.transports.Transport;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Emits OpenLineage run events through the OpenLineage Java client: a START and a COMPLETE or
 * FAIL for the run as a whole (job {@code <project>}, with the tested datasets as inputs carrying
 * the data-quality-assertions facet), and for each model and seed (job {@code <project>.<name>},
 * with its upstream relations as inputs and its relation as output carrying the schema facet of
 * its documented columns, and the run as parent).
 */
public final class OpenLineageSink implements EventSink {
    static final URI PRODUCER = URI.create("https://github.com/baton-data/baton");

    private final Project project;
    private final OpenLineageConfig config;
    private final OpenLineageClient client;
    private final OpenLineage lineage = new OpenLineage(PRODUCER);
    private final PrintWriter warnings;
    private final String datasetNamespace;

    public OpenLineageSink(Project project, OpenLineageConfig config, PrintWriter warnings) {
        this.project = requireNonNull(project, "project is null");
        this.config = requireNonNull(config, "config is null");
        this.warnings = requireNonNull(warnings, "warnings is null");
        this.client = new OpenLineageClient(transport(project, config));
        this.datasetNamespace = "duckdb://" + project.target().path().map(path -> project.root().resolve(path).normalize().toString()).orElse(project.name());
    }

    private static Transport transport(Project project, OpenLineageConfig config) {
        if (config.file().isPresent()) {
            return new FileTransport(new FileConfig(project.root().resolve(config.file().get()).toString()));
        }
        HttpConfig http = new HttpConfig();
        http.setUrl(config.url().orElseThrow());
        http.setEndpoint(config.endpoint());
        http.setTimeoutInMillis(10_000);
        return new HttpTransport(http);
    }

    @Override
    public void accept(RunEvent event) {
        try {
            if (event instanceof RunEvent.RunStarted started) {
                emit(runEvent(OpenLineage.RunEvent.EventType.START, started.startedAt(), runId(started.runId()), project.name(), Optional.empty(),
                        List.of(), List.of()));
            } else if (event instanceof RunEvent.NodeStarted started) {
                Optional<Node> node = project.node(started.nodeId()).filter(OpenLineageSink::producesData);
                if (node.isPresent()) {
                    emit(runEvent(OpenLineage.RunEvent.EventType.START, started.startedAt(), nodeRunId(event.runId(), node.get()), jobName(node.get()),
                            Optional.of(event.runId()), inputs(node.get()), outputs(node.get())));
                }
            } else if (event instanceof RunEvent.NodeFinished finished) {
                nodeFinished(finished);
            } else if (event instanceof RunEvent.RunFinished finished) {
                OpenLineage.RunEvent.EventType type = finished.status() == RunStatus.SUCCESS ? OpenLineage.RunEvent.EventType.COMPLETE
                        : finished.status() == RunStatus.CANCELLED ? OpenLineage.RunEvent.EventType.ABORT : OpenLineage.RunEvent.EventType.FAIL;
                emit(runEvent(type, finished.finishedAt(), runId(finished.runId()), project.name(), Optional.empty(), assertions(finished.results()), List.of()));
            }
        } catch (RuntimeException e) {
            warnings.println("warning: could not emit an OpenLineage event: " + e.getMessage());
        }
    }

    private void nodeFinished(RunEvent.NodeFinished finished) {
        NodeResult result = finished.result();
        Optional<Node> node = project.node(result.nodeId()).filter(OpenLineageSink::producesData);
        if (node.isEmpty() || result.status() == NodeStatus.SKIPPED) {
            return;
        }
        OpenLineage.RunEvent.EventType type = switch (result.status()) {
            case SUCCESS, PASS, WARN -> OpenLineage.RunEvent.EventType.COMPLETE;
            case CANCELLED -> OpenLineage.RunEvent.EventType.ABORT;
            default -> OpenLineage.RunEvent.EventType.FAIL;
        };
        emit(runEvent(type, result.startedAt().plus(result.duration()), nodeRunId(finished.runId(), node.get()), jobName(node.get()),
                Optional.of(finished.runId()), inputs(node.get()), outputs(node.get())));
    }

    private static boolean producesData(Node node) {
        return (node.resourceType() == ResourceType.MODEL || node.resourceType() == ResourceType.SEED) && node.relation().isPresent();
    }

    private void emit(OpenLineage.RunEvent event) {
        client.emit(event);
    }

    private OpenLineage.RunEvent runEvent(OpenLineage.RunEvent.EventType type, Instant at, UUID runId, String jobName, Optional<String> parentRunId,
            List<OpenLineage.InputDataset> inputs, List<OpenLineage.OutputDataset> outputs) {
        OpenLineage.RunFacetsBuilder facets = lineage.newRunFacetsBuilder();
        parentRunId.ifPresent(parent -> facets.parent(lineage.newParentRunFacetBuilder()
                .run(lineage.newParentRunFacetRunBuilder().runId(runId(parent)).build())
                .job(lineage.newParentRunFacetJobBuilder().namespace(config.namespace()).name(project.name()).build())
                .build()));
        return lineage.newRunEventBuilder()
                .eventType(type)
                .eventTime(ZonedDateTime.ofInstant(at, ZoneOffset.UTC))
                .run(lineage.newRunBuilder().runId(runId).facets(facets.build()).build())
                .job(lineage.newJobBuilder().namespace(config.namespace()).name(jobName).build())
                .inputs(inputs)
                .outputs(outputs)
                .build();
    }

    private String jobName(Node node) {
        return project.name() + "." + node.name();
    }

    private List<OpenLineage.InputDataset> inputs(Node node) {
        List<OpenLineage.InputDataset> inputs = new ArrayList<>();
        for (String upstream : node.dependsOn()) {
            project.node(upstream).flatMap(Node::relation).ifPresent(relation ->
                    inputs.add(lineage.newInputDatasetBuilder().namespace(datasetNamespace).name(relation.toString()).build()));
        }
        return inputs;
    }

    private List<OpenLineage.OutputDataset> outputs(Node node) {
        List<OpenLineage.SchemaDatasetFacetFields> fields = new ArrayList<>();
        for (ColumnInfo column : node.columns()) {
            fields.add(lineage.newSchemaDatasetFacetFieldsBuilder().name(column.name()).type(column.dataType().orElse(null))
                    .description(column.description().isBlank() ? null : column.description()).build());
        }
        OpenLineage.DatasetFacetsBuilder facets = lineage.newDatasetFacetsBuilder().schema(lineage.newSchemaDatasetFacetBuilder().fields(fields).build());
        return List.of(lineage.newOutputDatasetBuilder().namespace(datasetNamespace).name(node.relation().orElseThrow().toString()).facets(facets.build()).build());
    }

    /** The relations tested in the run, each with the data-quality-assertions facet of its tests. */
    private List<OpenLineage.InputDataset> assertions(List<NodeResult> results) {
        Map<String, List<OpenLineage.DataQualityAssertionsDatasetFacetAssertions>> byRelation = new LinkedHashMap<>();
        for (NodeResult result : results) {
            if (result.status() != NodeStatus.PASS && result.status() != NodeStatus.FAIL && result.status() != NodeStatus.WARN) {
                continue;
            }
            Optional<Node> test = project.node(result.nodeId());
            Optional<Node> tested = test.flatMap(Node::attachedNode).flatMap(project::node).filter(node -> node.relation().isPresent());
            if (test.isEmpty() || tested.isEmpty()) {
                continue;
            }
            byRelation.computeIfAbsent(tested.get().relation().orElseThrow().toString(), key -> new ArrayList<>())
                    .add(lineage.newDataQualityAssertionsDatasetFacetAssertionsBuilder()
                            .assertion(test.get().testMetadata().orElse(test.get().name()))
                            .success(result.status() != NodeStatus.FAIL)
                            .column(test.get().columnName().orElse(null))
                            .build());
        }
        List<OpenLineage.InputDataset> inputs = new ArrayList<>();
        byRelation.forEach((relation, list) -> inputs.add(lineage.newInputDatasetBuilder().namespace(datasetNamespace).name(relation)
                .inputFacets(lineage.newInputDatasetInputFacetsBuilder().dataQualityAssertions(
                        lineage.newDataQualityAssertionsDatasetFacetBuilder().assertions(list).build()).build())
                .build()));
        return inputs;
    }

    static UUID runId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static UUID nodeRunId(String runId, Node node) {
        return UUID.nameUUIDFromBytes((runId + "/" + node.uniqueId()).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception e) {
            warnings.println("warning: the OpenLineage client did not close cleanly: " + e.getMessage());
        }
    }
}
