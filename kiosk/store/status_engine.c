/* status_engine.c — kiosks' last reported device states (struct
 * status_store_ops, kiosk/kiosk_status.h), written once for every backend
 * over the SQL executor (sql_exec.h); table of 004_kiosk_status.sql and
 * 007_heartbeat.sql, 013_db_outage.sql
 * (SQLite) and step 4 of store_pg_schema.c (PostgreSQL).  Many kiosks report
 * into one district database, and a console anywhere in the district sees
 * which of them need paper. */
#include <stdlib.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/kiosk_status.h"
#include "kiosk/store/store_engine.h"

#define X(st) sql_of(st)

/* Every statement of this store. */
static const struct {
    const char *upsert, *beat, *each;
} sql = {
    .upsert = "INSERT INTO kiosk_status (kiosk_id, reader_state, printer_state, updated_at, beat_at) "
              "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kiosk_id) DO UPDATE SET "
              "reader_state = excluded.reader_state, printer_state = excluded.printer_state, "
              "updated_at = excluded.updated_at, beat_at = excluded.beat_at",
    .beat = "INSERT INTO kiosk_status (kiosk_id, reader_state, printer_state, updated_at, beat_at, "
            "sam_state, sam_id, screen, screen_at, version, db_lost_from, db_lost_to) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
            "ON CONFLICT (kiosk_id) DO UPDATE SET "
            "reader_state = excluded.reader_state, printer_state = excluded.printer_state, "
            "updated_at = excluded.updated_at, beat_at = excluded.beat_at, "
            "sam_state = excluded.sam_state, sam_id = excluded.sam_id, screen = excluded.screen, "
            "screen_at = excluded.screen_at, version = excluded.version, "
            "db_lost_from = excluded.db_lost_from, db_lost_to = excluded.db_lost_to",
    .each = "SELECT kiosk_id, reader_state, printer_state, updated_at, beat_at, sam_state, sam_id, "
            "screen, screen_at, version, db_lost_from, db_lost_to FROM kiosk_status "
            "ORDER BY kiosk_id",
};

static int s_upsert(struct store *st, const struct kiosk_status_row *r)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, sql.upsert);
    if (!q)
        return KERR_DB;
    x->bind_text(q, 1, r->kiosk_id);
    x->bind_int64(q, 2, r->reader_state);
    x->bind_int64(q, 3, r->printer_state);
    x->bind_text(q, 4, r->updated_at);
    x->bind_int64(q, 5, r->beat_at);
    return sql_done(x, q, "recording a kiosk's device state");
}

static int s_beat(struct store *st, const struct kiosk_status_row *r)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, sql.beat);
    if (!q)
        return KERR_DB;
    x->bind_text(q, 1, r->kiosk_id);
    x->bind_int64(q, 2, r->reader_state);
    x->bind_int64(q, 3, r->printer_state);
    x->bind_text(q, 4, r->updated_at);
    x->bind_int64(q, 5, r->beat_at);
    x->bind_int64(q, 6, r->sam_state);
    x->bind_text(q, 7, r->sam_id);
    x->bind_text(q, 8, r->screen);
    x->bind_int64(q, 9, r->screen_at);
    x->bind_text(q, 10, r->version);
    x->bind_int64(q, 11, r->db_lost_from);
    x->bind_int64(q, 12, r->db_lost_to);
    return sql_done(x, q, "recording a kiosk's heartbeat");
}

static void read_status(const struct sql_exec_ops *x, struct sql_stmt *q, void *row)
{
    struct kiosk_status_row *r = row;
    memset(r, 0, sizeof *r);
    x->col_text(q, 0, r->kiosk_id, sizeof r->kiosk_id);
    r->reader_state = (int)x->col_int64(q, 1);
    r->printer_state = (int)x->col_int64(q, 2);
    x->col_text(q, 3, r->updated_at, sizeof r->updated_at);
    r->beat_at = x->col_int64(q, 4);
    r->sam_state = (int)x->col_int64(q, 5);
    x->col_text(q, 6, r->sam_id, sizeof r->sam_id);
    x->col_text(q, 7, r->screen, sizeof r->screen);
    r->screen_at = x->col_int64(q, 8);
    x->col_text(q, 9, r->version, sizeof r->version);
    r->db_lost_from = x->col_int64(q, 10);
    r->db_lost_to = x->col_int64(q, 11);
}

/* A district has tens to hundreds of kiosks: one read, no paging. */
static int s_each(struct store *st, int (*cb)(void *ctx, const struct kiosk_status_row *r),
                  void *ctx)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, sql.each);
    if (!q)
        return KERR_DB;
    struct sql_rows rs = {.size = sizeof(struct kiosk_status_row)};
    int err = sql_rows(x, q, read_status, &rs, "reading kiosk status");
    const struct kiosk_status_row *rows = rs.rows;
    for (int i = 0; i < rs.n && !err; i++)
        err = cb(ctx, &rows[i]);
    sql_rows_free(&rs);
    return err;
}

const struct status_store_ops status_engine_ops = {
    .upsert = s_upsert,
    .beat = s_beat,
    .each = s_each,
};
