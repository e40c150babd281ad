-- 010_person_index.sql — finding a person at the staff console (issue 14)
-- without plaintext names or phone numbers on disk.
--
-- entry.name_hash: a keyed hash (BLAKE2b with the site secret's person subkey,
--   kiosk/person.h) of the household's normalised full name.  Written by every
--   import with the row; NULL only for rows stored before this step, which
--   `kioskctl init` fills in (person_index_sync) — the console says so when a
--   name search meets unindexed rows, rather than missing people silently.
-- entry_receipt_ci: receipt numbers are found case-insensitively
--   (`bhj0000031` finds BHJ0000031) through an index on upper(receipt_no).
-- bed_person: the same keyed hashes for a bed application's elder name
--   (kind 1), the agent's name (kind 2) and the agent's phone (kind 3).
CREATE TABLE bed_person (
    app_id INTEGER NOT NULL,
    kind   INTEGER NOT NULL,
    hash   BLOB NOT NULL,
    PRIMARY KEY (app_id, kind)
);
CREATE INDEX bed_person_hash ON bed_person (hash);
ALTER TABLE entry ADD COLUMN name_hash BLOB;
CREATE INDEX entry_name_hash ON entry (name_hash);
CREATE INDEX entry_receipt_ci ON entry (upper(receipt_no));
