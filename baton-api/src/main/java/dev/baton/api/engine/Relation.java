package dev.baton.api.engine;

import static java.util.Objects.requireNonNull;

/** A table or view in the warehouse, named by schema and identifier. */
public record Relation(String schema, String identifier) {
    public Relation {
        requireNonNull(schema, "schema is null");
        requireNonNull(identifier, "identifier is null");
    }

    public Relation withIdentifier(String newIdentifier) {
        return new Relation(schema, newIdentifier);
    }

    /** {@code schema.identifier}, unquoted, for people. */
    @Override
    public String toString() {
        return schema + "." + identifier;
    }
}
