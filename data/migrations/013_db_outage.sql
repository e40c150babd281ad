-- 013_db_outage.sql — the fleet view tells a kiosk that lost the database
-- from a dead one (issue 13).  A kiosk cannot write its heartbeat while the
-- database is away, so it remembers when it lost it and, once back, its next
-- heartbeat (written at once) records the outage as it saw it: from when it
-- could not reach the database until it could again, Unix seconds (UTC);
-- 0 / 0 = none since the kiosk started.  `kioskctl kiosks` shows a recent one,
-- and a silent kiosk whose last heartbeat reported one is flagged as having
-- database trouble rather than plain SILENT.
-- The PostgreSQL plugin's step 13 (kiosk/store/pg/store_pg_schema.c) matches.
ALTER TABLE kiosk_status ADD COLUMN db_lost_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE kiosk_status ADD COLUMN db_lost_to INTEGER NOT NULL DEFAULT 0;
