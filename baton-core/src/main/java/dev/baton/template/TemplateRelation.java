package dev.baton.template;

import static java.util.Objects.requireNonNull;

import com.hubspot.jinjava.objects.serialization.PyishSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * dbt's {@code this}: renders as the quoted relation ({@code "main"."orders"}) and offers its parts
 * as dbt's Relation does: {@code this.schema}, {@code this.identifier} (also {@code this.name} and
 * {@code this.table}), {@code this.database} (the target's when the relation names none) and
 * {@code this.render()}.
 */
public final class TemplateRelation implements PyishSerializable {
    private final String text;
    private final String database;
    private final String schema;
    private final String identifier;

    private TemplateRelation(String text, String database, String schema, String identifier) {
        this.text = requireNonNull(text, "text is null");
        this.database = database;
        this.schema = requireNonNull(schema, "schema is null");
        this.identifier = requireNonNull(identifier, "identifier is null");
    }

    /**
     * The relation a rendered text such as {@code "main"."orders"} or {@code "db"."main"."orders"}
     * names; empty when the text is not two or three double-quoted names joined by dots.
     */
    public static Optional<TemplateRelation> parse(String text) {
        List<String> parts = new ArrayList<>(3);
        int at = 0;
        while (at < text.length()) {
            if (text.charAt(at) != '"') {
                return Optional.empty();
            }
            StringBuilder part = new StringBuilder();
            int position = at + 1;
            while (true) {
                if (position >= text.length()) {
                    return Optional.empty();
                }
                char c = text.charAt(position);
                if (c == '"') {
                    if (position + 1 < text.length() && text.charAt(position + 1) == '"') {
                        part.append('"');
                        position += 2;
                        continue;
                    }
                    break;
                }
                part.append(c);
                position++;
            }
            parts.add(part.toString());
            at = position + 1;
            if (at < text.length()) {
                if (text.charAt(at) != '.') {
                    return Optional.empty();
                }
                at++;
                if (at == text.length()) {
                    return Optional.empty();
                }
            }
        }
        return switch (parts.size()) {
            case 2 -> Optional.of(new TemplateRelation(text, null, parts.get(0), parts.get(1)));
            case 3 -> Optional.of(new TemplateRelation(text, parts.get(0), parts.get(1), parts.get(2)));
            default -> Optional.empty();
        };
    }

    /** This relation, in {@code database} when it names none itself (it still renders as written). */
    TemplateRelation inDatabase(String database) {
        return this.database != null || database == null ? this : new TemplateRelation(text, database, schema, identifier);
    }

    public String getDatabase() {
        return database;
    }

    public String getSchema() {
        return schema;
    }

    public String getIdentifier() {
        return identifier;
    }

    public String getName() {
        return identifier;
    }

    public String getTable() {
        return identifier;
    }

    public String render() {
        return text;
    }

    @Override
    public <T extends Appendable & CharSequence> T appendPyishString(T appendable) throws IOException {
        appendable.append(text);
        return appendable;
    }

    @Override
    public String toString() {
        return text;
    }
}
