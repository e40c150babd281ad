/* home.c — the console's home menu: the screens this account's roles (and
 * --admin) allow, chosen with the arrows and Enter or by their digit.
 * Nothing to read: the menu was decided at login (console.c). */
#include <stdio.h>

#include "kiosk/console/console_int.h"
#include "kiosk/i18n.h"

static const char *label(int screen)
{
    switch (screen) {
    case CS_PROGRAMS: return _("Housing queues");
    case CS_BEDS: return _("Home-care bed applications (家庭养老床位)");
    case CS_KIOSKS: return _("Kiosks needing paper");
    case CS_ACCOUNTS: return _("Staff accounts (admin)");
    case CS_AUDIT: return _("Audit trail (admin)");
    case CS_CHECK: return _("Check (admin)");
    default: return "";
    }
}

static void home_build(struct console *c)
{
    static const struct cv_col cols[] = {{"", 0, false}};
    set_cols(c, 1, cols);
    snprintf(c->v.title, sizeof c->v.title, "%s", _("Staff console"));
    for (int i = 0; i < c->home.n; i++)
        cell(add_row(c, CVK_NORMAL), 0, "%d  %s", i + 1, label(c->home.item[i]));
    c->v.selected = c->home.sel;
}

static unsigned home_input(struct console *c, enum con_action a, uint32_t ch)
{
    if (a == CA_CHAR) {
        if (ch >= '1' && ch <= '9' && (int)(ch - '1') < c->home.n) {
            c->home.sel = (int)(ch - '1');
            return con_open(c, c->home.item[c->home.sel]);
        }
        return CR_NONE;
    }
    if (move_sel(&c->home.sel, c->home.n, a, 1))
        return CR_REDRAW;
    switch (a) {
    case CA_ENTER: return con_open(c, c->home.item[c->home.sel]);
    case CA_ESCAPE:   /* never out without asking: a clerk presses Esc to go back */
        prompt_open(c, PK_CONFIRM_LOGOUT, false, _("Log out? Enter: yes, Esc: no"));
        return CR_REDRAW;
    case CA_SEARCH:
        prompt_open(c, PK_PERSON, false, _("Find anyone — receipt, ID number, name or phone:"));
        return CR_REDRAW;
    default: return CR_NONE;
    }
}

static int home_actions(const struct console *c, int *acts, int cap)
{
    (void)c;
    int n = 0;
    if (n < cap)
        acts[n++] = CA_ENTER;
    if (n < cap)
        acts[n++] = CA_SEARCH;
    if (n < cap)
        acts[n++] = CA_ESCAPE;   /* back from home: log out */
    n = nav_actions(acts, n, cap, false);
    return n;
}

const struct con_screen_ops con_home = {
    .name = "home",
    .layout = CL_TABLE,
    .build = home_build,
    .input = home_input,
    .actions = home_actions,
};
