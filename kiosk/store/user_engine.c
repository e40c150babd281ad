/* user_engine.c — staff accounts and organisations (struct user_store_ops,
 * kiosk/auth.h), written once for every backend over the SQL executor
 * (sql_exec.h); tables of 002_staff.sql (SQLite) and step 2 of
 * store_pg_schema.c (PostgreSQL).  An organisation id of 0 is stored as
 * NULL (a foreign key).  Listing copies the accounts out of the statement
 * before the callbacks run, so they may use the store, and wipes the
 * copies' password hashes afterwards. */
#include <stdlib.h>
#include <string.h>

#include "kiosk/auth.h"
#include "kiosk/err.h"
#include "kiosk/store/row_seal.h"
#include "kiosk/store/store_engine.h"

#define X(st) sql_of(st)

#define STAFF_COLS "id, name, pwhash, roles, COALESCE(org_id, 0), disabled, failed_logins, " \
                   "locked_until, created_at, last_login, street"

/* Every statement of this store. */
static const struct {
    const char *get, *get_by_id, *insert, *update, *each, *org_get, *org_by_name, *org_ensure;
} sql = {
    .get = "SELECT " STAFF_COLS " FROM staff WHERE name = $1",
    .get_by_id = "SELECT " STAFF_COLS " FROM staff WHERE id = $1",
    .insert = "INSERT INTO staff (name, pwhash, roles, org_id, disabled, failed_logins, "
              "locked_until, created_at, last_login, street) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
              "RETURNING id",
    .update = "UPDATE staff SET pwhash = $2, roles = $3, org_id = $4, disabled = $5, "
              "failed_logins = $6, locked_until = $7, last_login = $8, street = $9 WHERE id = $1",
    .each = "SELECT " STAFF_COLS " FROM staff ORDER BY name",
    .org_get = "SELECT id, name, phone FROM org WHERE id = $1",
    .org_by_name = "SELECT id, name, phone FROM org WHERE name = $1",
    /* one statement finds or creates: the row comes back either way */
    .org_ensure = "INSERT INTO org (name, phone) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE "
                  "SET phone = CASE WHEN excluded.phone <> '' THEN excluded.phone "
                  "ELSE org.phone END RETURNING id, name, phone",
};

static void read_staff(const struct sql_exec_ops *x, struct sql_stmt *q, void *row)
{
    struct staff_row *u = row;
    memset(u, 0, sizeof *u);
    u->id = (long)x->col_int64(q, 0);
    x->col_text(q, 1, u->name, sizeof u->name);
    x->col_text(q, 2, u->pwhash, sizeof u->pwhash);
    u->roles = (unsigned)x->col_int64(q, 3);
    u->org_id = (long)x->col_int64(q, 4);
    u->disabled = x->col_int64(q, 5) != 0;
    u->failed_logins = (int)x->col_int64(q, 6);
    x->col_text(q, 7, u->locked_until, sizeof u->locked_until);
    x->col_text(q, 8, u->created_at, sizeof u->created_at);
    x->col_text(q, 9, u->last_login, sizeof u->last_login);
    x->col_text(q, 10, u->street, sizeof u->street);
}

/* q (bound) yields at most one account. */
static int one_staff(const struct sql_exec_ops *x, struct sql_stmt *q, struct staff_row *out)
{
    int rc = x->step(q, "reading staff");
    if (rc == SQL_ROW)
        read_staff(x, q, out);
    x->reset(q);
    return rc == SQL_ROW ? 0 : rc == SQL_DONE ? KERR_NOTFOUND : rc;
}

static int u_get(struct store *st, const char *name, struct staff_row *out)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, sql.get);
    if (!q)
        return KERR_DB;
    x->bind_text(q, 1, name);
    return one_staff(x, q, out);
}

static int u_get_by_id(struct store *st, long id, struct staff_row *out)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, sql.get_by_id);
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, id);
    return one_staff(x, q, out);
}

/* $2…$7 of both insert and update: what an account holds besides its
 * name, id and times. */
static void bind_account(const struct sql_exec_ops *x, struct sql_stmt *q,
                         const struct staff_row *u)
{
    x->bind_text(q, 2, u->pwhash);
    x->bind_int64(q, 3, (long long)u->roles);
    if (u->org_id > 0)
        x->bind_int64(q, 4, u->org_id);
    else
        x->bind_null(q, 4);
    x->bind_int64(q, 5, u->disabled);
    x->bind_int64(q, 6, u->failed_logins);
    x->bind_text(q, 7, u->locked_until);
}

static int u_insert(struct store *st, struct staff_row *u)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, sql.insert);
    if (!q)
        return KERR_DB;
    x->bind_text(q, 1, u->name);
    bind_account(x, q, u);
    x->bind_text(q, 8, u->created_at);
    x->bind_text(q, 9, u->last_login);
    x->bind_text(q, 10, u->street);
    long long id = 0;
    int err = sql_int(x, q, 0, &id, "adding a staff account");
    if (err == KERR_EXISTS)
        return kerr(KERR_EXISTS, "user %s already exists", u->name);
    if (err)
        return err;
    if (id <= 0)
        return kerr(KERR_DB, "adding staff account %s returned no id", u->name);
    u->id = (long)id;
    return row_seal_refresh(st, ROW_STAFF, id);
}

static int u_update(struct store *st, const struct staff_row *u)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, sql.update);
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, u->id);
    bind_account(x, q, u);
    x->bind_text(q, 8, u->last_login);
    x->bind_text(q, 9, u->street);
    int err = sql_done(x, q, "updating a staff account");
    if (!err && x->changes(q) != 1)
        return kerr(KERR_NOTFOUND, "staff account %ld is gone", u->id);
    return err ? err : row_seal_refresh(st, ROW_STAFF, u->id);
}

/* Staff are a few hundred accounts at most: one read, no paging. */
static int u_each(struct store *st, int (*cb)(void *ctx, const struct staff_row *u), void *ctx)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, sql.each);
    if (!q)
        return KERR_DB;
    struct sql_rows rs = {.size = sizeof(struct staff_row)};
    int err = sql_rows(x, q, read_staff, &rs, "listing staff");
    const struct staff_row *us = rs.rows;
    for (int i = 0; i < rs.n && !err; i++)
        err = cb(ctx, &us[i]);
    sql_rows_free(&rs);   /* wipes the copies' password hashes */
    return err;
}

/* q (bound) yields at most one organisation. */
static int one_org(const struct sql_exec_ops *x, struct sql_stmt *q, struct org_row *out,
                   const char *what)
{
    int rc = x->step(q, what);
    if (rc == SQL_ROW) {
        out->id = (long)x->col_int64(q, 0);
        x->col_text(q, 1, out->name, sizeof out->name);
        x->col_text(q, 2, out->phone, sizeof out->phone);
    }
    x->reset(q);
    return rc == SQL_ROW ? 0 : rc == SQL_DONE ? KERR_NOTFOUND : rc;
}

static int o_get(struct store *st, long id, struct org_row *out)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, sql.org_get);
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, id);
    return one_org(x, q, out, "reading an organisation");
}

static int o_by_name(struct store *st, const char *name, struct org_row *out)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, sql.org_by_name);
    if (!q)
        return KERR_DB;
    x->bind_text(q, 1, name);
    return one_org(x, q, out, "reading an organisation");
}

static int o_ensure(struct store *st, const char *name, const char *phone, struct org_row *out)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, sql.org_ensure);
    if (!q)
        return KERR_DB;
    x->bind_text(q, 1, name);
    x->bind_text(q, 2, phone);
    int err = one_org(x, q, out, "saving an organisation");
    /* RETURNING yields the row whether inserted or updated: none is a fault */
    return err == KERR_NOTFOUND ? kerr(KERR_DB, "saving organisation %s returned no row", name)
                                : err;
}

const struct user_store_ops user_engine_ops = {
    .get = u_get,
    .get_by_id = u_get_by_id,
    .insert = u_insert,
    .update = u_update,
    .each = u_each,
    .org_get = o_get,
    .org_by_name = o_by_name,
    .org_ensure = o_ensure,
};
