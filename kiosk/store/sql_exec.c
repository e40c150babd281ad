/* sql_exec.c — small helpers over the SQL executor (sql_exec.h) that every
 * store file would otherwise repeat: nullable integers, run-for-effect and
 * single-integer queries. */
#include "kiosk/store/sql_exec.h"

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
