/* meta_engine.c — the store's key/value metadata (store_ops.meta_get,
 * meta_set: site name, import markers, …), written once for every backend
 * over the SQL executor (sql_exec.h); table meta of 001 (SQLite) and step 1
 * of store_pg_schema.c (PostgreSQL). */
#include "kiosk/err.h"
#include "kiosk/store/store_engine.h"

static const struct {
    const char *get, *set;
} sql = {
    .get = "SELECT value FROM meta WHERE key = $1",
    .set = "INSERT INTO meta (key, value) VALUES ($1, $2) "
           "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
};

int meta_engine_get(struct store *st, const char *key, char *out, size_t cap)
{
    const struct sql_exec_ops *x = sql_of(st);
    struct sql_stmt *q = x->prepare(st, sql.get);
    if (!q)
        return KERR_DB;
    x->bind_text(q, 1, key);
    int rc = x->step(q, "reading meta");
    if (rc == SQL_ROW)
        x->col_text(q, 0, out, cap);
    x->reset(q);
    return rc == SQL_ROW ? 0 : rc == SQL_DONE ? KERR_NOTFOUND : rc;
}

int meta_engine_set(struct store *st, const char *key, const char *value)
{
    const struct sql_exec_ops *x = sql_of(st);
    struct sql_stmt *q = x->prepare(st, sql.set);
    if (!q)
        return KERR_DB;
    x->bind_text(q, 1, key);
    x->bind_text(q, 2, value);
    return sql_done(x, q, "writing meta");
}
