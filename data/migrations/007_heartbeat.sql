-- 007_heartbeat.sql — fleet health over SSH (issue 12): each kiosk's heartbeat.
-- The kiosk_status row of 004 grows what a heartbeat carries: the reader's SAM
-- (state and id), the last screen drawn (its NAME and when — proof the UI is
-- alive; never what was on it), the kiosk's version, and the time of the last
-- heartbeat as Unix seconds (UTC, so `kioskctl kiosks` can compute an age on
-- any machine).  Device states gain 5 = not answering (a reader that is
-- plugged in but silent).  SQLite cannot alter a CHECK, so the table is
-- rebuilt; rows keep their states, with no heartbeat yet (beat_at 0).
-- The PostgreSQL plugin's step 7 (kiosk/store/pg/store_pg_schema.c) matches.
CREATE TABLE kiosk_status_new (
    kiosk_id      TEXT PRIMARY KEY,
    reader_state  INTEGER NOT NULL CHECK (reader_state BETWEEN 0 AND 5),
    printer_state INTEGER NOT NULL CHECK (printer_state BETWEEN 0 AND 5),
    updated_at    TEXT NOT NULL,
    sam_state     INTEGER NOT NULL DEFAULT 0 CHECK (sam_state BETWEEN 0 AND 2),
    sam_id        TEXT NOT NULL DEFAULT '',
    screen        TEXT NOT NULL DEFAULT '',
    screen_at     INTEGER NOT NULL DEFAULT 0,
    version       TEXT NOT NULL DEFAULT '',
    beat_at       INTEGER NOT NULL DEFAULT 0
);
INSERT INTO kiosk_status_new (kiosk_id, reader_state, printer_state, updated_at)
    SELECT kiosk_id, reader_state, printer_state, updated_at FROM kiosk_status;
DROP TABLE kiosk_status;
ALTER TABLE kiosk_status_new RENAME TO kiosk_status;
