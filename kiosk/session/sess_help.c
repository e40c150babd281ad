/* sess_help.c — help for the screen the resident came from: a few lines
 * about the kiosk, then the help line of every action that screen offers
 * now (keytab_help over that screen's `actions`, so a remapped key shows
 * as it is bound).  Back returns to that screen. */
#include "kiosk/session/session_int.h"

#include "kiosk/i18n.h"

struct help_ctx {
    struct sess_view *v;
};

static void help_line(void *ctx, const char *line)
{
    struct help_ctx *h = ctx;
    sv_add(h->v, SVL_TEXT, "  %s", line);
}

static void help_build(const struct session *s, struct sess_view *v, int64_t now)
{
    (void)now;
    sess_fmt(v->title, sizeof v->title, "%s", _("Help"));
    sv_add(v, SVL_TEXT, "%s", _("Place your ID card on the reader to see your housing queue entries"));
    sv_add(v, SVL_TEXT, "%s", _("and home care bed applications. Nothing is kept on this kiosk."));
    sv_add(v, SVL_TEXT, "%s", "");
    int acts[KEYTAB_MAX_ACTIONS];
    const struct sess_screen_ops *from = sess_ops(s->help_back);
    int n = from->actions(s, acts);
    if (n > 0) {
        sv_add(v, SVL_HEAD, "%s", _("On the previous screen:"));
        struct help_ctx h = {.v = v};
        keytab_help(&s->cfg.keys, KS_RESIDENT, acts, n, s->lang, help_line, &h);
        sv_add(v, SVL_TEXT, "%s", "");
    }
    if (s->help_back == SS_QUEUE || s->help_back == SS_SUMMARY) {
        sv_add(v, SVL_TEXT, "%s", _("Your position only changes when households ahead of you are housed,"));
        sv_add(v, SVL_TEXT, "%s", _("withdraw, are removed or frozen, or when someone enters ahead of you."));
    }
    sv_add(v, SVL_TEXT, "%s", _("For anything else, please ask the staff at the counter."));
}

static int help_actions(const struct session *s, int acts[KEYTAB_MAX_ACTIONS])
{
    (void)s;
    int n = sess_acts_add(acts, 0, ACT_ESCAPE);
    return sess_acts_add(acts, n, ACT_LANG);
}

static unsigned help_input(struct session *s, enum kiosk_action a, int64_t now)
{
    if (a == ACT_ESCAPE || a == ACT_ENTER || a == ACT_BACKSPACE || a == ACT_HELP)
        return sess_go(s, s->help_back, now);
    return SR_NONE;
}

const struct sess_screen_ops sess_help_ops = {
    .name = "help",
    .load = NULL,
    .build = help_build,
    .input = help_input,
    .actions = help_actions,
};
