-- What each node was built from, beside compiled_sql_hash (the body): its relevant config, its
-- contract, and the fingerprint that also covers every upstream node. NULL for results recorded
-- before this migration.
ALTER TABLE baton_node_results ADD COLUMN config_hash TEXT;
ALTER TABLE baton_node_results ADD COLUMN contract_hash TEXT;
ALTER TABLE baton_node_results ADD COLUMN fingerprint TEXT;
