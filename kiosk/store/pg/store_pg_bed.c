/* store_pg_bed.c — the PostgreSQL side of home-care-bed applications
 * (struct bed_store_ops, kiosk/bed_store.h; step 3 of store_pg_schema.c).
 * Mirrors store_sqlite_bed.c: hashes and sealed blobs go in and out as
 * binary bytea, ids as bigint; staff and organisation ids of 0 are NULL. */
#include <stdlib.h>
#include <string.h>

#include "kiosk/store/bed_store.h"
#include "kiosk/err.h"
#include "kiosk/store/pg/store_pg.h"

#define APP_COLS "id, ref, elder_hash, elder_sealed, agent_hash, agent_sealed, address_sealed, " \
                 "services, consent_at, kiosk_id, stage, submitted_at, updated_at, "           \
                 "COALESCE(provider_org_id, 0), COALESCE(built_by, 0), COALESCE(built_org_id, 0), " \
                 "COALESCE(accepted_by, 0), COALESCE(assessed_by, 0), assessment, assessed_at, " \
                 "reassess_due"

static void row_of(const PGresult *q, int i, struct bed_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = pg_int(q, i, 0);
    pg_str(q, i, 1, r->ref, sizeof r->ref);
    pg_bytes(q, i, 2, r->elder_hash, sizeof r->elder_hash);
    r->elder_sealed_len = pg_bytes(q, i, 3, r->elder_sealed, sizeof r->elder_sealed);
    r->has_agent = !pg_isnull(q, i, 4);
    if (r->has_agent) {
        pg_bytes(q, i, 4, r->agent_hash, sizeof r->agent_hash);
        r->agent_sealed_len = pg_bytes(q, i, 5, r->agent_sealed, sizeof r->agent_sealed);
    }
    r->address_sealed_len = pg_bytes(q, i, 6, r->address_sealed, sizeof r->address_sealed);
    r->services = (unsigned)pg_int(q, i, 7);
    pg_str(q, i, 8, r->consent_at, sizeof r->consent_at);
    pg_str(q, i, 9, r->kiosk_id, sizeof r->kiosk_id);
    r->stage = (int)pg_int(q, i, 10);
    pg_str(q, i, 11, r->submitted_at, sizeof r->submitted_at);
    pg_str(q, i, 12, r->updated_at, sizeof r->updated_at);
    r->provider_org_id = (long)pg_int(q, i, 13);
    r->built_by = (long)pg_int(q, i, 14);
    r->built_org_id = (long)pg_int(q, i, 15);
    r->accepted_by = (long)pg_int(q, i, 16);
    r->assessed_by = (long)pg_int(q, i, 17);
    if (!pg_isnull(q, i, 18))
        r->assessment_len = pg_bytes(q, i, 18, r->assessment, sizeof r->assessment);
    pg_str(q, i, 19, r->assessed_at, sizeof r->assessed_at);
    pg_str(q, i, 20, r->reassess_due, sizeof r->reassess_due);
}

static void pgp_id(struct pg_params *p, long id)
{
    if (id > 0)
        pgp_int(p, id);
    else
        pgp_null(p);
}

static int b_insert(struct store *st, struct bed_row *r)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_text(&p, r->ref);
    pgp_blob(&p, r->elder_hash, sizeof r->elder_hash);
    pgp_blob(&p, r->elder_sealed, r->elder_sealed_len);
    if (r->has_agent) {
        pgp_blob(&p, r->agent_hash, sizeof r->agent_hash);
        pgp_blob(&p, r->agent_sealed, r->agent_sealed_len);
    } else {
        pgp_null(&p);
        pgp_null(&p);
    }
    pgp_blob(&p, r->address_sealed, r->address_sealed_len);
    pgp_int(&p, (long long)r->services);
    pgp_text(&p, r->consent_at);
    pgp_text(&p, r->kiosk_id);
    pgp_int(&p, r->stage);
    pgp_text(&p, r->submitted_at);
    int err;
    PGresult *q = pg_run(pgs(st), "INSERT INTO bed_app (ref, elder_hash, elder_sealed, agent_hash, "
                                  "agent_sealed, address_sealed, services, consent, consent_at, "
                                  "kiosk_id, stage, submitted_at, updated_at) VALUES ($1, "
                                  "$2::bytea, $3::bytea, $4::bytea, $5::bytea, $6::bytea, $7, 1, "
                                  "$8, $9, $10, $11, $11) RETURNING id", &p,
                         "filing an application", &err);
    if (!q)
        return err == KERR_EXISTS ? kerr(KERR_EXISTS, "application reference %s already used", r->ref)
                                  : err;
    r->id = pg_int(q, 0, 0);
    PQclear(q);
    return 0;
}

static int b_get(struct store *st, const char *ref, struct bed_row *out)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_text(&p, ref);
    int err;
    PGresult *q = pg_run(pgs(st), "SELECT " APP_COLS " FROM bed_app WHERE ref = $1", &p,
                         "reading an application", &err);
    if (!q)
        return err;
    if (PQntuples(q) == 1)
        row_of(q, 0, out);
    else
        err = KERR_NOTFOUND;
    PQclear(q);
    return err;
}

static int b_update(struct store *st, const struct bed_row *r)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, r->id);
    pgp_int(&p, r->stage);
    pgp_text(&p, r->updated_at);
    pgp_id(&p, r->provider_org_id);
    pgp_id(&p, r->built_by);
    pgp_id(&p, r->built_org_id);
    pgp_id(&p, r->accepted_by);
    pgp_id(&p, r->assessed_by);
    if (r->assessment_len > 0)
        pgp_blob(&p, r->assessment, r->assessment_len);
    else
        pgp_null(&p);
    pgp_text(&p, r->assessed_at);
    pgp_text(&p, r->reassess_due);
    int err;
    PGresult *q = pg_run(pgs(st), "UPDATE bed_app SET stage = $2, updated_at = $3, "
                                  "provider_org_id = $4, built_by = $5, built_org_id = $6, "
                                  "accepted_by = $7, assessed_by = $8, assessment = $9::bytea, "
                                  "assessed_at = $10, reassess_due = $11 WHERE id = $1", &p,
                         "updating an application", &err);
    if (!q)
        return err;
    long long n = pg_changes(q);
    PQclear(q);
    return n == 1 ? 0 : kerr(KERR_NOTFOUND, "application %s is gone", r->ref);
}

static int each_row(struct store *st, const char *sql, const struct pg_params *p, bed_row_cb cb,
                    void *ctx, const char *what)
{
    int err;
    PGresult *q = pg_run(pgs(st), sql, p, what, &err);
    if (!q)
        return err;
    struct bed_row *r = malloc(sizeof *r);
    if (!r) {
        PQclear(q);
        return KERR_NOMEM;
    }
    for (int i = 0; i < PQntuples(q) && !err; i++) {
        row_of(q, i, r);
        err = cb(ctx, r);
    }
    PQclear(q);
    free(r);
    return err;
}

static int b_by_hash(struct store *st, const unsigned char hash[32], bed_row_cb cb, void *ctx)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_blob(&p, hash, 32);
    return each_row(st, "SELECT " APP_COLS " FROM bed_app WHERE elder_hash = $1::bytea "
                        "UNION SELECT " APP_COLS " FROM bed_app WHERE agent_hash = $1::bytea "
                        "ORDER BY 12 DESC, 1 DESC", &p, cb, ctx, "looking up applications");
}

static int b_list(struct store *st, int stage, bed_row_cb cb, void *ctx)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, stage);
    return each_row(st, "SELECT " APP_COLS " FROM bed_app WHERE $1::integer < 0 OR "
                        "stage = $1::integer ORDER BY id", &p, cb, ctx, "listing applications");
}

static int b_history_add(struct store *st, const struct bed_hist *h)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, h->app_id);
    pgp_int(&p, h->stage);
    pgp_text(&p, h->at);
    pgp_text(&p, h->actor);
    pgp_text(&p, h->role);
    pgp_text(&p, h->reason);
    return pg_do(pgs(st), "INSERT INTO bed_history (app_id, stage, at, actor, role, reason) "
                          "VALUES ($1, $2, $3, $4, $5, $6)", &p, "recording an application step");
}

static int b_history(struct store *st, long long app_id,
                     int (*cb)(void *ctx, const struct bed_hist *h), void *ctx)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, app_id);
    int err;
    PGresult *q = pg_run(pgs(st), "SELECT app_id, stage, at, actor, role, reason FROM bed_history "
                                  "WHERE app_id = $1 ORDER BY id", &p,
                         "reading an application's history", &err);
    if (!q)
        return err;
    struct bed_hist h;
    for (int i = 0; i < PQntuples(q) && !err; i++) {
        memset(&h, 0, sizeof h);
        h.app_id = pg_int(q, i, 0);
        h.stage = (int)pg_int(q, i, 1);
        pg_str(q, i, 2, h.at, sizeof h.at);
        pg_str(q, i, 3, h.actor, sizeof h.actor);
        pg_str(q, i, 4, h.role, sizeof h.role);
        pg_str(q, i, 5, h.reason, sizeof h.reason);
        err = cb(ctx, &h);
    }
    PQclear(q);
    return err;
}

static int b_clear(struct store *st)
{
    return pg_exec(pgs(st), "DELETE FROM bed_history; DELETE FROM bed_app",
                   "clearing applications");
}

const struct bed_store_ops pg_bed_ops = {
    .insert = b_insert,
    .get = b_get,
    .update = b_update,
    .by_hash = b_by_hash,
    .list = b_list,
    .history_add = b_history_add,
    .history = b_history,
    .clear = b_clear,
};
