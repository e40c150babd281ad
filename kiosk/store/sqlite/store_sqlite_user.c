/* store_sqlite_user.c — the SQLite side of staff accounts and organisations
 * (struct user_store_ops, kiosk/auth.h; tables of 002_staff.sql). */
#include <string.h>

#include "kiosk/auth.h"
#include "kiosk/err.h"
#include "kiosk/store/sqlite/store_sqlite.h"

#define STAFF_COLS "id, name, pwhash, roles, COALESCE(org_id, 0), disabled, failed_logins, " \
                   "locked_until, created_at, last_login"

static void staff_row_of(sqlite3_stmt *q, struct staff_row *u)
{
    memset(u, 0, sizeof *u);
    u->id = (long)sqlite3_column_int64(q, 0);
    sq_text(q, 1, u->name, sizeof u->name);
    sq_text(q, 2, u->pwhash, sizeof u->pwhash);
    u->roles = (unsigned)sqlite3_column_int(q, 3);
    u->org_id = (long)sqlite3_column_int64(q, 4);
    u->disabled = sqlite3_column_int(q, 5) != 0;
    u->failed_logins = sqlite3_column_int(q, 6);
    sq_text(q, 7, u->locked_until, sizeof u->locked_until);
    sq_text(q, 8, u->created_at, sizeof u->created_at);
    sq_text(q, 9, u->last_login, sizeof u->last_login);
}

static int one_staff(struct sqlite_store *s, sqlite3_stmt *q, struct staff_row *out)
{
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        staff_row_of(q, out);
    sqlite3_reset(q);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? KERR_NOTFOUND : sq_fail(s, "reading staff");
}

static int u_get(struct store *st, const char *name, struct staff_row *out)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "SELECT " STAFF_COLS " FROM staff WHERE name = ?1");
    if (!q)
        return KERR_DB;
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    return one_staff(s, q, out);
}

static int u_get_by_id(struct store *st, long id, struct staff_row *out)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "SELECT " STAFF_COLS " FROM staff WHERE id = ?1");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int64(q, 1, id);
    return one_staff(s, q, out);
}

static void bind_org(sqlite3_stmt *q, int col, long org_id)
{
    if (org_id > 0)
        sqlite3_bind_int64(q, col, org_id);
    else
        sqlite3_bind_null(q, col);
}

static int u_insert(struct store *st, struct staff_row *u)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "INSERT INTO staff (name, pwhash, roles, org_id, disabled, "
                                 "failed_logins, locked_until, created_at, last_login) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!q)
        return KERR_DB;
    sqlite3_bind_text(q, 1, u->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, u->pwhash, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 3, (int)u->roles);
    bind_org(q, 4, u->org_id);
    sqlite3_bind_int(q, 5, u->disabled);
    sqlite3_bind_int(q, 6, u->failed_logins);
    sqlite3_bind_text(q, 7, u->locked_until, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 8, u->created_at, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 9, u->last_login, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc == SQLITE_CONSTRAINT)
        return kerr(KERR_EXISTS, "user %s already exists", u->name);
    if (rc != SQLITE_DONE)
        return sq_fail(s, "adding a staff account");
    u->id = (long)sqlite3_last_insert_rowid(s->db);
    return 0;
}

static int u_update(struct store *st, const struct staff_row *u)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "UPDATE staff SET pwhash = ?2, roles = ?3, org_id = ?4, "
                                 "disabled = ?5, failed_logins = ?6, locked_until = ?7, "
                                 "last_login = ?8 WHERE id = ?1");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int64(q, 1, u->id);
    sqlite3_bind_text(q, 2, u->pwhash, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 3, (int)u->roles);
    bind_org(q, 4, u->org_id);
    sqlite3_bind_int(q, 5, u->disabled);
    sqlite3_bind_int(q, 6, u->failed_logins);
    sqlite3_bind_text(q, 7, u->locked_until, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 8, u->last_login, -1, SQLITE_STATIC);
    int err = sq_done(s, q, "updating a staff account");
    if (!err && sqlite3_changes(s->db) != 1)
        return kerr(KERR_NOTFOUND, "staff account %ld is gone", u->id);
    return err;
}

static int u_each(struct store *st, int (*cb)(void *ctx, const struct staff_row *u), void *ctx)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = NULL;
    /* not cached: the callback may use the store */
    if (sqlite3_prepare_v2(s->db, "SELECT " STAFF_COLS " FROM staff ORDER BY name", -1, &q,
                           NULL) != SQLITE_OK)
        return sq_fail(s, "listing staff");
    int rc, err = 0;
    struct staff_row u;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        staff_row_of(q, &u);
        if ((err = cb(ctx, &u)))
            break;
    }
    if (!err && rc != SQLITE_DONE)
        err = sq_fail(s, "listing staff");
    sqlite3_finalize(q);
    memset(u.pwhash, 0, sizeof u.pwhash);
    return err;
}

static int one_org(struct sqlite_store *s, sqlite3_stmt *q, struct org_row *out)
{
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        out->id = (long)sqlite3_column_int64(q, 0);
        sq_text(q, 1, out->name, sizeof out->name);
        sq_text(q, 2, out->phone, sizeof out->phone);
    }
    sqlite3_reset(q);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? KERR_NOTFOUND : sq_fail(s, "reading org");
}

static int o_get(struct store *st, long id, struct org_row *out)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "SELECT id, name, phone FROM org WHERE id = ?1");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int64(q, 1, id);
    return one_org(s, q, out);
}

static int o_by_name(struct store *st, const char *name, struct org_row *out)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "SELECT id, name, phone FROM org WHERE name = ?1");
    if (!q)
        return KERR_DB;
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    return one_org(s, q, out);
}

static int o_ensure(struct store *st, const char *name, const char *phone, struct org_row *out)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "INSERT INTO org (name, phone) VALUES (?1, ?2) "
                                 "ON CONFLICT(name) DO UPDATE SET phone = "
                                 "CASE WHEN excluded.phone <> '' THEN excluded.phone ELSE phone END");
    if (!q)
        return KERR_DB;
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, phone, -1, SQLITE_STATIC);
    int err = sq_done(s, q, "saving an organisation");
    return err ? err : o_by_name(st, name, out);
}

const struct user_store_ops sqlite_user_ops = {
    .get = u_get,
    .get_by_id = u_get_by_id,
    .insert = u_insert,
    .update = u_update,
    .each = u_each,
    .org_get = o_get,
    .org_by_name = o_by_name,
    .org_ensure = o_ensure,
};

