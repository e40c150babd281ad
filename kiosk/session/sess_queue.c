/* sess_queue.c — one housing queue entry in detail: the position in big
 * digits, the status, the change since the published list in one plain
 * line, the wait estimate, and the next steps (kiosk/next_steps.h: what it
 * means, what to do by when, whom to contact, what happens next).  The
 * jargon — the ordering keys (优先类别, 摇号序号 …), the receipt and the
 * breakdown of the change — is one key away on a details level ([8]), with
 * the monthly-allocation chart.  The views are whole from the look-up
 * (one statement: queue_views_by_hash / queue_lookup_receipt); its load
 * reads only the resident-facing notice of the latest decision. */
#include "kiosk/session/session_int.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/change_words.h"
#include "kiosk/i18n.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

static int queue_load(struct session *s)
{
    int i = s->cur_q;
    if (i < 0 || i >= s->n_qv)
        return KERR_USAGE;
    s->details = false;
    /* the resident-facing notice of the latest decision, if it still holds */
    char ref[64];
    notice_entry_ref(s->qv[i].program, s->qv[i].receipt_no, ref, sizeof ref);
    int err = notice_get(sess_rd(s), NOTICE_ENTRY, ref, s->qv[i].status, &s->qn[i]);
    return err == KERR_NOTFOUND ? 0 : err;
}

static const char *key_label(int key)
{
    switch (key) {
    case OK_TIER: return _("priority tier");
    case OK_WAIT_SINCE: return _("waiting since");
    case OK_INSURED_SINCE: return _("insured since");
    case OK_HUKOU_SINCE: return _("hukou since");
    case OK_LOTTERY_NO: return _("lottery number");
    default: return "?";
    }
}

/* The monthly-allocation chart beside the big digits (both levels: it takes
 * no line of its own). */
static void chart(const struct queue_view *q, struct sess_view *v)
{
    v->chart = true;
    int top = 0;
    for (int i = 0; i < SV_CHART; i++)
        top = q->monthly[i] > top ? q->monthly[i] : top;
    sess_fmt(v->chart_title, sizeof v->chart_title, _("Allocated per month (highest %d)"), top);
    int y = 0, m = 0;
    if (sscanf(q->first_month, "%d-%d", &y, &m) != 2)
        m = 1;
    for (int i = 0; i < SV_CHART; i++) {
        v->chart_val[i] = q->monthly[i];
        sess_fmt(v->chart_label[i], sizeof v->chart_label[i], "%02d", (m - 1 + i) % 12 + 1);
    }
}

/* The first level: the status in plain words, where the entry stands now
 * and since the list, the estimate, then the next steps; no ordering keys. */
static void simple_level(const struct session *s, const struct queue_view *q, struct sess_view *v)
{
    if (q->status == ST_WAITING && q->has_publication && !q->own_record_changed && q->position_then) {
        if (q->position_then > q->position)
            sv_add(v, SVL_TEXT, _("You moved up %lld places since the list of %.10s."),
                   q->position_then - q->position, q->published_at);
        else if (q->position_then < q->position)
            sv_add(v, SVL_TEXT, _("You moved down %lld places since the list of %.10s."),
                   q->position - q->position_then, q->published_at);
        else
            sv_add(v, SVL_TEXT, _("Your place is the same as in the list of %.10s."), q->published_at);
    }
    if (q->status == ST_WAITING) {
        if (q->has_estimate)
            sv_add(v, SVL_TEXT, _("Estimated wait: %d to %d months."), q->estimate_lo_months,
                   q->estimate_hi_months);
        else
            sv_add(v, SVL_TEXT, "%s", _("Not enough history for a wait estimate yet."));
    }
    struct next_steps ns;
    sess_next_steps_queue(s, s->cur_q, &ns);
    sess_add_next_steps(v, s->lang, &ns);
    /* the key as bound ([keys] may move it); the hint bar may have no room for it */
    int det = ACT_DETAILS;
    char key[64] = "";
    if (keytab_hint(&s->cfg.keys, KS_RESIDENT, &det, 1, s->lang, key, sizeof key) > 0)
        sv_add(v, SVL_NOTE, _("%s: what sets your place and how it changed."), key);
}

static void queue_build(const struct session *s, struct sess_view *v, int64_t now)
{
    (void)now;
    const struct queue_view *q = &s->qv[s->cur_q];
    sess_fmt(v->title, sizeof v->title, "%s", sess_program_name(s, q));
    if (q->status == ST_WAITING && q->position > 0) {
        v->big = true;
        sess_fmt(v->big_digits, sizeof v->big_digits, "%lld", q->position);
        sess_fmt(v->big_caption, sizeof v->big_caption, _("Position %lld of %lld"), q->position,
                 q->total);
    }
    chart(q, v);
    sv_add(v, SVL_HEAD, _("Status: %s"), queue_status_label(q->status));
    if (!s->details) {
        simple_level(s, q, v);
        return;
    }
    sv_add(v, SVL_TEXT, _("Receipt: %s    Name: %s    ID: %s    Household: %d"), q->receipt_no,
           q->name_masked, q->id_masked, q->household_size);
    if (q->status != ST_WAITING)
        sv_add(v, SVL_TEXT, _("%lld households are waiting in this programme."), q->total);
    char keys[SV_TEXT] = "";
    size_t off = 0;
    for (int i = 0; i < q->n_rule && off < sizeof keys; i++) {
        const char *val = q->key_text[q->rule[i]];
        off += (size_t)snprintf(keys + off, sizeof keys - off, "%s%s %s", i ? " · " : "",
                                key_label(q->rule[i]), *val ? val : _("(none)"));
    }
    sv_add(v, SVL_HEAD, "%s", _("Your place is set by, in this order:"));
    sv_add(v, SVL_TEXT, "%s", keys);
    if (!q->has_publication) {
        sv_add(v, SVL_NOTE, "%s", _("No list has been published yet."));
    } else if (q->own_record_changed) {
        sv_add(v, SVL_TEXT, _("Your own record changed since the list of %.10s."), q->published_at);
    } else if (q->position_then && q->status == ST_WAITING) {
        sv_add(v, SVL_HEAD, _("Since the list of %.10s: position %lld → %lld"), q->published_at,
               q->position_then, q->position);
        char left[SV_TEXT], ahead[SV_TEXT];
        change_words(q, left, ahead, SV_TEXT);   /* no zero parts, plain words */
        if (left[0])
            sv_add(v, SVL_TEXT, "%s", left);
        if (ahead[0])
            sv_add(v, SVL_TEXT, "%s", ahead);
    } else {
        sv_add(v, SVL_TEXT, _("Not waiting in the list of %.10s."), q->published_at);
    }
    if (q->status == ST_WAITING) {
        if (q->has_estimate)
            sv_add(v, SVL_HEAD, _("Estimated wait: %d to %d months (about %.1f allocated a month)"),
                   q->estimate_lo_months, q->estimate_hi_months, q->housed_per_month);
        else
            sv_add(v, SVL_HEAD, "%s", _("Not enough history for a wait estimate."));
    }
}

static int queue_actions(const struct session *s, int acts[KEYTAB_MAX_ACTIONS])
{
    (void)s;
    int n = 0;
    n = sess_acts_add(acts, n, ACT_PRINT);
    n = sess_acts_add(acts, n, ACT_SHOW_QR);
    n = sess_acts_add(acts, n, ACT_ESCAPE);
    n = sess_acts_common(acts, n);
    /* last: where the hint bar is short of room (English at 80 columns) it
     * drops this one, and the screen's last line names its key instead */
    return sess_acts_add(acts, n, ACT_DETAILS);
}

static unsigned queue_input(struct session *s, enum kiosk_action a, int64_t now)
{
    if (a == ACT_PRINT)
        return sess_start_print(s, now);
    if (a == ACT_SHOW_QR)
        return sess_open_qr(s, now);
    if (a == ACT_DETAILS) {
        s->details = !s->details;
        return sess_redraw(s, now);
    }
    if (a == ACT_ESCAPE || a == ACT_BACKSPACE) {
        sess_clear_message(s);
        return sess_go(s, SS_SUMMARY, now);
    }
    return SR_NONE;
}

const struct sess_screen_ops sess_queue_ops = {
    .name = "queue",
    .load = queue_load,
    .build = queue_build,
    .input = queue_input,
    .actions = queue_actions,
};
