/* beds.c — the console's list of home-care bed applications (家庭养老床位),
 * nothing personal: reference, stage, days in the stage, the stage's
 * deadline, dates, provider.  A work queue (issue 14): by default only the
 * stages this account's roles move FORWARD (its next step: approving,
 * assessing, building …, not the reject/withdraw/exit moves every stage
 * has), oldest in its stage first, with the days left before the stage's
 * deadline ([deadlines] in the configuration) and the overdue marked and
 * counted.  `s` opens a numbered list of the columns: the one picked sorts
 * the list (picked again: the other way round) and its header is marked ▲
 * (values rising down the list) or ▼; every column may sort, the list being
 * in memory whole (a street's applications: thousands, not the million
 * housing entries).  `f` opens a numbered list of what to show — the stages
 * this account acts on, every stage, or one stage — each with its count;
 * for district and admin accounts the same list goes on with every street,
 * or one street (issue 14), each with its count.  A street office's account
 * with a street reads only its street's applications (bed_actor_street).
 * Every matching application is kept (a growable array, never cut), shown a
 * page of CONSOLE_PAGE at a time, and the caption says which rows of how
 * many. */
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

void days_before(const char *today, int days, char out[11])
{
    int32_t d;
    char t[11];
    snprintf(t, sizeof t, "%.10s", today);
    out[0] = '\0';
    if (days <= 0 || date_parse(t, &d)) {
        kerr_clear();
        return;
    }
    date_format(d - days, out);
}

struct bed_ctx {
    struct console *c;
    unsigned mask;
};

/* Count s's street for the filter's pick list (kept in name order). */
static void street_count(struct console *c, const char *street)
{
    int i = 0;
    while (i < c->beds.n_streets && strcmp(c->beds.streets[i], street) < 0)
        i++;
    if (i < c->beds.n_streets && !strcmp(c->beds.streets[i], street)) {
        c->beds.street_n[i]++;
        return;
    }
    if (c->beds.n_streets == BEDS_STREETS)
        return;   /* more streets than a district has: the rest are not offered */
    int move = c->beds.n_streets - i;
    memmove(c->beds.streets[i + 1], c->beds.streets[i], sizeof c->beds.streets[0] * (size_t)move);
    memmove(&c->beds.street_n[i + 1], &c->beds.street_n[i], sizeof c->beds.street_n[0] * (size_t)move);
    snprintf(c->beds.streets[i], sizeof c->beds.streets[i], "%s", street);
    c->beds.street_n[i] = 1;
    c->beds.n_streets++;
}

static int bed_one(void *ctx, const struct bed_summary *s)
{
    struct bed_ctx *b = ctx;
    struct console *c = b->c;
    /* a provider sees its own clients only (an account without an
     * organisation: none) */
    if (provider_only(c) && (!c->my_org[0] || strcmp(s->provider_name, c->my_org)))
        return 0;
    street_count(c, s->street);
    if (c->beds.by_street && strcmp(s->street, c->beds.street))
        return 0;
    /* the counts of the filter's pick list: every stage is read anyway */
    if (s->stage >= 0 && s->stage < BS__COUNT)
        c->beds.stage_n[s->stage]++;
    c->beds.n_all++;
    c->beds.n_mine += (b->mask >> s->stage) & 1u;
    if (c->beds.filter == BF_ACTIONABLE && !(b->mask & (1u << s->stage)))
        return 0;
    if (c->beds.filter >= 0 && s->stage != c->beds.filter)
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
    if (!r)
        r = strcmp(a->ref, b->ref);
    return sort_c->beds.desc ? -r : r;
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
    memset(c->beds.stage_n, 0, sizeof c->beds.stage_n);
    c->beds.n_mine = c->beds.n_all = 0;
    c->beds.n_streets = 0;
    /* a street office's account: its street's rows only, from the store */
    int err = bed_list_street(c->st, -1, bed_actor_street(&c->me), bed_one, &b);
    sort_beds(c);
    if (c->beds.sel >= c->beds.n)
        c->beds.sel = c->beds.n - 1;
    if (c->beds.sel < 0)
        c->beds.sel = 0;
    return err;
}

static const char *stage_filter_name(const struct console *c)
{
    if (c->beds.filter == BF_ACTIONABLE)
        return _("stages you can act on");
    if (c->beds.filter == BF_ALL)
        return _("all stages");
    return bed_stage_label(c->beds.filter, con_lang(c));
}

/* A street as shown: its name, or "no street recorded" for "". */
static const char *street_label(const char *street)
{
    return street[0] ? street : _("no street recorded");
}

/* The filter as the caption says it: the stages, and the street picked. */
static const char *filter_name(const struct console *c)
{
    static char buf[160];
    if (!c->beds.by_street)
        return stage_filter_name(c);
    snprintf(buf, sizeof buf, "%s, %s", stage_filter_name(c), street_label(c->beds.street));
    return buf;
}

/* District and admin pick a street from the list; a street's own account
 * (or one seeing every street only because it has none) is not offered one
 * when it is limited to its street. */
static bool street_pick(const struct console *c)
{
    return (c->me.roles & (ROLE_DISTRICT | ROLE_ADMIN)) != 0;
}


/* The column each sort orders by (the header to mark), and back. */
static const int sort_col[BSORT__COUNT] = {[BSORT_REF] = 0, [BSORT_STAGE] = 1, [BSORT_AGE] = 2,
                                           [BSORT_DEADLINE] = 3, [BSORT_SUBMITTED] = 4,
                                           [BSORT_PROVIDER] = 5};
static const int col_sort[6] = {BSORT_REF, BSORT_STAGE, BSORT_AGE, BSORT_DEADLINE, BSORT_SUBMITTED,
                                BSORT_PROVIDER};
/* The filter's pick list: 1 the stages this account acts on, 2 all, 3… each
 * stage; then (district, admin) every street, and each street. */
#define PICK_STAGE0 3
#define PICK_STREETS (PICK_STAGE0 + BS__COUNT)

/* The last number of the filter's pick list. */
static int pick_last(const struct console *c)
{
    return PICK_STAGE0 + BS__COUNT - 1 + (street_pick(c) ? 1 + c->beds.n_streets : 0);
}

/* While `s` or `f` asks: the numbered choices instead of the rows. */
static void pick_rows(struct console *c, const struct cv_col *cols)
{
    static const struct cv_col pick[] = {{"#", 3, true}, {N_("Show"), 0, false}, {N_("Count"), 8, true}};
    static const struct cv_col by[] = {{"#", 3, true}, {N_("Sort by"), 0, false}};
    c->v.n_rows = 0;
    secure_wipe(c->v.row, sizeof c->v.row);
    struct cv_row *r;
    if (c->prompt == PK_BED_SORT) {
        set_cols(c, 2, by);
        snprintf(c->v.caption, sizeof c->v.caption, "%s",
                 _("Sort by which column? The sorted one again: the other way round."));
        for (int k = 0; k < 6; k++) {
            r = add_row(c, CVK_NORMAL);
            cell(r, 0, "%d", k + 1);
            if (col_sort[k] == c->beds.sort)
                cell(r, 1, "%s %s", _(cols[k].title), c->beds.desc ? _("(sorted, reversed)") : _("(sorted)"));
            else
                cell(r, 1, "%s", _(cols[k].title));
        }
        c->v.selected = sort_col[c->beds.sort];
        return;
    }
    set_cols(c, 3, pick);
    snprintf(c->v.caption, sizeof c->v.caption, "%s", _("Show which applications? Type the number."));
    r = add_row(c, CVK_NORMAL);
    cell(r, 0, "1");
    cell(r, 1, "%s", _("stages you can act on"));
    cell(r, 2, "%d", c->beds.n_mine);
    r = add_row(c, CVK_NORMAL);
    cell(r, 0, "2");
    cell(r, 1, "%s", _("all stages"));
    cell(r, 2, "%d", c->beds.n_all);
    bool zh = !strcmp(con_lang(c), "zh");
    for (int k = 0; k < BS__COUNT; k++) {
        r = add_row(c, CVK_NORMAL);
        cell(r, 0, "%d", PICK_STAGE0 + k);
        cell(r, 1, "%s", zh ? bed_stage_label(k, "zh") : bed_stage_label(k, "en"));
        cell(r, 2, "%d", c->beds.stage_n[k]);
    }
    c->v.selected = c->beds.filter == BF_ACTIONABLE ? 0 : c->beds.filter == BF_ALL ? 1
                                                                                : PICK_STAGE0 + c->beds.filter - 1;
    if (!street_pick(c))
        return;
    int total = 0;
    for (int k = 0; k < c->beds.n_streets; k++)
        total += c->beds.street_n[k];
    r = add_row(c, CVK_NORMAL);
    cell(r, 0, "%d", PICK_STREETS);
    cell(r, 1, "%s", _("all streets"));
    cell(r, 2, "%d", total);
    for (int k = 0; k < c->beds.n_streets; k++) {
        r = add_row(c, CVK_NORMAL);
        cell(r, 0, "%d", PICK_STREETS + 1 + k);
        cell(r, 1, "%s", street_label(c->beds.streets[k]));
        cell(r, 2, "%d", c->beds.street_n[k]);
    }
}

static void beds_build(struct console *c)
{
    static const struct cv_col cols[] = {
        /* widths: the longest stage code (provider_assigned) and "overdue 999" whole,
         * each header with its sort mark */
        {N_("Ref"), 11, false},      {N_("Stage"), 17, false}, {N_("Days"), 5, true},
        {N_("Deadline"), 12, false}, {N_("Submitted"), 10, false}, {N_("Provider"), 0, false}};
    static const char *const sort_names[] = {N_("days in stage"), N_("days left"), N_("stage"),
                                             N_("date submitted"), N_("provider"), N_("reference")};
    set_cols(c, 6, cols);
    /* the sorted column's header: ▲ values rise down the list, ▼ they fall
     * (days in stage: the oldest first is falling days) */
    int sc = sort_col[c->beds.sort];
    bool rising = (c->beds.sort == BSORT_AGE) == c->beds.desc;
    snprintf(c->v.col[sc].title, sizeof c->v.col[sc].title, "%s%s", _(cols[sc].title),
             rising ? "▲" : "▼");
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
    if (c->prompt == PK_BED_SORT || c->prompt == PK_BED_FILTER)
        pick_rows(c, cols);
}

static unsigned beds_input(struct console *c, enum con_action a, uint32_t ch)
{
    (void)ch;
    if (move_sel(&c->beds.sel, c->beds.n, a, CONSOLE_PAGE))
        return CR_REDRAW;
    switch (a) {
    case CA_FILTER: {
        char label[64];
        snprintf(label, sizeof label, _("Show (1–%d):"), pick_last(c));
        prompt_open(c, PK_BED_FILTER, false, label);
        return CR_REDRAW;
    }
    case CA_SORT:
        prompt_open(c, PK_BED_SORT, false, _("Sort by column (1–6):"));
        return CR_REDRAW;
    case CA_ENTER:
        return c->beds.n ? con_open_bed(c, c->beds.list[c->beds.sel].ref, CS_BEDS) : CR_NONE;
    case CA_ESCAPE: return con_back(c, CS_HOME);
    default: return CR_NONE;
    }
}

/* A number typed into the sort or filter prompt: apply it, or say what is
 * wanted and ask again. */
static unsigned beds_prompt_done(struct console *c, int kind, const char *text)
{
    char *end;
    long k = strtol(text, &end, 10);
    bool num = end != text && !*end;
    if (kind == PK_BED_SORT) {
        if (!num || k < 1 || k > 6) {
            say(c, true, "%s", _("Type the number of a column (1–6)."));
            prompt_open(c, PK_BED_SORT, false, _("Sort by column (1–6):"));
            return CR_REDRAW;
        }
        /* the selected application stays selected */
        char ref[33] = "";
        if (c->beds.n)
            snprintf(ref, sizeof ref, "%s", c->beds.list[c->beds.sel].ref);
        int want = col_sort[k - 1];
        c->beds.desc = want == c->beds.sort ? !c->beds.desc : false;
        c->beds.sort = want;
        sort_beds(c);
        for (int i = 0; i < c->beds.n; i++)
            if (!strcmp(c->beds.list[i].ref, ref))
                c->beds.sel = i;
        return CR_REDRAW;
    }
    if (kind == PK_BED_FILTER) {
        int last = pick_last(c);
        if (!num || k < 1 || k > last) {
            char label[64];
            say(c, true, _("Type a number from the list (1–%d)."), last);
            snprintf(label, sizeof label, _("Show (1–%d):"), last);
            prompt_open(c, PK_BED_FILTER, false, label);
            return CR_REDRAW;
        }
        if (k == PICK_STREETS) {
            c->beds.by_street = false;
        } else if (k > PICK_STREETS) {   /* a street: the stage filter stays */
            c->beds.by_street = true;
            snprintf(c->beds.street, sizeof c->beds.street, "%s",
                     c->beds.streets[k - PICK_STREETS - 1]);
        } else {
            c->beds.filter = k == 1 ? BF_ACTIONABLE : k == 2 ? BF_ALL : (int)k - PICK_STAGE0;
        }
        c->beds.sel = 0;
        return CR_LOAD;
    }
    return CR_REDRAW;
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
    snprintf(buf, cap, "%s %s %s %.10s %.10s %s %s", s->ref, bed_stage_label(s->stage, con_lang(c)),
             bed_stage_name(s->stage), s->submitted_at, s->updated_at, s->provider_name, s->street);
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
    .prompt_done = beds_prompt_done,
    .actions = beds_actions,
};
