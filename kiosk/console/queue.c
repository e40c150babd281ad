/* queue.c — the console's queue browser: one programme's waiting list, a
 * page of CONSOLE_PAGE rows at a time from any position (store page(): a
 * Fenwick descent, not OFFSET), with the exact total.  Moving the cursor
 * inside the page is formatting only; crossing a page edge, PgUp/PgDn,
 * Home/End and `g` (go to position N) load the one page needed.  Names
 * and ID numbers are decrypted and masked when the page loads, and wiped
 * when it is replaced or the screen is left.
 *
 * `f` picks the status shown from a numbered list with counts (waiting,
 * offered, frozen from numbers kept O(1); housed, withdrawn and removed
 * counted up to QUEUE_COUNT_CAP).  `s` picks the order from the ones an
 * index serves at a million entries: position (the rank tree; waiting
 * only) or the date applied, oldest or newest first (the index entry_wait
 * (status, program_id, wait_since), paged by keyset as the housing work
 * queue is).  Orders by name (sealed), district or size would sort every
 * row of the status per page: not offered (docs/console.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/bureau_row.h"
#include "kiosk/console/console_int.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/idnum.h"
#include "kiosk/secret.h"

/* Counts of the statuses not kept O(1) stop here (shown "1000+"). */
#define QUEUE_COUNT_CAP 1000
/* By date, which page load reads: the page again from its first row (F5,
 * back from an entry), the start, the next, the previous, the end. */
enum { QW_RELOAD = 0, QW_START, QW_NEXT, QW_PREV, QW_END };

static void queue_leave(struct console *c)
{
    secure_wipe(c->queue.page, sizeof c->queue.page);
    c->queue.n_page = 0;
}

static void queue_enter(struct console *c)
{
    queue_leave(c);
    c->queue.sel = 0;
    c->queue.pos = 0;
    c->queue.want_pos = 1;
    /* each programme opens on its waiting list by position */
    c->queue.status = ST_WAITING;
    c->queue.by_date = c->queue.desc = false;
    c->queue.off = 0;
    c->queue.want = QW_START;
    c->queue.have_first = false;
}

static int page_one(void *ctx, const struct entry_row *e)
{
    struct console *c = ctx;
    if (c->queue.n_page >= CONSOLE_PAGE)
        return 0;
    queue_line_fill(c->sec, e, &c->queue.page[c->queue.n_page++]);
    return 0;
}

/* By date: read a page in order desc from the row (wait, id) — none: the start. */
static int read_dated(struct console *c, bool desc, bool have_key, int64_t wait, long long id,
                      bool inclusive)
{
    queue_leave(c);
    return store_queue(c->st)->status_page(c->st, c->queue.prog.id, c->queue.status, desc, have_key,
                                           wait, id, inclusive, CONSOLE_PAGE, page_one, c);
}

/* By date: the page asked for (QW_*), keyset in either direction. */
static int load_dated(struct console *c)
{
    bool desc = c->queue.desc;
    int want = c->queue.want, old_n = c->queue.n_page, err = 0;
    int64_t last_wait = 0;
    long long last_id = 0;
    if (old_n) {
        last_wait = c->queue.page[old_n - 1].e.key[OK_WAIT_SINCE];
        last_id = c->queue.page[old_n - 1].e.id;
    }
    if (want == QW_RELOAD && !c->queue.have_first)
        want = QW_START;
    if ((want == QW_NEXT || want == QW_PREV) && !old_n)
        want = QW_START;
    switch (want) {
    case QW_RELOAD:   /* from the first row shown (or the one after it, gone) */
        err = read_dated(c, desc, true, c->queue.first_wait, c->queue.first_id, true);
        if (!err && c->queue.n_page == 0 && c->queue.total > 0)
            want = QW_END;
        break;
    case QW_NEXT:
        err = read_dated(c, desc, true, last_wait, last_id, false);
        if (!err)
            c->queue.off += old_n;
        break;
    case QW_PREV:
        err = read_dated(c, !desc, true, c->queue.first_wait, c->queue.first_id, false);
        queue_lines_reverse(c->queue.page, c->queue.n_page);
        c->queue.off -= c->queue.n_page;
        if (!err && (c->queue.n_page < CONSOLE_PAGE || c->queue.off < 0))
            want = QW_START;   /* reached the start: a whole first page */
        break;
    default:
        break;
    }
    if (!err && want == QW_START) {
        err = read_dated(c, desc, false, 0, 0, false);
        c->queue.off = 0;
    } else if (!err && want == QW_END) {
        err = read_dated(c, !desc, false, 0, 0, false);
        queue_lines_reverse(c->queue.page, c->queue.n_page);
        c->queue.off = c->queue.total - c->queue.n_page;
    }
    if (err)
        return err;
    if (c->queue.off < 0)
        c->queue.off = 0;
    c->queue.want = QW_RELOAD;
    c->queue.have_first = c->queue.n_page > 0;
    if (c->queue.n_page) {
        c->queue.first_wait = c->queue.page[0].e.key[OK_WAIT_SINCE];
        c->queue.first_id = c->queue.page[0].e.id;
    }
    return 0;
}

/* Every status's count (the `f` pick list shows them; by date the page's
 * total is its status's count).  Waiting, offered and frozen are kept
 * counts; the others are counted up to QUEUE_COUNT_CAP. */
static int queue_counts(struct console *c)
{
    const struct queue_store_ops *q = store_queue(c->st);
    int err = 0;
    for (int s = 0; s < ST__COUNT && !err; s++)
        err = q->status_count(c->st, c->queue.prog.id, s, QUEUE_COUNT_CAP, &c->queue.count[s]);
    return err;
}

/* By date: the counts and the page asked for, in one snapshot. */
static int queue_load_dated(struct console *c)
{
    int err = c->st->ops->begin_read(c->st);
    if (err)
        return err;
    if ((err = queue_counts(c)))
        goto fail;
    c->queue.total = c->queue.count[c->queue.status];
    if ((err = load_dated(c)))
        goto fail;
    return store_commit(c->st);
fail:
    store_rollback(c->st);
    return err;
}

/* The page starting at want_pos (clamped into 1..total) and the total: one
 * statement, so one snapshot with no transaction round it (page_at; issue
 * 13: a console page is one round trip on PostgreSQL).  By date: the page
 * asked for (queue_load_dated). */
static int queue_load(struct console *c)
{
    long long pos = c->queue.want_pos ? c->queue.want_pos : c->queue.pos, used = 1, total = 0;
    if (c->queue.by_date) {
        int err = queue_load_dated(c);
        if (err)
            return err;
        if (c->queue.sel >= c->queue.n_page)
            c->queue.sel = c->queue.n_page - 1;
        if (c->queue.sel < 0)
            c->queue.sel = 0;
        return 0;
    }
    queue_leave(c);
    int err = store_queue(c->st)->page_at(c->st, c->queue.prog.id, pos, CONSOLE_PAGE, &total, &used,
                                          page_one, c);
    if (err) {
        queue_leave(c);
        return err;
    }
    c->queue.total = total;
    c->queue.pos = used;
    c->queue.want_pos = 0;
    if (c->queue.sel >= c->queue.n_page)
        c->queue.sel = c->queue.n_page - 1;
    if (c->queue.sel < 0)
        c->queue.sel = 0;
    return 0;
}

/* A status's count as shown: "12", or "1000+" where counting stopped
 * (waiting, offered and frozen are kept exactly). */
static void count_text(int status, long long n, char out[24])
{
    bool capped = status != ST_WAITING && status != ST_OFFERED && status != ST_FROZEN;
    snprintf(out, 24, capped && n >= QUEUE_COUNT_CAP ? "%lld+" : "%lld", n);
}

/* The sort pick list: 1 position, 2 oldest applied first, 3 newest first. */
#define QSORT_N 3

/* While `s` or `f` asks: the numbered choices instead of the rows. */
static void pick_rows(struct console *c)
{
    static const struct cv_col pick[] = {{"#", 3, true}, {N_("Show"), 0, false}, {N_("Count"), 8, true}};
    static const struct cv_col by[] = {{"#", 3, true}, {N_("Sort by"), 0, false}};
    c->v.n_rows = 0;
    secure_wipe(c->v.row, sizeof c->v.row);
    struct cv_row *r;
    if (c->prompt == PK_QUEUE_SORT) {
        static const char *const names[QSORT_N] = {N_("position in the queue (waiting only)"),
                                                   N_("date applied, oldest first"),
                                                   N_("date applied, newest first")};
        set_cols(c, 2, by);
        snprintf(c->v.caption, sizeof c->v.caption, "%s",
                 _("Sort by what? Only orders an index keeps fast at a million entries."));
        for (int k = 0; k < QSORT_N; k++) {
            r = add_row(c, k == 0 && c->queue.status != ST_WAITING ? CVK_NOTE : CVK_NORMAL);
            cell(r, 0, "%d", k + 1);
            cell(r, 1, "%s", _(names[k]));
        }
        c->v.selected = !c->queue.by_date ? 0 : c->queue.desc ? 2 : 1;
        return;
    }
    set_cols(c, 3, pick);
    snprintf(c->v.caption, sizeof c->v.caption, "%s", _("Show which entries? Type the number."));
    for (int s = 0; s < ST__COUNT; s++) {
        char n[24];
        count_text(s, c->queue.count[s], n);
        r = add_row(c, CVK_NORMAL);
        cell(r, 0, "%d", s + 1);
        cell(r, 1, "%s", queue_status_label(s));
        cell(r, 2, "%s", n);
    }
    c->v.selected = c->queue.status;
}

static void queue_build(struct console *c)
{
    static const struct cv_col cols[] = {
        {N_("Pos"), 8, true}, {N_("Receipt"), 14, false}, {N_("Name"), 10, false}, {N_("ID"), 18, false},
        {N_("Size"), 4, true}, {N_("Status"), 9, false}, {N_("District"), 0, false}};
    /* by date: the row's number in the list and the date applied (the
     * status is the one picked, named in the caption) */
    static const struct cv_col dcols[] = {
        {"#", 8, true}, {N_("Receipt"), 14, false}, {N_("Name"), 10, false}, {N_("ID"), 18, false},
        {N_("Size"), 4, true}, {N_("Applied"), 11, false}, {N_("District"), 0, false}};
    bool by_date = c->queue.by_date;
    set_cols(c, 7, by_date ? dcols : cols);
    if (by_date)
        snprintf(c->v.col[5].title, sizeof c->v.col[5].title, "%s%s", _(dcols[5].title),
                 c->queue.desc ? "▼" : "▲");
    snprintf(c->v.title, sizeof c->v.title, "%s %s — %s", _("Queue"), c->queue.prog.code,
             !strcmp(con_lang(c), "zh") ? c->queue.prog.name_zh : c->queue.prog.name_en);
    char total[24];
    count_text(c->queue.status, c->queue.total, total);
    if (!by_date && c->queue.total == 0)
        snprintf(c->v.caption, sizeof c->v.caption, "%s", _("Nobody is waiting in this queue."));
    else if (!by_date)
        snprintf(c->v.caption, sizeof c->v.caption, _("Positions %lld–%lld of %lld waiting"),
                 c->queue.pos, c->queue.pos + c->queue.n_page - 1, c->queue.total);
    else if (c->queue.n_page == 0)
        snprintf(c->v.caption, sizeof c->v.caption, _("No entries in this queue are %s."),
                 queue_status_short(c->queue.status));
    else
        snprintf(c->v.caption, sizeof c->v.caption, _("%lld–%lld of %s %s, by date applied"),
                 c->queue.off + 1, c->queue.off + c->queue.n_page, total,
                 queue_status_short(c->queue.status));
    for (int i = 0; i < c->queue.n_page; i++) {
        const struct queue_line *l = &c->queue.page[i];
        struct cv_row *r = add_row(c, CVK_NORMAL);
        cell(r, 0, "%lld", by_date ? c->queue.off + i + 1 : c->queue.pos + i);
        cell(r, 1, "%s", l->e.receipt_no);
        cell(r, 2, "%s", l->name_masked);
        cell(r, 3, "%s", l->id_masked);
        cell(r, 4, "%d", l->e.household_size);
        if (by_date) {
            char d[11] = "—";
            if (l->e.key[OK_WAIT_SINCE] != NONE_I64)
                date_format((int32_t)l->e.key[OK_WAIT_SINCE], d);
            cell(r, 5, "%s", d);
        } else {
            cell(r, 5, "%s", queue_status_short(l->e.status));
        }
        cell(r, 6, "%s", l->e.hukou_district);
    }
    c->v.selected = c->queue.n_page ? c->queue.sel : -1;
    if (c->prompt == PK_QUEUE_SORT || c->prompt == PK_QUEUE_FILTER)
        pick_rows(c);
}

/* Ask for the page at pos (read by load). */
static unsigned want(struct console *c, long long pos)
{
    c->queue.want_pos = pos < 1 ? 1 : pos;
    return CR_LOAD;
}

/* By date: ask for a page (QW_*). */
static unsigned want_dated(struct console *c, int w)
{
    c->queue.want = w;
    return CR_LOAD;
}

/* By date: the keys move over keyset pages (the caption's numbers follow). */
static unsigned dated_input(struct console *c, enum con_action a)
{
    switch (a) {
    case CA_UP:
        if (c->queue.sel > 0) {
            c->queue.sel--;
            return CR_REDRAW;
        }
        if (c->queue.off <= 0)
            return CR_NONE;
        c->queue.sel = CONSOLE_PAGE - 1;
        return want_dated(c, QW_PREV);
    case CA_DOWN:
        if (c->queue.sel < c->queue.n_page - 1) {
            c->queue.sel++;
            return CR_REDRAW;
        }
        if (c->queue.off + c->queue.n_page >= c->queue.total && c->queue.n_page < CONSOLE_PAGE)
            return CR_NONE;
        c->queue.sel = 0;
        return want_dated(c, QW_NEXT);
    case CA_PGDN:
        return c->queue.n_page < CONSOLE_PAGE ? CR_NONE : want_dated(c, QW_NEXT);
    case CA_PGUP:
        return c->queue.off <= 0 ? CR_NONE : want_dated(c, QW_PREV);
    case CA_HOME:
        c->queue.sel = 0;
        return want_dated(c, QW_START);
    case CA_END:
        c->queue.sel = CONSOLE_PAGE - 1;
        return want_dated(c, QW_END);
    default:
        return CR_NONE;
    }
}

static unsigned queue_input(struct console *c, enum con_action a, uint32_t ch)
{
    (void)ch;
    long long pos = c->queue.pos;
    switch (a) {
    case CA_SORT: {
        char label[64];
        snprintf(label, sizeof label, _("Sort by (1–%d):"), QSORT_N);
        prompt_open(c, PK_QUEUE_SORT, false, label);
        return CR_REDRAW;
    }
    case CA_FILTER: {
        /* the list shows each status's count: read them now (the position
         * page reads only its own, in its one statement) */
        int err = queue_counts(c);
        if (err) {
            say_err(c, _("Cannot count the entries"), err);
            return CR_REDRAW;
        }
        char label[64];
        snprintf(label, sizeof label, _("Show (1–%d):"), ST__COUNT);
        prompt_open(c, PK_QUEUE_FILTER, false, label);
        return CR_REDRAW;
    }
    case CA_ENTER:
        return c->queue.n_page ? con_open_entry(c, &c->queue.page[c->queue.sel].e, CS_QUEUE) : CR_NONE;
    case CA_ESCAPE: return con_back(c, CS_PROGRAMS);
    default: break;
    }
    if (c->queue.by_date)
        return dated_input(c, a);
    switch (a) {
    case CA_UP:
        if (c->queue.sel > 0) {
            c->queue.sel--;
            return CR_REDRAW;
        }
        if (pos <= 1)
            return CR_NONE;
        c->queue.sel = CONSOLE_PAGE - 1;
        return want(c, pos - CONSOLE_PAGE);
    case CA_DOWN:
        if (c->queue.sel < c->queue.n_page - 1) {
            c->queue.sel++;
            return CR_REDRAW;
        }
        if (pos + c->queue.n_page > c->queue.total)
            return CR_NONE;
        c->queue.sel = 0;
        return want(c, pos + CONSOLE_PAGE);
    case CA_PGDN:
        return pos + CONSOLE_PAGE > c->queue.total ? CR_NONE : want(c, pos + CONSOLE_PAGE);
    case CA_PGUP:
        return pos <= 1 ? CR_NONE : want(c, pos - CONSOLE_PAGE);
    case CA_HOME:
        c->queue.sel = 0;
        return want(c, 1);
    case CA_END:
        c->queue.sel = CONSOLE_PAGE - 1;
        return want(c, c->queue.total - CONSOLE_PAGE + 1);
    case CA_JUMP: {
        char label[96];
        snprintf(label, sizeof label, _("Go to position (1–%lld):"), c->queue.total);
        prompt_open(c, PK_JUMP, false, label);
        return CR_REDRAW;
    }
    default: return CR_NONE;
    }
}

static unsigned jump(struct console *c, const char *text)
{
    char *end;
    long long n = strtoll(text, &end, 10);
    if (end == text || *end || n < 1) {
        say(c, true, "%s", _("Type a position number."));
        return CR_REDRAW;
    }
    if (n > c->queue.total) {
        say(c, true, _("Only %lld are waiting."), c->queue.total);
        return CR_REDRAW;
    }
    /* the jump itself: entry_at(N) (a Fenwick descent) checks N exists,
     * then load reads the page from N */
    struct entry_row e;
    int err = store_queue(c->st)->entry_at(c->st, c->queue.prog.id, n, &e);
    secure_wipe(&e, sizeof e);
    if (err) {
        say_err(c, _("Cannot go there"), err);
        return CR_REDRAW;
    }
    say(c, false, _("Position %lld."), n);
    c->queue.sel = 0;
    return want(c, n);
}

/* A number typed into the sort or filter prompt: apply it, or say what is
 * wanted and ask again. */
static unsigned pick_done(struct console *c, int kind, const char *text)
{
    char *end, label[64];
    long k = strtol(text, &end, 10);
    bool num = end != text && !*end;
    int last = kind == PK_QUEUE_SORT ? QSORT_N : ST__COUNT;
    if (!num || k < 1 || k > last) {
        say(c, true, _("Type a number from the list (1–%d)."), last);
        snprintf(label, sizeof label, kind == PK_QUEUE_SORT ? _("Sort by (1–%d):") : _("Show (1–%d):"), last);
        prompt_open(c, kind, false, label);
        return CR_REDRAW;
    }
    if (kind == PK_QUEUE_SORT) {
        if (k == 1 && c->queue.status != ST_WAITING) {
            /* only waiting entries hold a position */
            say(c, true, "%s", _("Only waiting entries have a position: show waiting (f) first."));
            return CR_REDRAW;
        }
        c->queue.by_date = k > 1;
        c->queue.desc = k == 3;
    } else {
        c->queue.status = (int)k - 1;
        /* a status other than waiting has no positions: by date */
        if (c->queue.status != ST_WAITING)
            c->queue.by_date = true;
    }
    c->queue.sel = 0;
    c->queue.off = 0;
    c->queue.want = QW_START;
    c->queue.want_pos = 1;
    return CR_LOAD;
}

static unsigned queue_prompt_done(struct console *c, int kind, const char *text)
{
    if (kind == PK_JUMP)
        return jump(c, text);
    if (kind == PK_QUEUE_SORT || kind == PK_QUEUE_FILTER)
        return pick_done(c, kind, text);
    return CR_REDRAW;
}

static int queue_actions(const struct console *c, int *acts, int cap)
{
    int n = 0;
    if (c->queue.n_page && n < cap)
        acts[n++] = CA_ENTER;
    if (c->queue.total && !c->queue.by_date && n < cap)
        acts[n++] = CA_JUMP;
    if (n < cap)
        acts[n++] = CA_SEARCH;
    if (n < cap)
        acts[n++] = CA_FILTER;
    if (n < cap)
        acts[n++] = CA_SORT;
    if (n < cap)
        acts[n++] = CA_ESCAPE;
    if (c->queue.total)
        n = nav_actions(acts, n, cap, true);
    if (n < cap)
        acts[n++] = CA_REFRESH;
    return n;
}

/* `/` searches the page shown (Enter with no match: everyone). */
static int *queue_sel(struct console *c, int *n)
{
    *n = c->queue.n_page;
    return &c->queue.sel;
}

static void queue_row_text(const struct console *c, int i, char *buf, size_t cap)
{
    const struct queue_line *l = &c->queue.page[i];
    snprintf(buf, cap, "%lld %s %s %s %s %s", c->queue.by_date ? c->queue.off + i + 1 : c->queue.pos + i,
             l->e.receipt_no, l->name_masked,
             l->id_masked, queue_status_short(l->e.status), l->e.hukou_district);
}

const struct con_screen_ops con_queue = {
    .find_sel = queue_sel,
    .row_text = queue_row_text,
    .find_everyone = true,
    .name = "queue",
    .layout = CL_TABLE,
    .enter = queue_enter,
    .leave = queue_leave,
    .load = queue_load,
    .build = queue_build,
    .input = queue_input,
    .prompt_done = queue_prompt_done,
    .actions = queue_actions,
};
