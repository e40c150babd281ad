/* store_pg_exec.c — the SQL executor (kiosk/store/sql_exec.h) on libpq.
 *
 * libpq has no row-stepping statement: a statement here is the prepared
 * "k<i>" (pg_stmt_index, cached by the SQL string's address), its bound
 * parameters (text for numbers and strings, binary for blobs, as pg_run
 * sends them), and, from the first step() on, its whole binary-format
 * result, which step() walks row by row.  reset() frees the result.
 * Callers page long results (keyset + LIMIT), so a result stays small. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/store/pg/store_pg.h"

static struct sql_stmt *x_prepare(struct store *st, const char *sql)
{
    struct pg_store *s = pgs(st);
    int err = 0;
    int i = pg_stmt_index(s, sql, &err);
    if (i < 0)
        return NULL;
    struct sql_stmt *q = &s->q[i];
    PQclear(q->res);
    q->s = s;
    q->idx = i;
    q->res = NULL;
    q->row = -1;
    q->n_rows = 0;
    q->changes = 0;
    for (int k = 0; k < q->p.n; k++)
        q->p.val[k] = NULL;     /* unbound → NULL */
    q->p.n = 0;
    return q;
}

/* Parameter slot i (1-based), growing the count over unbound ones (NULL). */
static int slot(struct sql_stmt *q, int i)
{
    if (i < 1 || i > PG_PARAMS_MAX) {
        /* the statements are fixed: this is a programming error */
        fprintf(stderr, "store_pg: parameter $%d out of range\n", i);
        abort();
    }
    while (q->p.n < i) {
        q->p.val[q->p.n] = NULL;
        q->p.len[q->p.n] = 0;
        q->p.fmt[q->p.n] = 0;
        q->p.n++;
    }
    return i - 1;
}

static void x_bind_int64(struct sql_stmt *q, int i, long long v)
{
    int k = slot(q, i);
    snprintf(q->p.num[k], sizeof q->p.num[k], "%lld", v);
    q->p.val[k] = q->p.num[k];
    q->p.len[k] = 0;
    q->p.fmt[k] = 0;
}

static void x_bind_text(struct sql_stmt *q, int i, const char *s)
{
    int k = slot(q, i);
    q->p.val[k] = s ? s : "";
    q->p.len[k] = 0;
    q->p.fmt[k] = 0;
}

static void x_bind_blob(struct sql_stmt *q, int i, const void *data, int len)
{
    int k = slot(q, i);
    /* binary: the bytes as they are; a zero-length value still needs a
     * non-NULL pointer or libpq sends SQL NULL */
    q->p.val[k] = len > 0 ? (const char *)data : "";
    q->p.len[k] = len;
    q->p.fmt[k] = 1;
}

static void x_bind_null(struct sql_stmt *q, int i)
{
    int k = slot(q, i);
    q->p.val[k] = NULL;
    q->p.len[k] = 0;
    q->p.fmt[k] = 0;
}

static int x_step(struct sql_stmt *q, const char *what)
{
    if (!q->res) {
        char name[16];
        snprintf(name, sizeof name, "k%d", q->idx);
        q->res = PQexecPrepared(q->s->conn, name, q->p.n, q->p.val, q->p.len, q->p.fmt, 1);
        ExecStatusType st = PQresultStatus(q->res);
        if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
            int err = pg_fail(q->s, q->res, what);
            PQclear(q->res);
            q->res = NULL;
            return err;
        }
        q->row = -1;
        q->n_rows = PQntuples(q->res);
        q->changes = pg_changes(q->res);
    }
    if (q->row + 1 < q->n_rows) {
        q->row++;
        return SQL_ROW;
    }
    return SQL_DONE;
}

static long long x_col_int64(struct sql_stmt *q, int col) { return pg_int(q->res, q->row, col); }

static bool x_col_isnull(struct sql_stmt *q, int col) { return pg_isnull(q->res, q->row, col); }

static void x_col_text(struct sql_stmt *q, int col, char *out, size_t cap)
{
    pg_str(q->res, q->row, col, out, cap);
}

static int x_col_blob(struct sql_stmt *q, int col, void *out, int cap)
{
    return pg_bytes(q->res, q->row, col, out, cap);
}

static long long x_changes(struct sql_stmt *q) { return q->changes; }

static void x_reset(struct sql_stmt *q)
{
    PQclear(q->res);
    q->res = NULL;
    q->row = -1;
    q->n_rows = 0;
}

static int x_exec(struct store *st, const char *sql, const char *what)
{
    return pg_exec(pgs(st), sql, what);
}

const struct sql_exec_ops pg_exec_ops = SQL_EXEC_OPS(x_);
