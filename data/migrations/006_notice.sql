-- 006_notice.sql — what a resident is told about a staff decision (issue 10):
-- the resident-facing reason a clerk picked from the configured list
-- (data/next_steps.ini [reasons]) plus optional free text, kept apart from the
-- internal note in entry_event.reason / bed_history; and an offer's deadline,
-- place and contact.  One row per queue entry or bed application: the latest
-- decision.  `status` is the status or stage it was given for; the kiosk shows
-- the notice only while the entry or application is still there.
CREATE TABLE resident_notice (
    kind           TEXT NOT NULL,             -- 'entry' or 'bed'
    ref            TEXT NOT NULL,             -- 'PROGRAM/RECEIPT_NO' or the application ref
    status         INTEGER NOT NULL,          -- enum entry_status or enum bed_stage
    at             TEXT NOT NULL,             -- ISO 8601 local time it was given
    reason_code    TEXT NOT NULL DEFAULT '',
    reason_text    TEXT NOT NULL DEFAULT '',
    offer_deadline TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD
    offer_place    TEXT NOT NULL DEFAULT '',
    offer_contact  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (kind, ref)
);
