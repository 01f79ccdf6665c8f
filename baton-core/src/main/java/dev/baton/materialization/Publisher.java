package dev.baton.materialization;

import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.Relation;
import dev.baton.api.engine.RelationType;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds a table into a staging relation beside the live one and publishes it atomically. This
 * is the seam where audits run against the staged relation before the swap ({@link #publishAudited}).
 */
public final class Publisher {
    /** Suffix of the staging relation a table is built into. */
    public static final String STAGING_SUFFIX = "__baton_staging";
    /** Suffix the previous version carries for the instant of the swap. */
    public static final String BACKUP_SUFFIX = "__baton_backup";

    private Publisher() {}

    /** Creates a new table under the given name and returns the rows written, or -1. */
    @FunctionalInterface
    public interface TableWriter {
        long create(Relation relation) throws SQLException;
    }

    /** Decides, from the staged relation, whether it may be published. */
    @FunctionalInterface
    public interface StagedAudit {
        boolean approve(Relation staged) throws SQLException;
    }

    /** What an audited publish did. {@code rows} is -1 when unknown. */
    public record Published(long rows, boolean published) {}

    /**
     * Writes the table beside the live one (even when there is no live one yet), lets {@code audit}
     * judge the staged relation, and swaps it in only when the audit approves. A rejected table is
     * dropped, or moved to {@code keepFailedIn} (a relation in an audit schema) when given; the live
     * version is untouched either way.
     */
    public static Published publishAudited(Engine engine, EngineSession session, Relation relation, TableWriter writer, StagedAudit audit,
            Optional<Relation> keepFailedIn) throws SQLException {
        Relation staging = relation.withIdentifier(relation.identifier() + STAGING_SUFFIX);
        String stagingSql = engine.render(staging);
        session.execute("drop table if exists " + stagingSql);
        long rows;
        boolean approved;
        try {
            rows = writer.create(staging);
            approved = audit.approve(staging);
        } catch (SQLException | RuntimeException e) {
            dropQuietly(session, stagingSql);
            throw e;
        }
        if (!approved) {
            if (keepFailedIn.isPresent()) {
                session.createSchemaIfMissing(keepFailedIn.get().schema());
                List<String> keep = new ArrayList<>(replaceTable(engine, keepFailedIn.get(), "select * from " + stagingSql));
                keep.add("drop table " + stagingSql);
                session.executeAtomically(keep);
            } else {
                session.execute("drop table " + stagingSql);
            }
            return new Published(rows, false);
        }
        Optional<RelationType> existing = session.relationType(relation);
        if (existing.isEmpty()) {
            try {
                session.executeAtomically(List.of("alter table " + stagingSql + " rename to " + engine.quote(relation.identifier())));
            } catch (SQLException | RuntimeException e) {
                dropQuietly(session, stagingSql);
                throw e;
            }
            return new Published(rows, true);
        }
        swap(engine, session, relation, existing.get(), stagingSql);
        return new Published(rows, true);
    }

    /** Creates the table from {@code selectSql} and makes it live. Returns the rows written, or -1. */
    public static long publishTable(Engine engine, EngineSession session, Relation relation, String selectSql) throws SQLException {
        return publishTable(engine, session, relation, into -> session.execute("create table " + engine.render(into) + " as " + selectSql));
    }

    /** Writes the table with {@code writer} beside the live one and swaps it in. Returns the rows written, or -1. */
    public static long publishTable(Engine engine, EngineSession session, Relation relation, TableWriter writer) throws SQLException {
        Optional<RelationType> existing = session.relationType(relation);
        if (existing.isEmpty()) {
            // A brand-new table: creating it is itself atomic, no reader can see it half-built.
            return writer.create(relation);
        }
        Relation staging = relation.withIdentifier(relation.identifier() + STAGING_SUFFIX);
        String stagingSql = engine.render(staging);
        session.execute("drop table if exists " + stagingSql);
        long rows;
        try {
            rows = writer.create(staging);
        } catch (SQLException | RuntimeException e) {
            dropQuietly(session, stagingSql);
            throw e;
        }
        swap(engine, session, relation, existing.get(), stagingSql);
        return rows;
    }

    private static void swap(Engine engine, EngineSession session, Relation relation, RelationType existing, String stagingSql) throws SQLException {
        // Where renames cannot commit together (Spark), the engine applies them one after another and undoes
        // those applied when one fails: the live version is kept, but a reader may find no table under the
        // name for the instant between the two renames.
        String target = engine.render(relation);
        Relation backup = relation.withIdentifier(relation.identifier() + BACKUP_SUFFIX);
        List<String> swap = new ArrayList<>();
        if (existing == RelationType.TABLE) {
            swap.add("drop table if exists " + engine.render(backup));
            swap.add("alter table " + target + " rename to " + engine.quote(backup.identifier()));
            swap.add("alter table " + stagingSql + " rename to " + engine.quote(relation.identifier()));
            swap.add("drop table " + engine.render(backup) + dropDependents(engine));
        } else {
            swap.add("drop view " + target + dropDependents(engine));
            swap.add("alter table " + stagingSql + " rename to " + engine.quote(relation.identifier()));
        }
        swap.addAll(recreateDependents(engine, session, relation));
        try {
            session.executeAtomically(swap);
        } catch (SQLException | RuntimeException e) {
            dropQuietly(session, stagingSql);
            throw e;
        }
    }

    /**
     * Statements that replace a table (kept for inspection, not read by models) with the rows of a
     * query: one {@code CREATE OR REPLACE TABLE} where the engine has it, else a drop and a create,
     * to run in one transaction.
     */
    public static List<String> replaceTable(Engine engine, Relation table, String selectSql) {
        String target = engine.render(table);
        if (engine.capabilities().createOrReplaceTable()) {
            return List.of("create or replace table " + target + " as " + selectSql);
        }
        return List.of("drop table if exists " + target + dropDependents(engine), "create table " + target + " as " + selectSql);
    }

    /**
     * Where views follow renames, the statements that create again the views built on the relation
     * (dropped with its previous version); nothing elsewhere, where views read whatever bears the name.
     */
    public static List<String> recreateDependents(Engine engine, EngineSession session, Relation relation) throws SQLException {
        return engine.capabilities().viewsFollowRenames() ? session.dependentViews(relation) : List.of();
    }

    /**
     * {@code " cascade"} where views follow renames: views built on the previous version would keep
     * it alive (and block its drop); they are dropped with it and created again ({@link #recreateDependents}).
     */
    public static String dropDependents(Engine engine) {
        return engine.capabilities().viewsFollowRenames() ? " cascade" : "";
    }

    private static void dropQuietly(EngineSession session, String relation) {
        try {
            session.execute("drop table if exists " + relation);
        } catch (SQLException | RuntimeException ignored) {
            // The janitor removes what is left; the original error matters more.
        }
    }
}
