/* home.c — the console's home menu: the screens this account's roles (and
 * --admin) allow, chosen with the arrows and Enter or by their digit.  The
 * menu was decided at login (console.c); load counts, in one statement, the
 * applications in this account's work queue that are past their stage's
 * deadline, shown on the bed item, and the housing work queue's overdue
 * offers and freezes due for review, shown on its item (issue 14). */
#include <stdio.h>
#include <string.h>

#include "kiosk/console/console_int.h"
#include "kiosk/eldercare.h"
#include "kiosk/i18n.h"
#include "kiosk/store/bed_store.h"

/* The counts in one statement (bed work_counts; issue 13: on PostgreSQL this
 * was four statements for the work queue and every application read, page
 * by page, to count the overdue ones).  A stage outside this account's
 * work queue, or without a deadline, gets no cut-off and counts nothing;
 * so does the work queue when the menu has no housing item. */
static int home_load(struct console *c)
{
    c->home.overdue = 0;
    c->home.offers_late = c->home.frozen_late = 0;
    bool beds = false, housing = false;
    for (int i = 0; i < c->home.n; i++) {
        beds |= c->home.item[i] == CS_BEDS;
        housing |= c->home.item[i] == CS_HOUSING;
    }
    if (!beds && !housing)
        return 0;
    char today[32], cut[2][11] = {"", ""}, stage_cut[BED_STAGES][11];
    store_now(today);
    if (housing) {
        housing_cutoff(c, ST_OFFERED, today, cut[0]);
        housing_cutoff(c, ST_FROZEN, today, cut[1]);
    }
    unsigned mask = beds ? bed_work_mask(c->me.roles) : 0;
    struct work_count_query wq = {.open_before = {cut[0], cut[1]},
                                  /* a street office's account counts its street's only */
                                  .street = beds ? bed_actor_street(&c->me) : NULL};
    for (int k = 0; k < BED_STAGES; k++) {
        stage_cut[k][0] = '\0';
        if (mask & (1u << k))
            days_before(today, bed_deadline_days(c, k), stage_cut[k]);
        wq.bed_before[k] = stage_cut[k];
    }
    long long late[2] = {0, 0}, overdue = 0;
    int err = c->st->ops->bed->work_counts(c->st, &wq, late, &overdue);
    if (err)
        return err;
    c->home.offers_late = late[0];
    c->home.frozen_late = late[1];
    c->home.overdue = (int)overdue;
    return 0;
}

static const char *label(int screen)
{
    switch (screen) {
    case CS_PROGRAMS: return _("Housing queues");
    case CS_BEDS: return _("Home-care bed applications (家庭养老床位)");
    case CS_KIOSKS: return _("Kiosks needing paper");
    case CS_ACCOUNTS: return _("Staff accounts (admin)");
    case CS_AUDIT: return _("Audit trail (admin)");
    case CS_CHECK: return _("Check (admin)");
    case CS_FLEET: return _("Fleet health (heartbeats)");
    case CS_REPORTS: return _("Reports (charts, CSV export)");
    case CS_HOUSING: return _("Housing work queue");
    default: return "";
    }
}

static void home_build(struct console *c)
{
    static const struct cv_col cols[] = {{"", 0, false}};
    set_cols(c, 1, cols);
    snprintf(c->v.title, sizeof c->v.title, "%s", _("Staff console"));
    for (int i = 0; i < c->home.n; i++) {
        bool late = c->home.item[i] == CS_BEDS && c->home.overdue;
        bool hlate = c->home.item[i] == CS_HOUSING && (c->home.offers_late || c->home.frozen_late);
        struct cv_row *r = add_row(c, late || hlate ? CVK_WARN : CVK_NORMAL);
        if (hlate) {
            char o[24], f[24];
            housing_late_text(c->home.offers_late, o);
            housing_late_text(c->home.frozen_late, f);
            cell(r, 0, _("%d  %s — %s offers overdue, %s freezes to review"), i + 1,
                 label(c->home.item[i]), o, f);
        } else if (late) {
            cell(r, 0, _("%d  %s — %d overdue"), i + 1, label(c->home.item[i]), c->home.overdue);
        } else {
            cell(r, 0, "%d  %s", i + 1, label(c->home.item[i]));
        }
    }
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
    .load = home_load,
    .build = home_build,
    .input = home_input,
    .actions = home_actions,
};
