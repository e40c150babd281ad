-- 011_reports.sql — indexes for the staff reports and the filtered audit
-- browser (issue 14 item 6).  No data changes.
--
-- entry_wait: the wait distribution counts waiting households by years
--   waited; (status, program_id, wait_since) covers it, so the count walks
--   the index alone, never the million table rows.
-- audit_actor / audit_action / audit_object: the audit browser's filters,
--   newest first: each equality leads and seq follows, so a page of 40 is a
--   backward walk of one index from the page's bound.
-- audit_at: a date range alone, newest first by time (then seq).
CREATE INDEX entry_wait ON entry (status, program_id, wait_since);
CREATE INDEX audit_actor ON audit (actor, seq);
CREATE INDEX audit_action ON audit (action, seq);
CREATE INDEX audit_object ON audit (object, seq);
CREATE INDEX audit_at ON audit (at, seq);
