/* store_sqlite.c — the SQLite backend: connection settings, numbered
 * migrations, transactions, integrity (backup and restore:
 * store_sqlite_backup.c).  Everything else (queue, applications, staff,
 * kiosk status, metadata, audit) is the engines' over the SQL executor
 * (store_engine.h, queue_engine.h; store_sqlite_exec.c).
 *
 * Durability choices (RELIABILITY.md §2): WAL so kiosks read while an
 * import writes; synchronous=FULL because a resident's confirmed
 * application must survive a power cut; BEGIN IMMEDIATE for every write so
 * the busy handler is consulted instead of failing mid-transaction;
 * foreign_keys and busy_timeout on every connection. */
#include "kiosk/store/sqlite/store_sqlite.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/err.h"
#include "kiosk/store/store_engine.h"

#define KIOSK_APPLICATION_ID 0x4B494F53   /* "KIOS" at header offset 68 */

extern const char *const store_migrations[];   /* build/gen/migrations.c */


/* The cache entry for sql, preparing it on first use.  PostgreSQL-style
 * `$n` placeholders (the executor's shared SQL texts) are rewritten to
 * `?n` and a parameter cast `$n::type` dropped, so SQLite binds by the same
 * index; statements written with `?n` pass through unchanged. */
struct sql_stmt *sq_cached(struct sqlite_store *s, const char *sql)
{
    for (int i = 0; i < s->n_cache; i++)
        if (s->cache[i].sql == sql) {
            struct sql_stmt *q = &s->cache[i].q;
            sqlite3_reset(q->stmt);
            sqlite3_clear_bindings(q->stmt);
            return q;
        }
    if (s->n_cache >= SQ_CACHE_MAX) {
        /* should not happen: the number of distinct statements is fixed */
        kerr(KERR_DB, "statement cache full");
        return NULL;
    }
    size_t len = strlen(sql);
    char *text = malloc(len + 1);
    if (!text) {
        kerr(KERR_NOMEM, "preparing a statement");
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        if (sql[i] == '$' && i + 1 < len && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
            text[o++] = '?';
            for (i++; i < len && sql[i] >= '0' && sql[i] <= '9'; i++)
                text[o++] = sql[i];
            if (i + 1 < len && sql[i] == ':' && sql[i + 1] == ':')
                for (i += 2; i < len && (sql[i] == '_' || sql[i] == '[' || sql[i] == ']' ||
                                         (sql[i] >= 'a' && sql[i] <= 'z') ||
                                         (sql[i] >= 'A' && sql[i] <= 'Z') ||
                                         (sql[i] >= '0' && sql[i] <= '9'));
                     i++)
                    ;
        } else {
            text[o++] = sql[i++];
        }
    }
    text[o] = '\0';
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(s->db, text, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    free(text);
    if (rc != SQLITE_OK) {
        sq_fail(s, "preparing a statement");
        return NULL;
    }
    s->cache[s->n_cache].sql = sql;
    s->cache[s->n_cache].q = (struct sql_stmt){.s = s, .stmt = st};
    return &s->cache[s->n_cache++].q;
}

int sq_fail(struct sqlite_store *s, const char *what)
{
    int code = sqlite3_errcode(s->db);
    int err = (code == SQLITE_BUSY || code == SQLITE_LOCKED) ? KERR_BUSY : KERR_DB;
    if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
        err = KERR_SCHEMA;
    return kerr(err, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

int sq_exec(struct sqlite_store *s, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int err = sq_fail(s, msg ? msg : "executing");
        sqlite3_free(msg);
        return err;
    }
    return 0;
}

/* memcpy, not snprintf("%s"): every text column of every row read passes
 * here, and the format parser was the largest cost of a row (a bed row has
 * nine text columns).  Cut at cap - 1 bytes, as snprintf would. */
void sq_text(sqlite3_stmt *stmt, int col, char *out, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(stmt, col);
    size_t n = t ? (size_t)sqlite3_column_bytes(stmt, col) : 0;
    if (n >= cap)
        n = cap - 1;
    if (n)
        memcpy(out, t, n);
    out[n] = '\0';
}

static int pragma_int(struct sqlite_store *s, const char *sql, int *out)
{
    sqlite3_stmt *st = NULL;
    int err = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s, sql);
    if (sqlite3_step(st) == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    else
        err = sq_fail(s, sql);
    sqlite3_finalize(st);
    return err;
}

/* ---- ops ------------------------------------------------------------------ */

static void sqlite_close(struct store *st)
{
    struct sqlite_store *s = sq(st);
    for (int i = 0; i < s->n_cache; i++)
        sqlite3_finalize(s->cache[i].q.stmt);
    sqlite3_close(s->db);
    free(s);
}

static int sqlite_schema_version(struct store *st, int *version, int *latest)
{
    struct sqlite_store *s = sq(st);
    *latest = migrate_latest(store_migrations);
    int appid = 0, err;
    if ((err = pragma_int(s, "PRAGMA user_version", version)) ||
        (err = pragma_int(s, "PRAGMA application_id", &appid)))
        return err;
    if (*version > 0 && appid != KIOSK_APPLICATION_ID)
        return kerr(KERR_SCHEMA, "%s: not a kiosk database (application_id %#x)", s->path, appid);
    return migrate_check(s->path, *version, *latest);
}

static int sqlite_migrate(struct store *st, int *from, int *to)
{
    struct sqlite_store *s = sq(st);
    int version = 0, latest = 0, err;
    if ((err = sq_exec(s, "BEGIN IMMEDIATE")))
        return err;
    if ((err = sqlite_schema_version(st, &version, &latest)))
        goto fail;
    *from = version;
    if ((err = migrate_apply(st, store_migrations, version, latest)))
        goto fail;
    char sql[96];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d; PRAGMA application_id = %d", latest,
             KIOSK_APPLICATION_ID);
    if ((err = sq_exec(s, sql)) || (err = sq_exec(s, "COMMIT")))
        goto fail;
    *to = latest;
    return 0;
fail:
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return err;
}

static int sqlite_begin(struct store *st) { return sq_exec(sq(st), "BEGIN IMMEDIATE"); }
static int sqlite_begin_read(struct store *st) { return sq_exec(sq(st), "BEGIN DEFERRED"); }
static int sqlite_commit(struct store *st) { return sq_exec(sq(st), "COMMIT"); }

static int sqlite_rollback(struct store *st)
{
    struct sqlite_store *s = sq(st);
    if (sqlite3_get_autocommit(s->db))
        return 0;
    return sq_exec(s, "ROLLBACK");
}

static int sqlite_integrity(struct store *st, char *report, size_t cap)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &q, NULL) != SQLITE_OK)
        return sq_fail(s, "integrity check");
    int err = 0;
    if (sqlite3_step(q) == SQLITE_ROW) {
        sq_text(q, 0, report, cap);
        if (strcmp(report, "ok") != 0)
            err = kerr(KERR_DB, "%s: integrity check: %s", s->path, report);
    } else {
        err = sq_fail(s, "integrity check");
    }
    sqlite3_finalize(q);
    if (!err) {
        if (sqlite3_prepare_v2(s->db, "PRAGMA foreign_key_check", -1, &q, NULL) != SQLITE_OK)
            return sq_fail(s, "foreign key check");
        if (sqlite3_step(q) == SQLITE_ROW)
            err = kerr(KERR_DB, "%s: foreign key check: a row of %s refers to a missing row",
                       s->path, sqlite3_column_text(q, 0));
        sqlite3_finalize(q);
    }
    return err;
}

static const struct store_ops sqlite_ops = {
    STORE_OPS_FIELDS(sqlite_, "sqlite"),
    .restore = sqlite_restore,
    .digest = sqlite_digest,
};

int store_sqlite_open(const char *path, int create, struct store **out)
{
    return store_sqlite_open_mode(path, create ? STORE_OPEN_CREATE : STORE_OPEN_RW, out);
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The busy handler of a writing connection: wait for the other writer up to
 * store_write_wait_ms (an import's write phase can outlast SQLite's usual
 * 5 s), saying so once after a second; short sleeps so the lock is taken
 * soon after it is released.  0 = give up (SQLITE_BUSY, KERR_BUSY). */
static int sq_busy(void *p, int count)
{
    struct sqlite_store *s = p;
    double now = mono_s();
    if (count == 0) {
        s->busy_since = now;
        s->busy_noticed = false;
    }
    double waited = now - s->busy_since;
    if (waited * 1000 >= store_write_wait_ms())
        return 0;
    if (waited >= 1.0 && !s->busy_noticed) {
        store_write_wait_notice();
        s->busy_noticed = true;
    }
    usleep((useconds_t)(count < 5 ? 1000 << count : 50000));
    return 1;
}

/* STORE_OPEN_RO (the follow-up page): SQLITE_OPEN_READONLY plus query_only, so
 * no statement can change the file whatever the code above it does; the WAL
 * and busy-timeout settings are the writers' business (a reader follows the
 * journal mode the file has). */
int store_sqlite_open_mode(const char *path, int mode, struct store **out)
{
    int create = mode == STORE_OPEN_CREATE;
    *out = NULL;
    if (!create && access(path, F_OK) != 0)
        return kerr(KERR_NOTFOUND, "%s: no such database (run kioskctl init)", path);
    struct sqlite_store *s = calloc(1, sizeof *s);
    if (!s)
        return KERR_NOMEM;
    s->base.ops = &sqlite_ops;
    snprintf(s->path, sizeof s->path, "%s", path);
    if (create) {
        /* a new database is created 0600 (personal data); SQLite gives its
         * -wal, -shm and -journal files the database file's mode */
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0)
            return kerr(KERR_DB, "%s: cannot create the database: %s", path, strerror(errno));
        close(fd);
    }
    int flags = (mode == STORE_OPEN_RO ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
                SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    int err = 0;
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        err = kerr(KERR_DB, "%s: cannot open the database: %s", path,
                   s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 0);
    /* Temporary b-trees in memory: a console search builds a few small ones
     * (GROUP BY, DISTINCT, ORDER BY of at most 41 rows), and on disk each
     * was a temp file opened and unlinked — 0.32 ms of a 0.38 ms search by
     * ID number at 1M households, 0.055 ms with this (median of 300); and
     * what a query sorts (hashes, sealed fields) never lands in /var/tmp. */
    if ((err = sq_exec(s, "PRAGMA temp_store = MEMORY")))
        goto fail;
    if (mode == STORE_OPEN_RO) {
        /* a read-only server lives on look-ups: map the file (no pread per
         * page) and keep a larger page cache; both only cost address space
         * and memory the kernel can reclaim */
        if ((err = sq_exec(s, "PRAGMA busy_timeout = 5000")) ||
            (err = sq_exec(s, "PRAGMA query_only = 1")) ||
            (err = sq_exec(s, "PRAGMA mmap_size = 1073741824")) ||
            (err = sq_exec(s, "PRAGMA cache_size = -16384")))
            goto fail;
        *out = &s->base;
        return 0;
    }
    sqlite3_busy_handler(s->db, sq_busy, s);
    if ((err = sq_exec(s, "PRAGMA journal_mode = WAL")) ||
        (err = sq_exec(s, "PRAGMA synchronous = FULL")) ||
        (err = sq_exec(s, "PRAGMA foreign_keys = ON")))
        goto fail;
    *out = &s->base;
    return 0;
fail:
    sqlite_close(&s->base);   /* nothing prepared yet: closes the handle (if any), frees s */
    return err;
}
