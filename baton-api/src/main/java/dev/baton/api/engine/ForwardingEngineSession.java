package dev.baton.api.engine;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A session that passes every call to another; subclasses override what they change. */
public abstract class ForwardingEngineSession implements EngineSession {
    private final EngineSession delegate;

    protected ForwardingEngineSession(EngineSession delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    protected EngineSession delegate() {
        return delegate;
    }

    @Override
    public long execute(String sql) throws SQLException {
        return delegate.execute(sql);
    }

    @Override
    public QueryResult query(String sql, int maxRows) throws SQLException {
        return delegate.query(sql, maxRows);
    }

    @Override
    public void executeAtomically(List<String> statements) throws SQLException {
        delegate.executeAtomically(statements);
    }

    @Override
    public Optional<RelationType> relationType(Relation relation) throws SQLException {
        return delegate.relationType(relation);
    }

    @Override
    public Map<Relation, RelationType> listRelations() throws SQLException {
        return delegate.listRelations();
    }

    @Override
    public Optional<String> tableComment(Relation relation) throws SQLException {
        return delegate.tableComment(relation);
    }

    @Override
    public List<String> dependentViews(Relation relation) throws SQLException {
        return delegate.dependentViews(relation);
    }

    @Override
    public void createSchemaIfMissing(String schema) throws SQLException {
        delegate.createSchemaIfMissing(schema);
    }

    @Override
    public long loadCsv(Relation relation, Path csvFile, Map<String, String> columnTypes) throws SQLException {
        return delegate.loadCsv(relation, csvFile, columnTypes);
    }

    @Override
    public void cancel() {
        delegate.cancel();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public boolean scansArrowStreams() {
        return delegate.scansArrowStreams();
    }

    @Override
    public void registerArrowStream(String name, Object arrowArrayStream) throws SQLException {
        delegate.registerArrowStream(name, arrowArrayStream);
    }
}
