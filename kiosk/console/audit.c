/* audit.c — the admin's view of the audit trail: the last AUDIT_TAIL
 * records (the caption says how many of how many), and `v` to verify the
 * whole hash chain (audit_verify: work on demand, never on a key that
 * only moves the cursor). */
#include <stdio.h>
#include <stdlib.h>

#include "kiosk/audit.h"
#include "kiosk/console/console_int.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/secret.h"

static int audit_one(void *ctx, const struct audit_rec *r)
{
    struct console *c = ctx;
    if (c->audit.n < AUDIT_TAIL)
        c->audit.list[c->audit.n++] = *r;
    return 0;
}

static void audit_leave(struct console *c)
{
    if (c->audit.list)
        secure_wipe(c->audit.list, AUDIT_TAIL * sizeof *c->audit.list);
    c->audit.n = 0;
}

static void audit_enter(struct console *c) { c->audit.sel = -1; }   /* the newest, once loaded */

static int audit_load(struct console *c)
{
    if (!c->audit.list && !(c->audit.list = calloc(AUDIT_TAIL, sizeof *c->audit.list)))
        return KERR_NOMEM;
    audit_leave(c);
    struct audit_rec last;
    int err = c->st->ops->audit_last(c->st, &last);
    if (err == KERR_NOTFOUND)
        return 0;
    if (err)
        return err;
    long long from = last.seq - AUDIT_TAIL + 1;
    err = c->st->ops->audit_each(c->st, from < 1 ? 1 : from, audit_one, c);
    if (c->audit.sel >= c->audit.n || c->audit.sel < 0)
        c->audit.sel = c->audit.n - 1;
    return err;
}

static void audit_build(struct console *c)
{
    static const struct cv_col cols[] = {
        {N_("Seq"), 6, true}, {N_("At"), 19, false}, {N_("Actor"), 14, false}, {N_("Action"), 10, false},
        {N_("Object / detail"), 0, false}};
    set_cols(c, 5, cols);
    snprintf(c->v.title, sizeof c->v.title, "%s", _("Audit trail"));
    snprintf(c->v.caption, sizeof c->v.caption, _("The last %d records"), c->audit.n);
    for (int i = 0; i < c->audit.n; i++) {
        const struct audit_rec *a = &c->audit.list[i];
        struct cv_row *r = add_row(c, CVK_NORMAL);
        cell(r, 0, "%lld", a->seq);
        cell(r, 1, "%s", a->at);
        cell(r, 2, "%s", a->actor);
        cell(r, 3, "%s", a->action);
        /* by display width, whole characters: details are often Chinese */
        char obj[CV_CELL], det[CV_CELL];
        cut_cols(a->object, 30, obj, sizeof obj);
        cut_cols(a->detail, 60, det, sizeof det);
        cell(r, 4, "%s %s", obj, det);
    }
    c->v.selected = c->audit.n ? c->audit.sel : -1;
}

static unsigned audit_input(struct console *c, enum con_action a, uint32_t ch)
{
    (void)ch;
    if (move_sel(&c->audit.sel, c->audit.n, a, 10))
        return CR_REDRAW;
    switch (a) {
    case CA_VERIFY: {
        long long n = 0, bad = 0;
        kerr_clear();
        int err = audit_verify(c->st, c->sec, &n, &bad);
        if (err)
            say_err(c, _("Audit chain"), err);
        else
            say(c, false, _("Audit chain verified: %lld records."), n);
        return CR_REDRAW;
    }
    case CA_ESCAPE: return con_back(c, CS_HOME);
    default: return CR_NONE;
    }
}

static int audit_actions(const struct console *c, int *acts, int cap)
{
    int n = 0;
    if (n < cap)
        acts[n++] = CA_VERIFY;
    if (n < cap)
        acts[n++] = CA_ESCAPE;
    if (n < cap)
        acts[n++] = CA_REFRESH;
    if (c->audit.n && n < cap)
        acts[n++] = CA_SEARCH;
    if (c->audit.n)
        n = nav_actions(acts, n, cap, false);
    return n;
}

static int *audit_sel(struct console *c, int *n)
{
    *n = c->audit.n;
    return &c->audit.sel;
}

static void audit_row_text(const struct console *c, int i, char *buf, size_t cap)
{
    const struct audit_rec *a = &c->audit.list[i];
    snprintf(buf, cap, "%lld %s %s %s %s %s", a->seq, a->at, a->actor, a->action, a->object, a->detail);
}

const struct con_screen_ops con_audit = {
    .find_sel = audit_sel,
    .row_text = audit_row_text,
    .name = "audit",
    .layout = CL_TABLE,
    .enter = audit_enter,
    .leave = audit_leave,
    .load = audit_load,
    .build = audit_build,
    .input = audit_input,
    .actions = audit_actions,
};
