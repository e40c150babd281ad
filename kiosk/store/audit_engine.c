/* audit_engine.c — the audit table as stored (store_ops.audit_append,
 * audit_last, audit_each, audit_lane_last, audit_walk; kiosk/audit.c
 * computes the hash chains), written once for every backend over the SQL
 * executor (sql_exec.h).  The trail is read in keyset pages — by seq for
 * readers, by (lane, lane_seq) for the chain walk — copied out of the
 * statement before the callbacks run: a long trail never sits in memory
 * whole, and a callback may use the store.  (PostgreSQL also refuses UPDATE, DELETE and TRUNCATE
 * on the table in a trigger: store_pg_schema.c.) */
#include <stdlib.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/store/store_engine.h"

#define AUDIT_PAGE 256   /* records per page (a record is ~800 bytes) */

#define AUDIT_COLS AUDIT_ENGINE_COLS

static const struct {
    const char *append, *last, *page, *lane_last, *walk;
} sql = {
    .append = "INSERT INTO audit (" AUDIT_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    .last = "SELECT " AUDIT_COLS " FROM audit ORDER BY seq DESC LIMIT 1",
    .page = "SELECT " AUDIT_COLS " FROM audit WHERE seq >= $1 ORDER BY seq LIMIT $2",
    /* both on the unique index audit_lane (lane, lane_seq) */
    .lane_last = "SELECT " AUDIT_COLS " FROM audit WHERE lane = $1::integer "
                 "ORDER BY lane_seq DESC LIMIT 1",
    /* every row, whatever its lane (a row put in a lane no writer uses is
     * seen too): keyset on (lane, lane_seq) */
    .walk = "SELECT " AUDIT_COLS " FROM audit WHERE (lane, lane_seq) > ($1::integer, $2::bigint) "
            "ORDER BY lane, lane_seq LIMIT $3",
};

void audit_engine_bind(const struct sql_exec_ops *x, struct sql_stmt *q, const struct audit_rec *r)
{
    x->bind_int64(q, 1, r->seq);
    x->bind_text(q, 2, r->at);
    x->bind_text(q, 3, r->actor);
    x->bind_text(q, 4, r->action);
    x->bind_text(q, 5, r->object);
    x->bind_text(q, 6, r->detail);
    x->bind_blob(q, 7, r->hash, sizeof r->hash);
    x->bind_int64(q, 8, r->lane);
    x->bind_int64(q, 9, r->lane_seq);
}

int audit_engine_append(struct store *st, const struct audit_rec *r)
{
    const struct sql_exec_ops *x = sql_of(st);
    struct sql_stmt *q = x->prepare(st, sql.append);
    if (!q)
        return KERR_DB;
    audit_engine_bind(x, q, r);
    return sql_done(x, q, "appending to the audit trail");
}

void audit_engine_read_rec(const struct sql_exec_ops *x, struct sql_stmt *q, void *row)
{
    struct audit_rec *r = row;
    memset(r, 0, sizeof *r);
    r->seq = x->col_int64(q, 0);
    x->col_text(q, 1, r->at, sizeof r->at);
    x->col_text(q, 2, r->actor, sizeof r->actor);
    x->col_text(q, 3, r->action, sizeof r->action);
    x->col_text(q, 4, r->object, sizeof r->object);
    x->col_text(q, 5, r->detail, sizeof r->detail);
    x->col_blob(q, 6, r->hash, sizeof r->hash);
    r->lane = (int)x->col_int64(q, 7);
    r->lane_seq = x->col_int64(q, 8);
}

/* The one row of q (bound), or NOTFOUND. */
static int one_rec(const struct sql_exec_ops *x, struct sql_stmt *q, struct audit_rec *r)
{
    int rc = x->step(q, "reading audit");
    if (rc == SQL_ROW)
        audit_engine_read_rec(x, q, r);
    x->reset(q);
    return rc == SQL_ROW ? 0 : rc == SQL_DONE ? KERR_NOTFOUND : rc;
}

int audit_engine_last(struct store *st, struct audit_rec *r)
{
    const struct sql_exec_ops *x = sql_of(st);
    struct sql_stmt *q = x->prepare(st, sql.last);
    return q ? one_rec(x, q, r) : KERR_DB;
}

int audit_engine_lane_last(struct store *st, int lane, struct audit_rec *r)
{
    const struct sql_exec_ops *x = sql_of(st);
    struct sql_stmt *q = x->prepare(st, sql.lane_last);
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, lane);
    return one_rec(x, q, r);
}

/* Page through the trail: by seq from `from` (walk = 0), or by (lane,
 * lane_seq) after the first record's key (walk = 1), AUDIT_PAGE at a time. */
static int pages(struct store *st, int walk, long long from,
                 int (*cb)(void *ctx, const struct audit_rec *rec), void *ctx)
{
    const struct sql_exec_ops *x = sql_of(st);
    struct sql_rows page = {.size = sizeof(struct audit_rec)};
    long long next = from, lane = -2147483647LL - 1;
    int err = 0;
    do {
        struct sql_stmt *q = x->prepare(st, walk ? sql.walk : sql.page);
        if (!q) {
            err = KERR_DB;
            break;
        }
        int i = 1;
        if (walk)
            x->bind_int64(q, i++, lane);
        x->bind_int64(q, i++, next);
        x->bind_int64(q, i, AUDIT_PAGE);
        if ((err = sql_rows(x, q, audit_engine_read_rec, &page, "reading audit")))
            break;
        const struct audit_rec *recs = page.rows;
        for (int k = 0; k < page.n && !err; k++)
            err = cb(ctx, &recs[k]);
        if (page.n && walk) {
            lane = recs[page.n - 1].lane;
            next = recs[page.n - 1].lane_seq;
        } else if (page.n) {
            next = recs[page.n - 1].seq + 1;
        }
    } while (!err && page.n == AUDIT_PAGE);
    sql_rows_free(&page);
    return err;
}

int audit_engine_each(struct store *st, long long from_seq,
                      int (*cb)(void *ctx, const struct audit_rec *rec), void *ctx)
{
    return pages(st, 0, from_seq, cb, ctx);
}

int audit_engine_walk(struct store *st, int (*cb)(void *ctx, const struct audit_rec *rec),
                      void *ctx)
{
    return pages(st, 1, -9223372036854775807LL - 1, cb, ctx);
}
