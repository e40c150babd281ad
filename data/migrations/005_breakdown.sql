-- 005_breakdown.sql — the change since the published list in O(log n)
-- (kiosk/store/queue_engine_breakdown.c).  entry.pub_pos: the entry's
-- position on its program's latest published list (0: not on it).
-- rank_block.n_new / rank_tree.sum_new: a second weight of the rank
-- structure, the waiting entries NOT on the published list (new or
-- reinstated since).  pub_tree: per program, a Fenwick tree over published
-- positions counting the entries of the list that have since left it, by
-- category.  Existing databases are filled in by the migration itself
-- (queue_engine_upgrade, in the same transaction).
ALTER TABLE entry ADD COLUMN pub_pos INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rank_block ADD COLUMN n_new INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rank_tree ADD COLUMN sum_new INTEGER NOT NULL DEFAULT 0;
CREATE TABLE pub_tree (
    program_id INTEGER NOT NULL,
    node       INTEGER NOT NULL,
    housed     INTEGER NOT NULL DEFAULT 0,   -- offered or housed
    withdrawn  INTEGER NOT NULL DEFAULT 0,   -- withdrawn or removed
    frozen     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (program_id, node)
) WITHOUT ROWID;
-- programs never published: -1, "nothing to be new against" (keeps them
-- out of the partial index below; the first publication sets every pub_pos)
UPDATE entry SET pub_pos = -1 WHERE program_id NOT IN (SELECT program_id FROM publication);
-- the waiting entries not on the published list, in queue order: counting
-- those ahead of me within my rank block reads only them
CREATE INDEX entry_new ON entry (program_id, slot, skey) WHERE status = 0 AND pub_pos = 0;
