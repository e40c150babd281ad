/* sess_help.c — help for the screen the resident came from: what that
 * screen is for (its own words: a typed look-up is never told about a
 * card), then the help line of every action it offers now (keytab_help
 * over that screen's `actions`, so a remapped key shows as it is bound),
 * the speech and accessibility keys, which work on every screen, and where
 * to ask in person (the street office of data/next_steps.ini).
 * Back returns to that screen. */
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
    switch (s->help_back) {
    case SS_ATTRACT:
        sv_add(v, SVL_TEXT, "%s", _("Place your ID card on the reader, or type the receipt number of your "
                                    "housing application and the last 6 characters of your ID number. "
                                    "Nothing is kept on this kiosk."));
        break;
    case SS_SUMMARY:
        sv_add(v, SVL_TEXT, "%s", _("This list shows each housing queue entry and home care bed "
                                    "application found. Choose one to see what it means and what to do next."));
        break;
    case SS_QUEUE:
        sv_add(v, SVL_TEXT, "%s", _("This screen shows your place in the queue and what to do next. "
                                    "Details shows what sets your place and how it changed."));
        break;
    case SS_BED:
        sv_add(v, SVL_TEXT, "%s", _("This screen shows where the application is, what happens next and "
                                    "whom to contact. Stages marked \"not yet\" are still to come."));
        break;
    case SS_WITHDRAW:
        sv_add(v, SVL_TEXT, "%s", _("Withdrawing stops the application. You can apply again later."));
        break;
    case SS_QR:
        sv_add(v, SVL_TEXT, "%s", _("Scan the code with your phone's camera to follow up at home. "
                                    "The page shows what this kiosk shows, nothing more."));
        break;
    case SS_APPLY_WHO: case SS_APPLY_PHONE: case SS_APPLY_ELDER: case SS_APPLY_CONSENT:
    case SS_APPLY_SERVICES: case SS_APPLY_CONFIRM:
        sv_add(v, SVL_TEXT, _("You are applying for a home care bed for an elder aged %d or more. "
                              "Nothing is sent until you confirm; Back leaves without applying."),
               s->cfg.min_age);
        break;
    default:
        break;
    }
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
    /* the speech keys work on every screen (the loop handles them): a resident
     * who cannot see the hint bar hears them here, as the help is spoken too */
    static const int speech[] = {ACT_SAY_AGAIN, ACT_VOLUME_UP, ACT_VOLUME_DOWN, ACT_SPEECH, ACT_ACCESS};
    sv_add(v, SVL_HEAD, "%s", _("Speech and large text, on every screen:"));
    struct help_ctx hs = {.v = v};
    keytab_help(&s->cfg.keys, KS_RESIDENT, speech, (int)(sizeof speech / sizeof speech[0]), s->lang,
                help_line, &hs);
    sv_add(v, SVL_NOTE, "%s", _("  Where you are typing a number, 5 types the digit 5."));
    sv_add(v, SVL_TEXT, "%s", "");
    if (s->help_back == SS_QUEUE || s->help_back == SS_SUMMARY) {
        sv_add(v, SVL_TEXT, "%s", _("Your position only changes when households ahead of you are housed,"));
        sv_add(v, SVL_TEXT, "%s", _("withdraw, are removed or frozen, or when someone enters ahead of you."));
    }
    sv_add(v, SVL_TEXT, "%s", _("For anything else, please ask the staff at the counter."));
    char office[600];
    next_steps_office(s->ns, s->lang, office, sizeof office);
    sv_add(v, SVL_NOTE, "%s", office);
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
