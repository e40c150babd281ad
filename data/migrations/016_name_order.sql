-- 016_name_order.sql — a name search reads the first 41 rows of a name in id
-- order from its index, never every row of a common name (issue 14; the 1M
-- demo has names shared by 396 households).
-- SQLite: nothing to do — its index entry_name_hash (010) already keeps the
-- rowid (= entry.id) after the key, so "WHERE name_hash = ? ORDER BY id
-- LIMIT 41" walks 41 index entries.  The statement below only states that.
-- PostgreSQL (kiosk/store/pg/store_pg_schema.c step 16): a btree on name_hash
-- alone keeps equal keys in heap order, so the same query fetched every row
-- of the name and sorted them; its index becomes (name_hash, id).
CREATE INDEX IF NOT EXISTS entry_name_hash ON entry (name_hash);
