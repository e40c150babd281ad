/* store_sqlite_status.c — the SQLite side of kiosks' device states
 * (struct status_store_ops, kiosk/kiosk_status.h; table of 004_kiosk_status.sql). */
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/kiosk_status.h"
#include "kiosk/store/sqlite/store_sqlite.h"

static int s_upsert(struct store *st, const struct kiosk_status_row *r)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "INSERT INTO kiosk_status (kiosk_id, reader_state, printer_state,"
                                 " updated_at) VALUES (?1, ?2, ?3, ?4)"
                                 " ON CONFLICT (kiosk_id) DO UPDATE SET"
                                 " reader_state = excluded.reader_state,"
                                 " printer_state = excluded.printer_state,"
                                 " updated_at = excluded.updated_at");
    if (!q)
        return KERR_DB;
    sqlite3_bind_text(q, 1, r->kiosk_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 2, r->reader_state);
    sqlite3_bind_int(q, 3, r->printer_state);
    sqlite3_bind_text(q, 4, r->updated_at, -1, SQLITE_STATIC);
    return sq_done(s, q, "recording a kiosk's device state");
}

static int s_each(struct store *st, int (*cb)(void *ctx, const struct kiosk_status_row *r),
                  void *ctx)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "SELECT kiosk_id, reader_state, printer_state, updated_at"
                                 " FROM kiosk_status ORDER BY kiosk_id");
    if (!q)
        return KERR_DB;
    int rc, err = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        struct kiosk_status_row r;
        memset(&r, 0, sizeof r);
        sq_text(q, 0, r.kiosk_id, sizeof r.kiosk_id);
        r.reader_state = sqlite3_column_int(q, 1);
        r.printer_state = sqlite3_column_int(q, 2);
        sq_text(q, 3, r.updated_at, sizeof r.updated_at);
        if ((err = cb(ctx, &r)))
            break;
    }
    if (!err && rc != SQLITE_DONE)
        err = sq_fail(s, "reading kiosk status");
    sqlite3_reset(q);
    return err;
}

const struct status_store_ops sqlite_status_ops = {
    .upsert = s_upsert,
    .each = s_each,
};
