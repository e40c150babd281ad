-- 003_eldercare.sql — 家庭养老床位 applications (SPEC §5) and their stage history.
--
-- What is plain and what is sealed (XChaCha20-Poly1305, site secret, kiosk/secret.h):
--   plain:  ref, stage, services, consent time, dates, the provider organisation and
--           the staff account ids that acted.  None of these says anything about the
--           elder's identity or health.
--   sealed: the elder's ID number and name, the agent's ID, name and phone, the
--           address, and the whole assessment (26 item scores, diagnoses, risk events
--           AND the resulting level).
-- The level is kept only inside the sealed assessment, not as a plain column: a
-- 失能 level is health information (PIPL art. 28, DOMAIN.md §3.1), and a plain level
-- next to an application whose stage shows an elder in service would disclose it to
-- anyone holding a copy of the file.  The resident's view decrypts it to show the word.
-- elder_hash / agent_hash are keyed hashes (the only way to find a card holder).

CREATE TABLE bed_app (
    id              INTEGER PRIMARY KEY,
    ref             TEXT NOT NULL UNIQUE,
    elder_hash      BLOB NOT NULL,
    elder_sealed    BLOB NOT NULL,          -- "ID\tNAME"
    agent_hash      BLOB,                   -- NULL when the elder filed it
    agent_sealed    BLOB,                   -- "ID\tNAME\tPHONE"
    address_sealed  BLOB NOT NULL,
    services        INTEGER NOT NULL,       -- enum bed_service bits
    consent         INTEGER NOT NULL CHECK (consent = 1),
    consent_at      TEXT NOT NULL,
    kiosk_id        TEXT NOT NULL DEFAULT '',
    stage           INTEGER NOT NULL,       -- enum bed_stage
    submitted_at    TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    provider_org_id INTEGER REFERENCES org(id),
    built_by        INTEGER REFERENCES staff(id),
    built_org_id    INTEGER REFERENCES org(id),
    accepted_by     INTEGER REFERENCES staff(id),
    assessed_by     INTEGER REFERENCES staff(id),
    assessment      BLOB,                   -- sealed struct assessment (kiosk/assessment.h)
    assessed_at     TEXT NOT NULL DEFAULT '',
    reassess_due    TEXT NOT NULL DEFAULT '' -- "YYYY-MM-DD", '' before the first assessment
);
CREATE INDEX bed_app_elder ON bed_app (elder_hash);
CREATE INDEX bed_app_agent ON bed_app (agent_hash) WHERE agent_hash IS NOT NULL;
CREATE INDEX bed_app_stage ON bed_app (stage);

-- Every stage change (and reassessment): who, when, acting as which role, and why.
CREATE TABLE bed_history (
    id      INTEGER PRIMARY KEY,
    app_id  INTEGER NOT NULL REFERENCES bed_app(id),
    stage   INTEGER NOT NULL,      -- the stage entered (the same stage for a reassessment)
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,         -- account name, "resident@KIOSK" or "system"
    role    TEXT NOT NULL,         -- the role the step was done in ("street", "resident", …)
    reason  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX bed_history_app ON bed_history (app_id, id);
