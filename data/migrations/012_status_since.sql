-- 012_status_since.sql — the housing work queue (issue 14): since when an
-- entry has been offered a flat or frozen, so a clerk sees the offers
-- awaiting an answer and the frozen entries due for review, oldest first.
--
-- entry.status_at: when the entry entered its current status, written by
--   every staff status change (queue_staff_action); '' = not known (a row an
--   import stored or moved into its status: the bureau's file carries no
--   date), which the console shows as "date unknown" and sorts first.
--   Filled here from the history for the entries offered or frozen now.
-- entry_open: the offered and frozen entries only (a few percent of a
--   queue), in the order the work queue pages through them — a page of 40
--   and the counts never touch the waiting million.
ALTER TABLE entry ADD COLUMN status_at TEXT NOT NULL DEFAULT '';
UPDATE entry SET status_at = COALESCE((SELECT max(v.at) FROM entry_event AS v
                                       WHERE v.entry_id = entry.id AND v.to_status = entry.status), '')
    WHERE status IN (1, 2);
CREATE INDEX entry_open ON entry (status, status_at, id) WHERE status IN (1, 2);
-- entry_open_n: how many entries of each programme are offered (status 2) and
--   frozen (1), kept by triggers in the same transaction as every change (as
--   housed_month is), so the work queue's caption and the home menu read a
--   number instead of counting tens of thousands of index entries.  One row per
--   programme and status, not per status: on PostgreSQL staff actions of
--   different programmes run side by side (store_pg.c's lock order), and one
--   counter row each for all programmes would make them take turns — and an
--   offer→freeze beside a freeze→offer would lock the two rows in opposite
--   orders (a deadlock).  Within a programme the programme lock orders them.
CREATE TABLE entry_open_n (
    program_id INTEGER NOT NULL,
    status     INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (program_id, status)
);
INSERT INTO entry_open_n (program_id, status, n)
    SELECT p.id, s.status, (SELECT count(*) FROM entry AS e WHERE e.program_id = p.id AND e.status = s.status)
    FROM program AS p, (SELECT 1 AS status UNION ALL SELECT 2) AS s;
CREATE TRIGGER entry_open_ins AFTER INSERT ON entry WHEN NEW.status IN (1, 2)
BEGIN
    INSERT INTO entry_open_n (program_id, status, n) VALUES (NEW.program_id, NEW.status, 1)
        ON CONFLICT (program_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER entry_open_del AFTER DELETE ON entry WHEN OLD.status IN (1, 2)
BEGIN
    UPDATE entry_open_n SET n = n - 1 WHERE program_id = OLD.program_id AND status = OLD.status;
END;
CREATE TRIGGER entry_open_upd AFTER UPDATE OF status ON entry
    WHEN OLD.status <> NEW.status AND (OLD.status IN (1, 2) OR NEW.status IN (1, 2))
BEGIN
    UPDATE entry_open_n SET n = n - 1 WHERE program_id = OLD.program_id AND status = OLD.status;
    INSERT INTO entry_open_n (program_id, status, n)
        SELECT NEW.program_id, NEW.status, 1 WHERE NEW.status IN (1, 2)
        ON CONFLICT (program_id, status) DO UPDATE SET n = n + 1;
END;
