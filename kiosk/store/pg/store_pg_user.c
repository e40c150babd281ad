/* store_pg_user.c — the PostgreSQL side of staff accounts and organisations
 * (struct user_store_ops, kiosk/auth.h; step 2 of store_pg_schema.c).
 * Mirrors store_sqlite_user.c; an org id of 0 is NULL. */
#include <string.h>

#include "kiosk/auth.h"
#include "kiosk/err.h"
#include "kiosk/store/pg/store_pg.h"

#define STAFF_COLS "id, name, pwhash, roles, COALESCE(org_id, 0), disabled, failed_logins, " \
                   "locked_until, created_at, last_login"

static void staff_row_of(const PGresult *q, int i, struct staff_row *u)
{
    memset(u, 0, sizeof *u);
    u->id = (long)pg_int(q, i, 0);
    pg_str(q, i, 1, u->name, sizeof u->name);
    pg_str(q, i, 2, u->pwhash, sizeof u->pwhash);
    u->roles = (unsigned)pg_int(q, i, 3);
    u->org_id = (long)pg_int(q, i, 4);
    u->disabled = pg_int(q, i, 5) != 0;
    u->failed_logins = (int)pg_int(q, i, 6);
    pg_str(q, i, 7, u->locked_until, sizeof u->locked_until);
    pg_str(q, i, 8, u->created_at, sizeof u->created_at);
    pg_str(q, i, 9, u->last_login, sizeof u->last_login);
}

static int one_staff(struct store *st, const char *sql, const struct pg_params *p,
                     struct staff_row *out)
{
    int err;
    PGresult *q = pg_run(pgs(st), sql, p, "reading staff", &err);
    if (!q)
        return err;
    if (PQntuples(q) == 1)
        staff_row_of(q, 0, out);
    else
        err = KERR_NOTFOUND;
    PQclear(q);
    return err;
}

static int u_get(struct store *st, const char *name, struct staff_row *out)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_text(&p, name);
    return one_staff(st, "SELECT " STAFF_COLS " FROM staff WHERE name = $1", &p, out);
}

static int u_get_by_id(struct store *st, long id, struct staff_row *out)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, id);
    return one_staff(st, "SELECT " STAFF_COLS " FROM staff WHERE id = $1", &p, out);
}

static void staff_params(struct pg_params *p, const struct staff_row *u)
{
    pgp_text(p, u->pwhash);
    pgp_int(p, (long long)u->roles);
    if (u->org_id > 0)
        pgp_int(p, u->org_id);
    else
        pgp_null(p);
    pgp_int(p, u->disabled);
    pgp_int(p, u->failed_logins);
    pgp_text(p, u->locked_until);
}

static int u_insert(struct store *st, struct staff_row *u)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_text(&p, u->name);
    staff_params(&p, u);
    pgp_text(&p, u->created_at);
    pgp_text(&p, u->last_login);
    int err;
    PGresult *q = pg_run(pgs(st), "INSERT INTO staff (name, pwhash, roles, org_id, disabled, "
                                  "failed_logins, locked_until, created_at, last_login) "
                                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id", &p,
                         "adding a staff account", &err);
    if (!q)
        return err == KERR_EXISTS ? kerr(KERR_EXISTS, "user %s already exists", u->name) : err;
    u->id = (long)pg_int(q, 0, 0);
    PQclear(q);
    return 0;
}

static int u_update(struct store *st, const struct staff_row *u)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, u->id);
    staff_params(&p, u);
    pgp_text(&p, u->last_login);
    int err;
    PGresult *q = pg_run(pgs(st), "UPDATE staff SET pwhash = $2, roles = $3, org_id = $4, "
                                  "disabled = $5, failed_logins = $6, locked_until = $7, "
                                  "last_login = $8 WHERE id = $1", &p,
                         "updating a staff account", &err);
    if (!q)
        return err;
    long long n = pg_changes(q);
    PQclear(q);
    return n == 1 ? 0 : kerr(KERR_NOTFOUND, "staff account %ld is gone", u->id);
}

static int u_each(struct store *st, int (*cb)(void *ctx, const struct staff_row *u), void *ctx)
{
    int err;
    PGresult *q = pg_run(pgs(st), "SELECT " STAFF_COLS " FROM staff ORDER BY name", NULL,
                         "listing staff", &err);
    if (!q)
        return err;
    struct staff_row u;
    for (int i = 0; i < PQntuples(q) && !err; i++) {
        staff_row_of(q, i, &u);
        err = cb(ctx, &u);
    }
    PQclear(q);
    memset(u.pwhash, 0, sizeof u.pwhash);
    return err;
}

static int one_org(struct store *st, const char *sql, const struct pg_params *p,
                   struct org_row *out)
{
    int err;
    PGresult *q = pg_run(pgs(st), sql, p, "reading an organisation", &err);
    if (!q)
        return err;
    if (PQntuples(q) == 1) {
        out->id = (long)pg_int(q, 0, 0);
        pg_str(q, 0, 1, out->name, sizeof out->name);
        pg_str(q, 0, 2, out->phone, sizeof out->phone);
    } else {
        err = KERR_NOTFOUND;
    }
    PQclear(q);
    return err;
}

static int o_get(struct store *st, long id, struct org_row *out)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, id);
    return one_org(st, "SELECT id, name, phone FROM org WHERE id = $1", &p, out);
}

static int o_by_name(struct store *st, const char *name, struct org_row *out)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_text(&p, name);
    return one_org(st, "SELECT id, name, phone FROM org WHERE name = $1", &p, out);
}

static int o_ensure(struct store *st, const char *name, const char *phone, struct org_row *out)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_text(&p, name);
    pgp_text(&p, phone);
    return one_org(st, "INSERT INTO org (name, phone) VALUES ($1, $2) ON CONFLICT (name) DO "
                       "UPDATE SET phone = CASE WHEN excluded.phone <> '' THEN excluded.phone "
                       "ELSE org.phone END RETURNING id, name, phone", &p, out);
}

const struct user_store_ops pg_user_ops = {
    .get = u_get,
    .get_by_id = u_get_by_id,
    .insert = u_insert,
    .update = u_update,
    .each = u_each,
    .org_get = o_get,
    .org_by_name = o_by_name,
    .org_ensure = o_ensure,
};
