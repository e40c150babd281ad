-- 002_staff.sql — staff accounts and the organisations providers and assessors belong to.
-- Passwords are libsodium crypto_pwhash_str strings (Argon2id, self-describing
-- "$argon2id$v=19$m=…,t=…,p=…$salt$hash"), so raising the cost later only needs
-- crypto_pwhash_str_needs_rehash at the next login (kiosk/auth.c).

-- An organisation: a service provider (服务机构) or an assessment/acceptance body
-- (评估机构).  Its phone is what a resident sees once the provider is assigned, so it
-- is the organisation's public service number, never a staff member's own.
CREATE TABLE org (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE,
    phone TEXT NOT NULL DEFAULT ''
);

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    pwhash        TEXT NOT NULL,
    roles         INTEGER NOT NULL,            -- enum role bits (queue_types.h)
    org_id        INTEGER REFERENCES org(id),  -- providers and assessors
    disabled      INTEGER NOT NULL DEFAULT 0,
    failed_logins INTEGER NOT NULL DEFAULT 0,  -- consecutive failures since the last success
    locked_until  TEXT NOT NULL DEFAULT '',    -- "YYYY-MM-DD HH:MM:SS" local, '' when not locked
    created_at    TEXT NOT NULL,
    last_login    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX staff_org ON staff (org_id);
