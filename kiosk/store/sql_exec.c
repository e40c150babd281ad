/* sql_exec.c — small helpers over the SQL executor (sql_exec.h) that every
 * store file would otherwise repeat: nullable integers, run-for-effect and
 * single-integer queries, short results copied out of the statement. */
#include "kiosk/store/sql_exec.h"

#include <stdlib.h>
#include <string.h>

#include "kiosk/err.h"

#include "kiosk/queue_types.h"
#include "kiosk/store/store.h"

const struct sql_exec_ops *sql_of(struct store *st) { return st->ops->sql; }

void sql_bind_key(const struct sql_exec_ops *x, struct sql_stmt *q, int i, int64_t v)
{
    if (v == NONE_I64)
        x->bind_null(q, i);
    else
        x->bind_int64(q, i, (long long)v);
}

int64_t sql_col_key(const struct sql_exec_ops *x, struct sql_stmt *q, int col)
{
    return x->col_isnull(q, col) ? NONE_I64 : (int64_t)x->col_int64(q, col);
}

int sql_done(const struct sql_exec_ops *x, struct sql_stmt *q, const char *what)
{
    int rc;
    while ((rc = x->step(q, what)) == SQL_ROW)
        ;
    x->reset(q);
    return rc < 0 ? rc : 0;
}

int sql_int(const struct sql_exec_ops *x, struct sql_stmt *q, long long dflt, long long *v,
            const char *what)
{
    int rc = x->step(q, what);
    if (rc == SQL_ROW)
        *v = x->col_isnull(q, 0) ? dflt : x->col_int64(q, 0);
    else if (rc == SQL_DONE)
        *v = dflt;
    x->reset(q);
    return rc < 0 ? rc : 0;
}

int sql_rows(const struct sql_exec_ops *x, struct sql_stmt *q, sql_row_reader read,
             struct sql_rows *r, const char *what)
{
    int rc, err = 0;
    r->n = 0;
    while ((rc = x->step(q, what)) == SQL_ROW) {
        if (r->n == r->cap) {
            int ncap = r->cap ? r->cap * 2 : 16;
            void *nb = realloc(r->rows, r->size * (size_t)ncap);
            if (!nb) {
                err = kerr(KERR_NOMEM, "%s: %d rows", what, r->n);
                break;
            }
            r->rows = nb;
            r->cap = ncap;
        }
        read(x, q, (unsigned char *)r->rows + r->size * (size_t)r->n);
        r->n++;
    }
    x->reset(q);
    if (!err && rc < 0)
        err = rc;
    if (err)
        r->n = 0;
    return err;
}

void sql_rows_free(struct sql_rows *r)
{
    if (r->rows)   /* rows may hold password hashes and sealed data: wipe before free */
        explicit_bzero(r->rows, r->size * (size_t)r->cap);
    free(r->rows);
    r->rows = NULL;
    r->n = r->cap = 0;
}
