/* sess_end.c — "thank you, please take your card" (or, after a typed
 * look-up, that the details are being cleared): shown for a few seconds
 * (session_tick goes back to attract and wipes), or until a key. */
#include "kiosk/session/session_int.h"

#include "kiosk/i18n.h"

static void end_build(const struct session *s, struct sess_view *v, int64_t now)
{
    (void)now;
    sess_fmt(v->title, sizeof v->title, "%s", _("Thank you"));
    /* only a card holder has a card to take; a typed look-up is told it is cleared */
    sv_add(v, SVL_HEAD, "%s", s->has_holder ? _("Please take your card.")
                                            : _("Your details are being cleared from the screen."));
}

static int end_actions(const struct session *s, int acts[KEYTAB_MAX_ACTIONS])
{
    (void)s;
    int n = sess_acts_add(acts, 0, ACT_ENTER);
    return sess_acts_common(acts, n);
}

static unsigned end_input(struct session *s, enum kiosk_action a, int64_t now)
{
    if (a == ACT_ENTER || a == ACT_ESCAPE)
        return sess_wipe_to_attract(s, now);
    return SR_NONE;
}

const struct sess_screen_ops sess_end_ops = {
    .name = "end",
    .load = NULL,
    .build = end_build,
    .input = end_input,
    .actions = end_actions,
};
