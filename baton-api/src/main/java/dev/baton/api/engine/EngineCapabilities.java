package dev.baton.api.engine;

/**
 * What an engine can do. Materializations and publishing ask this record; they never branch on
 * an engine's name.
 *
 * @param atomicRename renames of relations within one schema can be committed together in one transaction
 * @param transactionalDdl DDL statements take part in transactions
 * @param createOrReplaceView {@code CREATE OR REPLACE VIEW} exists
 * @param schemas relations live in schemas that can be created on demand
 * @param bulkAppend rows can be appended through a fast native path rather than batched inserts
 * @param cancelStatements a running statement can be interrupted from another thread
 * @param merge {@code MERGE INTO … USING … WHEN MATCHED … WHEN NOT MATCHED} exists
 */
public record EngineCapabilities(
        boolean atomicRename,
        boolean transactionalDdl,
        boolean createOrReplaceView,
        boolean schemas,
        boolean bulkAppend,
        boolean cancelStatements,
        boolean merge) {}
