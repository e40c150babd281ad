/* sess_picker.c — demonstration only (--sim with demo data): choose a demo
 * resident and "insert" their card.  The residents are regenerated from
 * the demo seed (demo_resident: no store call); choosing one goes through
 * session_card like a real card. */
#include "kiosk/session/session_int.h"

#include "kiosk/demo.h"
#include "kiosk/i18n.h"
#include "kiosk/idnum.h"
#include "kiosk/secret.h"

static long long picker_n(const struct session *s)
{
    return s->demo_n < PICKER_MAX ? s->demo_n : PICKER_MAX;
}

static void picker_build(const struct session *s, struct sess_view *v, int64_t now)
{
    (void)now;
    sess_fmt(v->title, sizeof v->title, "%s", _("Demo: choose a resident's card"));
    char id[19], name[CARD_NAME_MAX], mn[96], mi[24];
    long long n = picker_n(s);
    v->selected = -1;
    for (long long i = 0; i < n; i++) {
        demo_resident(s->demo_seed, i, id, name, sizeof name);
        name_mask(name, mn, sizeof mn);
        idnum_mask(id, mi, sizeof mi);
        if (i == s->picker_sel)
            v->selected = v->n_lines;
        sv_add(v, SVL_ITEM, "%2lld  %s  %s", i, mi, mn);
    }
    secure_wipe(id, sizeof id);
    secure_wipe(name, sizeof name);
}

static int picker_actions(const struct session *s, int acts[KEYTAB_MAX_ACTIONS])
{
    (void)s;
    int n = 0;
    n = sess_acts_add(acts, n, ACT_ENTER);
    n = sess_acts_add(acts, n, ACT_ESCAPE);
    n = sess_acts_common(acts, n);
    n = sess_acts_add(acts, n, ACT_UP);
    return sess_acts_add(acts, n, ACT_DOWN);
}

static unsigned pick_demo(struct session *s, int64_t now)
{
    struct card_event ev = {.type = CARD_EV_INSERT, .kind = CARD_KIND_RESIDENT};
    char id[19];
    demo_resident(s->demo_seed, s->picker_sel, id, ev.name, sizeof ev.name);
    sess_fmt(ev.id_number, sizeof ev.id_number, "%s", id);
    secure_wipe(id, sizeof id);
    s->screen = s->back_screen;
    return session_card(s, &ev, now) | SR_GOTO;   /* session_card wipes ev */
}

static unsigned picker_input(struct session *s, enum kiosk_action a, int64_t now)
{
    long long n = picker_n(s);
    if (a == ACT_UP || a == ACT_DOWN) {
        s->picker_sel = (int)((s->picker_sel + (a == ACT_UP ? n - 1 : 1)) % n);
        return sess_redraw(s, now);
    }
    /* choosing by number */
    if (a >= ACT_DIGIT_0 && a <= ACT_DIGIT_9) {
        s->picker_sel = (int)((s->picker_sel * 10 + (a - ACT_DIGIT_0)) % n);
        return sess_redraw(s, now);
    }
    if (a == ACT_ENTER)
        return pick_demo(s, now);
    if (a == ACT_ESCAPE || a == ACT_BACKSPACE || a == ACT_PICKER)
        return sess_go(s, s->back_screen, now);
    return SR_NONE;
}

const struct sess_screen_ops sess_picker_ops = {
    .name = "picker",
    .load = NULL,
    .build = picker_build,
    .input = picker_input,
    .actions = picker_actions,
};
