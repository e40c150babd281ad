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

int sql_rows(const struct sql_exec_ops *x, struct sql_stmt *q, size_t size, sql_row_reader read,
             void **rows, int *n, const char *what)
{
    unsigned char *buf = NULL;
    int cap = 0, rc, err = 0;
    *rows = NULL;
    *n = 0;
    while ((rc = x->step(q, what)) == SQL_ROW) {
        if (*n == cap) {
            int ncap = cap ? cap * 2 : 8;
            unsigned char *nb = realloc(buf, size * (size_t)ncap);
            if (!nb) {
                err = kerr(KERR_NOMEM, "%s: %d rows", what, *n);
                break;
            }
            buf = nb;
            cap = ncap;
        }
        void *row = buf + size * (size_t)*n;
        memset(row, 0, size);
        read(x, q, row);
        (*n)++;
    }
    x->reset(q);
    if (!err && rc < 0)
        err = rc;
    if (err) {
        if (buf)   /* rows may hold secrets (password hashes): never leave them in freed memory */
            explicit_bzero(buf, size * (size_t)*n);
        free(buf);
        *n = 0;
        return err;
    }
    *rows = buf;
    return 0;
}
