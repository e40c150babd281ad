/* queue.c — the console's queue browser: one programme's waiting list, a
 * page of CONSOLE_PAGE rows at a time from any position (store page(): a
 * Fenwick descent, not OFFSET), with the exact total.  Moving the cursor
 * inside the page is formatting only; crossing a page edge, PgUp/PgDn,
 * Home/End and `g` (go to position N) load the one page needed.  Names
 * and ID numbers are decrypted and masked when the page loads, and wiped
 * when it is replaced or the screen is left. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/console/console_int.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/idnum.h"
#include "kiosk/secret.h"

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
}

static int page_one(void *ctx, const struct entry_row *e)
{
    struct console *c = ctx;
    if (c->queue.n_page >= CONSOLE_PAGE)
        return 0;
    struct queue_line *l = &c->queue.page[c->queue.n_page++];
    char id[19] = "", name[257] = "";
    l->e = *e;
    if (queue_unseal(c->sec, e, id, name, sizeof name) == 0) {
        idnum_mask(id, l->id_masked, sizeof l->id_masked);
        name_mask(name, l->name_masked, sizeof l->name_masked);
    } else {
        snprintf(l->id_masked, sizeof l->id_masked, "%s", "?");
        snprintf(l->name_masked, sizeof l->name_masked, "%s", "?");
    }
    secure_wipe(id, sizeof id);
    secure_wipe(name, sizeof name);
    return 0;
}

/* The page starting at want_pos (clamped into 1..total) and the total: one
 * statement, so one snapshot with no transaction round it (page_at). */
static int queue_load(struct console *c)
{
    long long pos = c->queue.want_pos ? c->queue.want_pos : c->queue.pos, used = 1, total = 0;
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

static void queue_build(struct console *c)
{
    static const struct cv_col cols[] = {
        {N_("Pos"), 8, true}, {N_("Receipt"), 14, false}, {N_("Name"), 10, false}, {N_("ID"), 18, false},
        {N_("Size"), 4, true}, {N_("Status"), 9, false}, {N_("District"), 0, false}};
    set_cols(c, 7, cols);
    snprintf(c->v.title, sizeof c->v.title, "%s %s — %s", _("Queue"), c->queue.prog.code,
             !strcmp(con_lang(c), "zh") ? c->queue.prog.name_zh : c->queue.prog.name_en);
    if (c->queue.total == 0)
        snprintf(c->v.caption, sizeof c->v.caption, "%s", _("Nobody is waiting in this queue."));
    else
        snprintf(c->v.caption, sizeof c->v.caption, _("Positions %lld–%lld of %lld waiting"),
                 c->queue.pos, c->queue.pos + c->queue.n_page - 1, c->queue.total);
    for (int i = 0; i < c->queue.n_page; i++) {
        const struct queue_line *l = &c->queue.page[i];
        struct cv_row *r = add_row(c, CVK_NORMAL);
        cell(r, 0, "%lld", c->queue.pos + i);
        cell(r, 1, "%s", l->e.receipt_no);
        cell(r, 2, "%s", l->name_masked);
        cell(r, 3, "%s", l->id_masked);
        cell(r, 4, "%d", l->e.household_size);
        cell(r, 5, "%s", queue_status_short(l->e.status));
        cell(r, 6, "%s", l->e.hukou_district);
    }
    c->v.selected = c->queue.n_page ? c->queue.sel : -1;
}

/* Ask for the page at pos (read by load). */
static unsigned want(struct console *c, long long pos)
{
    c->queue.want_pos = pos < 1 ? 1 : pos;
    return CR_LOAD;
}

static unsigned queue_input(struct console *c, enum con_action a, uint32_t ch)
{
    (void)ch;
    long long pos = c->queue.pos;
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
    case CA_ENTER:
        return c->queue.n_page ? con_open_entry(c, &c->queue.page[c->queue.sel].e, CS_QUEUE) : CR_NONE;
    case CA_ESCAPE: return con_back(c, CS_PROGRAMS);
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

static unsigned queue_prompt_done(struct console *c, int kind, const char *text)
{
    if (kind == PK_JUMP)
        return jump(c, text);
    return CR_REDRAW;
}

static int queue_actions(const struct console *c, int *acts, int cap)
{
    int n = 0;
    if (c->queue.n_page && n < cap)
        acts[n++] = CA_ENTER;
    if (c->queue.total && n < cap)
        acts[n++] = CA_JUMP;
    if (n < cap)
        acts[n++] = CA_SEARCH;
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
    snprintf(buf, cap, "%lld %s %s %s %s %s", c->queue.pos + i, l->e.receipt_no, l->name_masked,
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
