/* sess_reading.c — "reading your card": shown while the card look-up runs.
 * Its load is the look-up itself (entries, positions and totals, and the
 * holder's home care bed applications, all from one read snapshot); it
 * runs in session_work(), after this screen was drawn, and then the
 * summary opens.  This is the path PERF.md times as card → summary. */
#include "kiosk/session/session_int.h"

#include <string.h>

#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/idnum.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

struct row_collect {
    struct session *s;
    int n;
};

static int collect_row(void *ctx, const struct entry_row *e)
{
    struct row_collect *c = ctx;
    if (c->n < MAX_QV)
        c->s->rows[c->n++] = *e;
    return 0;
}

/* The card holder's entries, with what the summary shows: the stored rows
 * through the store interface, position and total exact, the identity
 * masked from the card itself.  The rest of each view is the queue
 * screen's load. */
static int lookup_entries(struct session *s)
{
    const struct queue_store_ops *q = store_queue(s->st);
    char norm[IDNUM_LEN + 1];
    s->n_qv = 0;
    if (idnum_normalise(s->holder_id, norm, NULL) != 0)
        return 0;   /* a permit or a foreigner's card: never in a housing list */
    unsigned char hash[SECRET_HASH_BYTES];
    secret_lookup_hash(s->sec, norm, hash);
    secure_wipe(norm, sizeof norm);
    struct row_collect c = {.s = s};
    int err = q->entries_by_hash(s->st, hash, collect_row, &c);
    for (int i = 0; !err && i < c.n; i++) {
        const struct entry_row *e = &s->rows[i];
        struct queue_view *v = &s->qv[i];
        struct program p;
        memset(v, 0, sizeof *v);
        if ((err = q->program_by_id(s->st, e->program_id, &p)))
            break;
        sess_fmt(v->program, sizeof v->program, "%s", p.code);
        sess_fmt(v->program_zh, sizeof v->program_zh, "%s", p.name_zh);
        sess_fmt(v->program_en, sizeof v->program_en, "%s", p.name_en);
        sess_fmt(v->receipt_no, sizeof v->receipt_no, "%s", e->receipt_no);
        v->status = e->status;
        name_mask(s->holder_name, v->name_masked, sizeof v->name_masked);
        idnum_mask(s->holder_id, v->id_masked, sizeof v->id_masked);
        if ((err = q->total(s->st, e->program_id, &v->total)))
            break;
        if (e->status == ST_WAITING && (err = q->position(s->st, e, &v->position)))
            break;
        s->qv_whole[i] = false;
    }
    if (!err)
        s->n_qv = c.n;
    return err;
}

static int reading_load(struct session *s)
{
    /* one read snapshot: every position and total on the summary belongs to
     * the same committed state, even while an import or a clerk writes */
    int snap = s->st->ops->begin_read(s->st);
    int err = lookup_entries(s);
    if (!err)
        err = sess_lookup_beds(s);
    if (snap == 0)
        store_rollback(s->st);
    return err;
}

static void reading_build(const struct session *s, struct sess_view *v, int64_t now)
{
    (void)s;
    (void)now;
    sess_fmt(v->title, sizeof v->title, "%s", _("Reading your card…"));
    sv_add(v, SVL_HEAD, "%s", _("Please wait, do not take the card away."));
}

static unsigned reading_input(struct session *s, enum kiosk_action a, int64_t now)
{
    (void)s;
    (void)a;
    (void)now;
    return SR_NONE;   /* the look-up takes milliseconds: no key does anything meanwhile */
}

static int reading_actions(const struct session *s, int acts[KEYTAB_MAX_ACTIONS])
{
    (void)s;
    (void)acts;
    return 0;
}

const struct sess_screen_ops sess_reading_ops = {
    .name = "reading",
    .load = reading_load,
    .load_after_draw = true,
    .build = reading_build,
    .input = reading_input,
    .actions = reading_actions,
};
