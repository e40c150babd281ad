/* store_sqlite_bed.c — the SQLite side of home-care-bed applications
 * (struct bed_store_ops, kiosk/bed_store.h; tables of 003_eldercare.sql). */
#include <string.h>

#include "kiosk/store/bed_store.h"
#include "kiosk/err.h"
#include "kiosk/store/sqlite/store_sqlite.h"

#define APP_COLS "id, ref, elder_hash, elder_sealed, agent_hash, agent_sealed, address_sealed, " \
                 "services, consent_at, kiosk_id, stage, submitted_at, updated_at, "           \
                 "COALESCE(provider_org_id, 0), COALESCE(built_by, 0), COALESCE(built_org_id, 0), " \
                 "COALESCE(accepted_by, 0), COALESCE(assessed_by, 0), assessment, assessed_at, " \
                 "reassess_due"

static int blob(sqlite3_stmt *q, int col, unsigned char *out, int cap)
{
    int n = sqlite3_column_bytes(q, col);
    if (n > cap)
        n = cap;     /* cannot happen for rows we wrote; a damaged blob fails to open */
    if (n > 0)
        memcpy(out, sqlite3_column_blob(q, col), (size_t)n);
    return n;
}

static void row_of(sqlite3_stmt *q, struct bed_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(q, 0);
    sq_text(q, 1, r->ref, sizeof r->ref);
    blob(q, 2, r->elder_hash, sizeof r->elder_hash);
    r->elder_sealed_len = blob(q, 3, r->elder_sealed, sizeof r->elder_sealed);
    r->has_agent = sqlite3_column_type(q, 4) != SQLITE_NULL;
    if (r->has_agent) {
        blob(q, 4, r->agent_hash, sizeof r->agent_hash);
        r->agent_sealed_len = blob(q, 5, r->agent_sealed, sizeof r->agent_sealed);
    }
    r->address_sealed_len = blob(q, 6, r->address_sealed, sizeof r->address_sealed);
    r->services = (unsigned)sqlite3_column_int(q, 7);
    sq_text(q, 8, r->consent_at, sizeof r->consent_at);
    sq_text(q, 9, r->kiosk_id, sizeof r->kiosk_id);
    r->stage = sqlite3_column_int(q, 10);
    sq_text(q, 11, r->submitted_at, sizeof r->submitted_at);
    sq_text(q, 12, r->updated_at, sizeof r->updated_at);
    r->provider_org_id = (long)sqlite3_column_int64(q, 13);
    r->built_by = (long)sqlite3_column_int64(q, 14);
    r->built_org_id = (long)sqlite3_column_int64(q, 15);
    r->accepted_by = (long)sqlite3_column_int64(q, 16);
    r->assessed_by = (long)sqlite3_column_int64(q, 17);
    if (sqlite3_column_type(q, 18) != SQLITE_NULL)
        r->assessment_len = blob(q, 18, r->assessment, sizeof r->assessment);
    sq_text(q, 19, r->assessed_at, sizeof r->assessed_at);
    sq_text(q, 20, r->reassess_due, sizeof r->reassess_due);
}

static void bind_id(sqlite3_stmt *q, int col, long id)
{
    if (id > 0)
        sqlite3_bind_int64(q, col, id);
    else
        sqlite3_bind_null(q, col);
}

static int b_insert(struct store *st, struct bed_row *r)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "INSERT INTO bed_app (ref, elder_hash, elder_sealed, agent_hash, "
                                 "agent_sealed, address_sealed, services, consent, consent_at, "
                                 "kiosk_id, stage, submitted_at, updated_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?9, ?10, ?11, ?11)");
    if (!q)
        return KERR_DB;
    sqlite3_bind_text(q, 1, r->ref, -1, SQLITE_STATIC);
    sqlite3_bind_blob(q, 2, r->elder_hash, sizeof r->elder_hash, SQLITE_STATIC);
    sqlite3_bind_blob(q, 3, r->elder_sealed, r->elder_sealed_len, SQLITE_STATIC);
    if (r->has_agent) {
        sqlite3_bind_blob(q, 4, r->agent_hash, sizeof r->agent_hash, SQLITE_STATIC);
        sqlite3_bind_blob(q, 5, r->agent_sealed, r->agent_sealed_len, SQLITE_STATIC);
    }
    sqlite3_bind_blob(q, 6, r->address_sealed, r->address_sealed_len, SQLITE_STATIC);
    sqlite3_bind_int(q, 7, (int)r->services);
    sqlite3_bind_text(q, 8, r->consent_at, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 9, r->kiosk_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 10, r->stage);
    sqlite3_bind_text(q, 11, r->submitted_at, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc == SQLITE_CONSTRAINT)
        return kerr(KERR_EXISTS, "application reference %s already used", r->ref);
    if (rc != SQLITE_DONE)
        return sq_fail(s, "filing an application");
    r->id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

static int b_get(struct store *st, const char *ref, struct bed_row *out)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "SELECT " APP_COLS " FROM bed_app WHERE ref = ?1");
    if (!q)
        return KERR_DB;
    sqlite3_bind_text(q, 1, ref, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        row_of(q, out);
    sqlite3_reset(q);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? KERR_NOTFOUND
                                                    : sq_fail(s, "reading an application");
}

static int b_update(struct store *st, const struct bed_row *r)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "UPDATE bed_app SET stage = ?2, updated_at = ?3, "
                                 "provider_org_id = ?4, built_by = ?5, built_org_id = ?6, "
                                 "accepted_by = ?7, assessed_by = ?8, assessment = ?9, "
                                 "assessed_at = ?10, reassess_due = ?11 WHERE id = ?1");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int64(q, 1, r->id);
    sqlite3_bind_int(q, 2, r->stage);
    sqlite3_bind_text(q, 3, r->updated_at, -1, SQLITE_STATIC);
    bind_id(q, 4, r->provider_org_id);
    bind_id(q, 5, r->built_by);
    bind_id(q, 6, r->built_org_id);
    bind_id(q, 7, r->accepted_by);
    bind_id(q, 8, r->assessed_by);
    if (r->assessment_len > 0)
        sqlite3_bind_blob(q, 9, r->assessment, r->assessment_len, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, 9);
    sqlite3_bind_text(q, 10, r->assessed_at, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 11, r->reassess_due, -1, SQLITE_STATIC);
    int err = sq_done(s, q, "updating an application");
    if (!err && sqlite3_changes(s->db) != 1)
        return kerr(KERR_NOTFOUND, "application %s is gone", r->ref);
    return err;
}

/* Run an uncached query (callbacks may use the store) and hand each row on. */
static int each_row(struct sqlite_store *s, sqlite3_stmt *q, bed_row_cb cb, void *ctx,
                    const char *what)
{
    int rc, err = 0;
    struct bed_row *r = sqlite3_malloc(sizeof *r);
    if (!r) {
        sqlite3_finalize(q);
        return KERR_NOMEM;
    }
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        row_of(q, r);
        if ((err = cb(ctx, r)))
            break;
    }
    if (!err && rc != SQLITE_DONE)
        err = sq_fail(s, what);
    sqlite3_finalize(q);
    sqlite3_free(r);
    return err;
}

static int b_by_hash(struct store *st, const unsigned char hash[32], bed_row_cb cb, void *ctx)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT " APP_COLS " FROM bed_app WHERE elder_hash = ?1 "
                                  "UNION SELECT " APP_COLS " FROM bed_app WHERE agent_hash = ?1 "
                                  "ORDER BY 12 DESC, 1 DESC", -1, &q, NULL) != SQLITE_OK)
        return sq_fail(s, "looking up applications");
    sqlite3_bind_blob(q, 1, hash, 32, SQLITE_STATIC);
    return each_row(s, q, cb, ctx, "looking up applications");
}

static int b_list(struct store *st, int stage, bed_row_cb cb, void *ctx)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT " APP_COLS " FROM bed_app WHERE ?1 < 0 OR stage = ?1 "
                                  "ORDER BY id", -1, &q, NULL) != SQLITE_OK)
        return sq_fail(s, "listing applications");
    sqlite3_bind_int(q, 1, stage);
    return each_row(s, q, cb, ctx, "listing applications");
}

static int b_history_add(struct store *st, const struct bed_hist *h)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "INSERT INTO bed_history (app_id, stage, at, actor, role, reason) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int64(q, 1, h->app_id);
    sqlite3_bind_int(q, 2, h->stage);
    sqlite3_bind_text(q, 3, h->at, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, h->actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, h->role, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 6, h->reason, -1, SQLITE_STATIC);
    return sq_done(s, q, "recording an application step");
}

static int b_history(struct store *st, long long app_id,
                     int (*cb)(void *ctx, const struct bed_hist *h), void *ctx)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT app_id, stage, at, actor, role, reason FROM bed_history "
                                  "WHERE app_id = ?1 ORDER BY id", -1, &q, NULL) != SQLITE_OK)
        return sq_fail(s, "reading an application's history");
    sqlite3_bind_int64(q, 1, app_id);
    int rc, err = 0;
    struct bed_hist h;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        memset(&h, 0, sizeof h);
        h.app_id = sqlite3_column_int64(q, 0);
        h.stage = sqlite3_column_int(q, 1);
        sq_text(q, 2, h.at, sizeof h.at);
        sq_text(q, 3, h.actor, sizeof h.actor);
        sq_text(q, 4, h.role, sizeof h.role);
        sq_text(q, 5, h.reason, sizeof h.reason);
        if ((err = cb(ctx, &h)))
            break;
    }
    if (!err && rc != SQLITE_DONE)
        err = sq_fail(s, "reading an application's history");
    sqlite3_finalize(q);
    return err;
}

static int b_clear(struct store *st)
{
    return sq_exec(sq(st), "DELETE FROM bed_history; DELETE FROM bed_app");
}

const struct bed_store_ops sqlite_bed_ops = {
    .insert = b_insert,
    .get = b_get,
    .update = b_update,
    .by_hash = b_by_hash,
    .list = b_list,
    .history_add = b_history_add,
    .history = b_history,
    .clear = b_clear,
};

