package dev.baton.materialization;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.Relation;
import dev.baton.project.Node;
import java.nio.file.Path;
import java.sql.SQLException;

/** A seed: a CSV file checked for ragged rows, loaded with inferred types, and published like a table. */
final class SeedMaterialization implements NodeExecution {
    private final Path projectRoot;

    SeedMaterialization(Path projectRoot) {
        this.projectRoot = projectRoot;
    }

    @Override
    public NodeOutcome execute(Engine engine, EngineSession session, Node node) throws SQLException {
        Path file = projectRoot.resolve(node.path());
        CsvShape.check(file, node.path());
        Relation relation = node.relation().orElseThrow();
        long rows = Publisher.publishTable(engine, session, relation, into -> session.loadCsv(into, file, node.config().columnTypes()));
        return NodeOutcome.built("loaded seed file " + relation, rows);
    }

    static BatonException malformed(String path, int line, String detail) {
        return new BatonException(ErrorCode.SEED_MALFORMED, detail, SourceLocation.of(path, line));
    }
}
