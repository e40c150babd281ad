/* sess_summary.c — the summary: the holder's queue entries and home care
 * bed applications, and (for a card holder) "apply for a home care bed".
 * Everything it shows was loaded by the look-up (the reading screen, or
 * the attract screen's typed look-up), so moving the selection is pure
 * formatting; opening an entry is the queue screen's load. */
#include "kiosk/session/session_int.h"

#include "kiosk/i18n.h"
#include "kiosk/idnum.h"
#include "kiosk/secret.h"

static int summary_items(const struct session *s)
{
    return s->n_qv + s->n_bv + (s->has_holder ? 1 : 0);
}

static void summary_build(const struct session *s, struct sess_view *v, int64_t now)
{
    (void)now;
    sess_fmt(v->title, sizeof v->title, "%s", _("Your queue entries and applications"));
    char name[96] = "", id[24] = "";
    if (s->has_holder) {
        /* masked here from the card, so a holder with nothing on file is named too */
        name_mask(s->holder_name, name, sizeof name);
        idnum_mask(s->holder_id, id, sizeof id);
    } else if (s->n_qv) {
        sess_fmt(name, sizeof name, "%s", s->qv[0].name_masked);
        sess_fmt(id, sizeof id, "%s", s->qv[0].id_masked);
    }
    /* a typed look-up read no card: never "card holder" then */
    if (*name)
        sv_add(v, SVL_NOTE, s->has_holder ? _("Card holder: %s  %s") : _("Name on file: %s  %s"),
               name, id);
    if (s->lookup_offline)
        sv_add(v, SVL_WARN, "%s", _("! Your queue positions and applications cannot be shown right "
                                    "now: the records cannot be reached. You can still apply for a "
                                    "home care bed; it is registered when the connection returns."));
    else if (!s->n_qv && !s->n_bv)
        sv_add(v, SVL_TEXT, "%s", _("No housing queue entry or home care bed application was found."));
    sv_add(v, SVL_TEXT, "%s", "");
    int item = 0;
    v->selected = -1;
    for (int i = 0; i < s->n_qv; i++, item++) {
        const struct queue_view *q = &s->qv[i];
        if (item == s->sel)
            v->selected = v->n_lines;
        if (q->status == ST_WAITING)
            sv_add(v, SVL_ITEM, _("%s · %s · position %lld of %lld"), sess_program_name(s, q),
                   queue_status_label(q->status), q->position, q->total);
        else
            sv_add(v, SVL_ITEM, "%s · %s", sess_program_name(s, q), queue_status_label(q->status));
    }
    for (int i = 0; i < s->n_bv; i++, item++) {
        if (item == s->sel)
            v->selected = v->n_lines;
        sv_add(v, SVL_ITEM, _("Home care bed application %s · %s"), s->bv[i].ref,
               s->bv[i].stage_label);
    }
    if (s->has_holder) {
        if (item == s->sel)
            v->selected = v->n_lines;
        sv_add(v, SVL_ITEM, "%s", _("Apply for a home care bed (家庭养老床位)"));
    }
}

static int summary_actions(const struct session *s, int acts[KEYTAB_MAX_ACTIONS])
{
    int n = 0;
    if (summary_items(s)) {
        n = sess_acts_add(acts, n, ACT_ENTER);
    }
    n = sess_acts_add(acts, n, ACT_ESCAPE);
    n = sess_acts_common(acts, n);
    if (summary_items(s) > 1) {
        n = sess_acts_add(acts, n, ACT_UP);
        n = sess_acts_add(acts, n, ACT_DOWN);
    }
    return n;
}

static unsigned apply_start(struct session *s, int64_t now)
{
    secure_wipe(&s->form, sizeof s->form);
    sess_clear_message(s);
    /* up front: can the card holder apply for themself (age, an open application)? */
    s->self_refused[0] = '\0';
    sess_apply_elder_refused(s, s->holder_id, s->self_refused, sizeof s->self_refused);
    s->apply_sel = s->self_refused[0] ? 1 : 0;
    return sess_go(s, SS_APPLY_WHO, now);
}

static unsigned summary_input(struct session *s, enum kiosk_action a, int64_t now)
{
    int items = summary_items(s);
    if ((a == ACT_UP || a == ACT_DOWN) && items) {
        s->sel = (s->sel + (a == ACT_UP ? items - 1 : 1)) % items;
        return sess_redraw(s, now);
    }
    /* choosing by number: the digit key of item n opens it */
    if (a >= ACT_DIGIT_1 && a <= ACT_DIGIT_9 && (int)(a - ACT_DIGIT_1) < items) {
        s->sel = a - ACT_DIGIT_1;
        a = ACT_ENTER;
    }
    if (a == ACT_ENTER && items) {
        sess_clear_message(s);
        if (s->sel < s->n_qv) {
            s->cur_q = s->sel;
            return sess_go(s, SS_QUEUE, now);   /* its load reads the whole view */
        }
        if (s->sel < s->n_qv + s->n_bv) {
            s->cur_b = s->sel - s->n_qv;
            return sess_go(s, SS_BED, now);
        }
        return apply_start(s, now);
    }
    if (a == ACT_ESCAPE || a == ACT_BACKSPACE) {
        s->end_until = now + END_SCREEN_MS;
        return sess_go(s, SS_END, now);
    }
    return SR_NONE;
}

const struct sess_screen_ops sess_summary_ops = {
    .name = "summary",
    .load = NULL,          /* the look-up loaded it (reading screen or typed look-up) */
    .build = summary_build,
    .input = summary_input,
    .actions = summary_actions,
};
