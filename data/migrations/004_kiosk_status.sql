-- 004_kiosk_status.sql — each resident kiosk's last reported device states, so a
-- staff console can see which kiosks need paper (SPEC §1).  One row per kiosk,
-- replaced on every change (kiosk/kiosk_status.c); nothing personal.
-- States are enum kdev_state (kiosk/kiosk_status.h): 0 absent, 1 ready,
-- 2 paper_out, 3 paper_low, 4 fault.
CREATE TABLE kiosk_status (
    kiosk_id      TEXT PRIMARY KEY,
    reader_state  INTEGER NOT NULL CHECK (reader_state BETWEEN 0 AND 4),
    printer_state INTEGER NOT NULL CHECK (printer_state BETWEEN 0 AND 4),
    updated_at    TEXT NOT NULL
);
