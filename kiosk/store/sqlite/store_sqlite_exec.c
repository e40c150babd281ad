/* store_sqlite_exec.c — the SQL executor (kiosk/store/sql_exec.h) on
 * SQLite: a thin layer over sqlite3_stmt.  Statements come from the
 * connection's cache (sq_cached, store_sqlite.c: cached by the SQL
 * string's address, `$n` rewritten to `?n`); text and blobs are bound
 * SQLITE_STATIC (the caller keeps them alive until reset). */
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/store/sqlite/store_sqlite.h"

static struct sql_stmt *x_prepare(struct store *st, const char *sql)
{
    return sq_cached(sq(st), sql);
}

static void x_bind_int64(struct sql_stmt *q, int i, long long v) { sqlite3_bind_int64(q->stmt, i, v); }

static void x_bind_text(struct sql_stmt *q, int i, const char *s)
{
    sqlite3_bind_text(q->stmt, i, s ? s : "", -1, SQLITE_STATIC);
}

static void x_bind_blob(struct sql_stmt *q, int i, const void *data, int len)
{
    /* a zero-length blob is still a blob (X''), not NULL */
    sqlite3_bind_blob(q->stmt, i, len > 0 ? data : "", len, SQLITE_STATIC);
}

static void x_bind_null(struct sql_stmt *q, int i) { sqlite3_bind_null(q->stmt, i); }

static int x_step(struct sql_stmt *q, const char *what)
{
    int rc = sqlite3_step(q->stmt);
    if (rc == SQLITE_ROW)
        return SQL_ROW;
    if (rc == SQLITE_DONE) {
        q->changes = sqlite3_changes(q->s->db);
        return SQL_DONE;
    }
    int ext = sqlite3_extended_errcode(q->s->db);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        return kerr(KERR_EXISTS, "%s: %s: %s", q->s->path, what, sqlite3_errmsg(q->s->db));
    return sq_fail(q->s, what);
}

static long long x_col_int64(struct sql_stmt *q, int col) { return sqlite3_column_int64(q->stmt, col); }

static bool x_col_isnull(struct sql_stmt *q, int col)
{
    return sqlite3_column_type(q->stmt, col) == SQLITE_NULL;
}

static void x_col_text(struct sql_stmt *q, int col, char *out, size_t cap) { sq_text(q->stmt, col, out, cap); }

static int x_col_blob(struct sql_stmt *q, int col, void *out, int cap)
{
    const void *b = sqlite3_column_blob(q->stmt, col);
    int n = sqlite3_column_bytes(q->stmt, col);
    if (n > cap)
        n = cap;
    if (n > 0)
        memcpy(out, b, (size_t)n);
    return n;
}

static long long x_changes(struct sql_stmt *q) { return q->changes; }

static void x_reset(struct sql_stmt *q) { sqlite3_reset(q->stmt); }

static int x_exec(struct store *st, const char *sql, const char *what)
{
    char *msg = NULL;
    if (sqlite3_exec(sq(st)->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int err = sq_fail(sq(st), what);
        sqlite3_free(msg);
        return err;
    }
    return 0;
}

const struct sql_exec_ops sqlite_exec_ops = SQL_EXEC_OPS(x_);
