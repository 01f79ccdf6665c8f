package dev.baton.materialization;

import dev.baton.api.engine.EngineSession;
import java.sql.SQLException;

/** The checks of a model, run on rows before they are published. */
public interface StagedChecks {
    /** No checks: everything is approved. */
    StagedChecks NONE = (session, relation, published) -> 0;

    /**
     * Audits {@code relationSql} (a staged table, or a view of the table as it would be after
     * publishing) and returns how many error-level checks failed; 0 approves publishing.
     *
     * @param what how messages name the audited rows, such as {@code main.events}
     */
    long audit(EngineSession session, String relationSql, String what) throws SQLException;
}
