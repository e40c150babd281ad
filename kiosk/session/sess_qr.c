/* sess_qr.c — the follow-up QR code on the screen: opened from a detail
 * (the show-QR action), or by itself when a receipt did not print (the
 * kept receipt can be printed again from here).  Nothing to load: the
 * receipt and its follow-up URL were made when it opened. */
#include "kiosk/session/session_int.h"

#include "kiosk/i18n.h"

static void qr_build(const struct session *s, struct sess_view *v, int64_t now)
{
    (void)now;
    sess_fmt(v->title, sizeof v->title, "%s", _("Follow-up code"));
    sess_fmt(v->qr_url, sizeof v->qr_url, "%s", s->qr_url);
    sess_fmt(v->qr_caption, sizeof v->qr_caption, _("Reference %s"), s->receipt.reference);
    sv_add(v, SVL_TEXT, "%s", _("Scan this code with your phone to follow up."));
}

static int qr_actions(const struct session *s, int acts[KEYTAB_MAX_ACTIONS])
{
    int n = 0;
    if (s->receipt.reference[0])
        n = sess_acts_add(acts, n, ACT_PRINT);
    n = sess_acts_add(acts, n, ACT_ESCAPE);
    return sess_acts_common(acts, n);
}

static unsigned qr_input(struct session *s, enum kiosk_action a, int64_t now)
{
    if (a == ACT_PRINT)
        return sess_start_print(s, now);
    if (a == ACT_ESCAPE || a == ACT_BACKSPACE || a == ACT_ENTER) {
        if (!s->receipt_kept)
            sess_clear_message(s);
        return sess_go(s, s->back_screen, now);
    }
    return SR_NONE;
}

const struct sess_screen_ops sess_qr_ops = {
    .name = "qr",
    .load = NULL,
    .build = qr_build,
    .input = qr_input,
    .actions = qr_actions,
};
