-- 001_core.sql — metadata, the audit trail and the housing queue.
-- Applied by `kioskctl init` in one transaction; user_version records the step.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Hash-chained, keyed audit trail (kiosk/audit.c): hash = BLAKE2b_k(prev ‖ seq ‖ fields).
CREATE TABLE audit (
    seq    INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    detail TEXT NOT NULL,
    hash   BLOB NOT NULL
);

-- Programs are data: code, names and the ordering rule (SPEC §3).
CREATE TABLE program (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name_zh       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    rule          TEXT NOT NULL DEFAULT 'tier,wait_since,insured_since,hukou_since,lottery_no',
    refusal_limit INTEGER NOT NULL DEFAULT 2
);
INSERT INTO program (code, name_zh, name_en) VALUES
    ('prh',    '公共租赁住房', 'Public rental housing'),
    ('ahp',    '安居型商品房', 'Affordable housing for sale'),
    ('talent', '人才住房',     'Talent housing');

-- One household on one program's list.  Names and ID numbers live only in
-- `sealed` (XChaCha20-Poly1305 with the site secret); `id_hash` is the keyed
-- hash used to find a card holder.  `skey` is the memcmp-ordered sort key of
-- the program's rule plus receipt_no; `slot` is the rank block the entry sits
-- in while waiting (see kiosk/store_sqlite_queue.c for the design).
CREATE TABLE entry (
    id             INTEGER PRIMARY KEY,
    program_id     INTEGER NOT NULL REFERENCES program(id),
    receipt_no     TEXT NOT NULL,
    id_hash        BLOB NOT NULL,
    sealed         BLOB NOT NULL,
    household_size INTEGER NOT NULL,
    hukou_district TEXT NOT NULL DEFAULT '',
    tier           INTEGER NOT NULL DEFAULT 0,
    wait_since     INTEGER,            -- days since 1970-01-01
    insured_since  INTEGER,
    hukou_since    INTEGER,
    lottery_no     INTEGER,
    status         INTEGER NOT NULL,   -- enum entry_status
    refusals       INTEGER NOT NULL DEFAULT 0,
    skey           BLOB NOT NULL,
    slot           INTEGER NOT NULL,
    changed_seq    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (program_id, receipt_no)
);
CREATE INDEX entry_id_hash ON entry (id_hash);
CREATE INDEX entry_rank ON entry (program_id, slot, skey) WHERE status = 0;
CREATE INDEX entry_changed ON entry (program_id, changed_seq);

-- Rank blocks: a contiguous key range of a program's waiting entries, and
-- a Fenwick tree over block slots holding the waiting count per slot.
CREATE TABLE rank_block (
    program_id INTEGER NOT NULL,
    slot       INTEGER NOT NULL,
    lo_key     BLOB NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (program_id, slot)
) WITHOUT ROWID;
CREATE UNIQUE INDEX rank_block_key ON rank_block (program_id, lo_key);

CREATE TABLE rank_tree (
    program_id INTEGER NOT NULL,
    node       INTEGER NOT NULL,
    sum        INTEGER NOT NULL,
    PRIMARY KEY (program_id, node)
) WITHOUT ROWID;

-- What happened to each entry (staff actions, import changes): the history
-- behind the wait estimate (housed per month) and the console's log.
CREATE TABLE entry_event (
    id          INTEGER PRIMARY KEY,
    entry_id    INTEGER NOT NULL REFERENCES entry(id),
    program_id  INTEGER NOT NULL,
    at          TEXT NOT NULL,       -- ISO 8601 local time
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    from_status INTEGER,
    to_status   INTEGER,
    reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX entry_event_entry ON entry_event (entry_id);
CREATE INDEX entry_event_status ON entry_event (program_id, to_status, at);

-- Published lists ("the last published list" changes are explained against).
CREATE TABLE publication (
    id         INTEGER PRIMARY KEY,
    program_id INTEGER NOT NULL REFERENCES program(id),
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    total      INTEGER NOT NULL,
    change_seq INTEGER NOT NULL
);
CREATE TABLE published_position (
    publication_id INTEGER NOT NULL,
    entry_id       INTEGER NOT NULL,
    position       INTEGER NOT NULL,
    PRIMARY KEY (publication_id, entry_id)
) WITHOUT ROWID;
