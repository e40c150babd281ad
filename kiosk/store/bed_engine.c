/* bed_engine.c — home-care-bed (家庭养老床位) applications and their history
 * (struct bed_store_ops, kiosk/store/bed_store.h), written once for every
 * backend over the SQL executor (sql_exec.h); tables of 003_eldercare.sql
 * (SQLite) and step 3 of store_pg_schema.c (PostgreSQL).
 *
 * Hashes and sealed blobs go in and out as blobs (bytea, byte-exact); staff
 * and organisation ids of 0 are stored as NULL (they are foreign keys).
 * Results are copied out of the statement before any callback runs
 * (sql_rows), so callbacks may use the store; the full list is read in
 * keyset pages by id, so a district's whole history never sits in memory. */
#include <stdlib.h>
#include <string.h>

#include "kiosk/eldercare.h"
#include "kiosk/err.h"
#include "kiosk/person.h"
#include "kiosk/secret.h"
#include "kiosk/store/bed_store.h"
#include "kiosk/store/queue_engine.h"
#include "kiosk/store/row_seal.h"
#include "kiosk/store/store_engine.h"

#define X(st) sql_of(st)

/* Rows per page of the full list: ~2.5 KiB a row, one 640 KiB buffer reused
 * page after page; fewer, larger pages cost SQLite fewer read locks. */
#define LIST_PAGE 256

#define APP_COLS "id, ref, elder_hash, elder_sealed, agent_hash, agent_sealed, address_sealed, " \
                 "services, consent_at, kiosk_id, stage, submitted_at, updated_at, "           \
                 "COALESCE(provider_org_id, 0), COALESCE(built_by, 0), COALESCE(built_org_id, 0), " \
                 "COALESCE(accepted_by, 0), COALESCE(assessed_by, 0), assessment, assessed_at, " \
                 "reassess_due, street"

#define APP_NCOLS 22

/* Every statement of this store (`$n::type` casts are for PostgreSQL, where
 * the context does not fix a parameter's type; SQLite drops them). */
static const struct {
    const char *insert, *get, *update, *by_hash, *list_page, *list_street_page, *history_add;
    const char *history, *clear;
    const char *person_add, *unindexed;
} sql = {
    .insert = "INSERT INTO bed_app (ref, elder_hash, elder_sealed, agent_hash, agent_sealed, "
              "address_sealed, services, consent, consent_at, kiosk_id, stage, submitted_at, "
              "updated_at, street) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $10, $11, $11, $12) "
              "RETURNING id",
    .get = "SELECT " APP_COLS " FROM bed_app WHERE ref = $1",
    .update = "UPDATE bed_app SET stage = $2, updated_at = $3, provider_org_id = $4, "
              "built_by = $5, built_org_id = $6, accepted_by = $7, assessed_by = $8, "
              "assessment = $9, assessed_at = $10, reassess_due = $11, street = $12 WHERE id = $1",
    /* UNION, not OR: each half uses its own index (elder_hash, agent_hash) */
    .by_hash = "SELECT " APP_COLS " FROM bed_app WHERE elder_hash = $1::bytea "
               "UNION SELECT " APP_COLS " FROM bed_app WHERE agent_hash = $1::bytea "
               "ORDER BY 12 DESC, 1 DESC",
    /* the provider's name rides along (issue 13: the console's bed list is
     * one statement, not one more per row for the organisation) */
    .list_page = "SELECT " APP_COLS ", COALESCE((SELECT o.name FROM org o "
                 "WHERE o.id = bed_app.provider_org_id), '') FROM bed_app "
                 "WHERE ($1::integer < 0 OR stage = $1::integer) AND id > $2 ORDER BY id LIMIT $3",
    /* one street's (a street account's scope, a district's filter): a walk
     * of bed_app_street (street, id) from the page's key (015) */
    .list_street_page = "SELECT " APP_COLS ", COALESCE((SELECT o.name FROM org o "
                        "WHERE o.id = bed_app.provider_org_id), '') FROM bed_app "
                        "WHERE street = $4::text AND ($1::integer < 0 OR stage = $1::integer) "
                        "AND id > $2 ORDER BY id LIMIT $3",
    .history_add = "INSERT INTO bed_history (app_id, stage, at, actor, role, reason) "
                   "VALUES ($1, $2, $3, $4, $5, $6)",
    .history = "SELECT app_id, stage, at, actor, role, reason FROM bed_history "
               "WHERE app_id = $1 ORDER BY id",
    .clear = "DELETE FROM bed_person; DELETE FROM bed_history; DELETE FROM bed_app",
    .person_add = "INSERT INTO bed_person (app_id, kind, hash) VALUES ($1, $2, $3) "
                  "ON CONFLICT (app_id, kind) DO UPDATE SET hash = excluded.hash",
    /* the elder's name (kind 1) is always indexed: its absence marks the row */
    .unindexed = "SELECT " APP_COLS " FROM bed_app a WHERE id > $1 AND NOT EXISTS "
                 "(SELECT 1 FROM bed_person p WHERE p.app_id = a.id AND p.kind = 1) "
                 "ORDER BY id LIMIT $2",
};

/* A 32-byte hash column, zero-filled past what the column holds. */
static void read_hash(const struct sql_exec_ops *x, struct sql_stmt *q, int col,
                      unsigned char out[32])
{
    int n = x->col_blob(q, col, out, 32);
    memset(out + n, 0, (size_t)(32 - n));
}

/* Every field is set, but the four 512-byte sealed buffers only up to
 * their lengths (bytes past a length are never read): clearing the whole
 * 2.5 KiB row would write memory a row of ~300 bytes never touches, for
 * every row of a page (sql_rows_free wipes the page once at the end). */
static void read_app_at(const struct sql_exec_ops *x, struct sql_stmt *q, int b, struct bed_row *r)
{
    r->id = x->col_int64(q, b + 0);
    x->col_text(q, b + 1, r->ref, sizeof r->ref);
    read_hash(x, q, b + 2, r->elder_hash);
    r->elder_sealed_len = x->col_blob(q, b + 3, r->elder_sealed, sizeof r->elder_sealed);
    r->has_agent = !x->col_isnull(q, b + 4);
    read_hash(x, q, b + 4, r->agent_hash);   /* zeros when there is no agent */
    r->agent_sealed_len = r->has_agent ? x->col_blob(q, b + 5, r->agent_sealed, sizeof r->agent_sealed)
                                       : 0;
    /* a blob longer than its buffer cannot come from rows we wrote; cut, it
     * then fails to open (eldercare.c) rather than overrun */
    r->address_sealed_len = x->col_blob(q, b + 6, r->address_sealed, sizeof r->address_sealed);
    r->services = (unsigned)x->col_int64(q, b + 7);
    x->col_text(q, b + 8, r->consent_at, sizeof r->consent_at);
    x->col_text(q, b + 9, r->kiosk_id, sizeof r->kiosk_id);
    r->stage = (int)x->col_int64(q, b + 10);
    x->col_text(q, b + 11, r->submitted_at, sizeof r->submitted_at);
    x->col_text(q, b + 12, r->updated_at, sizeof r->updated_at);
    r->provider_org_id = (long)x->col_int64(q, b + 13);
    r->built_by = (long)x->col_int64(q, b + 14);
    r->built_org_id = (long)x->col_int64(q, b + 15);
    r->accepted_by = (long)x->col_int64(q, b + 16);
    r->assessed_by = (long)x->col_int64(q, b + 17);
    r->assessment_len = x->col_isnull(q, b + 18) ? 0
                        : x->col_blob(q, b + 18, r->assessment, sizeof r->assessment);
    x->col_text(q, b + 19, r->assessed_at, sizeof r->assessed_at);
    x->col_text(q, b + 20, r->reassess_due, sizeof r->reassess_due);
    x->col_text(q, b + 21, r->street, sizeof r->street);
    r->provider_name[0] = '\0';   /* only the list reads it (read_listed) */
}

static void read_app(const struct sql_exec_ops *x, struct sql_stmt *q, void *row)
{
    read_app_at(x, q, 0, row);
}

/* A row of the list: the application and its provider's name. */
static void read_listed(const struct sql_exec_ops *x, struct sql_stmt *q, void *row)
{
    struct bed_row *r = row;
    read_app(x, q, row);
    x->col_text(q, APP_NCOLS, r->provider_name, sizeof r->provider_name);
}

/* A staff or organisation id: 0 means none, stored as NULL (a foreign key). */
static void bind_id(const struct sql_exec_ops *x, struct sql_stmt *q, int i, long id)
{
    if (id > 0)
        x->bind_int64(q, i, id);
    else
        x->bind_null(q, i);
}

static int b_insert(struct store *st, struct bed_row *r)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, sql.insert);
    if (!q)
        return KERR_DB;
    x->bind_text(q, 1, r->ref);
    x->bind_blob(q, 2, r->elder_hash, sizeof r->elder_hash);
    x->bind_blob(q, 3, r->elder_sealed, r->elder_sealed_len);
    if (r->has_agent) {
        x->bind_blob(q, 4, r->agent_hash, sizeof r->agent_hash);
        x->bind_blob(q, 5, r->agent_sealed, r->agent_sealed_len);
    } else {
        x->bind_null(q, 4);
        x->bind_null(q, 5);
    }
    x->bind_blob(q, 6, r->address_sealed, r->address_sealed_len);
    x->bind_int64(q, 7, (long long)r->services);
    x->bind_text(q, 8, r->consent_at);
    x->bind_text(q, 9, r->kiosk_id);
    x->bind_int64(q, 10, r->stage);
    x->bind_text(q, 11, r->submitted_at);
    x->bind_text(q, 12, r->street);
    long long id = 0;
    int err = sql_int(x, q, 0, &id, "filing an application");
    if (err == KERR_EXISTS)
        return kerr(KERR_EXISTS, "application reference %s already used", r->ref);
    if (err)
        return err;
    if (id <= 0)
        return kerr(KERR_DB, "filing application %s returned no id", r->ref);
    r->id = id;
    return row_seal_refresh(st, ROW_BED, id);
}

static int b_get(struct store *st, const char *ref, struct bed_row *out)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, sql.get);
    if (!q)
        return KERR_DB;
    x->bind_text(q, 1, ref);
    int rc = x->step(q, "reading an application");
    if (rc == SQL_ROW)
        read_app(x, q, out);
    x->reset(q);
    return rc == SQL_ROW ? 0 : rc == SQL_DONE ? KERR_NOTFOUND : rc;
}

static int b_update(struct store *st, const struct bed_row *r)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, sql.update);
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, r->id);
    x->bind_int64(q, 2, r->stage);
    x->bind_text(q, 3, r->updated_at);
    bind_id(x, q, 4, r->provider_org_id);
    bind_id(x, q, 5, r->built_by);
    bind_id(x, q, 6, r->built_org_id);
    bind_id(x, q, 7, r->accepted_by);
    bind_id(x, q, 8, r->assessed_by);
    if (r->assessment_len > 0)
        x->bind_blob(q, 9, r->assessment, r->assessment_len);
    else
        x->bind_null(q, 9);
    x->bind_text(q, 10, r->assessed_at);
    x->bind_text(q, 11, r->reassess_due);
    x->bind_text(q, 12, r->street);
    int err = sql_done(x, q, "updating an application");
    if (!err && x->changes(q) != 1)
        return kerr(KERR_NOTFOUND, "application %s is gone", r->ref);
    return err ? err : row_seal_refresh(st, ROW_BED, r->id);
}

/* Copy the rows of q (bound) into rs, then hand each to cb. */
static int each_row(const struct sql_exec_ops *x, struct sql_stmt *q, struct sql_rows *rs,
                    void (*read)(const struct sql_exec_ops *, struct sql_stmt *, void *),
                    bed_row_cb cb, void *ctx, const char *what)
{
    int err = sql_rows(x, q, read, rs, what);
    const struct bed_row *rows = rs->rows;
    for (int i = 0; i < rs->n && !err; i++)
        err = cb(ctx, &rows[i]);
    return err;
}

static int each_app(const struct sql_exec_ops *x, struct sql_stmt *q, struct sql_rows *rs,
                    bed_row_cb cb, void *ctx, const char *what)
{
    return each_row(x, q, rs, read_app, cb, ctx, what);
}

static int b_by_hash(struct store *st, const unsigned char hash[32], bed_row_cb cb, void *ctx)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, sql.by_hash);
    if (!q)
        return KERR_DB;
    x->bind_blob(q, 1, hash, 32);
    struct sql_rows rs = {.size = sizeof(struct bed_row)};
    int err = each_app(x, q, &rs, cb, ctx, "looking up applications");
    sql_rows_free(&rs);
    return err;
}

/* In keyset pages by id, one page buffer for the whole walk. */
static int b_list(struct store *st, int stage, const char *street, bed_row_cb cb, void *ctx)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_rows page = {.size = sizeof(struct bed_row)};
    long long after = 0;   /* ids start at 1 */
    int err = 0;
    do {
        struct sql_stmt *q = x->prepare(st, street ? sql.list_street_page : sql.list_page);
        if (!q) {
            err = KERR_DB;
            break;
        }
        x->bind_int64(q, 1, stage);
        x->bind_int64(q, 2, after);
        x->bind_int64(q, 3, LIST_PAGE);
        if (street)
            x->bind_text(q, 4, street);
        err = each_row(x, q, &page, read_listed, cb, ctx, "listing applications");
        if (page.n)
            after = ((const struct bed_row *)page.rows)[page.n - 1].id;
    } while (!err && page.n == LIST_PAGE);
    sql_rows_free(&page);
    return err;
}

/* ---- the console's search (person.h), in ONE statement whatever was typed ---------- */

#define NULLS7 "NULL, NULL, NULL, NULL, NULL, NULL, NULL"
#define NULL_ENTRY NULLS7 ", " NULLS7 ", NULL, NULL, NULL, NULL"   /* 17 + code */
#define NULL_APP NULLS7 ", " NULLS7 ", " NULLS7 ", NULL"           /* 22 */
/* Both statements give one result for entries and applications: an
 * entry's 17 columns, its programme's code and the rank, then an
 * application's 22 (NULL where the row is the other kind).  The rank
 * orders the rows as the search did when it was a statement per step
 * (person.c): the rows the text points at, then — when they are all one
 * person's — that person's other entries (programme, receipt) and
 * applications (newest first); a row met twice keeps its first place. */
#define PERSON_ORDER "ORDER BY 19, 2, 3, 31 DESC, 20 DESC"
#define PERSON_SHOWN "40"
_Static_assert(PERSON_HITS_MAX == 40, "PERSON_SHOWN spells out PERSON_HITS_MAX");

/* The common end of both: from fe(fid, …), the entries found; fb(bid, g, …),
 * the applications found with their rank g; one(h), the person when all
 * found are one person's — the rows, each once at its first rank.  The
 * person's other rows are joins of `one` to the hash indexes (an
 * "id IN (…) OR id_hash IN (…)" over entry was a sequential scan of every
 * entry on PostgreSQL: 47 ms at 20,000 households).  WE/WB: the entries/
 * applications-wanted parameters; RE/RA: the ranks of the person's other
 * entries/applications. */
#define PERSON_ROWS(WE, WB, RE, RA)                                                             \
    "ents(eid, er) AS (SELECT eid, min(er) FROM ("                                              \
    "  SELECT fid AS eid, 0 AS er FROM fe "                                                     \
    "  UNION ALL SELECT e.id, " RE " FROM entry e JOIN one ON e.id_hash = one.h "               \
    "  WHERE " WE "::integer = 1) AS u GROUP BY eid), "                                         \
    "apps(aid, ar) AS (SELECT aid, min(ar) FROM ("                                              \
    "  SELECT bid AS aid, g AS ar FROM fb "                                                     \
    "  UNION ALL SELECT b.id, " RA " FROM bed_app b JOIN one ON b.elder_hash = one.h "          \
    "  WHERE " WB "::integer = 1 "                                                              \
    "  UNION ALL SELECT b.id, " RA " FROM bed_app b JOIN one ON b.agent_hash = one.h "          \
    "  WHERE " WB "::integer = 1) AS u GROUP BY aid) "                                          \
    "SELECT " ENTRY_COLS ", (SELECT p.code FROM program p WHERE p.id = entry.program_id), er, " \
    NULL_APP " FROM ents JOIN entry ON entry.id = ents.eid "                                    \
    "UNION ALL "                                                                                \
    "SELECT " NULL_ENTRY ", ar, " APP_COLS " FROM apps JOIN bed_app ON bed_app.id = apps.aid "

/* By receipt number (issue 13; a transaction round five statements): the
 * entries with the receipt number (any case) and the application with the
 * reference.  $1 receipt, $2 reference (upper case), $3/$4 entries/
 * applications wanted.  Ranks: 0 entry found, 1 application found, 2/3 the
 * person's other entries/applications. */
static const char person_receipt_sql[] =
    "WITH fe(fid, fh) AS (SELECT id, id_hash FROM entry WHERE $3::integer = 1 "
    "  AND upper(receipt_no) = upper($1::text)), "
    "fb(bid, g, bh) AS (SELECT id, 1, elder_hash FROM bed_app "
    "  WHERE $4::integer = 1 AND ref = $2::text), "
    "who(h) AS (SELECT fh FROM fe UNION SELECT bh FROM fb), "
    "one(h) AS (SELECT h FROM who WHERE (SELECT count(*) FROM who) = 1), "
    PERSON_ROWS("$3", "$4", "2", "3") PERSON_ORDER;

/* By full ID number, name or phone (issue 13: these were a read
 * transaction of six to eight statements).  $1 the keyed ID hash: its
 * entries, and the applications whose elder or agent it is; $2 a keyed
 * name hash: the entries of that name, the first 41 in id order (the
 * index entry_name_id holds them so: a common name has hundreds); $3 a
 * person-index hash (name or phone): the applications it indexes; $4 an
 * application's reference; $5/$6 entries/applications wanted; $7 the
 * street an account is limited to (NULL: none): another street's
 * applications are not shown (person.c drops them), so they do not count
 * when deciding whether everything found is one person's — and that is
 * decided, as person.c did, on the first PERSON_HITS_MAX rows shown.
 * Ranks: 0 entries found, 1 applications found, 2 the application by
 * reference, 3/4 the person's other entries/applications; -1 (a row of
 * NULLs) when a name search met entries without a name hash (kioskctl
 * init fills them in). */
static const char person_hash_sql[] =
    "WITH fe(fid, fh, fp, fr) AS ("
    "  SELECT id, id_hash, program_id, receipt_no FROM entry "
    "  WHERE $5::integer = 1 AND id_hash = $1::bytea "
    "  UNION ALL SELECT * FROM (SELECT id, id_hash, program_id, receipt_no FROM entry "
    "    WHERE $5::integer = 1 AND name_hash = $2::bytea ORDER BY id LIMIT 41) AS byname), "
    "fb0(bid, g) AS ("
    "  SELECT id, 1 FROM bed_app WHERE $6::integer = 1 AND elder_hash = $1::bytea "
    "  UNION ALL SELECT id, 1 FROM bed_app WHERE $6::integer = 1 AND agent_hash = $1::bytea "
    "  UNION ALL SELECT app_id, 1 FROM bed_person WHERE $6::integer = 1 AND hash = $3::bytea "
    "  UNION ALL SELECT id, 2 FROM bed_app WHERE $6::integer = 1 AND ref = $4::text), "
    "fb(bid, g, bh, bs, bt) AS (SELECT b.id, min(fb0.g), b.elder_hash, b.submitted_at, b.street "
    "  FROM fb0 JOIN bed_app b ON b.id = fb0.bid "
    "  GROUP BY b.id, b.elder_hash, b.submitted_at, b.street), "
    "firsts(h, g, o1, o2, o3, o4) AS ("
    "  SELECT fh, 0, fp, fr, '', 0 FROM fe "
    "  UNION ALL SELECT bh, g, 0, '', bs, bid FROM fb "
    "  WHERE $7::text IS NULL OR bt = $7::text), "
    "shown(h) AS (SELECT h FROM firsts ORDER BY g, o1, o2, o3 DESC, o4 DESC LIMIT " PERSON_SHOWN "), "
    "one(h) AS (SELECT DISTINCT h FROM shown WHERE (SELECT count(DISTINCT h) FROM shown) = 1), "
    PERSON_ROWS("$5", "$6", "3", "4") "UNION ALL "
    "SELECT " NULL_ENTRY ", -1, " NULL_APP " WHERE $5::integer = 1 AND $2::bytea IS NOT NULL "
    "   AND EXISTS (SELECT 1 FROM entry WHERE name_hash IS NULL) " PERSON_ORDER;
#undef PERSON_ROWS

enum { P_CODE = ENTRY_NCOLS, P_RANK, P_APP };

struct person_row {
    bool bed;
    struct entry_row e;
    char code[16];
    struct bed_row b;
};

static void bind_hash_or_null(const struct sql_exec_ops *x, struct sql_stmt *q, int i,
                              const unsigned char *h)
{
    if (h)
        x->bind_blob(q, i, h, 32);
    else
        x->bind_null(q, i);
}

static void bind_text_or_null(const struct sql_exec_ops *x, struct sql_stmt *q, int i,
                              const char *s)
{
    if (s)
        x->bind_text(q, i, s);
    else
        x->bind_null(q, i);
}

static int b_person_search(struct store *st, const struct person_seek *pq,
                           int (*on_entry)(void *ctx, const struct entry_row *e, const char *code),
                           bed_row_cb on_bed, void *ctx, bool *unindexed)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, pq->receipt_no ? person_receipt_sql : person_hash_sql);
    if (!q)
        return KERR_DB;
    if (pq->receipt_no) {
        x->bind_text(q, 1, pq->receipt_no);
        x->bind_text(q, 2, pq->ref ? pq->ref : "");
        x->bind_int64(q, 3, pq->entries);
        x->bind_int64(q, 4, pq->beds);
    } else {
        bind_hash_or_null(x, q, 1, pq->id_hash);
        bind_hash_or_null(x, q, 2, pq->name_hash);
        bind_hash_or_null(x, q, 3, pq->index_hash);
        bind_text_or_null(x, q, 4, pq->ref);
        x->bind_int64(q, 5, pq->entries);
        x->bind_int64(q, 6, pq->beds);
        bind_text_or_null(x, q, 7, pq->street);
    }
    *unindexed = false;
    /* read every row, reset, then the callbacks (they may use the store) */
    struct person_row *rows = NULL;
    int n = 0, cap = 0, rc, err = 0;
    while ((rc = x->step(q, "searching for a person")) == SQL_ROW) {
        if (x->col_int64(q, P_RANK) < 0) {
            *unindexed = true;
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            struct person_row *r = realloc(rows, sizeof *rows * (size_t)cap);
            if (!r) {
                err = KERR_NOMEM;
                break;
            }
            rows = r;
        }
        struct person_row *r = &rows[n++];
        r->bed = x->col_isnull(q, 0);
        if (r->bed) {
            read_app_at(x, q, P_APP, &r->b);
        } else {
            qe_read_entry(x, q, &r->e);
            x->col_text(q, P_CODE, r->code, sizeof r->code);
        }
    }
    x->reset(q);
    if (!err && rc < 0)
        err = rc;
    for (int i = 0; i < n && !err; i++)
        err = rows[i].bed ? on_bed(ctx, &rows[i].b) : on_entry(ctx, &rows[i].e, rows[i].code);
    if (rows) {
        secure_wipe(rows, sizeof *rows * (size_t)cap);   /* sealed identities */
        free(rows);
    }
    return err;
}
#undef PERSON_ORDER
#undef PERSON_SHOWN
#undef NULL_APP
#undef NULL_ENTRY
#undef NULLS7

/* ---- the console home menu's counts, in ONE statement ------------------------------ */

/* Issue 13 (this was four statements for the work queue and a full read of
 * every application, page by page, for the overdue ones): $1/$2 the
 * offered/frozen cut-offs, $3 OPEN_LATE_CAP, $4 + k stage k's cut-off
 * ('' counts nothing), $15 the street.  Each stage is one range of the
 * index bed_app_stage_at or bed_app_street_stage_at (migration 017). */
#define BED_LATE(k, p, w) \
    "(SELECT count(*) FROM bed_app WHERE " w "stage = " #k " AND updated_at < $" #p "::text)"
#define WORK_SQL(w)                                                                             \
    "SELECT " QE_OPEN_LATE("2", "$1::text", "$3::bigint") ", "                                  \
    QE_OPEN_LATE("1", "$2::text", "$3::bigint") ", "                                            \
    BED_LATE(0, 4, w) " + " BED_LATE(1, 5, w) " + " BED_LATE(2, 6, w) " + " BED_LATE(3, 7, w)   \
    " + " BED_LATE(4, 8, w) " + " BED_LATE(5, 9, w) " + " BED_LATE(6, 10, w) " + "              \
    BED_LATE(7, 11, w) " + " BED_LATE(8, 12, w) " + " BED_LATE(9, 13, w) " + "                  \
    BED_LATE(10, 14, w)
_Static_assert(BED_STAGES == BS__COUNT && BED_STAGES == 11, "WORK_SQL spells out 11 stages");
static const char *const work_sql[2] = {WORK_SQL(""), WORK_SQL("street = $15::text AND ")};
#undef WORK_SQL
#undef BED_LATE

static int b_work_counts(struct store *st, const struct work_count_query *wq,
                         long long open_late[2], long long *beds_late)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, work_sql[wq->street != NULL]);
    if (!q)
        return KERR_DB;
    x->bind_text(q, 1, wq->open_before[0]);
    x->bind_text(q, 2, wq->open_before[1]);
    x->bind_int64(q, 3, OPEN_LATE_CAP);
    for (int k = 0; k < BED_STAGES; k++)
        x->bind_text(q, 4 + k, wq->bed_before[k]);
    if (wq->street)
        x->bind_text(q, 15, wq->street);
    int rc = x->step(q, "counting the work queues");
    if (rc == SQL_ROW) {
        open_late[0] = x->col_int64(q, 0);
        open_late[1] = x->col_int64(q, 1);
        *beds_late = x->col_int64(q, 2);
    }
    x->reset(q);
    return rc == SQL_ROW ? 0 : rc == SQL_DONE ? kerr(KERR_DB, "counting the work queues: no row")
                                               : rc;
}

static int b_history_add(struct store *st, const struct bed_hist *h)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, sql.history_add);
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, h->app_id);
    x->bind_int64(q, 2, h->stage);
    x->bind_text(q, 3, h->at);
    x->bind_text(q, 4, h->actor);
    x->bind_text(q, 5, h->role);
    x->bind_text(q, 6, h->reason);
    return sql_done(x, q, "recording an application step");
}

static void read_hist(const struct sql_exec_ops *x, struct sql_stmt *q, void *row)
{
    struct bed_hist *h = row;
    memset(h, 0, sizeof *h);
    h->app_id = x->col_int64(q, 0);
    h->stage = (int)x->col_int64(q, 1);
    x->col_text(q, 2, h->at, sizeof h->at);
    x->col_text(q, 3, h->actor, sizeof h->actor);
    x->col_text(q, 4, h->role, sizeof h->role);
    x->col_text(q, 5, h->reason, sizeof h->reason);
}

static int b_history(struct store *st, long long app_id,
                     int (*cb)(void *ctx, const struct bed_hist *h), void *ctx)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, sql.history);
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, app_id);
    struct sql_rows rs = {.size = sizeof(struct bed_hist)};
    int err = sql_rows(x, q, read_hist, &rs, "reading an application's history");
    const struct bed_hist *hs = rs.rows;
    for (int i = 0; i < rs.n && !err; i++)
        err = cb(ctx, &hs[i]);
    sql_rows_free(&rs);
    return err;
}

static int b_person_add(struct store *st, long long app_id, int kind, const unsigned char hash[32])
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, sql.person_add);
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, app_id);
    x->bind_int64(q, 2, kind);
    x->bind_blob(q, 3, hash, 32);
    return sql_done(x, q, "indexing an application");
}

static int b_unindexed(struct store *st, long long after_id, int n, bed_row_cb cb, void *ctx)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, sql.unindexed);
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, after_id);
    x->bind_int64(q, 2, n);
    struct sql_rows rs = {.size = sizeof(struct bed_row)};
    int err = each_app(x, q, &rs, cb, ctx, "indexing applications");
    sql_rows_free(&rs);
    return err;
}

static int b_clear(struct store *st) { return X(st)->exec(st, sql.clear, "clearing applications"); }

const struct bed_store_ops bed_engine_ops = {
    .insert = b_insert,
    .get = b_get,
    .update = b_update,
    .by_hash = b_by_hash,
    .list = b_list,
    .person_search = b_person_search,
    .work_counts = b_work_counts,
    .history_add = b_history_add,
    .history = b_history,
    .clear = b_clear,
    .person_add = b_person_add,
    .unindexed = b_unindexed,
};
