/* kiosk_status.c — kiosks' device states, shared through the store
 * (kiosk_status.h).  Policy only: validation and ordering; the SQL is in
 * kiosk/store/status_engine.c behind store_ops.status. */
#include "kiosk/kiosk_status.h"

#include <stdlib.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/store/store.h"

static const char *const state_names[KDEV__COUNT] = {
    "absent", "ready", "paper_out", "paper_low", "fault",
};

const char *kdev_state_name(int state)
{
    return state >= 0 && state < KDEV__COUNT ? state_names[state] : "unknown";
}

bool kiosk_status_needs_paper(const struct kiosk_status_row *r)
{
    return r->printer_state == KDEV_PAPER_OUT || r->printer_state == KDEV_PAPER_LOW;
}

bool kiosk_status_needs_attention(const struct kiosk_status_row *r)
{
    return r->printer_state != KDEV_READY || r->reader_state != KDEV_READY;
}

/* Lower sorts first: what a clerk should walk over to see first. */
static int urgency(const struct kiosk_status_row *r)
{
    if (r->printer_state == KDEV_PAPER_OUT)
        return 0;
    if (kiosk_status_needs_attention(r) && r->printer_state != KDEV_PAPER_LOW)
        return 1;
    if (r->printer_state == KDEV_PAPER_LOW)
        return 2;
    return 3;
}

static int cmp_rows(const void *a, const void *b)
{
    const struct kiosk_status_row *x = a, *y = b;
    int d = urgency(x) - urgency(y);
    return d ? d : strcmp(x->kiosk_id, y->kiosk_id);
}

int kiosk_status_report(struct store *st, const char *kiosk_id, int reader_state,
                        int printer_state)
{
    if (!st->ops->status)
        return kerr(KERR_UNSUPPORTED, "the %s store keeps no kiosk status", st->ops->name);
    if (!kiosk_id || !*kiosk_id || strlen(kiosk_id) >= sizeof ((struct kiosk_status_row *)0)->kiosk_id)
        return kerr(KERR_INPUT, "kiosk status: the kiosk id must be 1-63 bytes");
    if (reader_state < 0 || reader_state >= KDEV__COUNT || printer_state < 0 ||
        printer_state >= KDEV__COUNT)
        return kerr(KERR_INPUT, "kiosk status: device state out of range");
    struct kiosk_status_row r = {.reader_state = reader_state, .printer_state = printer_state};
    strcpy(r.kiosk_id, kiosk_id);
    store_now(r.updated_at);
    int err = store_begin(st);
    if (err)
        return err;
    if ((err = st->ops->status->upsert(st, &r)) || (err = store_commit(st))) {
        store_rollback(st);
        return err;
    }
    return 0;
}

struct list_ctx {
    struct kiosk_status_row *out;
    int cap, n;
};

static int list_one(void *ctx, const struct kiosk_status_row *r)
{
    struct list_ctx *c = ctx;
    if (c->n < c->cap)
        c->out[c->n++] = *r;
    return 0;
}

int kiosk_status_list(struct store *st, struct kiosk_status_row *out, int cap, int *n)
{
    *n = 0;
    if (!st->ops->status)
        return kerr(KERR_UNSUPPORTED, "the %s store keeps no kiosk status", st->ops->name);
    struct list_ctx c = {.out = out, .cap = cap};
    int err = st->ops->status->each(st, list_one, &c);
    if (err)
        return err;
    qsort(out, (size_t)c.n, sizeof *out, cmp_rows);
    *n = c.n;
    return 0;
}
