-- 015_street.sql — streets (issue 14): Luohu district's street offices (街道)
-- each see their own street's bed applications; district and admin filter
-- and report by street.
--
-- bed_app.street: the street the application belongs to — the street of the
--   kiosk it was filed at ([kiosk] street), '' when not recorded (older rows,
--   kiosks without one).  District/admin may move it (`kioskctl bed street`).
-- staff.street: the street a street-office account works for; '' = all (as
--   before).  A street account with one sees only that street's applications.
-- Both are in the row seal (kiosk/store/row_seal.c) — hashed only when set,
--   so the rows sealed before this migration (street '') keep their seals.
-- bed_app_street: the scoped list and work queue walk one street's rows in
--   id order (the keyset pages of bed_engine.c), and the overdue report
--   groups by street.
ALTER TABLE bed_app ADD COLUMN street TEXT NOT NULL DEFAULT '';
ALTER TABLE staff ADD COLUMN street TEXT NOT NULL DEFAULT '';
CREATE INDEX bed_app_street ON bed_app (street, id);
