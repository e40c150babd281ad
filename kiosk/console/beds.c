/* beds.c — the console's list of home-care bed applications (家庭养老床位),
 * nothing personal: reference, stage, days in the stage, the stage's
 * deadline, dates, provider.  A work queue (issue 14): by default only the
 * stages this account's roles move FORWARD (its next step: approving,
 * assessing, building …, not the reject/withdraw/exit moves every stage
 * has), oldest in its stage first, with the days left before the stage's
 * deadline ([deadlines] in the configuration) and the overdue marked and
 * counted; `s` sorts by the next column; `f` steps through all stages and
 * each single one.  Every matching application is kept (a growable array,
 * never cut), shown a page of CONSOLE_PAGE at a time, and the caption says
 * which rows of how many. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/bed_rules.h"
#include "kiosk/bureau_row.h"
#include "kiosk/config.h"
#include "kiosk/console/console_int.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/secret.h"

/* The stages whose next step forward these roles take (a move to a stage
 * that is not closed: rejecting, withdrawing and exiting are possible at
 * almost every stage and would put nearly every application in the queue). */
bool provider_only(const struct console *c)
{
    return (c->me.roles & ROLE_PROVIDER) &&
           !(c->me.roles & (ROLE_STREET | ROLE_DISTRICT | ROLE_ADMIN));
}

unsigned bed_work_mask(unsigned roles)
{
    unsigned m = 0;
    for (int from = 0; from < BS__COUNT; from++)
        for (int to = 0; to < BS__COUNT; to++)
            if (!bed_stage_closed(to) && (bed_rule_roles(from, to) & roles))
                m |= 1u << from;
    return m;
}

int bed_deadline_days(const struct console *c, int stage)
{
    static const int dflt[] = {5, 10, 15, 5, 30, 10, 5, 0};   /* config.c's defaults */
    if (stage < 0 || stage >= 16)
        return 0;
    if (c->cfg)
        return c->cfg->stage_deadline_days[stage];
    return stage < (int)(sizeof dflt / sizeof dflt[0]) ? dflt[stage] : 0;
}

int bed_age_days(const char *today, const char *since)
{
    char a[11], b[11];
    int32_t da, db;
    snprintf(a, sizeof a, "%.10s", today);
    snprintf(b, sizeof b, "%.10s", since);
    if (date_parse(a, &da) || date_parse(b, &db)) {
        kerr_clear();
        return 0;
    }
    return da > db ? (int)(da - db) : 0;
}

struct bed_ctx {
    struct console *c;
    unsigned mask;
};

static int bed_one(void *ctx, const struct bed_summary *s)
{
    struct bed_ctx *b = ctx;
    struct console *c = b->c;
    if (c->beds.filter == BF_ACTIONABLE && !(b->mask & (1u << s->stage)))
        return 0;
    /* a provider sees its own clients only (an account without an
     * organisation: none) */
    if (provider_only(c) && (!c->my_org[0] || strcmp(s->provider_name, c->my_org)))
        return 0;
    int err = grow((void **)&c->beds.list, &c->beds.cap, c->beds.n + 1, sizeof *c->beds.list);
    if (err)
        return err;
    c->beds.list[c->beds.n++] = *s;
    return 0;
}

static void beds_leave(struct console *c)
{
    if (c->beds.list)
        secure_wipe(c->beds.list, (size_t)c->beds.cap * sizeof *c->beds.list);
    c->beds.n = 0;
}

static void beds_enter(struct console *c) { c->beds.sel = 0; }

/* Sorting: the column picked with `s` (enum bed_sort); ties by reference. */
static const struct console *sort_c;

static int days_left(const struct console *c, const struct bed_summary *s)
{
    int d = bed_deadline_days(c, s->stage);
    return d > 0 ? d - bed_age_days(c->beds.today, s->updated_at) : 1 << 20;
}

static int cmp_beds(const void *pa, const void *pb)
{
    const struct bed_summary *a = pa, *b = pb;
    int r = 0;
    switch (sort_c->beds.sort) {
    case BSORT_AGE: r = strcmp(a->updated_at, b->updated_at); break;   /* oldest in stage first */
    case BSORT_DEADLINE: r = (days_left(sort_c, a) > days_left(sort_c, b)) -
                             (days_left(sort_c, a) < days_left(sort_c, b)); break;
    case BSORT_STAGE: r = (a->stage > b->stage) - (a->stage < b->stage); break;
    case BSORT_SUBMITTED: r = strcmp(a->submitted_at, b->submitted_at); break;
    case BSORT_PROVIDER: r = strcmp(a->provider_name, b->provider_name); break;
    default: break;
    }
    return r ? r : strcmp(a->ref, b->ref);
}

static void sort_beds(struct console *c)
{
    sort_c = c;
    if (c->beds.n > 1)
        qsort(c->beds.list, (size_t)c->beds.n, sizeof *c->beds.list, cmp_beds);
    c->beds.overdue = 0;
    for (int i = 0; i < c->beds.n; i++)
        c->beds.overdue += days_left(c, &c->beds.list[i]) < 0;
}

static int beds_load(struct console *c)
{
    beds_leave(c);
    store_now(c->beds.today);
    struct bed_ctx b = {c, bed_work_mask(c->me.roles)};
    int err = bed_list(c->st, c->beds.filter >= 0 ? c->beds.filter : -1, bed_one, &b);
    sort_beds(c);
    if (c->beds.sel >= c->beds.n)
        c->beds.sel = c->beds.n - 1;
    if (c->beds.sel < 0)
        c->beds.sel = 0;
    return err;
}

static const char *filter_name(const struct console *c)
{
    if (c->beds.filter == BF_ACTIONABLE)
        return _("stages you can act on");
    if (c->beds.filter == BF_ALL)
        return _("all stages");
    return bed_stage_label(c->beds.filter, con_lang(c));
}

static void beds_build(struct console *c)
{
    static const struct cv_col cols[] = {
        /* widths: the longest stage code (provider_assigned) and "overdue 999" whole */
        {N_("Ref"), 11, false},      {N_("Stage"), 17, false}, {N_("Days"), 4, true},
        {N_("Deadline"), 12, false}, {N_("Submitted"), 10, false}, {N_("Provider"), 0, false}};
    static const char *const sort_names[] = {N_("days in stage"), N_("days left"), N_("stage"),
                                             N_("date submitted"), N_("provider")};
    set_cols(c, 6, cols);
    snprintf(c->v.title, sizeof c->v.title, "%s", _("Home-care bed applications"));
    int n = c->beds.n, off = c->beds.sel / CONSOLE_PAGE * CONSOLE_PAGE;
    char overdue[64] = "";
    if (c->beds.overdue)
        snprintf(overdue, sizeof overdue, _(", %d overdue"), c->beds.overdue);
    if (n > CONSOLE_PAGE)
        snprintf(c->v.caption, sizeof c->v.caption, _("%d–%d of %d applications%s — filter: %s — by %s"),
                 off + 1, off + CONSOLE_PAGE < n ? off + CONSOLE_PAGE : n, n, overdue, filter_name(c),
                 _(sort_names[c->beds.sort]));
    else
        snprintf(c->v.caption, sizeof c->v.caption, _("%d applications%s — filter: %s — by %s"), n,
                 overdue, filter_name(c), _(sort_names[c->beds.sort]));
    bool zh = !strcmp(con_lang(c), "zh");
    for (int i = off; i < n && i < off + CONSOLE_PAGE; i++) {
        const struct bed_summary *s = &c->beds.list[i];
        int left = days_left(c, s);
        struct cv_row *r = add_row(c, s->reassessment_due || left < 0 ? CVK_WARN : CVK_NORMAL);
        cell(r, 0, "%s", s->ref);
        /* a table cell: the Chinese word, or in English the short stage name
         * (the English sentence-labels do not fit a column) */
        cell(r, 1, "%s", zh ? bed_stage_label(s->stage, "zh") : bed_stage_name(s->stage));
        cell(r, 2, "%d", bed_age_days(c->beds.today, s->updated_at));
        if (left >= 1 << 20)
            cell(r, 3, "%s", "—");
        else if (left < 0)
            cell(r, 3, _("overdue %d"), -left);
        else
            cell(r, 3, _("%d left"), left);
        cell(r, 4, "%.10s", s->submitted_at);
        cell(r, 5, "%s", s->provider_name);
    }
    c->v.selected = n ? c->beds.sel - off : -1;
}

static unsigned beds_input(struct console *c, enum con_action a, uint32_t ch)
{
    (void)ch;
    if (move_sel(&c->beds.sel, c->beds.n, a, CONSOLE_PAGE))
        return CR_REDRAW;
    switch (a) {
    case CA_FILTER:
        c->beds.filter = c->beds.filter == BF_ACTIONABLE ? BF_ALL
                         : c->beds.filter + 1 >= BS__COUNT ? BF_ACTIONABLE
                                                           : c->beds.filter + 1;
        c->beds.sel = 0;
        return CR_LOAD;
    case CA_SORT:   /* the next column; the selected application stays selected */
        if (c->beds.n) {
            char ref[33];
            snprintf(ref, sizeof ref, "%s", c->beds.list[c->beds.sel].ref);
            c->beds.sort = (c->beds.sort + 1) % BSORT__COUNT;
            sort_beds(c);
            for (int i = 0; i < c->beds.n; i++)
                if (!strcmp(c->beds.list[i].ref, ref))
                    c->beds.sel = i;
        }
        return CR_REDRAW;
    case CA_ENTER:
        return c->beds.n ? con_open_bed(c, c->beds.list[c->beds.sel].ref, CS_BEDS) : CR_NONE;
    case CA_ESCAPE: return con_back(c, CS_HOME);
    default: return CR_NONE;
    }
}

static int beds_actions(const struct console *c, int *acts, int cap)
{
    int n = 0;
    if (c->beds.n && n < cap)
        acts[n++] = CA_ENTER;
    if (n < cap)
        acts[n++] = CA_FILTER;
    if (c->beds.n > 1 && n < cap)
        acts[n++] = CA_SORT;
    if (n < cap)
        acts[n++] = CA_SEARCH;
    return list_actions(acts, n, cap, c->beds.n);
}

static int *beds_sel(struct console *c, int *n)
{
    *n = c->beds.n;
    return &c->beds.sel;
}

static void beds_row_text(const struct console *c, int i, char *buf, size_t cap)
{
    const struct bed_summary *s = &c->beds.list[i];
    snprintf(buf, cap, "%s %s %s %.10s %.10s %s", s->ref, bed_stage_label(s->stage, con_lang(c)),
             bed_stage_name(s->stage), s->submitted_at, s->updated_at, s->provider_name);
}

const struct con_screen_ops con_beds = {
    .find_sel = beds_sel,
    .row_text = beds_row_text,
    .find_everyone = true,
    .name = "beds",
    .layout = CL_TABLE,
    .enter = beds_enter,
    .leave = beds_leave,
    .load = beds_load,
    .build = beds_build,
    .input = beds_input,
    .actions = beds_actions,
};
