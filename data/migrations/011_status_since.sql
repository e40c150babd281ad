-- 011_status_since.sql — the housing work queue (issue 14): since when an
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
-- entry_open_n: how many entries are offered (status 2) and frozen (1), kept by
--   triggers in the same transaction as every change (as housed_month is), so
--   the work queue's caption and the home menu read a number instead of
--   counting tens of thousands of index entries.
CREATE TABLE entry_open_n (
    status INTEGER PRIMARY KEY,
    n      INTEGER NOT NULL
);
INSERT INTO entry_open_n (status, n)
    SELECT 1, (SELECT count(*) FROM entry WHERE status = 1)
    UNION ALL SELECT 2, (SELECT count(*) FROM entry WHERE status = 2);
CREATE TRIGGER entry_open_ins AFTER INSERT ON entry WHEN NEW.status IN (1, 2)
BEGIN
    UPDATE entry_open_n SET n = n + 1 WHERE status = NEW.status;
END;
CREATE TRIGGER entry_open_del AFTER DELETE ON entry WHEN OLD.status IN (1, 2)
BEGIN
    UPDATE entry_open_n SET n = n - 1 WHERE status = OLD.status;
END;
CREATE TRIGGER entry_open_upd AFTER UPDATE OF status ON entry
    WHEN OLD.status <> NEW.status AND (OLD.status IN (1, 2) OR NEW.status IN (1, 2))
BEGIN
    UPDATE entry_open_n SET n = n - 1 WHERE status = OLD.status;
    UPDATE entry_open_n SET n = n + 1 WHERE status = NEW.status;
END;
