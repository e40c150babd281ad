/* beds.c — the console's list of home-care bed applications (家庭养老床位),
 * nothing personal: reference, stage, dates, provider.  By default the
 * stages this account's roles can act on; `f` steps through all stages and
 * each single one.  Every matching application is kept (a growable array,
 * never cut), shown a page of CONSOLE_PAGE at a time, and the caption says
 * which rows of how many. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/bed_rules.h"
#include "kiosk/console/console_int.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/secret.h"

static unsigned stage_actionable_mask(unsigned roles)
{
    unsigned m = 0;
    for (int from = 0; from < BS__COUNT; from++)
        for (int to = 0; to < BS__COUNT; to++)
            if (bed_rule_roles(from, to) & roles)
                m |= 1u << from;
    return m;
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

static int beds_load(struct console *c)
{
    beds_leave(c);
    struct bed_ctx b = {c, stage_actionable_mask(c->me.roles)};
    int err = bed_list(c->st, c->beds.filter >= 0 ? c->beds.filter : -1, bed_one, &b);
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
        {N_("Ref"), 12, false}, {N_("Stage"), 19, false}, {N_("Submitted"), 11, false},
        {N_("Updated"), 11, false}, {N_("Provider"), 0, false}};
    set_cols(c, 5, cols);
    snprintf(c->v.title, sizeof c->v.title, "%s", _("Home-care bed applications"));
    int n = c->beds.n, off = c->beds.sel / CONSOLE_PAGE * CONSOLE_PAGE;
    if (n > CONSOLE_PAGE)
        snprintf(c->v.caption, sizeof c->v.caption, _("%d–%d of %d applications — filter: %s"),
                 off + 1, off + CONSOLE_PAGE < n ? off + CONSOLE_PAGE : n, n, filter_name(c));
    else
        snprintf(c->v.caption, sizeof c->v.caption, _("%d applications — filter: %s"), n,
                 filter_name(c));
    bool zh = !strcmp(con_lang(c), "zh");
    for (int i = off; i < n && i < off + CONSOLE_PAGE; i++) {
        const struct bed_summary *s = &c->beds.list[i];
        struct cv_row *r = add_row(c, s->reassessment_due ? CVK_WARN : CVK_NORMAL);
        cell(r, 0, "%s", s->ref);
        /* a table cell: the Chinese word, or in English the short stage name
         * (the English sentence-labels do not fit a column) */
        cell(r, 1, "%s", zh ? bed_stage_label(s->stage, "zh") : bed_stage_name(s->stage));
        cell(r, 2, "%.10s", s->submitted_at);
        cell(r, 3, "%.10s", s->updated_at);
        cell(r, 4, "%s", s->provider_name);
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
    if (n < cap)
        acts[n++] = CA_SEARCH;
    if (n < cap)
        acts[n++] = CA_ESCAPE;
    if (n < cap)
        acts[n++] = CA_REFRESH;
    if (c->beds.n)
        n = nav_actions(acts, n, cap, c->beds.n > CONSOLE_PAGE);
    return n;
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
