/* reports.c — the reports screen (issue 14 item 6): one report at a time
 * (kiosk/report.h), each row a group, a label, its number and a bar; ←/→
 * or the digits 1–6 change the report, `x` writes it as CSV into [reports]
 * dir and shows the path.  For the street, district and admin roles (home
 * offers it to them).  Aggregates only: no name, ID or reference is read,
 * so opening a report is not audited; writing a CSV file is (a file that
 * leaves the screen).  A street office's account with a street sees the bed
 * reports of its street only (eldercare.h bed_actor_street), in the caption
 * too; the housing reports are not limited (queues have no street). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/audit.h"
#include "kiosk/audit_detail.h"
#include "kiosk/config.h"
#include "kiosk/console/console_int.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/report.h"

static void rep_enter(struct console *c)
{
    c->rep.sel = 0;
}

static void rep_leave(struct console *c)
{
    free(c->rep.r);   /* aggregates: nothing personal to wipe */
    c->rep.r = NULL;
}

static int rep_load(struct console *c)
{
    if (!c->rep.r && !(c->rep.r = calloc(1, sizeof *c->rep.r)))
        return KERR_NOMEM;
    store_now(c->rep.today);
    struct report_opts o = {.today = c->rep.today, .months = 12,
                            .min_count = c->cfg ? c->cfg->report_min_count : 0,
                            .deadline_days = c->cfg ? c->cfg->stage_deadline_days : NULL,
                            .street = bed_actor_street(&c->me)};
    int err = report_run(c->st, c->rep.id, &o, c->rep.r);
    if (c->rep.sel >= c->rep.r->n)
        c->rep.sel = c->rep.r->n ? c->rep.r->n - 1 : 0;
    return err;
}

static void rep_build(struct console *c)
{
    const struct report *r = c->rep.r;
    static const struct cv_col cols[] = {
        {N_("Group"), 10, false}, {N_("Period / stage"), 26, false}, {"", 12, true}, {"", 0, false}};
    set_cols(c, 4, cols);
    snprintf(c->v.col[2].title, sizeof c->v.col[2].title, "%s", _(report_unit(c->rep.id)));
    c->v.bar_col = 3;
    snprintf(c->v.title, sizeof c->v.title, "%s", _("Reports"));
    if (!r)
        return;
    const char *street = bed_actor_street(&c->me);
    bool bed_rep = c->rep.id == REP_FUNNEL || c->rep.id == REP_STAGE_DAYS || c->rep.id == REP_OVERDUE;
    if (street && bed_rep)
        snprintf(c->v.caption, sizeof c->v.caption, "%d/%d  %s — %s", c->rep.id + 1, REP__COUNT,
                 _(report_title(c->rep.id)), street);
    else
        snprintf(c->v.caption, sizeof c->v.caption, "%d/%d  %s", c->rep.id + 1, REP__COUNT,
                 _(report_title(c->rep.id)));
    /* a window of the rows around the selection: the view holds CV_ROWS */
    int first = c->rep.sel >= CV_ROWS ? c->rep.sel - CV_ROWS + 1 : 0;
    for (int i = first; i < r->n; i++) {
        const struct report_row *w = &r->row[i];
        /* a new group starts with its name; the rows under it leave it blank */
        bool head = i == first || strcmp(r->row[i - 1].group, w->group);
        struct cv_row *row = add_row(c, CVK_NORMAL);
        if (!row)
            break;
        cell(row, 0, "%s", head ? w->group : "");
        char lab[CV_CELL];
        cut_cols(w->label, 26, lab, sizeof lab);
        cell(row, 1, "%s", lab);
        if (w->suppressed) {
            cell(row, 2, "<%d", r->min_count);
        } else {
            cell(row, 2, "%lld", w->value);
            row->bar = r->max > 0 ? (unsigned short)(w->value * 1000 / r->max) : 0;
            if (w->value > 0 && row->bar == 0)
                row->bar = 1;   /* a count of one is never drawn as none */
        }
    }
    c->v.selected = r->n ? c->rep.sel - first : -1;
    if (!r->n)
        say(c, false, "%s", _("Nothing to count yet."));
}

/* `x`: the report as CSV in [reports] dir, named by report and time; audited */
static unsigned rep_export(struct console *c)
{
    const char *dir = c->cfg && c->cfg->report_dir[0] ? c->cfg->report_dir : "/tmp";
    char stamp[32], path[700];
    snprintf(stamp, sizeof stamp, "%.10s-%.2s%.2s%.2s", c->rep.today, c->rep.today + 11,
             c->rep.today + 14, c->rep.today + 17);
    snprintf(path, sizeof path, "%s/report-%s-%s.csv", dir, report_name(c->rep.id), stamp);
    kerr_clear();
    int err = report_save_csv(c->rep.r, path);
    if (!err && !(err = store_begin(c->st))) {
        if ((err = audit_append(c->st, c->sec, c->me.name, "report-export", report_name(c->rep.id),
                                AD_REPORT_EXPORT, c->rep.r->n, path)) ||
            (err = store_commit(c->st)))
            store_rollback(c->st);
    }
    if (err)
        say_err(c, _("Export"), err);
    else
        say(c, false, _("Written: %s"), path);
    return CR_REDRAW;
}

static unsigned rep_input(struct console *c, enum con_action a, uint32_t ch)
{
    int n = c->rep.r ? c->rep.r->n : 0;
    if (a == CA_CHAR) {
        if (ch >= '1' && ch < '1' + REP__COUNT && (int)(ch - '1') != c->rep.id) {
            c->rep.id = (int)(ch - '1');
            c->rep.sel = 0;
            return CR_LOAD | CR_REDRAW;
        }
        return CR_NONE;
    }
    if (move_sel(&c->rep.sel, n, a, 10))
        return CR_REDRAW;
    switch (a) {
    case CA_NEXT_REPORT:
    case CA_PREV_REPORT:
        c->rep.id = (c->rep.id + (a == CA_NEXT_REPORT ? 1 : REP__COUNT - 1)) % REP__COUNT;
        c->rep.sel = 0;
        return CR_LOAD | CR_REDRAW;
    case CA_EXPORT: return rep_export(c);
    case CA_ESCAPE: return con_back(c, CS_HOME);
    default: return CR_NONE;
    }
}

static int rep_actions(const struct console *c, int *acts, int cap)
{
    int n = 0;   /* export first: the hint shows what fits, and it is the key to find */
    if (c->rep.r && n < cap)
        acts[n++] = CA_EXPORT;
    if (n < cap)
        acts[n++] = CA_NEXT_REPORT;
    if (n < cap)
        acts[n++] = CA_PREV_REPORT;
    return list_actions(acts, n, cap, c->rep.r ? c->rep.r->n : 0);
}

const struct con_screen_ops con_reports = {
    .name = "reports",
    .layout = CL_TABLE,
    .enter = rep_enter,
    .leave = rep_leave,
    .load = rep_load,
    .build = rep_build,
    .input = rep_input,
    .actions = rep_actions,
};
