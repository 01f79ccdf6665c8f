package dev.baton.api.engine;

/**
 * What an engine can do. Materializations, audits, seeds and ingestion ask this record and choose a
 * strategy; they never branch on an engine's name. An abstract engine test suite skips exactly the
 * cases an engine declares it cannot do.
 *
 * @param atomicRename renames of relations within one schema can be committed together in one transaction
 * @param transactionalDdl DDL statements (create, drop, rename) take part in transactions and roll back with them
 * @param replaceViewChangingColumns {@code CREATE OR REPLACE VIEW} may change a view's columns; where it may not,
 *     a view is dropped and created again in one transaction
 * @param createOrReplaceTable {@code CREATE OR REPLACE TABLE} exists
 * @param merge {@code MERGE INTO} exists
 * @param schemas relations live in schemas that can be created on demand
 * @param temporaryTables connection-local temporary tables exist
 * @param bulkLoad rows and files are loaded through a native bulk path (DuckDB's appender and
 *     {@code read_csv}, PostgreSQL's {@code COPY}) rather than batched inserts
 * @param readsFiles the engine reads CSV and Parquet files itself in SQL, which connector ingestion stages through
 * @param tableComments tables carry comments ({@code COMMENT ON TABLE}) that can be read back
 * @param cancelStatements a running statement can be interrupted from another thread
 * @param viewsFollowRenames a view keeps reading the relation it was created on even after that relation is
 *     renamed (PostgreSQL binds views to objects, DuckDB to names); replacing a table then drops the views
 *     built on the previous version ({@code CASCADE}), and the build re-creates those it selects
 * @param updateDelete {@code UPDATE} and {@code DELETE} change rows of a table in place and report how many they
 *     changed (Spark's Parquet tables cannot: their files are rewritten whole)
 * @param anyQuotedName a quoted schema or relation name may hold any character (spaces, quotes) and keeps its case
 *     (Spark's session catalog accepts letters, digits and underscores, and lowercases them)
 * @param integerBitmaps the engine counts the distinct values of an integer column with a bitmap over
 *     their range ({@code bit_count(bitstring_agg(x, min, max))}) and names a value's type ({@code typeof}),
 *     which lets an audit prove an integer key unique without a hash table
 * @param zoneMaps the engine keeps the minimum and maximum of each block of rows and skips the blocks a filter
 *     rules out, so a lone filtered count over a column's range reads next to nothing; an audit then counts
 *     range, comparison and null checks in filtered queries of their own instead of in its one aggregate scan
 *     (only on stored tables: a view has no blocks of its own, see {@link #forViews()})
 * @param sortedProbes {@code hash(x)} gives a 64-bit hash of a value of any type, and the engine sorts many keys
 *     ({@code lag(x) over (order by x)}) faster than it builds a hash table of them (DuckDB: ten million keys sort in
 *     about half the time they group); an audit proves a column unique by sorting its values (integers) or their
 *     hashes and counting equal neighbours. Equal values have equal hashes, so no duplicate is missed; two different
 *     values that collide (about once in 400,000 audits of ten million distinct values) cost one exact query
 */
public record EngineCapabilities(
        boolean atomicRename,
        boolean transactionalDdl,
        boolean replaceViewChangingColumns,
        boolean createOrReplaceTable,
        boolean merge,
        boolean schemas,
        boolean temporaryTables,
        boolean bulkLoad,
        boolean readsFiles,
        boolean tableComments,
        boolean cancelStatements,
        boolean viewsFollowRenames,
        boolean updateDelete,
        boolean anyQuotedName,
        boolean integerBitmaps,
        boolean zoneMaps,
        boolean sortedProbes) {

    /**
     * These capabilities for a query over a view: the same, without {@code zoneMaps} (a filtered
     * count would evaluate the view's query once more for each check instead of skipping blocks).
     */
    public EngineCapabilities forViews() {
        return new EngineCapabilities(atomicRename, transactionalDdl, replaceViewChangingColumns, createOrReplaceTable, merge, schemas,
                temporaryTables, bulkLoad, readsFiles, tableComments, cancelStatements,
                viewsFollowRenames, updateDelete, anyQuotedName, integerBitmaps, false, sortedProbes);
    }

    /** A builder starting from an engine that can do none of these. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds capabilities by naming those an engine has. */
    public static final class Builder {
        private boolean atomicRename;
        private boolean transactionalDdl;
        private boolean replaceViewChangingColumns;
        private boolean createOrReplaceTable;
        private boolean merge;
        private boolean schemas;
        private boolean temporaryTables;
        private boolean bulkLoad;
        private boolean readsFiles;
        private boolean tableComments;
        private boolean cancelStatements;
        private boolean viewsFollowRenames;
        private boolean updateDelete;
        private boolean anyQuotedName;
        private boolean integerBitmaps;
        private boolean zoneMaps;
        private boolean sortedProbes;

        private Builder() {}

        public Builder atomicRename() {
            atomicRename = true;
            return this;
        }

        public Builder transactionalDdl() {
            transactionalDdl = true;
            return this;
        }

        public Builder replaceViewChangingColumns() {
            replaceViewChangingColumns = true;
            return this;
        }

        public Builder createOrReplaceTable() {
            createOrReplaceTable = true;
            return this;
        }

        public Builder merge() {
            merge = true;
            return this;
        }

        public Builder schemas() {
            schemas = true;
            return this;
        }

        public Builder temporaryTables() {
            temporaryTables = true;
            return this;
        }

        public Builder bulkLoad() {
            bulkLoad = true;
            return this;
        }

        public Builder readsFiles() {
            readsFiles = true;
            return this;
        }

        public Builder tableComments() {
            tableComments = true;
            return this;
        }

        public Builder cancelStatements() {
            cancelStatements = true;
            return this;
        }

        public Builder viewsFollowRenames() {
            viewsFollowRenames = true;
            return this;
        }

        public Builder updateDelete() {
            updateDelete = true;
            return this;
        }

        public Builder anyQuotedName() {
            anyQuotedName = true;
            return this;
        }

        public Builder integerBitmaps() {
            integerBitmaps = true;
            return this;
        }

        public Builder zoneMaps() {
            zoneMaps = true;
            return this;
        }

        public Builder sortedProbes() {
            sortedProbes = true;
            return this;
        }

        public EngineCapabilities build() {
            return new EngineCapabilities(atomicRename, transactionalDdl, replaceViewChangingColumns, createOrReplaceTable, merge, schemas,
                    temporaryTables, bulkLoad, readsFiles, tableComments, cancelStatements,
                    viewsFollowRenames, updateDelete, anyQuotedName, integerBitmaps, zoneMaps, sortedProbes);
        }
    }
}
