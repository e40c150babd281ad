/* store_pg.c — the PostgreSQL backend (libpq): the connection and its
 * settings, numbered migrations, transactions, integrity and backup.  The
 * queue, applications, staff, kiosk status, metadata and audit are the
 * engines' over the SQL executor (store_engine.h, queue_engine.h;
 * store_pg_exec.c), with the queue's PostgreSQL hooks in store_pg_queue.c.
 *
 * A district runs many kiosks and consoles on one database (SPEC §7), so
 * the choices differ from SQLite's where the server allows better:
 *
 * Transactions.  The store contract (store.h) was written against SQLite's
 * BEGIN IMMEDIATE: one writer at a time, readers never blocked, and callers
 * read-decide-write inside a write transaction (queue.c reads an entry and
 * then changes its status; eldercare.c checks a stage transition and then
 * writes it; the rank blocks and Fenwick tree are read and then adjusted).
 * Every write transaction is BEGIN ISOLATION LEVEL READ COMMITTED: each
 * statement sees everything committed before it started, so once a writer
 * holds the lock of what it reads-decides-writes, its reads see the previous
 * holder's complete result, with no FOR UPDATE on every read and no
 * serialization failures for callers to retry.  Which lock (issue 13: one
 * lock for everything made bed submissions, staff actions and heartbeats
 * queue behind each other):
 *   store_begin()            STORE_WRITE_ALL: the writer lock W exclusive
 *                            (pg_advisory_xact_lock) — every writer not
 *                            listed below (imports, row migrations, accounts,
 *                            programs, bed staff steps, …) keeps the
 *                            single-writer contract it was written for;
 *   store_begin_as(SHARED)   W shared: beside other SHARED writers, still
 *                            excluded by (and excluding) ALL writers; it
 *                            locks what it shares with store_lock(): queue
 *                            staff actions their program (P), bed
 *                            submissions the elder (E), a resident's
 *                            withdrawal the application (B), audit-only
 *                            records nothing but the audit head;
 *   store_begin_as(FREE)     no W at all: kiosk heartbeats and device states
 *                            (one row per kiosk, written only by that kiosk).
 * store_lock() is a transaction-scoped advisory lock on (kind, key) (the
 * two-integer form: apart from W's one-bigint key space).  The queue engine
 * takes P itself wherever it changes a program's ranks, publications or
 * change counter (queue_engine*.c), so no writer can forget it; audit_append
 * takes an audit head (A: one of the trail's lanes, kiosk/audit.c) just
 * before it reads that lane's last record, so A is held only around the
 * append and the commit.  A is taken by pg_audit_take (kiosk_audit_take):
 * the first free lane of K from a start spread by backend, waiting only when
 * all K are busy, so audited commits no longer take turns on one head; a
 * transaction that appends again keeps to the lane it holds.  The global seq
 * comes from a sequence (no lock, gaps where a transaction rolls back), in
 * the same call.  Under W exclusive the narrow locks
 * are skipped (no one else can be holding them; its records go to lane 0).
 * Lock order, always: W, then P (one program per transaction), then E or B,
 * then the row locks of what those cover (meta 'change_seq/<program>' is
 * per program, so two programs' changes share no row), then A last (one
 * lane, and its row meta 'audit_head' or 'audit_head/L').  Every
 * transaction takes its locks in that order, so they cannot deadlock; a
 * deadlock the server finds anyway (SQLSTATE 40P01) or a wait past
 * lock_timeout is KERR_BUSY (pg_fail): the caller rolls back, and the
 * resident or clerk is told to try again (kiosk/outbox.c keeps a kiosk's
 * application and files it again).
 * lock_timeout = [kiosk] write_wait (store_write_wait_ms) mirrors SQLite's
 * busy handler: a writer that cannot get a lock in time fails with
 * KERR_BUSY instead of hanging forever.
 * Read transactions are REPEATABLE READ READ ONLY: one snapshot for a whole
 * export or listing.
 *
 * Durability: synchronous_commit = on for every session (a confirmed
 * application survives a crash of the server; fsync is the cluster's
 * setting and the test cluster runs with fsync=on).
 *
 * Schema versions live in kiosk_schema(app, version); migrate() applies the
 * missing steps of store_migrations_pg[] in one transaction under its own
 * advisory lock, so two consoles running `kioskctl init` at once cannot both
 * apply a step (PostgreSQL DDL is transactional).
 *
 * Backup: not done here.  A PostgreSQL database is backed up with the
 * server's tools (pg_dump -Fc, or base backups with WAL archiving), which
 * the district's DBA runs; backup() says so with KERR_UNSUPPORTED. */
#include "kiosk/store/pg/store_pg.h"

#include <arpa/inet.h>
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/store/store_engine.h"

#define PG_WRITER_LOCK 0x4B494F53L      /* "KIOS": the writer lock W (see the top) */
#define PG_MIGRATE_LOCK 0x4B494F4DL     /* "KIOM": schema migrations */

/* ---- parameters ----------------------------------------------------------- */

void pgp_init(struct pg_params *p) { p->n = 0; }

static int pgp_next(struct pg_params *p)
{
    /* the statements are fixed: overflowing is a programming error */
    if (p->n >= PG_PARAMS_MAX) {
        fprintf(stderr, "store_pg: too many parameters\n");
        abort();
    }
    return p->n++;
}

void pgp_int(struct pg_params *p, long long v)
{
    int i = pgp_next(p);
    snprintf(p->num[i], sizeof p->num[i], "%lld", v);
    p->val[i] = p->num[i];
    p->len[i] = 0;
    p->fmt[i] = 0;
}

void pgp_text(struct pg_params *p, const char *s)
{
    int i = pgp_next(p);
    p->val[i] = s ? s : "";
    p->len[i] = 0;
    p->fmt[i] = 0;
}

/* ---- running statements --------------------------------------------------- */

int pg_fail(struct pg_store *s, const PGresult *res, const char *what)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : "";
    if (!msg || !*msg)
        msg = PQerrorMessage(s->conn);
    int err = KERR_DB;
    if (PQstatus(s->conn) != CONNECTION_OK) {
        pg_lost(s);
        err = KERR_OFFLINE;    /* the connection itself is gone: not the data's fault */
    } else if (state && (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03") ||
                  !strcmp(state, "57014")))
        err = KERR_BUSY;       /* serialization, deadlock, lock or statement timeout */
    else if (state && !strcmp(state, "23505"))
        err = KERR_EXISTS;
    char line[400];
    snprintf(line, sizeof line, "%s", msg ? msg : "?");
    line[strcspn(line, "\n")] = '\0';
    return kerr(err, "%s: %s: %s%s%s", s->where, what, line, state ? " SQLSTATE " : "",
                state ? state : "");
}

int pg_stmt_index(struct pg_store *s, const char *sql, int *err)
{
    if ((*err = pg_ready(s)))
        return -1;
    for (int i = 0; i < s->n_cache; i++)
        if (s->cache[i] == sql)
            return i;
    if (s->n_cache >= PG_CACHE_MAX) {
        *err = kerr(KERR_DB, "%s: statement cache full", s->where);
        return -1;
    }
    char name[16];
    snprintf(name, sizeof name, "k%d", s->n_cache);
    /* no parameter types: the server infers them from the statement; the
     * SQL casts where inference would be ambiguous */
    PGresult *r = PQprepare(s->conn, name, sql, 0, NULL);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        *err = pg_fail(s, r, "preparing a statement");
        PQclear(r);
        return -1;
    }
    PQclear(r);
    s->cache[s->n_cache] = sql;
    return s->n_cache++;
}

PGresult *pg_run(struct pg_store *s, const char *sql, const struct pg_params *p, const char *what,
                 int *err)
{
    *err = 0;
    int i = pg_stmt_index(s, sql, err);
    if (i < 0)
        return NULL;
    char name[16];
    snprintf(name, sizeof name, "k%d", i);
    int n = p ? p->n : 0;
    PGresult *r = PQexecPrepared(s->conn, name, n, p ? p->val : NULL, p ? p->len : NULL,
                                 p ? p->fmt : NULL, 1);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        *err = pg_fail(s, r, what);
        PQclear(r);
        return NULL;
    }
    return r;
}

int pg_do(struct pg_store *s, const char *sql, const struct pg_params *p, const char *what)
{
    int err;
    PGresult *r = pg_run(s, sql, p, what, &err);
    PQclear(r);
    return err;
}

int pg_exec(struct pg_store *s, const char *sql, const char *what)
{
    int err = pg_ready(s);
    return err ? err : pg_exec_raw(s, sql, what);
}

int pg_exec_raw(struct pg_store *s, const char *sql, const char *what)
{
    PGresult *r = PQexec(s->conn, sql);
    ExecStatusType st = PQresultStatus(r);
    int err = 0;
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
        err = pg_fail(s, r, what);
    PQclear(r);
    return err;
}

/* ---- reading binary results ----------------------------------------------- */

bool pg_isnull(const PGresult *r, int row, int col) { return PQgetisnull(r, row, col); }

long long pg_int(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return 0;
    const char *v = PQgetvalue(r, row, col);
    switch (PQgetlength(r, row, col)) {
    case 1: return (unsigned char)v[0];           /* bool */
    case 2: { uint16_t x; memcpy(&x, v, 2); return (int16_t)ntohs(x); }
    case 4: { uint32_t x; memcpy(&x, v, 4); return (int32_t)ntohl(x); }
    case 8: { uint64_t x; memcpy(&x, v, 8); return (long long)(int64_t)be64toh(x); }
    default:
        /* only integer columns are read this way: a wrong type is a bug in
         * this backend's SQL, never data; fail loudly */
        fprintf(stderr, "store_pg: column %d is not an integer (type %u)\n", col,
                (unsigned)PQftype(r, col));
        abort();
    }
}

void pg_str(const PGresult *r, int row, int col, char *out, size_t cap)
{
    size_t n = PQgetisnull(r, row, col) ? 0 : (size_t)PQgetlength(r, row, col);
    if (n >= cap)
        n = cap - 1;
    if (n)
        memcpy(out, PQgetvalue(r, row, col), n);
    out[n] = '\0';
}

int pg_bytes(const PGresult *r, int row, int col, unsigned char *out, int cap)
{
    if (PQgetisnull(r, row, col))
        return 0;
    int n = PQgetlength(r, row, col);
    if (n > cap)
        n = cap;   /* never for rows we wrote; a damaged blob then fails to open */
    if (n > 0)
        memcpy(out, PQgetvalue(r, row, col), (size_t)n);
    return n;
}

long long pg_changes(const PGresult *r)
{
    const char *t = PQcmdTuples((PGresult *)r);
    return t && *t ? atoll(t) : 0;
}

/* ---- ops ------------------------------------------------------------------ */

static void pg_close(struct store *st)
{
    struct pg_store *s = pgs(st);
    pg_disconnect(s);
    free(s);
}

static int pg_schema_version(struct store *st, int *version, int *latest)
{
    struct pg_store *s = pgs(st);
    *latest = migrate_latest(store_migrations_pg);
    *version = 0;
    int err;
    /* to_regclass: NULL when the version table is not there (a new database) */
    PGresult *r = pg_run(s, "SELECT to_regclass('kiosk_schema') IS NOT NULL", NULL,
                         "reading the schema version", &err);
    if (!r)
        return err;
    bool present = pg_int(r, 0, 0) != 0;
    PQclear(r);
    if (!present) {
        r = pg_run(s, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() "
                      "AND tablename IN ('meta', 'audit', 'entry')", NULL, "reading the schema", &err);
        if (!r)
            return err;
        long long foreign = pg_int(r, 0, 0);
        PQclear(r);
        if (foreign)
            return kerr(KERR_SCHEMA, "%s: has kiosk-like tables but no kiosk_schema: "
                        "not a kiosk database", s->where);
        return 0;
    }
    r = pg_run(s, "SELECT version FROM kiosk_schema WHERE app = 'kiosk'", NULL,
               "reading the schema version", &err);
    if (!r)
        return err;
    if (PQntuples(r) == 1)
        *version = (int)pg_int(r, 0, 0);
    PQclear(r);
    return migrate_check(s->where, *version, *latest);
}

static int pg_migrate(struct store *st, int *from, int *to)
{
    struct pg_store *s = pgs(st);
    int version = 0, latest = 0, err;
    struct pg_params p;
    if ((err = pg_exec(s, "BEGIN ISOLATION LEVEL READ COMMITTED", "starting a migration")))
        return err;
    pgp_init(&p);
    pgp_int(&p, PG_MIGRATE_LOCK);
    if ((err = pg_do(s, "SELECT pg_advisory_xact_lock($1::bigint)", &p, "locking for migration")) ||
        (err = pg_schema_version(st, &version, &latest)))
        goto fail;
    *from = version;
    /* up to date: write nothing, so the app role (which may not, install/pg_roles.sh)
     * can run init and demo on a database its owner migrated */
    if (version == latest) {
        if ((err = pg_exec(s, "COMMIT", "committing the migration")))
            goto fail;
        *to = latest;
        return 0;
    }
    if ((err = pg_exec(s, "CREATE TABLE IF NOT EXISTS kiosk_schema ("
                          "app text PRIMARY KEY, version integer NOT NULL, "
                          "migrated_at timestamptz NOT NULL DEFAULT now())",
                       "creating the schema version table")))
        goto fail;
    if ((err = migrate_apply(st, store_migrations_pg, version, latest)))
        goto fail;
    pgp_init(&p);
    pgp_int(&p, latest);
    if ((err = pg_do(s, "INSERT INTO kiosk_schema(app, version) VALUES ('kiosk', $1::integer) "
                        "ON CONFLICT (app) DO UPDATE SET version = excluded.version, "
                        "migrated_at = now()", &p, "recording the schema version")) ||
        (err = pg_exec(s, "COMMIT", "committing the migration")))
        goto fail;
    *to = latest;
    return 0;
fail:
    pg_exec(s, "ROLLBACK", "rolling back a migration");
    return err;
}

void pg_txn_over(struct pg_store *s)
{
    s->in_txn = false;
    s->write_mode = -1;
    s->n_held = 0;
}

static int pg_begin_as(struct store *st, int mode)
{
    struct pg_store *s = pgs(st);
    /* BEGIN and the writer lock in one round trip (a simple-query string
     * may hold several statements; the key is a constant) */
    char sql[160];
    if (mode == STORE_WRITE_FREE)
        snprintf(sql, sizeof sql, "BEGIN ISOLATION LEVEL READ COMMITTED");
    else
        snprintf(sql, sizeof sql, "BEGIN ISOLATION LEVEL READ COMMITTED; "
                 "SELECT pg_advisory_xact_lock%s(%ld)",
                 mode == STORE_WRITE_SHARED ? "_shared" : "", PG_WRITER_LOCK);
    int err = pg_exec(s, sql, "starting a write transaction (waiting for the other writer)");
    if (err) {
        pg_exec(s, "ROLLBACK", "rolling back");
        pg_txn_over(s);
        return err;
    }
    s->in_txn = true;
    s->write_mode = mode;
    s->n_held = 0;
    return 0;
}

static int pg_begin(struct store *st) { return pg_begin_as(st, STORE_WRITE_ALL); }

static int pg_lock(struct store *st, int kind, long long key)
{
    struct pg_store *s = pgs(st);
    if (!s->in_txn || s->write_mode < 0)
        return kerr(KERR_DB, "%s: a lock asked for outside a write transaction", s->where);
    if (s->write_mode == STORE_WRITE_ALL)
        return 0;   /* W exclusive: no SHARED writer can be holding a narrow lock */
    /* the 64-bit key folded to the int4 the two-key form takes: two keys
     * that fold alike only wait for each other, they never share */
    unsigned long long u = (unsigned long long)key;
    int k32 = (int)(int32_t)(uint32_t)(u ^ (u >> 32));
    for (int i = 0; i < s->n_held; i++)
        if (s->held[i].kind == kind && s->held[i].key == k32)
            return 0;
    static const char *const what[] = {
        [STORE_LOCK_PROGRAM] = "waiting for the program's other writer",
        [STORE_LOCK_ELDER] = "waiting for the elder's other application",
        [STORE_LOCK_BED_APP] = "waiting for the application's other writer",
        [STORE_LOCK_AUDIT_HEAD] = "waiting for the audit trail",
    };
    if (kind < STORE_LOCK_PROGRAM || kind > STORE_LOCK_AUDIT_HEAD)
        return kerr(KERR_DB, "%s: unknown lock kind %d", s->where, kind);
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, kind);
    pgp_int(&p, k32);
    int err = pg_do(s, "SELECT pg_advisory_xact_lock($1::integer, $2::integer)", &p, what[kind]);
    if (!err && s->n_held < (int)(sizeof s->held / sizeof s->held[0])) {
        s->held[s->n_held].kind = kind;
        s->held[s->n_held].key = k32;
        s->n_held++;
    }
    return err;
}

/* store_ops.audit_take: kiosk_audit_take (schema step 18) takes the first
 * free lane from a start spread by the server process's id (or waits for
 * the start one: kiosk_lock_one_of, step 14), reads that lane's last record
 * after the lock (a volatile function's statement sees what committed
 * before it, under READ COMMITTED: the last holder's record) and draws the
 * global seq (audit_seq) — the three round trips of before in one.  A lane
 * this transaction holds already is passed in as `held` and kept; under W
 * exclusive it is lane 0 (no SHARED writer can be holding any lane). */
static int pg_audit_take(struct store *st, int n, int *lane, long long *seq,
                         struct audit_rec *last, bool *found)
{
    struct pg_store *s = pgs(st);
    const int kind = STORE_LOCK_AUDIT_HEAD;
    *lane = 0;
    *seq = 0;
    *found = false;
    if (!s->in_txn || s->write_mode < 0)
        return kerr(KERR_DB, "%s: an audit lane asked for outside a write transaction", s->where);
    if (n < 1)
        return kerr(KERR_DB, "%s: an audit lane of %d lanes", s->where, n);
    int held = s->write_mode == STORE_WRITE_ALL ? 0 : -1;
    for (int i = 0; i < s->n_held && held < 0; i++)
        if (s->held[i].kind == kind && s->held[i].key >= 0 && s->held[i].key < n)
            held = s->held[i].key;   /* this transaction has one already: keep to it */
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, kind);
    pgp_int(&p, n);
    pgp_int(&p, held);
    int err;
    PGresult *r = pg_run(s, "SELECT * FROM kiosk_audit_take($1::integer, pg_backend_pid() % "
                         "$2::integer, $2::integer, $3::integer)", &p, "waiting for an audit lane",
                         &err);
    if (!r)
        return err;
    int rows = PQntuples(r), cols = PQnfields(r);
    if (rows != 1 || cols != 4) {
        PQclear(r);
        return kerr(KERR_DB, "%s: kiosk_audit_take returned %d rows of %d columns, wanted 1 of 4",
                    s->where, rows, cols);
    }
    *lane = (int)pg_int(r, 0, 0);
    *found = !pg_isnull(r, 0, 1);
    if (*found) {
        memset(last, 0, sizeof *last);
        last->lane = *lane;
        last->lane_seq = pg_int(r, 0, 1);
        if (pg_bytes(r, 0, 2, last->hash, sizeof last->hash) != (int)sizeof last->hash) {
            PQclear(r);
            return kerr(KERR_DB, "%s: audit lane %d record %lld: its hash is not %d bytes",
                        s->where, *lane, last->lane_seq, (int)sizeof last->hash);
        }
    }
    *seq = pg_int(r, 0, 3);
    PQclear(r);
    if (held < 0 && s->n_held < (int)(sizeof s->held / sizeof s->held[0])) {
        s->held[s->n_held].kind = kind;
        s->held[s->n_held].key = *lane;
        s->n_held++;
    }
    return 0;
}

/* store_ops.audit_put: the record and its lane's head in one data-modifying
 * statement (prepared once per connection, like every statement here).
 * A failure of either part fails the statement: nothing is half written. */
static int pg_audit_put(struct store *st, const struct audit_rec *rec, const char *key,
                        const char *value)
{
    static const char put[] =
        "WITH rec AS (INSERT INTO audit (" AUDIT_ENGINE_COLS ") "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)) "
        "INSERT INTO meta (key, value) VALUES ($10, $11) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    const struct sql_exec_ops *x = &pg_exec_ops;
    struct sql_stmt *q = x->prepare(st, put);
    if (!q)
        return KERR_DB;
    audit_engine_bind(x, q, rec);
    x->bind_text(q, 10, key);
    x->bind_text(q, 11, value);
    return sql_done(x, q, "appending to the audit trail and moving its head");
}

static int pg_begin_read(struct store *st)
{
    struct pg_store *s = pgs(st);
    int err = pg_exec(s, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "starting a snapshot");
    if (!err) {
        s->in_txn = true;
        s->write_mode = -1;
        s->n_held = 0;
    }
    return err;
}

static int pg_commit(struct store *st)
{
    struct pg_store *s = pgs(st);
    PGresult *r = PQexec(s->conn, "COMMIT");
    int err = 0;
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        err = pg_fail(s, r, "committing");
    else if (!strcmp(PQcmdStatus(r), "ROLLBACK"))
        /* COMMIT of a transaction that had failed silently rolls back */
        err = kerr(KERR_DB, "%s: the transaction had failed and was rolled back", s->where);
    PQclear(r);
    pg_txn_over(s);
    return err;
}

static int pg_rollback(struct store *st)
{
    struct pg_store *s = pgs(st);
    pg_txn_over(s);
    /* idle: nothing to undo; no connection: the server undid it */
    if (PQtransactionStatus(s->conn) == PQTRANS_IDLE || PQstatus(s->conn) != CONNECTION_OK)
        return 0;
    return pg_exec(s, "ROLLBACK", "rolling back");
}

/* The checks a DBA would want before trusting the data: the schema is
 * ours and current, the audit trigger is in place and enabled, and every
 * program's rank structure agrees with its entries (each block's count,
 * every waiting entry in an existing block, the Fenwick root = the total).
 * Page-level corruption is the server's business (data checksums, amcheck). */
static int pg_integrity(struct store *st, char *report, size_t cap)
{
    struct pg_store *s = pgs(st);
    int version, latest, err;
    if ((err = pg_schema_version(st, &version, &latest)))
        return err;
    if (version != latest) {
        snprintf(report, cap, "schema version %d, expected %d", version, latest);
        return kerr(KERR_SCHEMA, "%s: %s (run kioskctl init)", s->where, report);
    }
    PGresult *r = pg_run(s, "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit'::regclass "
                            "AND tgname IN ('audit_append_only', 'audit_no_truncate') "
                            "AND tgenabled <> 'D'", NULL, "integrity check", &err);
    if (!r)
        return err;
    long long triggers = pg_int(r, 0, 0);
    PQclear(r);
    if (triggers != 2) {
        snprintf(report, cap, "the audit table's append-only triggers are missing or disabled");
        return kerr(KERR_DB, "%s: integrity check: %s", s->where, report);
    }
    /* one pass: blocks whose count differs from their waiting entries,
     * waiting entries outside any block, and tree roots that differ */
    r = pg_run(s,
        "SELECT 'block ' || b.program_id || '/' || b.slot || ' counts ' || b.n || ', holds ' || "
        "       (SELECT count(*) FROM entry e WHERE e.program_id = b.program_id AND "
        "        e.slot = b.slot AND e.status = 0) "
        "  FROM rank_block b WHERE b.n <> (SELECT count(*) FROM entry e WHERE "
        "        e.program_id = b.program_id AND e.slot = b.slot AND e.status = 0) "
        "UNION ALL "
        "SELECT 'entry ' || e.id || ' waits in missing block ' || e.slot FROM entry e "
        "  WHERE e.status = 0 AND NOT EXISTS (SELECT 1 FROM rank_block b WHERE "
        "        b.program_id = e.program_id AND b.slot = e.slot) "
        "UNION ALL "
        "SELECT 'program ' || p.id || ' tree total ' || "
        "       COALESCE((SELECT sum FROM rank_tree t WHERE t.program_id = p.id AND "
        "                 t.node = 16777216), 0) || ', waiting ' || "
        "       (SELECT count(*) FROM entry e WHERE e.program_id = p.id AND e.status = 0) "
        "  FROM program p WHERE COALESCE((SELECT sum FROM rank_tree t WHERE t.program_id = p.id "
        "       AND t.node = 16777216), 0) <> (SELECT count(*) FROM entry e WHERE "
        "       e.program_id = p.id AND e.status = 0) "
        "LIMIT 1", NULL, "integrity check", &err);
    if (!r)
        return err;
    if (PQntuples(r) > 0) {
        char what[200];
        pg_str(r, 0, 0, what, sizeof what);
        PQclear(r);
        snprintf(report, cap, "rank structure: %s", what);
        return kerr(KERR_DB, "%s: integrity check: %s (kioskctl check repairs ranks)", s->where,
                    report);
    }
    PQclear(r);
    snprintf(report, cap, "ok");
    return 0;
}

static int pg_backup(struct store *st, const char *path, int force)
{
    (void)force;
    return kerr(KERR_UNSUPPORTED, "%s: kioskctl backup copies SQLite files only; back up a "
                "PostgreSQL database with the server's tools, e.g. pg_dump -Fc -f %s DBNAME "
                "(restore with pg_restore), or base backups with WAL archiving",
                pgs(st)->where, path);
}

static const struct store_ops pg_ops = {
    STORE_OPS_FIELDS(pg_, "postgresql"),
    .set_statement_timeout = pg_set_statement_timeout,   /* store_pg_conn.c */
    .set_read_only = pg_set_read_only,                   /* store_pg_conn.c */
    .begin_as = pg_begin_as,
    .lock = pg_lock,
    .audit_take = pg_audit_take,
    .audit_put = pg_audit_put,
};

int store_pg_open(const char *url, int create, struct store **out)
{
    *out = NULL;
    (void)create;   /* a PostgreSQL database is created by its DBA, never by us */
    struct pg_store *s = calloc(1, sizeof *s);
    if (!s)
        return KERR_NOMEM;
    s->base.ops = &pg_ops;
    pg_txn_over(s);
    int err = 0;
    if ((err = pg_connect(s, url)))
        goto fail;
    *out = &s->base;
    return 0;
fail:
    pg_disconnect(s);
    free(s);
    return err;
}
