-- 009_row_seal.sql — the row seal (issue 11, kiosk/store/row_seal.h): a keyed MAC
-- over each entry's, staff account's and bed application's stored fields, written
-- with every change, so `kioskctl check` names a row edited outside the programs.
-- NULL until `kioskctl init` seals the rows of an older database (it has the key);
-- `entry_unsealed` finds the rows an import's set-based statements left to seal.
ALTER TABLE entry ADD COLUMN rowmac BLOB;
ALTER TABLE staff ADD COLUMN rowmac BLOB;
ALTER TABLE bed_app ADD COLUMN rowmac BLOB;
CREATE INDEX entry_unsealed ON entry (program_id) WHERE rowmac IS NULL;
