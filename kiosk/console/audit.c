/* audit.c — the admin's audit browser: every record, newest first, a page
 * of AUDIT_TAIL at a time (PgDn older, PgUp newer), filtered by actor,
 * action, a date range and an entry or reference typed in a small form
 * (`f`: one field after another, each holding its current value; an empty
 * field is "any").  Each page is one indexed read (report_store_audit,
 * migration 011), however long the trail.  `v` verifies the whole hash
 * chain (audit_verify: work on demand, never on a key that only moves the
 * cursor).
 *
 * The list speaks the console's language: the action as a label
 * (audit_action_label: a gettext table of the codes), the object's kind
 * word translated beside its receipt or reference.  80 columns leave no
 * room for the detail in the list (`/` finds a record by it, in either
 * language) — a terminal of AUDIT_DETAIL_COLS or more shows it as a last
 * column, in the reader's language: Enter opens the selected record in full — each field in the
 * console's language, the detail read back against the format it was
 * written with (audit_detail_local), then what is stored where it reads
 * otherwise: the action code, the actor, object and detail exactly as
 * stored, the evidence the hash chain covers (↑↓ move to the next record,
 * Enter or Esc back to the list); kioskctl audit tail prints them too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/audit.h"
#include "kiosk/audit_detail.h"
#include "kiosk/bureau_row.h"
#include "kiosk/console/console_int.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/report.h"
#include "kiosk/secret.h"

static int audit_one(void *ctx, const struct audit_rec *r)
{
    struct console *c = ctx;
    if (c->audit.n < AUDIT_TAIL)
        c->audit.list[c->audit.n++] = *r;
    return 0;
}

static void audit_wipe(struct console *c)
{
    if (c->audit.list)
        secure_wipe(c->audit.list, AUDIT_TAIL * sizeof *c->audit.list);
    c->audit.n = 0;
}

static void audit_leave(struct console *c)
{
    audit_wipe(c);
    memset(&c->audit.f, 0, sizeof c->audit.f);   /* a filter may hold a reference */
    memset(&c->audit.edit, 0, sizeof c->audit.edit);
    c->audit.entry[0] = c->audit.edit_entry[0] = '\0';
    c->audit.page = c->audit.deepest = 0;
}

static void audit_enter(struct console *c)
{
    c->audit.detail = false;
    c->audit.sel = 0;   /* the newest, at the top */
    c->audit.page = c->audit.deepest = 0;
}

static int audit_load(struct console *c)
{
    if (!c->audit.list && !(c->audit.list = calloc(AUDIT_TAIL, sizeof *c->audit.list)))
        return KERR_NOMEM;
    audit_wipe(c);
    const struct audit_bound *b =
        c->audit.page ? &c->audit.bound[(c->audit.page - 1) % AUDIT_PAGES] : NULL;
    int err = report_store_audit(c->st, &c->audit.f, b, AUDIT_TAIL, audit_one, c);
    if (c->audit.sel >= c->audit.n || c->audit.sel < 0)
        c->audit.sel = 0;
    return err;
}

static bool filtered(const struct console *c)
{
    const struct audit_filter *f = &c->audit.f;
    return f->actor[0] || f->action[0] || f->since[0] || f->until[0] || c->audit.entry[0];
}

/* One field, its text in rows of 60 columns cut on whole characters (a
 * detail is longer than the table is wide). */
static bool field_rows(struct console *c, const char *label, const char *text)
{
    const char *d = text;
    bool first = true;
    do {
        char piece[CV_CELL];
        cut_cols(d, 60, piece, sizeof piece);
        if (!piece[0] && *d) {   /* a character wider than the piece: never loop */
            snprintf(piece, sizeof piece, "%s", "?");
            d += strlen(d);
        } else {
            d += strlen(piece);
        }
        struct cv_row *r = add_row(c, CVK_NORMAL);
        if (!r)
            return false;
        cell(r, 0, "%s", first ? label : "");
        cell(r, 1, "%s", piece);
        first = false;
    } while (*d);
    return true;
}

/* The record in full, one field a row: in the console's language first (the
 * action's label, the object's kind word, the detail read back against its
 * format), then what is stored where it reads otherwise — the action code
 * always, the actor, object and detail when their shown text differs. */
static void detail_rows(struct console *c, const struct audit_rec *a)
{
    static const struct cv_col cols[] = {{N_("Field"), 14, false}, {N_("Value"), 0, false}};
    set_cols(c, 2, cols);
    snprintf(c->v.caption, sizeof c->v.caption, _("Record %lld — ↑↓ another record, Enter or Esc: the list"),
             a->seq);
    utf8_trim(c->v.caption);
    char seq[24], obj[CV_CELL], detail[sizeof a->detail * 3];
    snprintf(seq, sizeof seq, "%lld", a->seq);
    audit_object_label(a->object, obj, sizeof obj);
    audit_detail_local(a->action, a->detail, detail, sizeof detail);
    const char *actor = audit_actor_label(a->actor);
    if (!field_rows(c, _("Seq"), seq) || !field_rows(c, _("At"), a->at) ||
        !field_rows(c, _("Actor"), actor) || !field_rows(c, _("Action"), audit_action_label(a->action)) ||
        !field_rows(c, _("Object"), obj) || !field_rows(c, _("Detail"), detail) ||
        !field_rows(c, _("Action code"), a->action) ||
        (strcmp(actor, a->actor) && !field_rows(c, _("Stored actor"), a->actor)) ||
        (strcmp(obj, a->object) && !field_rows(c, _("Stored object"), a->object)))
        return;
    if (strcmp(detail, a->detail))
        field_rows(c, _("Stored detail"), a->detail);
    c->v.selected = -1;
}

static void audit_build(struct console *c)
{
    static const struct cv_col cols[] = {
        {N_("Seq"), 6, true}, {N_("At"), 19, false}, {N_("Actor"), 14, false}, {N_("Action"), 14, false},
        {N_("Object"), 24, false}, {N_("Detail"), 0, false}};
    set_cols(c, 6, cols);
    c->v.wide_col = 5;   /* the detail: on a wide terminal only */
    c->v.wide_min = AUDIT_DETAIL_COLS;
    snprintf(c->v.title, sizeof c->v.title, "%s", _("Audit trail"));
    const struct audit_filter *f = &c->audit.f;
    char what[120] = "";
    if (filtered(c)) {
        size_t o = 0;
        if (f->actor[0])
            o += (size_t)snprintf(what + o, sizeof what - o, " %s=%s", _("actor"), f->actor);
        if (f->action[0] && o < sizeof what)
            o += (size_t)snprintf(what + o, sizeof what - o, " %s=%s", _("action"), f->action);
        if ((f->since[0] || f->until[0]) && o < sizeof what)
            o += (size_t)snprintf(what + o, sizeof what - o, " %s–%s", f->since, f->until);
        if (c->audit.entry[0] && o < sizeof what)
            snprintf(what + o, sizeof what - o, " %s", c->audit.entry);
    }
    char cap[80];
    snprintf(cap, sizeof cap, _("Page %lld, newest first: %d records"), c->audit.page + 1, c->audit.n);
    snprintf(c->v.caption, sizeof c->v.caption, "%.79s%s%.75s", cap, what[0] ? " —" : "", what);
    utf8_trim(c->v.caption);
    if (c->audit.detail && c->audit.n) {
        detail_rows(c, &c->audit.list[c->audit.sel]);
        return;
    }
    for (int i = 0; i < c->audit.n; i++) {
        const struct audit_rec *a = &c->audit.list[i];
        struct cv_row *r = add_row(c, CVK_NORMAL);
        cell(r, 0, "%lld", a->seq);
        cell(r, 1, "%s", a->at);
        cell(r, 2, "%s", audit_actor_label(a->actor));
        cell(r, 3, "%s", audit_action_label(a->action));
        /* by display width, whole characters: objects may be Chinese */
        char obj[CV_CELL], cut[CV_CELL];
        audit_object_label(a->object, obj, sizeof obj);
        cut_cols(obj, 60, cut, sizeof cut);
        cell(r, 4, "%s", cut);
        /* the detail in the reader's language, drawn on a wide terminal only */
        char detail[sizeof a->detail * 3];
        audit_detail_local(a->action, a->detail, detail, sizeof detail);
        cut_cols(detail, CV_CELL - 1, cut, sizeof cut);
        cell(r, 5, "%s", cut);
    }
    c->v.selected = c->audit.n ? c->audit.sel : -1;
    if (!c->audit.n)
        say(c, false, "%s", filtered(c) ? _("No record matches the filter.") : _("No records."));
}

static const char *field_label(int kind)
{
    switch (kind) {
    case PK_AUDIT_ACTOR: return _("Filter 1/5 — actor (account name; empty: any):");
    case PK_AUDIT_ACTION: return _("Filter 2/5 — action (login, find, reveal, contact, …; empty: any):");
    case PK_AUDIT_SINCE: return _("Filter 3/5 — from date YYYY-MM-DD (empty: any):");
    case PK_AUDIT_UNTIL: return _("Filter 4/5 — to date YYYY-MM-DD, inclusive (empty: any):");
    default: return _("Filter 5/5 — entry or reference (receipt, CODE/receipt, bed ref; empty: any):");
    }
}

static const char *field_value(const struct console *c, int kind)
{
    switch (kind) {
    case PK_AUDIT_ACTOR: return c->audit.edit.actor;
    case PK_AUDIT_ACTION: return c->audit.edit.action;
    case PK_AUDIT_SINCE: return c->audit.edit.since;
    case PK_AUDIT_UNTIL: return c->audit.edit.until;
    default: return c->audit.edit_entry;
    }
}

static void field_open(struct console *c, int kind)
{
    prompt_reopen(c, kind, field_label(kind), field_value(c, kind));
}

static bool date_ok(const char *s)
{
    int32_t d;
    if (!s[0])
        return true;
    bool ok = strlen(s) == 10 && date_parse(s, &d) == 0;
    kerr_clear();
    return ok;
}

/* The form fills c->audit.edit; the filter in force changes only when its
 * last field is confirmed (Esc anywhere leaves it as it was). */
static unsigned audit_prompt_done(struct console *c, int kind, const char *text)
{
    struct audit_filter *f = &c->audit.edit;
    switch (kind) {
    case PK_AUDIT_ACTOR:
        snprintf(f->actor, sizeof f->actor, "%s", text);
        field_open(c, PK_AUDIT_ACTION);
        return CR_REDRAW;
    case PK_AUDIT_ACTION:
        snprintf(f->action, sizeof f->action, "%s", text);
        field_open(c, PK_AUDIT_SINCE);
        return CR_REDRAW;
    case PK_AUDIT_SINCE:
    case PK_AUDIT_UNTIL:
        if (!date_ok(text)) {   /* kept for correction, the fields before it too */
            say(c, true, _("%s: not a date (YYYY-MM-DD)."), text);
            prompt_reopen(c, kind, field_label(kind), text);
            return CR_REDRAW;
        }
        snprintf(kind == PK_AUDIT_SINCE ? f->since : f->until, sizeof f->since, "%s", text);
        field_open(c, kind == PK_AUDIT_SINCE ? PK_AUDIT_UNTIL : PK_AUDIT_ENTRY);
        return CR_REDRAW;
    case PK_AUDIT_ENTRY: {
        kerr_clear();
        int err = audit_filter_object(c->st, text, f);
        if (err) {
            say_err(c, _("Filter"), err);
            prompt_reopen(c, kind, field_label(kind), text);
            return CR_REDRAW;
        }
        c->audit.f = *f;
        snprintf(c->audit.entry, sizeof c->audit.entry, "%s", text);
        c->audit.page = c->audit.deepest = 0;
        c->audit.sel = 0;
        say(c, false, "%s", filtered(c) ? _("Filter applied.") : _("Filter cleared: every record."));
        return CR_LOAD;
    }
    default: return CR_REDRAW;
    }
}

static unsigned audit_input(struct console *c, enum con_action a, uint32_t ch)
{
    (void)ch;
    if (c->audit.detail && (a == CA_ENTER || a == CA_ESCAPE)) {
        c->audit.detail = false;   /* back to the list, the record still selected */
        return CR_REDRAW;
    }
    if (a == CA_ENTER) {
        c->audit.detail = c->audit.n > 0;
        return CR_REDRAW;
    }
    switch (a) {
    case CA_PGDN:   /* an older page: the records after this page's last */
        if (c->audit.n == AUDIT_TAIL) {
            const struct audit_rec *last = &c->audit.list[c->audit.n - 1];
            struct audit_bound *b = &c->audit.bound[c->audit.page % AUDIT_PAGES];
            b->seq = last->seq;
            snprintf(b->at, sizeof b->at, "%s", last->at);
            if (++c->audit.page > c->audit.deepest)
                c->audit.deepest = c->audit.page;
            c->audit.sel = 0;
            return CR_LOAD;
        }
        break;   /* the last page: to its last row */
    case CA_PGUP:
        if (c->audit.page > 0) {
            /* the ring still holds where page-1 starts, or back to the newest */
            c->audit.page--;
            if (c->audit.page > 0 && c->audit.page - 1 <= c->audit.deepest - 1 - AUDIT_PAGES) {
                c->audit.page = 0;
                say(c, false, "%s", _("Back at the newest records."));
            }
            c->audit.sel = 0;
            return CR_LOAD;
        }
        break;
    default: break;
    }
    if (move_sel(&c->audit.sel, c->audit.n, a, AUDIT_TAIL))
        return CR_REDRAW;
    switch (a) {
    case CA_FILTER:   /* the form starts from the filter in force */
        c->audit.edit = c->audit.f;
        snprintf(c->audit.edit_entry, sizeof c->audit.edit_entry, "%s", c->audit.entry);
        field_open(c, PK_AUDIT_ACTOR);
        return CR_REDRAW;
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
        acts[n++] = CA_FILTER;
    if (n < cap)
        acts[n++] = CA_VERIFY;
    if (n < cap)
        acts[n++] = CA_ESCAPE;
    if (n < cap)
        acts[n++] = CA_REFRESH;
    if (c->audit.n && n < cap)   /* the record in full, as stored */
        acts[n++] = CA_ENTER;
    if (c->audit.n && n < cap)
        acts[n++] = CA_SEARCH;
    if (c->audit.n || c->audit.page)
        n = nav_actions(acts, n, cap, true);
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
    char obj[CV_CELL], detail[sizeof a->detail * 3];
    audit_object_label(a->object, obj, sizeof obj);
    audit_detail_local(a->action, a->detail, detail, sizeof detail);
    /* what the list and the full record show and the stored texts: either finds the record */
    snprintf(buf, cap, "%lld %s %s %s %s %s %s %s %s", a->seq, a->at, a->actor, audit_action_label(a->action),
             a->action, obj, a->object, detail, a->detail);
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
    .prompt_done = audit_prompt_done,
    .actions = audit_actions,
};
