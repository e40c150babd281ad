-- 008_housed_month.sql — allocations per programme and calendar month, kept by
-- a trigger as entry_event rows arrive (issue 13).  The wait estimate reads
-- the 12 months before this one: counting them from entry_event walked
-- ~20,000 index rows per look-up at a million households; this table makes it
-- 12 primary-key reads, inside the look-up's one statement.  History is never
-- deleted or edited, so counting inserts is exact; kioskctl check recounts.
CREATE TABLE housed_month (
    program_id INTEGER NOT NULL,
    month      TEXT NOT NULL,                -- 'YYYY-MM' of entry_event.at
    n          INTEGER NOT NULL,
    PRIMARY KEY (program_id, month)
);
INSERT INTO housed_month (program_id, month, n)
    SELECT program_id, substr(at, 1, 7), count(*) FROM entry_event WHERE to_status = 3
    GROUP BY program_id, substr(at, 1, 7);
CREATE TRIGGER entry_event_housed_month AFTER INSERT ON entry_event
    WHEN NEW.to_status = 3
BEGIN
    INSERT INTO housed_month (program_id, month, n) VALUES (NEW.program_id, substr(NEW.at, 1, 7), 1)
        ON CONFLICT (program_id, month) DO UPDATE SET n = n + 1;
END;
