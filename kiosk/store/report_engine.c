/* report_engine.c — the reads behind the staff reports and the filtered
 * audit browser (report_store.h), one SQL text per read for SQLite and
 * PostgreSQL alike (sql_exec.h: `$n::type` casts on parameters, CAST() on
 * results, integer results as bigint).
 *
 * Cost at a million households (docs/design.md "Measured"): allocations
 * read housed_month (12 rows per programme); the queue's history reads the
 * publications; the wait distribution counts index ranges of the covering
 * index entry_wait (011), one per programme and year band; the bed
 * reads walk bed_app / bed_history, which are thousands, not millions. */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/store/report_store.h"
#include "kiosk/store/sql_exec.h"
#include "kiosk/store/store_engine.h"

static const char *const rep_sql[RQ__COUNT] = {
    [RQ_ALLOC] = "SELECT program_id, 0, month, CAST('' AS text), CAST(n AS bigint) FROM housed_month "
                 "WHERE month >= $1 ORDER BY program_id, month",
    [RQ_PUBS] = "SELECT program_id, id, at, CAST('' AS text), CAST(total AS bigint) FROM publication "
                "ORDER BY program_id, id DESC",
    /* $1 a street ("" all): one street's applications by bed_app_street (014) */
    [RQ_FUNNEL] = "SELECT stage, 0, CAST('' AS text), CAST('' AS text), "
                  "CAST(count(DISTINCT app_id) AS bigint) FROM bed_history "
                  "WHERE ($1::text = '' OR app_id IN (SELECT id FROM bed_app WHERE street = $1::text)) "
                  "GROUP BY stage ORDER BY stage",
    [RQ_HISTORY] = "SELECT app_id, stage, at, CAST('' AS text), 0 FROM bed_history "
                   "WHERE ($1::text = '' OR app_id IN (SELECT id FROM bed_app WHERE street = $1::text)) "
                   "ORDER BY app_id, id",
    [RQ_OPEN] = "SELECT stage, 0, street, updated_at, 0 FROM bed_app "
                "WHERE ($1::text = '' OR street = $1::text) ORDER BY street, id",
};

static void read_raw(const struct sql_exec_ops *x, struct sql_stmt *q, void *row)
{
    struct rep_raw *r = row;
    memset(r, 0, sizeof *r);
    r->i0 = x->col_int64(q, 0);
    r->i1 = x->col_int64(q, 1);
    x->col_text(q, 2, r->t1, sizeof r->t1);
    x->col_text(q, 3, r->t2, sizeof r->t2);
    r->v = x->col_int64(q, 4);
}

int report_store_rows(struct store *st, enum rep_query qn, long long param_i, const char *param_t,
                      int (*cb)(void *ctx, const struct rep_raw *r), void *ctx)
{
    if (qn < 0 || qn >= RQ__COUNT)
        return kerr(KERR_INPUT, "report query %d: no such query", (int)qn);
    const struct sql_exec_ops *x = sql_of(st);
    struct sql_stmt *q = x->prepare(st, rep_sql[qn]);
    if (!q)
        return KERR_DB;
    (void)param_i;
    if (qn == RQ_ALLOC || qn == RQ_FUNNEL || qn == RQ_HISTORY || qn == RQ_OPEN)
        x->bind_text(q, 1, param_t ? param_t : "");
    struct sql_rows rows = {.size = sizeof(struct rep_raw)};
    int err = sql_rows(x, q, read_raw, &rows, "reading a report");
    const struct rep_raw *r = rows.rows;
    for (int i = 0; i < rows.n && !err; i++)
        err = cb(ctx, &r[i]);
    sql_rows_free(&rows);
    return err;
}

static const char waiting_between_sql[] =
    "SELECT CAST(count(*) AS bigint) FROM entry WHERE status = 0 AND program_id = $1::integer "
    "AND wait_since > $2::bigint AND wait_since <= $3::bigint";

int report_store_waiting_between(struct store *st, int program_id, long long lo, long long hi,
                                 long long *n)
{
    const struct sql_exec_ops *x = sql_of(st);
    struct sql_stmt *q = x->prepare(st, waiting_between_sql);
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    x->bind_int64(q, 2, lo);
    x->bind_int64(q, 3, hi);
    return sql_int(x, q, 0, n, "counting waiting households");
}

/* ---- the audit browser ------------------------------------------------------------ */

/* The filters every variant applies; $1 seq bound, $2 actor, $3 action,
 * $4 since, $5 day after until, $6 limit, $7…$12 object texts. */
#define AUDIT_COLS AUDIT_ENGINE_COLS
#define AUDIT_REST                                                                     \
    " seq < $1::bigint AND ($2 = '' OR actor = $2) AND ($3 = '' OR action = $3)"       \
    " AND ($4 = '' OR at >= $4) AND ($5 = '' OR at < $5)"                              \
    " ORDER BY seq DESC LIMIT $6::bigint"

/* Chosen by the most selective filter set: its equality leads, so the
 * planner walks that index (audit_object, audit_actor, audit_action: each
 * (column, seq)) backwards from the page's bound. */
static const char *const audit_sql[] = {
    "SELECT " AUDIT_COLS " FROM audit WHERE object IN ($7, $8, $9, $10, $11, $12) AND" AUDIT_REST,
    "SELECT " AUDIT_COLS " FROM audit WHERE actor = $2 AND" AUDIT_REST,
    "SELECT " AUDIT_COLS " FROM audit WHERE action = $3 AND" AUDIT_REST,
    /* a date range alone: the range of audit_at (at, seq), walked backwards from
     * the page's bound ($7, $1) — a row-value comparison both engines take */
    "SELECT " AUDIT_COLS " FROM audit WHERE at >= $4 AND at < $5 AND (at, seq) < ($7, $1::bigint)"
    " AND ($2 = '' OR actor = $2) AND ($3 = '' OR action = $3)"
    " ORDER BY at DESC, seq DESC LIMIT $6::bigint",
    "SELECT " AUDIT_COLS " FROM audit WHERE" AUDIT_REST,
};

/* "YYYY-MM-DD" → the next day, so `until` takes its whole day; "" stays "". */
static int day_after(const char *day, char out[16])
{
    out[0] = '\0';
    if (!day[0])
        return 0;
    int y, m, d;
    char tail;
    if (strlen(day) != 10 || sscanf(day, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 ||
        m > 12 || d < 1 || d > 31)
        return kerr(KERR_INPUT, "until %s: not a date (YYYY-MM-DD)", day);
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int len = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    if (d > len)
        return kerr(KERR_INPUT, "until %s: no such day", day);
    if (++d > len) {
        d = 1;
        if (++m > 12) {
            m = 1;
            y++;
        }
    }
    snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
    return 0;
}

int report_store_audit(struct store *st, const struct audit_filter *f, const struct audit_bound *b,
                       int limit, int (*cb)(void *ctx, const struct audit_rec *r), void *ctx)
{
    char until[16];
    int err = day_after(f->until, until);
    if (err)
        return err;
    bool dates = f->since[0] || f->until[0];
    int v = f->n_object > 0 ? 0 : f->actor[0] ? 1 : f->action[0] ? 2 : dates ? 3 : 4;
    const struct sql_exec_ops *x = sql_of(st);
    struct sql_stmt *q = x->prepare(st, audit_sql[v]);
    if (!q)
        return KERR_DB;
    /* the date walk needs both ends: before any record and after every one
     * ("0" and "9" sort before and after any "YYYY-MM-DD…" on both engines) */
    x->bind_int64(q, 1, b ? b->seq : LLONG_MAX);
    x->bind_text(q, 2, f->actor);
    x->bind_text(q, 3, f->action);
    x->bind_text(q, 4, v == 3 && !f->since[0] ? "0" : f->since);
    x->bind_text(q, 5, v == 3 && !until[0] ? "9" : until);
    x->bind_int64(q, 6, limit);
    if (v == 3)
        x->bind_text(q, 7, b ? b->at : "9");
    /* unused object slots repeat the first text: IN () needs no NULL handling */
    for (int i = 0; v == 0 && i < AUDIT_OBJ_ALT; i++)
        x->bind_text(q, 7 + i, f->object[i < f->n_object ? i : 0]);
    struct sql_rows rows = {.size = sizeof(struct audit_rec)};
    err = sql_rows(x, q, audit_engine_read_rec, &rows, "reading the audit trail");
    const struct audit_rec *r = rows.rows;
    for (int i = 0; i < rows.n && !err; i++)
        err = cb(ctx, &r[i]);
    sql_rows_free(&rows);
    return err;
}
