/* found.c — what a search for a person found (`/` on the home menu, the
 * programme list, or Enter on a find with no match in the list): the
 * queue entries and bed applications of the person, across programmes,
 * or of everyone the text matched (several people may share a name).
 * Only what the account's roles may open is listed: entries for housing
 * and admin, applications for the bed roles and admin.  Identities are
 * masked, as in every list.
 *
 * The search itself is kiosk/person.h's (receipt in any case, the keyed
 * ID hash, the keyed name and phone index).  A search by ID number, name
 * or phone is a look-up of a person: it writes an audit record (how, and
 * how many were found — never the text typed).
 *
 * `s` sorts the results (all in memory: at most PERSON_HITS_MAX) by
 * programme, status or date from a numbered list; the same column again
 * turns it round, and its header is marked ▲ or ▼.  The date is the date
 * applied of an entry and the date submitted of a bed application. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/audit.h"
#include "kiosk/audit_detail.h"
#include "kiosk/bureau_row.h"
#include "kiosk/console/console_int.h"
#include "kiosk/eldercare.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/secret.h"

#define BED_ROLES (ROLE_STREET | ROLE_DISTRICT | ROLE_ASSESSOR | ROLE_PROVIDER | ROLE_ADMIN)

static void found_leave(struct console *c)
{
    person_hits_free(&c->person.hits, c->person.n);
    c->person.n = 0;
    secure_wipe(c->person.query, sizeof c->person.query);
}

static void found_enter(struct console *c)
{
    c->person.sel = 0;
    c->person.sort = 0;
    c->person.desc = false;
}

/* The sortable columns, in the pick list's order. */
enum { FSORT_NONE = 0, FSORT_PROG, FSORT_STATUS, FSORT_DATE, FSORT__N };

/* A hit's date: the entry's date applied, the application's submission ("" = none). */
static void hit_date(const struct person_hit *h, char out[11])
{
    out[0] = '\0';
    if (h->bed)
        snprintf(out, 11, "%.10s", h->submitted_at);
    else if (h->e.key[OK_WAIT_SINCE] != NONE_I64)
        date_format((int32_t)h->e.key[OK_WAIT_SINCE], out);
}

/* Queue entries by status, then applications by stage. */
static int hit_status(const struct person_hit *h) { return h->bed ? 100 + h->stage : h->e.status; }

static const struct console *sort_c;

static int cmp_hits(const void *pa, const void *pb)
{
    const struct person_hit *a = pa, *b = pb;
    char da[11], db[11];
    int r = 0;
    switch (sort_c->person.sort) {
    case FSORT_PROG:
        r = (a->bed - b->bed);
        if (!r)
            r = strcmp(a->program, b->program);
        break;
    case FSORT_STATUS: r = (hit_status(a) > hit_status(b)) - (hit_status(a) < hit_status(b)); break;
    case FSORT_DATE:
        hit_date(a, da);
        hit_date(b, db);
        r = strcmp(da, db);
        break;
    default: break;
    }
    if (!r)   /* ties: by receipt or reference, so the order is the same every time */
        r = strcmp(a->bed ? a->ref : a->e.receipt_no, b->bed ? b->ref : b->e.receipt_no);
    return sort_c->person.desc ? -r : r;
}

static void sort_hits(struct console *c)
{
    if (c->person.sort == FSORT_NONE || c->person.n < 2)
        return;
    sort_c = c;
    qsort(c->person.hits, (size_t)c->person.n, sizeof *c->person.hits, cmp_hits);
}

static int found_load(struct console *c)
{
    person_hits_free(&c->person.hits, c->person.n);
    c->person.n = 0;
    /* a street office's account: its street's applications only */
    int err = person_find_as(c->st, c->sec, c->person.query, has_role(c, ROLE_HOUSING | ROLE_ADMIN),
                             has_role(c, BED_ROLES), &c->me, &c->person.hits, &c->person.n,
                             &c->person.kind, &c->person.unindexed, &c->person.more);
    sort_hits(c);
    if (c->person.sel >= c->person.n)
        c->person.sel = c->person.n ? c->person.n - 1 : 0;
    return err;
}

static const char *how(int kind)
{
    switch (kind) {
    case PQ_RECEIPT: return _("by receipt number");
    case PQ_ID: return _("by ID number");
    case PQ_PHONE: return _("by phone number");
    default: return _("by name");
    }
}

static void found_build(struct console *c)
{
    static const struct cv_col cols[] = {
        {N_("Kind"), 6, false},  {N_("Prog."), 6, false}, {N_("Receipt/ref"), 14, false},
        {N_("Name"), 10, false}, {N_("ID"), 18, false},   {N_("Date"), 11, false},
        {N_("Status"), 0, false}};
    /* the pick list's columns, and where each is in the table */
    static const int sort_col[FSORT__N] = {0, 1, 6, 5};
    set_cols(c, 7, cols);
    if (c->person.sort != FSORT_NONE) {
        int k = sort_col[c->person.sort];
        snprintf(c->v.col[k].title, sizeof c->v.col[k].title, "%s%s", _(cols[k].title),
                 c->person.desc ? "▼" : "▲");
    }
    snprintf(c->v.title, sizeof c->v.title, "%s", _("Search results"));
    snprintf(c->v.caption, sizeof c->v.caption, _("Found %s: %d"), how(c->person.kind), c->person.n);
    bool zh = !strcmp(con_lang(c), "zh");
    int off = c->person.sel / CONSOLE_PAGE * CONSOLE_PAGE;
    for (int i = off; i < c->person.n && i < off + CONSOLE_PAGE; i++) {
        const struct person_hit *h = &c->person.hits[i];
        struct cv_row *r = add_row(c, CVK_NORMAL);
        char d[11];
        hit_date(h, d);
        cell(r, 0, "%s", h->bed ? _("Bed") : _("Queue"));
        cell(r, 1, "%s", h->bed ? "" : h->program);
        cell(r, 2, "%s", h->bed ? h->ref : h->e.receipt_no);
        cell(r, 3, "%s", h->name_masked);
        cell(r, 4, "%s", h->id_masked);
        cell(r, 5, "%s", d[0] ? d : "—");
        cell(r, 6, "%s", h->bed ? (zh ? bed_stage_label(h->stage, "zh") : bed_stage_name(h->stage))
                                : queue_status_short(h->e.status));
    }
    c->v.selected = c->person.n ? c->person.sel - off : -1;
    if (c->prompt == PK_FOUND_SORT) {   /* the numbered columns instead of the rows */
        static const struct cv_col by[] = {{"#", 3, true}, {N_("Sort by"), 0, false}};
        c->v.n_rows = 0;
        secure_wipe(c->v.row, sizeof c->v.row);
        set_cols(c, 2, by);
        snprintf(c->v.caption, sizeof c->v.caption, "%s",
                 _("Sort by which column? The sorted one again: the other way round."));
        for (int k = 1; k < FSORT__N; k++) {
            struct cv_row *r = add_row(c, CVK_NORMAL);
            cell(r, 0, "%d", k);
            if (k == c->person.sort)
                cell(r, 1, "%s %s", _(cols[sort_col[k]].title),
                     c->person.desc ? _("(sorted, reversed)") : _("(sorted)"));
            else
                cell(r, 1, "%s", _(cols[sort_col[k]].title));
        }
        c->v.selected = c->person.sort ? c->person.sort - 1 : 0;
    }
}

/* Open row i: the entry or the application; Esc comes back here. */
static unsigned open_hit(struct console *c, int i)
{
    const struct person_hit *h = &c->person.hits[i];
    return h->bed ? con_open_bed(c, h->ref, CS_PERSON) : con_open_entry(c, &h->e, CS_PERSON);
}

static unsigned found_input(struct console *c, enum con_action a, uint32_t ch)
{
    (void)ch;
    if (move_sel(&c->person.sel, c->person.n, a, CONSOLE_PAGE))
        return CR_REDRAW;
    switch (a) {
    case CA_ENTER: return c->person.n ? open_hit(c, c->person.sel) : CR_NONE;
    case CA_SORT: {
        char label[64];
        snprintf(label, sizeof label, _("Sort by column (1–%d):"), FSORT__N - 1);
        prompt_open(c, PK_FOUND_SORT, false, label);
        return CR_REDRAW;
    }
    case CA_ESCAPE: return con_back(c, c->person.back);
    default: return CR_NONE;
    }
}

/* The column typed into the sort prompt: sort by it (again: turned round),
 * the selected row staying selected; or say what is wanted and ask again. */
static unsigned found_prompt_done(struct console *c, int kind, const char *text)
{
    if (kind != PK_FOUND_SORT)
        return CR_REDRAW;
    char *end, label[64];
    long k = strtol(text, &end, 10);
    if (end == text || *end || k < 1 || k >= FSORT__N) {
        say(c, true, _("Type the number of a column (1–%d)."), FSORT__N - 1);
        snprintf(label, sizeof label, _("Sort by column (1–%d):"), FSORT__N - 1);
        prompt_open(c, PK_FOUND_SORT, false, label);
        return CR_REDRAW;
    }
    struct person_hit sel;
    bool have = c->person.n > 0;
    if (have)
        sel = c->person.hits[c->person.sel];
    c->person.desc = k == c->person.sort ? !c->person.desc : false;
    c->person.sort = (int)k;
    sort_hits(c);
    for (int i = 0; have && i < c->person.n; i++)
        if (!memcmp(&c->person.hits[i], &sel, sizeof sel))
            c->person.sel = i;
    if (have)
        secure_wipe(&sel, sizeof sel);
    return CR_REDRAW;
}

static int found_actions(const struct console *c, int *acts, int cap)
{
    int n = 0;
    if (c->person.n && n < cap)
        acts[n++] = CA_ENTER;
    if (c->person.n > 1 && n < cap)
        acts[n++] = CA_SORT;
    if (n < cap)
        acts[n++] = CA_SEARCH;
    return list_actions(acts, n, cap, c->person.n);
}

static int *found_sel(struct console *c, int *n)
{
    *n = c->person.n;
    return &c->person.sel;
}

static void found_row_text(const struct console *c, int i, char *buf, size_t cap)
{
    const struct person_hit *h = &c->person.hits[i];
    snprintf(buf, cap, "%s %s %s %s", h->bed ? h->ref : h->e.receipt_no, h->program, h->name_masked,
             h->bed ? bed_stage_label(h->stage, con_lang(c)) : queue_status_short(h->e.status));
}

const struct con_screen_ops con_person = {
    .name = "found",
    .layout = CL_TABLE,
    .enter = found_enter,
    .leave = found_leave,
    .load = found_load,
    .build = found_build,
    .input = found_input,
    .prompt_done = found_prompt_done,
    .actions = found_actions,
    .find_sel = found_sel,
    .row_text = found_row_text,
    .find_everyone = true,
};

/* A look-up of a person by ID number, name or phone is recorded: how, and
 * how many were found (never what was typed). */
static int audit_find(struct console *c)
{
    if (c->person.kind == PQ_RECEIPT)
        return 0;
    /* an audit record only: beside other writers, the audit head its one lock */
    int err = store_begin_as(c->st, STORE_WRITE_SHARED);
    if (err)
        return err;
    const char *me = c->me.name;
    int n = c->person.n;
    if ((err = c->person.kind == PQ_ID      ? audit_append(c->st, c->sec, me, "find", "person", AD_FIND_ID, n)
               : c->person.kind == PQ_PHONE ? audit_append(c->st, c->sec, me, "find", "person", AD_FIND_PHONE, n)
                                            : audit_append(c->st, c->sec, me, "find", "person", AD_FIND_NAME, n)) ||
        (err = store_commit(c->st)))
        store_rollback(c->st);
    return err;
}

unsigned con_find_person(struct console *c, const char *text)
{
    int back = c->screen == CS_PERSON ? c->person.back : c->screen;
    if (c->screen == CS_PERSON)
        found_leave(c);
    snprintf(c->person.query, sizeof c->person.query, "%s", text);
    c->person.back = back;
    unsigned r = con_open(c, CS_PERSON);
    if (c->screen != CS_PERSON) {   /* the search failed: the refusal is shown */
        secure_wipe(c->person.query, sizeof c->person.query);
        return r;
    }
    kerr_clear();
    int err = audit_find(c);
    if (err) {   /* no record, no result */
        say_err(c, _("Search failed"), err);
        return con_back(c, back) | CR_REDRAW;
    }
    if (c->person.n == 0) {
        int kind = c->person.kind;
        bool unindexed = c->person.unindexed;
        con_back(c, back);
        if (unindexed)
            say(c, true, "%s", _("Nobody found by name, but some entries are not in the name index "
                                 "yet: ask the administrator to run kioskctl init."));
        else
            say(c, true, _("Nobody found %s."), how(kind));
        return CR_GOTO;
    }
    if (c->person.more)
        say(c, true, _("More than %d found: showing the first %d; search by ID number to narrow."),
            PERSON_HITS_MAX, PERSON_HITS_MAX);
    else if (c->person.unindexed)
        say(c, true, "%s", _("Some entries are not in the name index yet: ask the administrator "
                             "to run kioskctl init."));
    if (c->person.n == 1)   /* one thing found: open it (Esc comes back to the list) */
        return open_hit(c, 0);
    return r;
}
