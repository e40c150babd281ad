/* store_pg_status.c — the PostgreSQL side of kiosks' device states
 * (struct status_store_ops, kiosk/kiosk_status.h; schema step 4 in
 * store_pg_schema.c).  Many kiosks report into one district database, and
 * a console anywhere in the district sees which of them need paper. */
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/kiosk_status.h"
#include "kiosk/store/pg/store_pg.h"

static int p_upsert(struct store *st, const struct kiosk_status_row *r)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_text(&p, r->kiosk_id);
    pgp_int(&p, r->reader_state);
    pgp_int(&p, r->printer_state);
    pgp_text(&p, r->updated_at);
    return pg_do(pgs(st), "INSERT INTO kiosk_status (kiosk_id, reader_state, printer_state, "
                          "updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (kiosk_id) DO UPDATE SET "
                          "reader_state = excluded.reader_state, printer_state = "
                          "excluded.printer_state, updated_at = excluded.updated_at",
                 &p, "recording a kiosk's device state");
}

static int p_each(struct store *st, int (*cb)(void *ctx, const struct kiosk_status_row *r),
                  void *ctx)
{
    int err;
    PGresult *q = pg_run(pgs(st), "SELECT kiosk_id, reader_state, printer_state, updated_at "
                                  "FROM kiosk_status ORDER BY kiosk_id", NULL,
                         "reading kiosk status", &err);
    if (!q)
        return err;
    for (int i = 0; i < PQntuples(q) && !err; i++) {
        struct kiosk_status_row r;
        memset(&r, 0, sizeof r);
        pg_str(q, i, 0, r.kiosk_id, sizeof r.kiosk_id);
        r.reader_state = (int)pg_int(q, i, 1);
        r.printer_state = (int)pg_int(q, i, 2);
        pg_str(q, i, 3, r.updated_at, sizeof r.updated_at);
        err = cb(ctx, &r);
    }
    PQclear(q);
    return err;
}

const struct status_store_ops pg_status_ops = {
    .upsert = p_upsert,
    .each = p_each,
};
