/* sess_reading.c — "reading your card": shown while the card look-up runs.
 * Its load is the look-up itself (entries with positions, totals, changes
 * and estimates in one statement, then the holder's home care bed
 * applications); it
 * runs in session_work(), after this screen was drawn, and then the
 * summary opens.  This is the path PERF.md times as card → summary. */
#include "kiosk/session/session_int.h"

#include <string.h>

#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/idnum.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

/* The card holder's entries as whole views (position, total, change,
 * estimate) from ONE statement (queue_views_by_hash), the identity masked
 * from the card itself; then the holder's applications.  No snapshot
 * transaction: the one statement sees one committed state, and on
 * PostgreSQL BEGIN/ROLLBACK would be two more round trips. */
static int lookup_entries(struct session *s)
{
    char norm[IDNUM_LEN + 1];
    s->n_qv = 0;
    if (idnum_normalise(s->holder_id, norm, NULL) != 0)
        return 0;   /* a permit or a foreigner's card: never in a housing list */
    unsigned char hash[SECRET_HASH_BYTES];
    secret_lookup_hash(s->sec, norm, hash);
    secure_wipe(norm, sizeof norm);
    int n = 0;
    int err = queue_views_by_hash(sess_rd(s), s->sec, hash, s->qv, MAX_QV, &n);
    if (err && sess_replica_failed(s, err, s->last_input))
        err = queue_views_by_hash(s->st, s->sec, hash, s->qv, MAX_QV, &n);
    secure_wipe(hash, sizeof hash);
    for (int i = 0; !err && i < n; i++) {
        struct queue_view *v = &s->qv[i];
        name_mask(s->holder_name, v->name_masked, sizeof v->name_masked);
        idnum_mask(s->holder_id, v->id_masked, sizeof v->id_masked);
    }
    if (!err)
        s->n_qv = n;
    else
        queue_view_wipe(s->qv, MAX_QV);
    return err;
}

static int reading_load(struct session *s)
{
    int err = lookup_entries(s);
    if (!err)
        err = sess_lookup_beds(s);
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
