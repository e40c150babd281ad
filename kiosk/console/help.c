/* help.c — the help screen (F1 or ?): every action available on the screen
 * it was opened from, with the keys bound now and the table's help line in
 * the console's language (keytab_help over kiosk/keytab.h).  Esc (or F1
 * again) returns to that screen as it was: nothing is read or lost. */
#include <stdio.h>

#include "kiosk/config.h"
#include "kiosk/console/console_int.h"
#include "kiosk/i18n.h"

static void help_line(void *ctx, const char *line)
{
    add_line(ctx, CVK_NORMAL, "%s", line);
}

static void help_build(struct console *c)
{
    snprintf(c->v.title, sizeof c->v.title, "%s", _("Help: the keys of this screen"));
    int acts[KEYTAB_MAX_ACTIONS];
    int n = con_actions(c, c->help_back, acts, KEYTAB_MAX_ACTIONS);
    struct keytab kt;
    const struct keytab *k = c->cfg ? &c->cfg->keys : (keytab_defaults(&kt), &kt);
    keytab_help(k, KS_STAFF, acts, n, con_lang(c), help_line, c);
    if (c->help_back == CS_HOME)
        add_line(c, CVK_NOTE, "%s", _("A digit opens the menu line with that number."));
}

static unsigned help_input(struct console *c, enum con_action a, uint32_t ch)
{
    (void)ch;
    if (a == CA_ESCAPE || a == CA_HELP || a == CA_ENTER) {
        c->screen = c->help_back;
        return CR_GOTO;
    }
    return CR_NONE;
}

static int help_actions(const struct console *c, int *acts, int cap)
{
    (void)c;
    static const int a[] = {CA_ESCAPE, CA_HELP, CA_PGDN, CA_PGUP};
    int n = 0;
    for (int i = 0; i < 4 && n < cap; i++)
        acts[n++] = a[i];
    return n;
}

const struct con_screen_ops con_help = {
    .name = "help",
    .layout = CL_DETAIL,
    .build = help_build,
    .input = help_input,
    .actions = help_actions,
};
