/* programs.c — the console's list of housing programmes with how many wait
 * in each.  Every programme is listed: the list grows to what the store
 * holds (program_list fills at most cap, so a full answer means "ask again
 * with more room"); a page of the view shows CONSOLE_PAGE of them and the
 * caption says which. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/console/console_int.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"

static int programs_load(struct console *c)
{
    const struct queue_store_ops *q = store_queue(c->st);
    int err, n = 0;
    for (int want = c->progs.cap ? c->progs.cap : 16;; want *= 2) {
        if ((err = grow((void **)&c->progs.list, &c->progs.cap, want, sizeof *c->progs.list)))
            return err;
        long long *t = realloc(c->progs.total, (size_t)c->progs.cap * sizeof *t);
        if (!t)
            return KERR_NOMEM;
        c->progs.total = t;
        if ((err = q->program_list(c->st, c->progs.list, c->progs.cap, &n)))
            return err;
        if (n < c->progs.cap)
            break;   /* room to spare: that was all of them */
    }
    c->progs.n = n;
    for (int i = 0; i < n; i++)
        if ((err = q->total(c->st, c->progs.list[i].id, &c->progs.total[i])))
            return err;
    if (c->progs.sel >= n || c->progs.sel < 0)
        c->progs.sel = 0;
    return 0;
}

static void programs_build(struct console *c)
{
    static const struct cv_col cols[] = {
        {N_("Code"), 8, false}, {N_("Programme"), 0, false}, {N_("Waiting"), 9, true}};
    set_cols(c, 3, cols);
    snprintf(c->v.title, sizeof c->v.title, "%s", _("Housing queues"));
    bool zh = !strcmp(con_lang(c), "zh");
    int n = c->progs.n, off = c->progs.sel / CONSOLE_PAGE * CONSOLE_PAGE;
    if (n > CONSOLE_PAGE)
        snprintf(c->v.caption, sizeof c->v.caption, _("Programmes %d–%d of %d"), off + 1,
                 off + CONSOLE_PAGE < n ? off + CONSOLE_PAGE : n, n);
    else
        snprintf(c->v.caption, sizeof c->v.caption, _("%d programmes"), n);
    for (int i = off; i < n && i < off + CONSOLE_PAGE; i++) {
        struct cv_row *r = add_row(c, CVK_NORMAL);
        cell(r, 0, "%s", c->progs.list[i].code);
        cell(r, 1, "%s", zh ? c->progs.list[i].name_zh : c->progs.list[i].name_en);
        cell(r, 2, "%lld", c->progs.total[i]);
    }
    c->v.selected = n ? c->progs.sel - off : -1;
}

/* Open the queue browser on programme i, from position 1. */
static unsigned open_queue(struct console *c, int i)
{
    c->queue.prog = c->progs.list[i];
    return con_open(c, CS_QUEUE);
}

static unsigned programs_input(struct console *c, enum con_action a, uint32_t ch)
{
    (void)ch;
    if (move_sel(&c->progs.sel, c->progs.n, a, CONSOLE_PAGE))
        return CR_REDRAW;
    switch (a) {
    case CA_ENTER: return c->progs.n ? open_queue(c, c->progs.sel) : CR_NONE;
    case CA_SEARCH:
        prompt_open(c, PK_PERSON, false, _("Find anyone — receipt, ID number, name or phone:"));
        return CR_REDRAW;
    case CA_ESCAPE: return con_back(c, CS_HOME);
    default: return CR_NONE;
    }
}

static unsigned programs_prompt_done(struct console *c, int kind, const char *text)
{
    (void)c;
    (void)kind;
    (void)text;
    return CR_REDRAW;
}

static int programs_actions(const struct console *c, int *acts, int cap)
{
    int n = 0;
    if (c->progs.n && n < cap)
        acts[n++] = CA_ENTER;
    if (n < cap)
        acts[n++] = CA_SEARCH;
    return list_actions(acts, n, cap, c->progs.n);
}

const struct con_screen_ops con_programs = {
    .name = "programs",
    .layout = CL_TABLE,
    .load = programs_load,
    .build = programs_build,
    .input = programs_input,
    .prompt_done = programs_prompt_done,
    .actions = programs_actions,
};
