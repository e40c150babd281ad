-- 014_audit_lanes.sql — audit lanes (issue 13 item 2).  On PostgreSQL every
-- audited commit took the one lock on the chain's head and held it through
-- its commit, so bed submissions, staff actions and logins took turns.  The
-- trail is now K keyed hash chains ("lanes", kiosk/audit.c): a writer appends
-- to whichever lane is free.  lane_seq numbers a lane's records 1, 2, 3 …
-- with no gap; seq stays the global order the browser and `audit tail` show.
-- SQLite has one writer anyway and keeps writing lane 0 only, lane_seq = seq,
-- hashed exactly as before.  Existing records become lane 0, lane_seq = seq:
-- their hashes are unchanged.  (lane_seq's DEFAULT 0 only satisfies ALTER
-- TABLE; no record is ever 0, the chain walk reports one as tampering.)
-- The PostgreSQL plugin's step 14 (kiosk/store/pg/store_pg_schema.c) matches,
-- plus the sequence seq is drawn from and the lane picker.
ALTER TABLE audit ADD COLUMN lane INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit ADD COLUMN lane_seq INTEGER NOT NULL DEFAULT 0;
UPDATE audit SET lane_seq = seq;
CREATE UNIQUE INDEX audit_lane ON audit (lane, lane_seq);
