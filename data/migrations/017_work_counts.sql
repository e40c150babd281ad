-- 017_work_counts.sql — the console home menu's counts in one statement
-- (issue 13): the applications past their stage's deadline are counted per
-- stage as "stage = k AND updated_at < the stage's cut-off date", a range of
-- one index — of every street, or of one street for a street office's
-- account — instead of reading every application to count them.
-- (stage, updated_at) begins with what bed_app_stage (003) held: it goes.
-- PostgreSQL (kiosk/store/pg/store_pg_schema.c step 17) also gives
-- updated_at the byte order ("C") submitted_at has, so the comparison with
-- a date is the same on both engines whatever the server's locale.
CREATE INDEX bed_app_stage_at ON bed_app (stage, updated_at);
CREATE INDEX bed_app_street_stage_at ON bed_app (street, stage, updated_at);
DROP INDEX bed_app_stage;
