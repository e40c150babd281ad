/* housing.c — the housing work queue (issue 14): what a clerk with the
 * housing role can act on now.  Two lists, picked with `f` from a list
 * that shows how many each holds:
 *   offers awaiting an answer  entries offered a flat (ST_OFFERED): the
 *       household accepts (housed) or refuses; [deadlines] offer_answer days
 *       to answer;
 *   frozen entries             ST_FROZEN: a freeze is reviewed after
 *       [deadlines] frozen_review days (unfreeze, withdraw, remove).
 * Oldest first (days since the offer or freeze), with the days left against
 * the deadline and the overdue marked; the overdue are counted on the home
 * menu (home.c).  `s` turns the order round (newest first); the header marks
 * the sorted column.  Only that column sorts: the list is paged from the
 * index entry_open (status, status_at, id) — migration 011 — by keyset in
 * either direction (the next page: after the last row's key; the previous:
 * before the first's, read backwards; the end: the other order's start), so
 * a page costs the same anywhere in a list of tens of thousands; the counts
 * come from entry_open_n (kept by triggers) and the overdue are counted up
 * to OPEN_LATE_CAP.  An order by programme, receipt or name would sort every
 * offered entry per page (and names are sealed: the database cannot sort
 * them at all).
 *
 * Enter opens the entry (entry.c), where accept / refuse / unfreeze are
 * recorded; back here the list is read again and the entry has left it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/bureau_row.h"
#include "kiosk/config.h"
#include "kiosk/console/console_int.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/idnum.h"
#include "kiosk/secret.h"

/* Which page load reads: the page again from its first row (F5, back from an
 * entry), the start, the next, the previous, the end. */
enum { WANT_RELOAD = 0, WANT_START, WANT_NEXT, WANT_PREV, WANT_END };

int housing_deadline_days(const struct console *c, int status)
{
    if (status == ST_OFFERED)
        return c->cfg ? c->cfg->offer_answer_days : 15;
    return c->cfg ? c->cfg->frozen_review_days : 90;
}

/* The date `days` before today ("YYYY-MM-DD"): entries in their status
 * since before it are overdue.  "" when there is no deadline. */
void housing_late_text(long long n, char out[24])
{
    snprintf(out, 24, n >= OPEN_LATE_CAP ? "%lld+" : "%lld", n);
}

void housing_cutoff(const struct console *c, int status, const char *today, char out[11])
{
    days_before(today, housing_deadline_days(c, status), out);
}

static void housing_leave(struct console *c)
{
    secure_wipe(c->work.page, sizeof c->work.page);
    secure_wipe(c->work.since, sizeof c->work.since);
    c->work.n_page = 0;
}

static void housing_enter(struct console *c)
{
    c->work.sel = 0;
    c->work.off = 0;
    c->work.want = WANT_START;
    if (c->work.kind != ST_FROZEN)
        c->work.kind = ST_OFFERED;
}

static int work_one(void *ctx, const struct entry_row *e, const char *since, const char *code)
{
    struct console *c = ctx;
    if (c->work.n_page >= CONSOLE_PAGE)
        return 0;
    int i = c->work.n_page++;
    snprintf(c->work.since[i], sizeof c->work.since[i], "%s", since);
    /* the programme's code, read with the row (build reads no store) */
    snprintf(c->work.prog[i], sizeof c->work.prog[i], "%s", code);
    kerr_clear();
    queue_line_fill(c->sec, e, &c->work.page[i]);
    return 0;
}

/* The page was read in the other order (the previous page, the end): turn it round,
 * with the dates and programme codes kept beside its lines. */
static void reverse_page(struct console *c)
{
    queue_lines_reverse(c->work.page, c->work.n_page);
    for (int i = 0, j = c->work.n_page - 1; i < j; i++, j--) {
        char t[32];
        memcpy(t, c->work.since[i], sizeof t);
        memcpy(c->work.since[i], c->work.since[j], sizeof t);
        memcpy(c->work.since[j], t, sizeof t);
        char p[16];
        memcpy(p, c->work.prog[i], sizeof p);
        memcpy(c->work.prog[i], c->work.prog[j], sizeof p);
        memcpy(c->work.prog[j], p, sizeof p);
    }
}

/* Read a page in order desc from the key (NULL: the start) and the counts
 * of both lists: one statement (open_view; issue 13). */
static int read_page(struct console *c, bool desc, const char *at, long long id, bool inclusive)
{
    housing_leave(c);
    char cut[2][11];
    housing_cutoff(c, ST_OFFERED, c->work.today, cut[0]);
    housing_cutoff(c, ST_FROZEN, c->work.today, cut[1]);
    struct open_view_query oq = {.status = c->work.kind, .desc = desc, .from_at = at, .from_id = id,
                                 .inclusive = inclusive, .n = CONSOLE_PAGE,
                                 .before = {cut[0], cut[1]}};
    int err = store_queue(c->st)->open_view(c->st, &oq, c->work.count, c->work.late, work_one, c);
    c->work.total = c->work.count[c->work.kind == ST_FROZEN];
    return err;
}

/* The page asked for (WANT_*) and the counts of both lists: one statement;
 * two only at an edge (the rows from the first shown on are gone: the last
 * page; Up past the start: the first page), each its own snapshot. */
static int housing_load(struct console *c)
{
    int err = 0;
    store_now(c->work.today);
    bool desc = c->work.desc;
    int want = c->work.want, old_n = c->work.n_page;
    char last_at[32] = "";
    long long last_id = 0;
    if (old_n) {
        snprintf(last_at, sizeof last_at, "%s", c->work.since[old_n - 1]);
        last_id = c->work.page[old_n - 1].e.id;
    }
    if (want == WANT_RELOAD && !c->work.have_first)
        want = WANT_START;
    if ((want == WANT_NEXT || want == WANT_PREV) && !old_n)
        want = WANT_START;
    switch (want) {
    case WANT_RELOAD:   /* from the first row shown (or the one after it, gone) */
        err = read_page(c, desc, c->work.first_at, c->work.first_id, true);
        if (!err && c->work.n_page == 0 && c->work.total > 0)
            want = WANT_END;   /* the rows from there on are gone: the last page */
        break;
    case WANT_NEXT:
        err = read_page(c, desc, last_at, last_id, false);
        if (!err)
            c->work.off += old_n;
        break;
    case WANT_PREV:
        err = read_page(c, !desc, c->work.first_at, c->work.first_id, false);
        reverse_page(c);
        c->work.off -= c->work.n_page;
        if (!err && (c->work.n_page < CONSOLE_PAGE || c->work.off < 0))
            want = WANT_START;   /* reached the start: a whole first page */
        break;
    default:
        break;
    }
    if (!err && want == WANT_START) {
        err = read_page(c, desc, NULL, 0, true);
        c->work.off = 0;
    } else if (!err && want == WANT_END) {
        err = read_page(c, !desc, NULL, 0, true);
        reverse_page(c);
        c->work.off = c->work.total - c->work.n_page;
    }
    if (err)
        return err;
    if (c->work.off < 0 || c->work.off > c->work.total)
        c->work.off = 0;
    c->work.want = WANT_RELOAD;
    c->work.have_first = c->work.n_page > 0;
    if (c->work.have_first) {
        snprintf(c->work.first_at, sizeof c->work.first_at, "%s", c->work.since[0]);
        c->work.first_id = c->work.page[0].e.id;
    }
    if (c->work.sel >= c->work.n_page)
        c->work.sel = c->work.n_page - 1;
    if (c->work.sel < 0)
        c->work.sel = 0;
    return 0;
}

/* Days since the offer or freeze of row i (-1: not known, an import's status). */
static int days_since(const struct console *c, int i)
{
    return c->work.since[i][0] ? bed_age_days(c->work.today, c->work.since[i]) : -1;
}

static void housing_build(struct console *c)
{
    struct cv_col cols[] = {
        {N_("Programme"), 9, false}, {N_("Receipt"), 12, false}, {N_("Name"), 8, false},
        {"", 11, false},    {N_("Days"), 6, true},      {N_("Deadline"), 12, false},
        {N_("Refusals"), 0, true}};
    set_cols(c, 7, cols);
    bool offers = c->work.kind != ST_FROZEN;
    snprintf(c->v.col[3].title, sizeof c->v.col[3].title, "%s", offers ? _("Offered on") : _("Freeze date"));
    /* the sorted column's mark: ▼ oldest first (days fall down the list), ▲ newest first */
    snprintf(c->v.col[4].title, sizeof c->v.col[4].title, "%s%s", _("Days"),
             c->work.desc ? "▲" : "▼");
    snprintf(c->v.title, sizeof c->v.title, "%s — %s", _("Housing work queue"),
             offers ? _("offers awaiting an answer") : _("frozen entries"));
    int k = !offers;
    long long n = c->work.total;
    char late[64] = "", nl[24], l0[24], l1[24];
    housing_late_text(c->work.late[k], nl);
    housing_late_text(c->work.late[0], l0);
    housing_late_text(c->work.late[1], l1);
    if (c->work.late[k])
        snprintf(late, sizeof late, offers ? _(", %s overdue") : _(", %s due for review"), nl);
    if (n == 0)
        snprintf(c->v.caption, sizeof c->v.caption, "%s",
                 offers ? _("No offer is awaiting an answer.") : _("No entry is frozen."));
    else
        snprintf(c->v.caption, sizeof c->v.caption, _("%lld–%lld of %lld%s — %s"), c->work.off + 1,
                 c->work.off + c->work.n_page, n, late,
                 c->work.desc ? _("newest first") : _("oldest first"));
    int deadline = housing_deadline_days(c, c->work.kind);
    for (int i = 0; i < c->work.n_page; i++) {
        const struct queue_line *l = &c->work.page[i];
        int age = days_since(c, i);
        int left = deadline > 0 && age >= 0 ? deadline - age : 1 << 20;
        struct cv_row *r = add_row(c, left < 0 ? CVK_WARN : CVK_NORMAL);
        cell(r, 0, "%s", c->work.prog[i]);
        cell(r, 1, "%s", l->e.receipt_no);
        cell(r, 2, "%s", l->name_masked);
        if (age < 0) {
            cell(r, 3, "%s", _("unknown"));   /* stored by an import: the file has no date */
            cell(r, 4, "%s", "—");
        } else {
            cell(r, 3, "%.10s", c->work.since[i]);
            cell(r, 4, "%d", age);
        }
        if (left >= 1 << 20)
            cell(r, 5, "%s", "—");
        else if (left < 0)
            cell(r, 5, offers ? _("overdue %d") : _("review %d late"), -left);
        else
            cell(r, 5, _("%d left"), left);
        cell(r, 6, "%d", l->e.refusals);
    }
    c->v.selected = c->work.n_page ? c->work.sel : -1;

    if (c->prompt == PK_WORK_PICK) {   /* the pick list over the table */
        c->v.n_rows = 0;
        secure_wipe(c->v.row, sizeof c->v.row);
        static const struct cv_col pick[] = {{"#", 3, true}, {N_("Show"), 0, false}};
        set_cols(c, 2, pick);
        snprintf(c->v.caption, sizeof c->v.caption, "%s", _("Show which list? Type its number."));
        struct cv_row *r = add_row(c, CVK_NORMAL);
        cell(r, 0, "1");
        cell(r, 1, _("Offers awaiting an answer (%lld, %s overdue)"), c->work.count[0], l0);
        r = add_row(c, CVK_NORMAL);
        cell(r, 0, "2");
        cell(r, 1, _("Frozen entries (%lld, %s due for review)"), c->work.count[1], l1);
        c->v.selected = k;
    }
}

static unsigned housing_input(struct console *c, enum con_action a, uint32_t ch)
{
    (void)ch;
    /* inside the page: formatting only; past its edge: the page next to it */
    long long off = c->work.off;
    bool more = off + c->work.n_page < c->work.total;
    switch (a) {
    case CA_UP:
        if (c->work.sel > 0) {
            c->work.sel--;
            return CR_REDRAW;
        }
        if (off <= 0)
            return CR_NONE;
        c->work.sel = CONSOLE_PAGE - 1;
        c->work.want = WANT_PREV;
        return CR_LOAD;
    case CA_DOWN:
        if (c->work.sel < c->work.n_page - 1) {
            c->work.sel++;
            return CR_REDRAW;
        }
        if (!more)
            return CR_NONE;
        c->work.sel = 0;
        c->work.want = WANT_NEXT;
        return CR_LOAD;
    case CA_PGDN:
        if (!more)
            return CR_NONE;
        c->work.want = WANT_NEXT;
        return CR_LOAD;
    case CA_PGUP:
        if (off <= 0)
            return CR_NONE;
        c->work.want = WANT_PREV;
        return CR_LOAD;
    case CA_HOME:
        c->work.sel = 0;
        c->work.want = WANT_START;
        return CR_LOAD;
    case CA_END:
        c->work.sel = CONSOLE_PAGE - 1;
        c->work.want = WANT_END;
        return CR_LOAD;
    default:
        break;
    }
    switch (a) {
    case CA_ENTER:
        return c->work.sel < c->work.n_page ? con_open_entry(c, &c->work.page[c->work.sel].e, CS_HOUSING)
                                            : CR_NONE;
    case CA_SORT:   /* the one indexed column: oldest or newest first */
        c->work.desc = !c->work.desc;
        c->work.sel = 0;
        c->work.want = WANT_START;
        say(c, false, "%s", c->work.desc ? _("Newest first.") : _("Oldest first."));
        return CR_LOAD;
    case CA_FILTER:
        prompt_open(c, PK_WORK_PICK, false, _("Show list (1–2):"));
        return CR_REDRAW;
    case CA_ESCAPE: return con_back(c, CS_HOME);
    default: return CR_NONE;
    }
}

static unsigned housing_prompt_done(struct console *c, int kind, const char *text)
{
    if (kind != PK_WORK_PICK)
        return CR_REDRAW;
    if (!strcmp(text, "1") || !strcmp(text, "2")) {
        c->work.kind = text[0] == '1' ? ST_OFFERED : ST_FROZEN;
        c->work.sel = 0;
        c->work.want = WANT_START;
        return CR_LOAD;
    }
    say(c, true, "%s", _("Type 1 or 2."));
    prompt_open(c, PK_WORK_PICK, false, _("Show list (1–2):"));
    return CR_REDRAW;
}

static int housing_actions(const struct console *c, int *acts, int cap)
{
    int n = 0;
    if (c->work.n_page && n < cap)
        acts[n++] = CA_ENTER;
    if (n < cap)
        acts[n++] = CA_FILTER;
    if (c->work.total > 1 && n < cap)
        acts[n++] = CA_SORT;
    if (n < cap)
        acts[n++] = CA_SEARCH;
    int rows = c->work.total > 0x7fffffff ? 0x7fffffff : (int)c->work.total;
    return list_actions(acts, n, cap, rows);
}

/* `/` searches the page shown (Enter with no match: everyone). */
static int *housing_sel(struct console *c, int *n)
{
    *n = c->work.n_page;
    return &c->work.sel;
}

static void housing_row_text(const struct console *c, int i, char *buf, size_t cap)
{
    const struct queue_line *l = &c->work.page[i];
    snprintf(buf, cap, "%s %s %s %s", l->e.receipt_no, l->name_masked, l->id_masked, c->work.since[i]);
}

const struct con_screen_ops con_housing = {
    .find_sel = housing_sel,
    .row_text = housing_row_text,
    .find_everyone = true,
    .name = "housing",
    .layout = CL_TABLE,
    .enter = housing_enter,
    .leave = housing_leave,
    .load = housing_load,
    .build = housing_build,
    .input = housing_input,
    .prompt_done = housing_prompt_done,
    .actions = housing_actions,
};
