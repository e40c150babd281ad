/* console.c — the staff console's state machine (console.h).
 *
 * One struct holds who is logged in, where they are and what was fetched;
 * every input ends with the view model rebuilt from that state, so a screen
 * only lays strings out.  All changes go through the core functions
 * (queue_staff_action, eldercare_advance, auth_user_*), which check roles
 * again and write the change, its event and its audit record in one
 * transaction; this file only decides what to OFFER (least privilege) and
 * how to show the answer.
 *
 * Privacy: lists show masked names and ID numbers; an entry's detail shows
 * the full name (a clerk calls the household by it) and the masked ID; the
 * full ID number only after an explicit, audited "reveal".  Plaintext is
 * decrypted into stack buffers and wiped at once; on logout (by hand, by
 * the idle timer, at exit) the view and every buffer are wiped. */
#include "kiosk/console/console.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/assessment.h"
#include "kiosk/audit.h"
#include "kiosk/auth.h"
#include "kiosk/bed_rules.h"
#include "kiosk/config.h"
#include "kiosk/eldercare.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/idnum.h"
#include "kiosk/kiosk_status.h"
#include "kiosk/queue.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

#define DEFAULT_IDLE_S 600
#define MAX_PROGS 16
#define MAX_BEDS 4096
#define MAX_ACCOUNTS 512
#define MAX_KIOSKS 256
#define AUDIT_TAIL 40

/* Text prompts: what the typed line is for. */
enum prompt_kind {
    PK_NONE = 0, PK_JUMP, PK_SEARCH, PK_QREASON,
    PK_BED_ASSESS, PK_BED_PROVIDER, PK_BED_REASON,
    PK_ACC_NAME, PK_ACC_NEW_ROLES, PK_ACC_NEW_PW, PK_ACC_ROLES, PK_ACC_PW,
};

/* Bed filters besides a single stage. */
#define BF_ACTIONABLE (-2)
#define BF_ALL (-1)

struct acc_line {
    char name[64];
    unsigned roles;
    bool disabled;
    char locked_until[32];
    char last_login[32];
};

struct console {
    struct store *st;
    const struct secret *sec;
    const struct kiosk_config *cfg;
    struct console_opts opts;
    int64_t idle_ms, last_input;

    bool logged_in;
    struct actor me;
    char pw[AUTH_PASSWORD_MAX + 1];    /* only between keys and auth_login */
    int pw_len;

    int screen;
    int home_sel, n_home;
    int home[8];                       /* the screens the home menu offers */

    struct program progs[MAX_PROGS];
    long long prog_total[MAX_PROGS];
    int n_progs, prog_sel;

    /* the queue browser: one page of CONSOLE_PAGE from position pos */
    struct program prog;
    long long total, pos;
    struct entry_row page[CONSOLE_PAGE];
    int n_page, sel;

    /* one entry */
    struct entry_row entry;
    int entry_back;                    /* the screen Esc returns to */
    bool revealed;
    int acts[QA__COUNT], n_acts;
    int pending_action;

    /* bed applications */
    struct bed_summary *beds;
    int n_beds, bed_sel, bed_filter;
    char bed_ref[33];
    int bed_stage;
    int moves[BS__COUNT], n_moves;
    int mv_to;
    struct assessment assess;
    bool have_assess;
    char provider[128];

    struct kiosk_status_row kiosks[MAX_KIOSKS];
    int n_kiosks, kiosk_sel;

    struct acc_line *acc;
    int n_acc, acc_sel;
    char pending_name[64];
    unsigned pending_roles;

    struct audit_rec *audit;
    int n_audit, audit_sel;

    int detail_sel;                    /* menu selection on detail screens */

    int prompt;                        /* enum prompt_kind */
    bool prompt_secret;
    char prompt_buf[256];
    int prompt_len;

    struct con_view v;
};

/* ---- small helpers -------------------------------------------------------------- */

int console_layout_of(int screen)
{
    switch (screen) {
    case CS_LOGIN: return CL_LOGIN;
    case CS_ENTRY: case CS_BED: case CS_CHECK: return CL_DETAIL;
    default: return CL_TABLE;
    }
}

static void say(struct console *c, bool warn, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(struct console *c, bool warn, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->v.message, sizeof c->v.message, fmt, ap);
    va_end(ap);
    c->v.message_warn = warn;
}

/* The core's own words for a refusal: its detail line when it set one. */
static void say_err(struct console *c, const char *what, int err)
{
    const char *d = kerr_detail();
    say(c, true, "%s: %s", what, d && *d ? d : kiosk_strerror(err));
}

static void add_line(struct console *c, int kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add_line(struct console *c, int kind, const char *fmt, ...)
{
    if (c->v.n_lines >= CV_LINES)
        return;
    struct cv_line *l = &c->v.line[c->v.n_lines++];
    l->kind = (unsigned char)kind;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->text, sizeof l->text, fmt, ap);
    va_end(ap);
}

static void add_item(struct console *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_item(struct console *c, const char *fmt, ...)
{
    if (c->v.n_items >= CV_ITEMS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->v.item[c->v.n_items++].label, sizeof c->v.item[0].label, fmt, ap);
    va_end(ap);
}

static void set_cols(struct console *c, int n, const struct cv_col *cols)
{
    c->v.n_cols = n;
    for (int i = 0; i < n; i++) {
        c->v.col[i] = cols[i];
        /* titles are N_() in the tables, translated here */
        if (cols[i].title[0])   /* never _(""): gettext gives the catalogue header for it */
            snprintf(c->v.col[i].title, sizeof c->v.col[i].title, "%s", _(cols[i].title));
    }
}

static struct cv_row *add_row(struct console *c, int kind)
{
    if (c->v.n_rows >= CV_ROWS)
        return NULL;
    struct cv_row *r = &c->v.row[c->v.n_rows++];
    memset(r, 0, sizeof *r);
    r->kind = (unsigned char)kind;
    return r;
}

static void cell(struct cv_row *r, int i, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void cell(struct cv_row *r, int i, const char *fmt, ...)
{
    if (!r)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->cell[i], sizeof r->cell[i], fmt, ap);
    va_end(ap);
}

/* Clear the screen-specific part of the view (message and login fields stay). */
static void clear_body(struct console *c)
{
    struct con_view *v = &c->v;
    secure_wipe(v->caption, sizeof v->caption);
    secure_wipe(v->col, sizeof v->col);
    secure_wipe(v->row, sizeof v->row);
    secure_wipe(v->line, sizeof v->line);
    secure_wipe(v->item, sizeof v->item);
    v->n_cols = v->n_rows = v->n_lines = v->n_items = 0;
    v->selected = v->item_sel = -1;
}

static bool has(const struct console *c, unsigned roles) { return (c->me.roles & roles) != 0; }

static bool admin_screens(const struct console *c)
{
    return c->opts.admin && has(c, ROLE_ADMIN);
}

static const char *lang(const struct console *c)
{
    return c->cfg && c->cfg->language[0] ? c->cfg->language : "zh";
}

/* ---- prompts --------------------------------------------------------------------- */

static void prompt_open(struct console *c, int kind, bool secret, const char *label)
{
    c->prompt = kind;
    c->prompt_secret = secret;
    secure_wipe(c->prompt_buf, sizeof c->prompt_buf);
    c->prompt_len = 0;
    snprintf(c->v.prompt_label, sizeof c->v.prompt_label, "%s", label);
}

static void prompt_close(struct console *c)
{
    c->prompt = PK_NONE;
    secure_wipe(c->prompt_buf, sizeof c->prompt_buf);
    c->prompt_len = 0;
    secure_wipe(c->v.prompt_label, sizeof c->v.prompt_label);
}

/* Append a code point as UTF-8 (names and reasons are Chinese). */
static void text_append(char *buf, int *len, int cap, uint32_t ch)
{
    char u[4];
    int n;
    if (ch < 0x20 || ch == 0x7f || (ch >= 0xd800 && ch < 0xe000) || ch > 0x10ffff)
        return;
    if (ch < 0x80) { u[0] = (char)ch; n = 1; }
    else if (ch < 0x800) { u[0] = (char)(0xc0 | ch >> 6); u[1] = (char)(0x80 | (ch & 0x3f)); n = 2; }
    else if (ch < 0x10000) {
        u[0] = (char)(0xe0 | ch >> 12); u[1] = (char)(0x80 | ((ch >> 6) & 0x3f));
        u[2] = (char)(0x80 | (ch & 0x3f)); n = 3;
    } else {
        u[0] = (char)(0xf0 | ch >> 18); u[1] = (char)(0x80 | ((ch >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((ch >> 6) & 0x3f)); u[3] = (char)(0x80 | (ch & 0x3f)); n = 4;
    }
    if (*len + n >= cap)
        return;
    memcpy(buf + *len, u, (size_t)n);
    *len += n;
    buf[*len] = '\0';
}

/* Remove the last UTF-8 character. */
static void text_backspace(char *buf, int *len)
{
    while (*len > 0) {
        unsigned char b = (unsigned char)buf[--*len];
        buf[*len] = '\0';
        if ((b & 0xc0) != 0x80)
            break;
    }
}

/* ---- loading screens --------------------------------------------------------------- */

static int load_programs(struct console *c)
{
    const struct queue_store_ops *q = store_queue(c->st);
    int err = q->program_list(c->st, c->progs, MAX_PROGS, &c->n_progs);
    if (err)
        return err;
    for (int i = 0; i < c->n_progs; i++)
        if ((err = q->total(c->st, c->progs[i].id, &c->prog_total[i])))
            return err;
    if (c->prog_sel >= c->n_progs)
        c->prog_sel = 0;
    return 0;
}

struct page_ctx {
    struct console *c;
};

static int page_one(void *ctx, const struct entry_row *e)
{
    struct console *c = ((struct page_ctx *)ctx)->c;
    if (c->n_page < CONSOLE_PAGE)
        c->page[c->n_page++] = *e;
    return 0;
}

/* Fetch the page starting at position pos (clamped into 1..total). */
static int load_page(struct console *c, long long pos)
{
    const struct queue_store_ops *q = store_queue(c->st);
    int err = c->st->ops->begin_read(c->st);
    if (err)
        return err;
    if ((err = q->total(c->st, c->prog.id, &c->total)))
        goto fail;
    if (pos > c->total)
        pos = c->total - CONSOLE_PAGE + 1;
    if (pos < 1)
        pos = 1;
    secure_wipe(c->page, sizeof c->page);
    c->n_page = 0;
    struct page_ctx pc = {c};
    if (c->total > 0 && (err = q->page(c->st, c->prog.id, pos, CONSOLE_PAGE, page_one, &pc)))
        goto fail;
    if ((err = store_commit(c->st)))
        return err;
    c->pos = pos;
    if (c->sel >= c->n_page)
        c->sel = c->n_page - 1;
    if (c->sel < 0)
        c->sel = 0;
    return 0;
fail:
    store_rollback(c->st);
    return err;
}

static int load_beds(struct console *c);

struct bed_ctx {
    struct console *c;
};

static unsigned stage_actionable_mask(unsigned roles)
{
    unsigned m = 0;
    for (int from = 0; from < BS__COUNT; from++)
        for (int to = 0; to < BS__COUNT; to++)
            if (bed_rule_roles(from, to) & roles)
                m |= 1u << from;
    return m;
}

static int bed_one(void *ctx, const struct bed_summary *s)
{
    struct console *c = ((struct bed_ctx *)ctx)->c;
    if (c->bed_filter == BF_ACTIONABLE && !(stage_actionable_mask(c->me.roles) & (1u << s->stage)))
        return 0;
    if (c->n_beds < MAX_BEDS)
        c->beds[c->n_beds++] = *s;
    return 0;
}

static int load_beds(struct console *c)
{
    if (!c->beds && !(c->beds = calloc(MAX_BEDS, sizeof *c->beds)))
        return KERR_NOMEM;
    c->n_beds = 0;
    struct bed_ctx bc = {c};
    int err = bed_list(c->st, c->bed_filter >= 0 ? c->bed_filter : -1, bed_one, &bc);
    if (c->bed_sel >= c->n_beds)
        c->bed_sel = c->n_beds - 1;
    if (c->bed_sel < 0)
        c->bed_sel = 0;
    return err;
}

static int acc_one(void *ctx, const struct staff_row *u)
{
    struct console *c = ctx;
    if (c->n_acc >= MAX_ACCOUNTS)
        return 0;
    struct acc_line *a = &c->acc[c->n_acc++];
    memset(a, 0, sizeof *a);
    snprintf(a->name, sizeof a->name, "%s", u->name);
    a->roles = u->roles;
    a->disabled = u->disabled;
    snprintf(a->locked_until, sizeof a->locked_until, "%s", u->locked_until);
    snprintf(a->last_login, sizeof a->last_login, "%s", u->last_login);
    return 0;
}

static int load_accounts(struct console *c)
{
    if (!c->acc && !(c->acc = calloc(MAX_ACCOUNTS, sizeof *c->acc)))
        return KERR_NOMEM;
    c->n_acc = 0;
    int err = auth_user_each(c->st, acc_one, c);
    if (c->acc_sel >= c->n_acc)
        c->acc_sel = c->n_acc - 1;
    if (c->acc_sel < 0)
        c->acc_sel = 0;
    return err;
}

static int audit_one(void *ctx, const struct audit_rec *r)
{
    struct console *c = ctx;
    if (c->n_audit < AUDIT_TAIL)
        c->audit[c->n_audit++] = *r;
    return 0;
}

static int load_audit(struct console *c)
{
    if (!c->audit && !(c->audit = calloc(AUDIT_TAIL, sizeof *c->audit)))
        return KERR_NOMEM;
    c->n_audit = 0;
    struct audit_rec last;
    int err = c->st->ops->audit_last(c->st, &last);
    if (err == KERR_NOTFOUND)
        return 0;
    if (err)
        return err;
    long long from = last.seq - AUDIT_TAIL + 1;
    err = c->st->ops->audit_each(c->st, from < 1 ? 1 : from, audit_one, c);
    if (c->audit_sel >= c->n_audit || c->audit_sel < 0)
        c->audit_sel = c->n_audit - 1;
    return err;
}

/* ---- building the view ------------------------------------------------------------- */

static void view_home(struct console *c)
{
    static const struct cv_col cols[] = {{"", 0, false}};
    set_cols(c, 1, cols);
    snprintf(c->v.title, sizeof c->v.title, "%s", _("Staff console"));
    for (int i = 0; i < c->n_home; i++) {
        const char *label = "";
        switch (c->home[i]) {
        case CS_PROGRAMS: label = _("Housing queues"); break;
        case CS_BEDS: label = _("Home-care bed applications (家庭养老床位)"); break;
        case CS_KIOSKS: label = _("Kiosks needing paper"); break;
        case CS_ACCOUNTS: label = _("Staff accounts (admin)"); break;
        case CS_AUDIT: label = _("Audit trail (admin)"); break;
        case CS_CHECK: label = _("Check (admin)"); break;
        }
        cell(add_row(c, CVK_NORMAL), 0, "%d  %s", i + 1, label);
    }
    c->v.selected = c->home_sel;
    snprintf(c->v.hint, sizeof c->v.hint, "%s",
             _("↑↓ choose  Enter open  Esc/F9 log out  F10 quit"));
}

static void view_programs(struct console *c)
{
    static const struct cv_col cols[] = {
        {N_("Code"), 8, false}, {N_("Programme"), 0, false}, {N_("Waiting"), 9, true}};
    set_cols(c, 3, cols);
    snprintf(c->v.title, sizeof c->v.title, "%s", _("Housing queues"));
    bool zh = !strcmp(lang(c), "zh");
    for (int i = 0; i < c->n_progs; i++) {
        struct cv_row *r = add_row(c, CVK_NORMAL);
        cell(r, 0, "%s", c->progs[i].code);
        cell(r, 1, "%s", zh ? c->progs[i].name_zh : c->progs[i].name_en);
        cell(r, 2, "%lld", c->prog_total[i]);
    }
    c->v.selected = c->n_progs ? c->prog_sel : -1;
    snprintf(c->v.hint, sizeof c->v.hint, "%s", _("↑↓ choose  Enter browse  / find receipt  Esc back"));
}

static void view_queue(struct console *c)
{
    static const struct cv_col cols[] = {
        {N_("Pos"), 8, true}, {N_("Receipt"), 14, false}, {N_("Name"), 10, false}, {N_("ID"), 18, false},
        {N_("Size"), 4, true}, {N_("Status"), 9, false}, {N_("District"), 0, false}};
    set_cols(c, 7, cols);
    snprintf(c->v.title, sizeof c->v.title, "%s %s — %s", _("Queue"), c->prog.code,
             !strcmp(lang(c), "zh") ? c->prog.name_zh : c->prog.name_en);
    if (c->total == 0)
        snprintf(c->v.caption, sizeof c->v.caption, "%s", _("Nobody is waiting in this queue."));
    else
        snprintf(c->v.caption, sizeof c->v.caption, _("Positions %lld–%lld of %lld waiting"), c->pos,
                 c->pos + c->n_page - 1, c->total);
    for (int i = 0; i < c->n_page; i++) {
        const struct entry_row *e = &c->page[i];
        char id[19] = "", name[257] = "", idm[24], nm[96];
        if (queue_unseal(c->sec, e, id, name, sizeof name) == 0) {
            idnum_mask(id, idm, sizeof idm);
            name_mask(name, nm, sizeof nm);
        } else {
            snprintf(idm, sizeof idm, "%s", "?");
            snprintf(nm, sizeof nm, "%s", "?");
        }
        secure_wipe(id, sizeof id);
        secure_wipe(name, sizeof name);
        struct cv_row *r = add_row(c, CVK_NORMAL);
        cell(r, 0, "%lld", c->pos + i);
        cell(r, 1, "%s", e->receipt_no);
        cell(r, 2, "%s", nm);
        cell(r, 3, "%s", idm);
        cell(r, 4, "%d", e->household_size);
        cell(r, 5, "%s", queue_status_short(e->status));
        cell(r, 6, "%s", e->hukou_district);
        secure_wipe(nm, sizeof nm);
        secure_wipe(idm, sizeof idm);
    }
    c->v.selected = c->n_page ? c->sel : -1;
    snprintf(c->v.hint, sizeof c->v.hint, "%s",
             _("↑↓ PgUp/PgDn pages of 40  Home/End  g go to position  / find receipt  Enter open  Esc back"));
}

struct ev_ctx {
    struct console *c;
};

static int event_line(void *ctx, const struct entry_event *ev)
{
    struct console *c = ((struct ev_ctx *)ctx)->c;
    if (ev->from_status >= 0 && ev->to_status >= 0)
        add_line(c, CVK_NORMAL, "%s  %-10s %s → %s  %s: %s", ev->at, ev->action,
                 queue_status_short(ev->from_status), queue_status_short(ev->to_status), ev->actor,
                 ev->reason);
    else
        add_line(c, CVK_NORMAL, "%s  %-10s %s: %s", ev->at, ev->action, ev->actor, ev->reason);
    return 0;
}

static void view_entry(struct console *c)
{
    const struct entry_row *e = &c->entry;
    struct queue_view *qv = calloc(1, sizeof *qv);
    if (!qv) {
        say(c, true, "%s", kiosk_strerror(KERR_NOMEM));
        return;
    }
    int err = queue_view_of(c->st, c->sec, e, qv);
    snprintf(c->v.title, sizeof c->v.title, "%s %s/%s", _("Queue entry"), qv->program,
             e->receipt_no);
    if (err) {
        say_err(c, _("Cannot show the entry"), err);
        free(qv);
        return;
    }
    char id[19] = "", name[257] = "";
    bool opened = queue_unseal(c->sec, e, id, name, sizeof name) == 0;
    add_line(c, CVK_HEAD, "%s  %s  %s", qv->program,
             !strcmp(lang(c), "zh") ? qv->program_zh : qv->program_en, e->receipt_no);
    if (e->status == ST_WAITING)
        add_line(c, CVK_GOOD, _("Status: waiting — position %lld of %lld"), qv->position, qv->total);
    else
        add_line(c, CVK_NORMAL, _("Status: %s"), queue_status_label(e->status));
    add_line(c, CVK_NORMAL, _("Name: %s"), opened ? name : "?");
    add_line(c, c->revealed ? CVK_WARN : CVK_NORMAL, _("ID number: %s%s"),
             c->revealed && opened ? id : qv->id_masked,
             c->revealed ? _("  (revealed; audited)") : "");
    add_line(c, CVK_NORMAL, _("Household size: %d   Hukou district: %s   Refusals: %d of %d"),
             e->household_size, e->hukou_district, e->refusals, qv->refusal_limit);
    char keys[CV_TEXT] = "";
    size_t kl = 0;
    for (int i = 0; i < qv->n_rule && kl < sizeof keys; i++) {
        int k = qv->rule[i];
        kl += (size_t)snprintf(keys + kl, sizeof keys - kl, "%s%s %s", i ? ", " : "",
                               order_key_name(k), qv->key_text[k][0] ? qv->key_text[k] : "—");
    }
    add_line(c, CVK_NOTE, _("Order: %s"), keys);
    secure_wipe(id, sizeof id);
    secure_wipe(name, sizeof name);
    queue_view_wipe(qv, 1);
    free(qv);

    add_line(c, CVK_HEAD, "%s", _("History"));
    struct ev_ctx ec = {c};
    if ((err = store_queue(c->st)->events(c->st, e->id, event_line, &ec)))
        say_err(c, _("Cannot read the history"), err);

    c->n_acts = 0;
    if (has(c, ROLE_HOUSING)) {
        for (int a = 0; a < QA__COUNT; a++)
            if (queue_action_allowed(a, e->status)) {
                c->acts[c->n_acts++] = a;
                add_item(c, "%s", queue_action_label(a));
            }
    }
    if (!c->n_acts)
        add_line(c, CVK_NOTE, "%s",
                 has(c, ROLE_HOUSING) ? _("No action applies to an entry in this status.")
                                      : _("Actions need the housing role."));
    if (c->detail_sel >= c->n_acts)
        c->detail_sel = c->n_acts - 1;
    c->v.item_sel = c->n_acts ? (c->detail_sel < 0 ? 0 : c->detail_sel) : -1;
    snprintf(c->v.hint, sizeof c->v.hint, "%s",
             has(c, ROLE_HOUSING) ? _("↑↓ choose action  Enter do it  r reveal ID  PgUp/PgDn scroll  Esc back")
                                  : _("PgUp/PgDn scroll  Esc back"));
}

static const char *bed_filter_name(const struct console *c)
{
    if (c->bed_filter == BF_ACTIONABLE)
        return _("stages you can act on");
    if (c->bed_filter == BF_ALL)
        return _("all stages");
    return bed_stage_label(c->bed_filter, lang(c));
}

static void view_beds(struct console *c)
{
    static const struct cv_col cols[] = {
        {N_("Ref"), 12, false}, {N_("Stage"), 19, false}, {N_("Submitted"), 11, false},
        {N_("Updated"), 11, false}, {N_("Provider"), 0, false}};
    set_cols(c, 5, cols);
    snprintf(c->v.title, sizeof c->v.title, "%s", _("Home-care bed applications"));
    snprintf(c->v.caption, sizeof c->v.caption, _("%d applications — filter: %s"), c->n_beds,
             bed_filter_name(c));
    /* a window of one page around the selection */
    int off = c->bed_sel / CONSOLE_PAGE * CONSOLE_PAGE;
    for (int i = off; i < c->n_beds && i < off + CONSOLE_PAGE; i++) {
        const struct bed_summary *s = &c->beds[i];
        struct cv_row *r = add_row(c, s->reassessment_due ? CVK_WARN : CVK_NORMAL);
        cell(r, 0, "%s", s->ref);
        /* a table cell: the Chinese word, or in English the short stage name
         * (the English sentence-labels do not fit a column) */
        cell(r, 1, "%s", !strcmp(lang(c), "zh") ? bed_stage_label(s->stage, "zh")
                                                : bed_stage_name(s->stage));
        cell(r, 2, "%.10s", s->submitted_at);
        cell(r, 3, "%.10s", s->updated_at);
        cell(r, 4, "%s", s->provider_name);
    }
    c->v.selected = c->n_beds ? c->bed_sel - off : -1;
    snprintf(c->v.hint, sizeof c->v.hint, "%s",
             _("↑↓ PgUp/PgDn  f filter by stage  Enter open  F5 refresh  Esc back"));
}

static void view_bed(struct console *c)
{
    struct bed_detail *d = calloc(1, sizeof *d);
    if (!d) {
        say(c, true, "%s", kiosk_strerror(KERR_NOMEM));
        return;
    }
    snprintf(c->v.title, sizeof c->v.title, "%s %s", _("Application"), c->bed_ref);
    int err = bed_show(c->st, c->sec, c->bed_ref, lang(c), d);
    if (err) {
        say_err(c, _("Cannot show the application"), err);
        free(d);
        return;
    }
    const struct bed_view *bv = &d->view;
    c->bed_stage = bv->stage;
    add_line(c, CVK_HEAD, "%s  %s (%s)", bv->ref, bed_stage_name(bv->stage), bv->stage_label);
    add_line(c, CVK_NORMAL, _("Elder: %s  %s"), bv->elder_name_masked, bv->elder_id_masked);
    if (bv->by_agent)
        add_line(c, CVK_NORMAL, _("Filed by agent: %s"), bv->agent_name_masked);
    char svc[CV_TEXT] = "";
    size_t sl = 0;
    for (int b = 0; b < BED_SVC__COUNT && sl < sizeof svc; b++)
        if (d->services & (1u << b))
            sl += (size_t)snprintf(svc + sl, sizeof svc - sl, "%s%s", sl ? ", " : "",
                                   bed_service_label(1u << b, lang(c)));
    add_line(c, CVK_NORMAL, _("Services: %s"), svc);
    add_line(c, CVK_NORMAL, _("Submitted %s at kiosk %s; consent %s"), bv->submitted_at,
             d->kiosk_id, d->consent_at);
    if (bv->level_word[0])
        add_line(c, CVK_NORMAL, _("Level: %s   reassess by %s%s"), bv->level_word, bv->reassess_by,
                 bv->reassessment_due ? _(" (due)") : "");
    if (bv->provider_name[0])
        add_line(c, CVK_NORMAL, _("Provider: %s  %s"), bv->provider_name, bv->provider_phone);
    if (bv->responsible[0])
        add_line(c, CVK_NOTE, _("Now: %s — %s"), bv->responsible, bv->next_step);
    add_line(c, CVK_HEAD, "%s", _("History"));
    for (int i = 0; i < d->n_history; i++) {
        const struct bed_staff_step *h = &d->history[i];
        add_line(c, CVK_NORMAL, "%s  %-18s %s (%s)%s%s", h->at, bed_stage_name(h->stage), h->actor,
                 h->role, h->reason[0] ? ": " : "", h->reason);
    }
    bed_view_wipe(&d->view, 1);
    secure_wipe(d, sizeof *d);
    free(d);

    c->n_moves = 0;
    for (int to = 0; to < BS__COUNT; to++)
        if (bed_rule_roles(c->bed_stage, to) & c->me.roles) {
            c->moves[c->n_moves++] = to;
            add_item(c, _("Move to %s"), bed_stage_label(to, lang(c)));
        }
    if (!c->n_moves)
        add_line(c, CVK_NOTE, "%s", _("Your roles allow no move from this stage."));
    if (c->detail_sel >= c->n_moves)
        c->detail_sel = c->n_moves - 1;
    c->v.item_sel = c->n_moves ? (c->detail_sel < 0 ? 0 : c->detail_sel) : -1;
    snprintf(c->v.hint, sizeof c->v.hint, "%s",
             _("↑↓ choose move  Enter do it  PgUp/PgDn scroll  Esc back"));
}

static void view_kiosks(struct console *c)
{
    static const struct cv_col cols[] = {
        {N_("Kiosk"), 20, false}, {N_("Printer"), 10, false}, {N_("Reader"), 10, false}, {N_("Updated"), 0, false}};
    set_cols(c, 4, cols);
    snprintf(c->v.title, sizeof c->v.title, "%s", _("Kiosks needing paper"));
    int paper = 0;
    for (int i = 0; i < c->n_kiosks; i++) {
        const struct kiosk_status_row *k = &c->kiosks[i];
        paper += kiosk_status_needs_paper(k);
        struct cv_row *r = add_row(c, k->printer_state == KDEV_PAPER_OUT ? CVK_WARN
                                      : kiosk_status_needs_attention(k) ? CVK_HEAD
                                                                        : CVK_NORMAL);
        cell(r, 0, "%s", k->kiosk_id);
        cell(r, 1, "%s", kdev_state_name(k->printer_state));
        cell(r, 2, "%s", kdev_state_name(k->reader_state));
        cell(r, 3, "%s", k->updated_at);
    }
    if (!c->n_kiosks)
        snprintf(c->v.caption, sizeof c->v.caption, "%s", _("No kiosk has reported yet."));
    else
        snprintf(c->v.caption, sizeof c->v.caption, _("%d of %d kiosks need paper"), paper,
                 c->n_kiosks);
    c->v.selected = c->n_kiosks ? c->kiosk_sel : -1;
    snprintf(c->v.hint, sizeof c->v.hint, "%s", _("↑↓ scroll  F5 refresh  Esc back"));
}

static void view_accounts(struct console *c)
{
    static const struct cv_col cols[] = {
        {N_("Account"), 16, false}, {N_("Roles"), 22, false}, {N_("State"), 12, false},
        {N_("Last login"), 0, false}};
    set_cols(c, 4, cols);
    snprintf(c->v.title, sizeof c->v.title, "%s", _("Staff accounts"));
    snprintf(c->v.caption, sizeof c->v.caption, _("%d accounts"), c->n_acc);
    int off = c->acc_sel / CONSOLE_PAGE * CONSOLE_PAGE;
    for (int i = off; i < c->n_acc && i < off + CONSOLE_PAGE; i++) {
        const struct acc_line *a = &c->acc[i];
        char roles[96];
        roles_format(a->roles, roles, sizeof roles);
        struct cv_row *r = add_row(c, a->disabled ? CVK_NOTE : a->locked_until[0] ? CVK_WARN
                                                                                  : CVK_NORMAL);
        cell(r, 0, "%s", a->name);
        cell(r, 1, "%s", roles);
        cell(r, 2, "%s", a->disabled ? _("disabled") : a->locked_until[0] ? _("locked") : _("active"));
        cell(r, 3, "%s", a->last_login[0] ? a->last_login : "—");
    }
    c->v.selected = c->n_acc ? c->acc_sel - off : -1;
    snprintf(c->v.hint, sizeof c->v.hint, "%s",
             _("a add  d disable/enable  o roles  p reset password  Esc back"));
}

static void view_audit(struct console *c)
{
    static const struct cv_col cols[] = {
        {N_("Seq"), 6, true}, {N_("At"), 19, false}, {N_("Actor"), 14, false}, {N_("Action"), 10, false},
        {N_("Object / detail"), 0, false}};
    set_cols(c, 5, cols);
    snprintf(c->v.title, sizeof c->v.title, "%s", _("Audit trail"));
    snprintf(c->v.caption, sizeof c->v.caption, _("The last %d records"), c->n_audit);
    for (int i = 0; i < c->n_audit; i++) {
        const struct audit_rec *a = &c->audit[i];
        struct cv_row *r = add_row(c, CVK_NORMAL);
        cell(r, 0, "%lld", a->seq);
        cell(r, 1, "%s", a->at);
        cell(r, 2, "%s", a->actor);
        cell(r, 3, "%s", a->action);
        cell(r, 4, "%.40s %.50s", a->object, a->detail);
    }
    c->v.selected = c->n_audit ? c->audit_sel : -1;
    snprintf(c->v.hint, sizeof c->v.hint, "%s", _("↑↓ scroll  v verify the chain  F5 refresh  Esc back"));
}

static void view_check(struct console *c)
{
    snprintf(c->v.title, sizeof c->v.title, "%s", _("Check"));
    int version = 0, latest = 0;
    int err = c->st->ops->schema_version(c->st, &version, &latest);
    if (err)
        add_line(c, CVK_WARN, _("schema: %s"), kiosk_strerror(err));
    else
        add_line(c, version == latest ? CVK_GOOD : CVK_WARN, _("schema: version %d of %d"), version,
                 latest);
    char report[CV_TEXT] = "";
    err = c->st->ops->integrity(c->st, report, sizeof report);
    add_line(c, err ? CVK_WARN : CVK_GOOD, _("database: %s"), report[0] ? report : kiosk_strerror(err));
    long long n = 0, bad = 0;
    kerr_clear();
    err = audit_verify(c->st, c->sec, &n, &bad);
    if (err)
        add_line(c, CVK_WARN, _("audit: FAILED: %s"), kerr_detail()[0] ? kerr_detail() : kiosk_strerror(err));
    else
        add_line(c, CVK_GOOD, _("audit: %lld records, chain verified"), n);
    struct program progs[MAX_PROGS];
    int np = 0;
    const struct queue_store_ops *q = store_queue(c->st);
    if (q->program_list(c->st, progs, MAX_PROGS, &np) == 0)
        for (int i = 0; i < np; i++) {
            long long total = 0, counted = 0;
            if (q->total(c->st, progs[i].id, &total) || q->count_waiting(c->st, progs[i].id, &counted))
                add_line(c, CVK_WARN, _("ranks %s: cannot read"), progs[i].code);
            else
                add_line(c, total == counted ? CVK_GOOD : CVK_WARN,
                         _("ranks %s: %lld waiting, counted %lld"), progs[i].code, total, counted);
        }
    if (c->cfg)
        for (int i = 0; i < c->cfg->n_unknown; i++)
            add_line(c, CVK_WARN, _("config: unknown key %s"), c->cfg->unknown[i]);
    snprintf(c->v.hint, sizeof c->v.hint, "%s", _("F5 run again  Esc back"));
}

static void view_login(struct console *c)
{
    snprintf(c->v.title, sizeof c->v.title, "%s",
             c->opts.admin ? _("Staff console (admin) — log in") : _("Staff console — log in"));
    c->v.login_pw_len = c->pw_len;
    snprintf(c->v.hint, sizeof c->v.hint, "%s",
             _("Tab/↑↓ field  Enter log in  Esc clear/quit  F10 quit"));
}

/* Rebuild the view from the state (the message stays until the next input). */
static void rebuild(struct console *c)
{
    clear_body(c);
    c->v.screen = c->screen;
    if (c->logged_in) {
        char roles[64];
        roles_format(c->me.roles, roles, sizeof roles);
        snprintf(c->v.who, sizeof c->v.who, "%.30s (%.60s)", c->me.name, roles);
    } else {
        c->v.who[0] = '\0';
    }
    switch (c->screen) {
    case CS_LOGIN: view_login(c); break;
    case CS_HOME: view_home(c); break;
    case CS_PROGRAMS: view_programs(c); break;
    case CS_QUEUE: view_queue(c); break;
    case CS_ENTRY: view_entry(c); break;
    case CS_BEDS: view_beds(c); break;
    case CS_BED: view_bed(c); break;
    case CS_KIOSKS: view_kiosks(c); break;
    case CS_ACCOUNTS: view_accounts(c); break;
    case CS_AUDIT: view_audit(c); break;
    case CS_CHECK: view_check(c); break;
    }
    c->v.prompting = c->prompt != PK_NONE;
    if (c->v.prompting) {
        if (c->prompt_secret) {
            int n = c->prompt_len < (int)sizeof c->v.prompt_value - 1 ? c->prompt_len
                                                                      : (int)sizeof c->v.prompt_value - 1;
            memset(c->v.prompt_value, '*', (size_t)n);
            c->v.prompt_value[n] = '\0';
        } else {
            snprintf(c->v.prompt_value, sizeof c->v.prompt_value, "%s", c->prompt_buf);
        }
    } else {
        secure_wipe(c->v.prompt_value, sizeof c->v.prompt_value);
    }
}

/* ---- going places -------------------------------------------------------------------- */

static unsigned go(struct console *c, int screen)
{
    int err = 0;
    kerr_clear();
    switch (screen) {
    case CS_PROGRAMS: err = load_programs(c); break;
    case CS_BEDS: err = load_beds(c); break;
    case CS_KIOSKS:
        err = kiosk_status_list(c->st, c->kiosks, MAX_KIOSKS, &c->n_kiosks);
        if (c->kiosk_sel >= c->n_kiosks)
            c->kiosk_sel = 0;
        break;
    case CS_ACCOUNTS: err = load_accounts(c); break;
    case CS_AUDIT: err = load_audit(c); break;
    default: break;
    }
    if (err) {
        say_err(c, _("Cannot read"), err);
        return CR_REDRAW;
    }
    if (screen != c->screen)
        c->detail_sel = 0;
    c->screen = screen;
    return CR_GOTO;
}

static unsigned open_queue(struct console *c, int prog_idx, long long pos)
{
    c->prog = c->progs[prog_idx];
    c->sel = 0;
    kerr_clear();
    int err = load_page(c, pos);
    if (err) {
        say_err(c, _("Cannot read the queue"), err);
        return CR_REDRAW;
    }
    c->screen = CS_QUEUE;
    return CR_GOTO;
}

static unsigned open_entry(struct console *c, const struct entry_row *e, int back)
{
    c->entry = *e;
    c->entry_back = back;
    c->revealed = false;
    c->detail_sel = 0;
    c->screen = CS_ENTRY;
    return CR_GOTO;
}

/* Read the open entry again after a change. */
static int reload_entry(struct console *c)
{
    struct entry_row e;
    int err = store_queue(c->st)->entry_get(c->st, c->entry.program_id, c->entry.receipt_no, &e);
    if (!err)
        c->entry = e;
    secure_wipe(&e, sizeof e);
    return err;
}

struct find_ctx {
    struct entry_row e;
    int n;
};

static int find_one(void *ctx, const struct entry_row *e)
{
    struct find_ctx *f = ctx;
    if (f->n++ == 0)
        f->e = *e;
    return 0;
}

/* `/`: a receipt number in the current programme first, else in any. */
static unsigned search_receipt(struct console *c, const char *receipt)
{
    const struct queue_store_ops *q = store_queue(c->st);
    struct find_ctx *f = calloc(1, sizeof *f);
    if (!f)
        return say(c, true, "%s", kiosk_strerror(KERR_NOMEM)), CR_REDRAW;
    int err = KERR_NOTFOUND;
    kerr_clear();
    if (c->screen == CS_QUEUE && (err = q->entry_get(c->st, c->prog.id, receipt, &f->e)) == 0)
        f->n = 1;
    else if (err == KERR_NOTFOUND)
        err = q->entries_by_receipt(c->st, receipt, find_one, f);
    unsigned r = CR_REDRAW;
    if (err && err != KERR_NOTFOUND)
        say_err(c, _("Search failed"), err);
    else if (f->n == 0)
        say(c, true, _("No entry with receipt number %s."), receipt);
    else {
        if (f->n > 1)
            say(c, false, _("%d entries have this receipt number; showing the first."), f->n);
        r = open_entry(c, &f->e, c->screen == CS_QUEUE ? CS_QUEUE : CS_PROGRAMS);
    }
    secure_wipe(f, sizeof *f);
    free(f);
    return r;
}

/* ---- login / logout ------------------------------------------------------------------ */

static void wipe_all(struct console *c)
{
    secure_wipe(&c->v, sizeof c->v);
    secure_wipe(c->pw, sizeof c->pw);
    c->pw_len = 0;
    secure_wipe(c->page, sizeof c->page);
    c->n_page = 0;
    secure_wipe(&c->entry, sizeof c->entry);
    if (c->beds)
        secure_wipe(c->beds, MAX_BEDS * sizeof *c->beds);
    c->n_beds = 0;
    secure_wipe(c->bed_ref, sizeof c->bed_ref);
    secure_wipe(&c->assess, sizeof c->assess);
    secure_wipe(c->provider, sizeof c->provider);
    if (c->acc)
        secure_wipe(c->acc, MAX_ACCOUNTS * sizeof *c->acc);
    c->n_acc = 0;
    if (c->audit)
        secure_wipe(c->audit, AUDIT_TAIL * sizeof *c->audit);
    c->n_audit = 0;
    secure_wipe(c->kiosks, sizeof c->kiosks);
    c->n_kiosks = 0;
    secure_wipe(c->pending_name, sizeof c->pending_name);
    prompt_close(c);
    secure_wipe(&c->me, sizeof c->me);
    c->revealed = false;
    c->bed_sel = c->sel = c->acc_sel = c->audit_sel = c->kiosk_sel = c->prog_sel = 0;
    c->home_sel = 0;
}

unsigned console_logout(struct console *c, const char *why)
{
    bool was = c->logged_in;
    wipe_all(c);
    c->logged_in = false;
    c->screen = CS_LOGIN;
    if (why && *why)
        say(c, false, "%s", why);
    rebuild(c);
    return CR_GOTO | (was ? CR_WIPE : 0);
}

static unsigned do_login(struct console *c, int64_t now)
{
    struct actor a;
    memset(&a, 0, sizeof a);
    kerr_clear();
    int err = auth_login(c->st, c->sec, c->cfg, c->v.login_name, c->pw, &a);
    secure_wipe(c->pw, sizeof c->pw);
    c->pw_len = 0;
    if (err) {
        /* the same words whichever was wrong (auth.c never says which) */
        say(c, true, "%s", err == KERR_LOCKED ? _("Account locked or disabled.")
                           : err == KERR_AUTH  ? _("Wrong user name or password.")
                                               : kiosk_strerror(err));
        c->v.login_field = 1;
        return CR_REDRAW;
    }
    c->me = a;
    c->logged_in = true;
    c->last_input = now;
    c->n_home = 0;
    if (has(c, ROLE_HOUSING | ROLE_ADMIN))
        c->home[c->n_home++] = CS_PROGRAMS;
    if (has(c, ROLE_STREET | ROLE_DISTRICT | ROLE_ASSESSOR | ROLE_PROVIDER | ROLE_ADMIN))
        c->home[c->n_home++] = CS_BEDS;
    c->home[c->n_home++] = CS_KIOSKS;
    if (admin_screens(c)) {
        c->home[c->n_home++] = CS_ACCOUNTS;
        c->home[c->n_home++] = CS_AUDIT;
        c->home[c->n_home++] = CS_CHECK;
    } else if (c->opts.admin) {
        say(c, true, "%s", _("The admin screens need the admin role."));
    }
    if (!c->v.message_warn)
        say(c, false, _("Logged in as %s."), a.name);
    c->home_sel = 0;
    c->bed_filter = BF_ACTIONABLE;
    secure_wipe(c->v.login_name, sizeof c->v.login_name);
    c->v.login_field = 0;
    c->screen = CS_HOME;
    return CR_GOTO;
}

static unsigned login_input(struct console *c, enum con_action a, uint32_t ch, int64_t now)
{
    struct con_view *v = &c->v;
    switch (a) {
    case CA_TAB: case CA_UP: case CA_DOWN:
        v->login_field = !v->login_field;
        return CR_REDRAW;
    case CA_ENTER:
        if (v->login_field == 0) {
            v->login_field = 1;
            return CR_REDRAW;
        }
        if (!v->login_name[0]) {
            v->login_field = 0;
            say(c, true, "%s", _("Type your user name."));
            return CR_REDRAW;
        }
        return do_login(c, now);
    case CA_BACKSPACE:
        if (v->login_field == 0) {
            int n = (int)strlen(v->login_name);
            text_backspace(v->login_name, &n);
        } else {
            text_backspace(c->pw, &c->pw_len);
        }
        return CR_REDRAW;
    case CA_ESCAPE:
        if (!v->login_name[0] && !c->pw_len)
            return CR_QUIT;
        secure_wipe(c->pw, sizeof c->pw);
        c->pw_len = 0;
        secure_wipe(v->login_name, sizeof v->login_name);
        v->login_field = 0;
        return CR_REDRAW;
    default:
        if (!ch)
            return CR_NONE;
        if (v->login_field == 0) {
            int n = (int)strlen(v->login_name);
            text_append(v->login_name, &n, (int)sizeof v->login_name, ch);
        } else {
            text_append(c->pw, &c->pw_len, AUTH_PASSWORD_MAX + 1, ch);
        }
        return CR_REDRAW;
    }
}

/* ---- prompts finished --------------------------------------------------------------- */

static unsigned bed_do_move(struct console *c, const char *reason)
{
    kerr_clear();
    int to = c->mv_to;
    int err = eldercare_advance(c->st, c->sec, c->cfg, &c->me, c->bed_ref, to,
                                reason && *reason ? reason : NULL,
                                c->have_assess ? &c->assess : NULL,
                                c->provider[0] ? c->provider : NULL);
    secure_wipe(&c->assess, sizeof c->assess);
    c->have_assess = false;
    secure_wipe(c->provider, sizeof c->provider);
    if (err)
        say_err(c, _("Refused"), err);
    else
        say(c, false, _("%s moved to %s."), c->bed_ref, bed_stage_label(to, lang(c)));
    return CR_REDRAW;
}

/* "4,4,3,…" (26 scores, commas or spaces) → c->assess. */
static int parse_scores(struct console *c, const char *text)
{
    memset(&c->assess, 0, sizeof c->assess);
    const char *p = text;
    int n = 0;
    while (*p) {
        while (*p == ',' || *p == ' ')
            p++;
        if (!*p)
            break;
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || n >= ASSESS_ITEMS)
            return kerr(KERR_INPUT, "type %d scores separated by commas", ASSESS_ITEMS);
        c->assess.score[n++] = (int)v;
        p = end;
    }
    if (n != ASSESS_ITEMS)
        return kerr(KERR_INPUT, "%d scores typed, %d needed", n, ASSESS_ITEMS);
    /* validate now, so a typo is reported before the reason is asked */
    struct assessment t = c->assess;
    int err = assessment_score(&t, c->cfg ? c->cfg->level_bands : "90,66,46,30");
    secure_wipe(&t, sizeof t);
    return err;
}

static void bed_reason_prompt(struct console *c)
{
    prompt_open(c, PK_BED_REASON, false,
                bed_rule_needs_reason(c->mv_to) ? _("Reason (required):") : _("Note (optional):"));
}

static unsigned prompt_done(struct console *c)
{
    int kind = c->prompt;
    char text[256];
    memcpy(text, c->prompt_buf, sizeof text);
    prompt_close(c);
    unsigned r = CR_REDRAW;
    kerr_clear();
    switch (kind) {
    case PK_JUMP: {
        char *end;
        long long n = strtoll(text, &end, 10);
        if (end == text || *end || n < 1) {
            say(c, true, "%s", _("Type a position number."));
            break;
        }
        if (n > c->total) {
            say(c, true, _("Only %lld are waiting."), c->total);
            break;
        }
        /* the jump itself: entry_at(N) (a Fenwick descent) checks N exists,
         * then the page from N */
        struct entry_row e;
        int err = store_queue(c->st)->entry_at(c->st, c->prog.id, n, &e);
        secure_wipe(&e, sizeof e);
        if (!err) {
            c->sel = 0;
            err = load_page(c, n);
        }
        if (err)
            say_err(c, _("Cannot go there"), err);
        else
            say(c, false, _("Position %lld."), n);
        break;
    }
    case PK_SEARCH:
        if (text[0])
            r = search_receipt(c, text);
        break;
    case PK_QREASON: {
        int now_status = -1, a = c->pending_action;
        struct program p;
        int err = store_queue(c->st)->program_by_id(c->st, c->entry.program_id, &p);
        if (!err)
            err = queue_staff_action(c->st, c->sec, &c->me, p.code, c->entry.receipt_no, a, text,
                                     &now_status);
        if (err) {
            say_err(c, _("Refused"), err);
        } else {
            say(c, false, _("Done (%s): the entry is now %s."), queue_action_label(a),
                queue_status_label(now_status));
            if ((err = reload_entry(c)))
                say_err(c, _("Cannot read the entry again"), err);
            /* the page behind may have changed: read it again */
            if (c->entry_back == CS_QUEUE && load_page(c, c->pos) != 0)
                c->n_page = 0;
        }
        break;
    }
    case PK_BED_ASSESS: {
        int err = parse_scores(c, text);
        if (err) {
            secure_wipe(&c->assess, sizeof c->assess);
            say_err(c, _("Assessment"), err);
            break;
        }
        c->have_assess = true;
        bed_reason_prompt(c);
        break;
    }
    case PK_BED_PROVIDER:
        snprintf(c->provider, sizeof c->provider, "%.*s", (int)sizeof c->provider - 1, text);
        bed_reason_prompt(c);
        break;
    case PK_BED_REASON:
        r = bed_do_move(c, text);
        break;
    case PK_ACC_NAME:
        if (auth_name_valid(text) != 0) {
            say(c, true, "%s", _("A name is 1-63 of a-z 0-9 . _ - (starting with a letter or digit)."));
            break;
        }
        /* auth_name_valid() allows at most 63 bytes */
        snprintf(c->pending_name, sizeof c->pending_name, "%.*s", (int)sizeof c->pending_name - 1,
                 text);
        prompt_open(c, PK_ACC_NEW_ROLES, false, _("Roles (street,district,assessor,provider,housing,admin):"));
        break;
    case PK_ACC_NEW_ROLES:
    case PK_ACC_ROLES: {
        unsigned roles;
        if (roles_parse(text, &roles) != 0 || !roles) {
            say(c, true, _("Unknown roles: %s"), text);
            break;
        }
        if (kind == PK_ACC_NEW_ROLES) {
            c->pending_roles = roles;
            prompt_open(c, PK_ACC_NEW_PW, true, _("Password (at least 8 characters):"));
            break;
        }
        int err = auth_user_roles(c->st, c->sec, &c->me, c->pending_name, roles);
        if (err)
            say_err(c, _("Refused"), err);
        else
            say(c, false, _("Roles of %s: %s."), c->pending_name, text);
        load_accounts(c);
        break;
    }
    case PK_ACC_NEW_PW: {
        long id = 0;
        int err = auth_user_add(c->st, c->sec, &c->me, c->pending_name, c->pending_roles, text,
                                NULL, NULL, &id);
        if (err)
            say_err(c, _("Refused"), err);
        else
            say(c, false, _("Account %s added."), c->pending_name);
        load_accounts(c);
        break;
    }
    case PK_ACC_PW: {
        int err = auth_user_passwd(c->st, c->sec, &c->me, c->pending_name, text);
        if (err)
            say_err(c, _("Refused"), err);
        else
            say(c, false, _("New password set for %s; the account is unlocked."), c->pending_name);
        load_accounts(c);
        break;
    }
    }
    secure_wipe(text, sizeof text);
    return r;
}

static unsigned prompt_input(struct console *c, enum con_action a, uint32_t ch)
{
    switch (a) {
    case CA_ENTER: return prompt_done(c);
    case CA_ESCAPE:
        prompt_close(c);
        secure_wipe(&c->assess, sizeof c->assess);
        c->have_assess = false;
        say(c, false, "%s", _("Cancelled."));
        return CR_REDRAW;
    case CA_BACKSPACE:
        text_backspace(c->prompt_buf, &c->prompt_len);
        return CR_REDRAW;
    default:
        if (!ch)
            return CR_NONE;
        text_append(c->prompt_buf, &c->prompt_len, (int)sizeof c->prompt_buf, ch);
        return CR_REDRAW;
    }
}

/* ---- screen inputs -------------------------------------------------------------------- */

/* Move a selection within n items; returns true when it moved. */
static bool move_sel(int *sel, int n, enum con_action a, int page)
{
    int old = *sel;
    switch (a) {
    case CA_UP: (*sel)--; break;
    case CA_DOWN: (*sel)++; break;
    case CA_PGUP: *sel -= page; break;
    case CA_PGDN: *sel += page; break;
    case CA_HOME: *sel = 0; break;
    case CA_END: *sel = n - 1; break;
    default: return false;
    }
    if (*sel >= n)
        *sel = n - 1;
    if (*sel < 0)
        *sel = 0;
    return *sel != old || true;
}

static unsigned queue_input(struct console *c, enum con_action a)
{
    long long pos = c->pos;
    int err = 0;
    kerr_clear();
    switch (a) {
    case CA_UP:
        if (c->sel > 0) {
            c->sel--;
            return CR_REDRAW;
        }
        if (pos <= 1)
            return CR_NONE;
        c->sel = CONSOLE_PAGE - 1;
        err = load_page(c, pos - CONSOLE_PAGE);
        break;
    case CA_DOWN:
        if (c->sel < c->n_page - 1) {
            c->sel++;
            return CR_REDRAW;
        }
        if (pos + c->n_page > c->total)
            return CR_NONE;
        c->sel = 0;
        err = load_page(c, pos + CONSOLE_PAGE);
        break;
    case CA_PGDN:
        if (pos + CONSOLE_PAGE > c->total)
            return CR_NONE;
        err = load_page(c, pos + CONSOLE_PAGE);
        break;
    case CA_PGUP:
        if (pos <= 1)
            return CR_NONE;
        err = load_page(c, pos - CONSOLE_PAGE);
        break;
    case CA_HOME:
        c->sel = 0;
        err = load_page(c, 1);
        break;
    case CA_END:
        c->sel = CONSOLE_PAGE - 1;
        err = load_page(c, c->total - CONSOLE_PAGE + 1);
        break;
    case CA_JUMP: {
        char label[96];
        snprintf(label, sizeof label, _("Go to position (1–%lld):"), c->total);
        prompt_open(c, PK_JUMP, false, label);
        return CR_REDRAW;
    }
    case CA_SEARCH:
        prompt_open(c, PK_SEARCH, false, _("Receipt number:"));
        return CR_REDRAW;
    case CA_ENTER:
        if (c->n_page)
            return open_entry(c, &c->page[c->sel], CS_QUEUE);
        return CR_NONE;
    case CA_REFRESH: err = load_page(c, pos); break;
    case CA_ESCAPE:
        secure_wipe(c->page, sizeof c->page);
        c->n_page = 0;
        return go(c, CS_PROGRAMS);
    default: return CR_NONE;
    }
    if (err)
        say_err(c, _("Cannot read the queue"), err);
    return CR_REDRAW;
}

static unsigned entry_input(struct console *c, enum con_action a)
{
    switch (a) {
    case CA_UP: case CA_DOWN:
        if (!c->n_acts)
            return CR_NONE;
        move_sel(&c->detail_sel, c->n_acts, a, 1);
        return CR_REDRAW;
    case CA_ENTER:
        if (!c->n_acts)
            return CR_NONE;
        c->pending_action = c->acts[c->detail_sel < 0 ? 0 : c->detail_sel];
        {
            char label[160];
            snprintf(label, sizeof label, _("%s %s — reason:"), queue_action_label(c->pending_action),
                     c->entry.receipt_no);
            prompt_open(c, PK_QREASON, false, label);
        }
        return CR_REDRAW;
    case CA_REVEAL: {
        if (!has(c, ROLE_HOUSING)) {
            say(c, true, "%s", _("Showing the full ID number needs the housing role."));
            return CR_REDRAW;
        }
        if (c->revealed)
            return CR_NONE;
        /* the audit record first: no record, no reveal */
        char object[96];
        struct program p;
        kerr_clear();
        int err = store_queue(c->st)->program_by_id(c->st, c->entry.program_id, &p);
        if (!err) {
            snprintf(object, sizeof object, "entry %s/%s", p.code, c->entry.receipt_no);
            if (!(err = store_begin(c->st))) {
                if ((err = audit_append(c->st, c->sec, c->me.name, "reveal", object, "%s",
                                        "full ID number shown on the staff console")) ||
                    (err = store_commit(c->st)))
                    store_rollback(c->st);
            }
        }
        if (err) {
            say_err(c, _("Cannot reveal"), err);
            return CR_REDRAW;
        }
        c->revealed = true;
        say(c, false, "%s", _("Full ID number shown; this was recorded in the audit trail."));
        return CR_REDRAW;
    }
    case CA_REFRESH: {
        int err = reload_entry(c);
        if (err)
            say_err(c, _("Cannot read the entry"), err);
        return CR_REDRAW;
    }
    case CA_ESCAPE:
        c->revealed = false;
        secure_wipe(&c->entry, sizeof c->entry);
        c->screen = c->entry_back;
        if (c->screen == CS_QUEUE)
            return CR_GOTO;
        return go(c, c->entry_back);
    default: return CR_NONE;
    }
}

static unsigned beds_input(struct console *c, enum con_action a)
{
    switch (a) {
    case CA_UP: case CA_DOWN: case CA_PGUP: case CA_PGDN: case CA_HOME: case CA_END:
        if (!c->n_beds)
            return CR_NONE;
        move_sel(&c->bed_sel, c->n_beds, a, CONSOLE_PAGE);
        return CR_REDRAW;
    case CA_FILTER:
        c->bed_filter = c->bed_filter == BF_ACTIONABLE ? BF_ALL
                        : c->bed_filter + 1 >= BS__COUNT ? BF_ACTIONABLE
                                                         : c->bed_filter + 1;
        c->bed_sel = 0;
        kerr_clear();
        {
            int err = load_beds(c);
            if (err)
                say_err(c, _("Cannot read"), err);
        }
        return CR_REDRAW;
    case CA_REFRESH: return go(c, CS_BEDS) | CR_REDRAW;
    case CA_ENTER:
        if (!c->n_beds)
            return CR_NONE;
        snprintf(c->bed_ref, sizeof c->bed_ref, "%s", c->beds[c->bed_sel].ref);
        c->detail_sel = 0;
        c->screen = CS_BED;
        return CR_GOTO;
    case CA_ESCAPE: return go(c, CS_HOME);
    default: return CR_NONE;
    }
}

static unsigned bed_input(struct console *c, enum con_action a)
{
    switch (a) {
    case CA_UP: case CA_DOWN:
        if (!c->n_moves)
            return CR_NONE;
        move_sel(&c->detail_sel, c->n_moves, a, 1);
        return CR_REDRAW;
    case CA_ENTER:
        if (!c->n_moves)
            return CR_NONE;
        c->mv_to = c->moves[c->detail_sel < 0 ? 0 : c->detail_sel];
        c->have_assess = false;
        c->provider[0] = '\0';
        if (c->mv_to == BS_ASSESSED)
            prompt_open(c, PK_BED_ASSESS, false, _("26 item scores (GB/T 42195), comma-separated:"));
        else if (c->mv_to == BS_PROVIDER_ASSIGNED)
            prompt_open(c, PK_BED_PROVIDER, false, _("Provider organisation (empty: the only one):"));
        else
            bed_reason_prompt(c);
        return CR_REDRAW;
    case CA_REFRESH: return CR_REDRAW;
    case CA_ESCAPE:
        secure_wipe(c->bed_ref, sizeof c->bed_ref);
        return go(c, CS_BEDS);
    default: return CR_NONE;
    }
}

static unsigned accounts_input(struct console *c, enum con_action a)
{
    const struct acc_line *sel = c->n_acc ? &c->acc[c->acc_sel] : NULL;
    switch (a) {
    case CA_UP: case CA_DOWN: case CA_PGUP: case CA_PGDN: case CA_HOME: case CA_END:
        if (!c->n_acc)
            return CR_NONE;
        move_sel(&c->acc_sel, c->n_acc, a, CONSOLE_PAGE);
        return CR_REDRAW;
    case CA_ADD:
        prompt_open(c, PK_ACC_NAME, false, _("New account name:"));
        return CR_REDRAW;
    case CA_DISABLE: {
        if (!sel)
            return CR_NONE;
        kerr_clear();
        bool to = !sel->disabled;
        char name[64];
        snprintf(name, sizeof name, "%s", sel->name);
        int err = auth_user_disable(c->st, c->sec, &c->me, name, to);
        if (err)
            say_err(c, _("Refused"), err);
        else
            say(c, false, to ? _("%s disabled.") : _("%s enabled."), name);
        load_accounts(c);
        return CR_REDRAW;
    }
    case CA_ROLES:
    case CA_PASSWD:
        if (!sel)
            return CR_NONE;
        snprintf(c->pending_name, sizeof c->pending_name, "%s", sel->name);
        if (a == CA_ROLES)
            prompt_open(c, PK_ACC_ROLES, false, _("New roles (comma-separated):"));
        else
            prompt_open(c, PK_ACC_PW, true, _("New password (at least 8 characters):"));
        return CR_REDRAW;
    case CA_REFRESH: return go(c, CS_ACCOUNTS) | CR_REDRAW;
    case CA_ESCAPE: return go(c, CS_HOME);
    default: return CR_NONE;
    }
}

static unsigned table_simple_input(struct console *c, enum con_action a, int *sel, int n)
{
    switch (a) {
    case CA_UP: case CA_DOWN: case CA_PGUP: case CA_PGDN: case CA_HOME: case CA_END:
        if (!n)
            return CR_NONE;
        move_sel(sel, n, a, 10);
        return CR_REDRAW;
    case CA_REFRESH: return go(c, c->screen) | CR_REDRAW;
    case CA_ESCAPE: return go(c, CS_HOME);
    default: return CR_NONE;
    }
}

static unsigned screen_input(struct console *c, enum con_action a, uint32_t ch)
{
    switch (c->screen) {
    case CS_HOME:
        if (ch >= '1' && ch <= '9' && (int)(ch - '1') < c->n_home) {
            c->home_sel = (int)(ch - '1');
            return go(c, c->home[c->home_sel]);
        }
        switch (a) {
        case CA_UP: case CA_DOWN: case CA_HOME: case CA_END:
            move_sel(&c->home_sel, c->n_home, a, 1);
            return CR_REDRAW;
        case CA_ENTER: return go(c, c->home[c->home_sel]);
        case CA_ESCAPE: return console_logout(c, _("Logged out."));
        default: return CR_NONE;
        }
    case CS_PROGRAMS:
        switch (a) {
        case CA_UP: case CA_DOWN: case CA_HOME: case CA_END:
            if (!c->n_progs)
                return CR_NONE;
            move_sel(&c->prog_sel, c->n_progs, a, 1);
            return CR_REDRAW;
        case CA_ENTER:
            if (!c->n_progs)
                return CR_NONE;
            return open_queue(c, c->prog_sel, 1);
        case CA_SEARCH:
            prompt_open(c, PK_SEARCH, false, _("Receipt number:"));
            return CR_REDRAW;
        case CA_REFRESH: return go(c, CS_PROGRAMS) | CR_REDRAW;
        case CA_ESCAPE: return go(c, CS_HOME);
        default: return CR_NONE;
        }
    case CS_QUEUE: return queue_input(c, a);
    case CS_ENTRY: return entry_input(c, a);
    case CS_BEDS: return beds_input(c, a);
    case CS_BED: return bed_input(c, a);
    case CS_KIOSKS: return table_simple_input(c, a, &c->kiosk_sel, c->n_kiosks);
    case CS_ACCOUNTS: return accounts_input(c, a);
    case CS_AUDIT:
        if (a == CA_VERIFY) {
            long long n = 0, bad = 0;
            kerr_clear();
            int err = audit_verify(c->st, c->sec, &n, &bad);
            if (err)
                say_err(c, _("Audit chain"), err);
            else
                say(c, false, _("Audit chain verified: %lld records."), n);
            return CR_REDRAW;
        }
        return table_simple_input(c, a, &c->audit_sel, c->n_audit);
    case CS_CHECK:
        if (a == CA_REFRESH)
            return CR_REDRAW;
        if (a == CA_ESCAPE)
            return go(c, CS_HOME);
        return CR_NONE;
    }
    return CR_NONE;
}

/* ---- the public face ------------------------------------------------------------------ */

int console_new(struct store *st, const struct secret *sec, const struct kiosk_config *cfg,
                const struct console_opts *opts, struct console **out)
{
    struct console *c = calloc(1, sizeof *c);
    if (!c)
        return KERR_NOMEM;
    c->st = st;
    c->sec = sec;
    c->cfg = cfg;
    if (opts)
        c->opts = *opts;
    int idle = c->opts.idle_seconds > 0 ? c->opts.idle_seconds : DEFAULT_IDLE_S;
    c->idle_ms = (int64_t)idle * 1000;
    i18n_set_lang(lang(c));
    c->screen = CS_LOGIN;
    c->bed_filter = BF_ACTIONABLE;
    rebuild(c);
    *out = c;
    return 0;
}

void console_free(struct console **cp)
{
    struct console *c = *cp;
    if (!c)
        return;
    wipe_all(c);
    free(c->beds);
    free(c->acc);
    free(c->audit);
    secure_wipe(c, sizeof *c);
    free(c);
    *cp = NULL;
}

unsigned console_input(struct console *c, enum con_action a, uint32_t ch, int64_t now_ms)
{
    if (a == CA_QUIT) {
        console_logout(c, "");
        return CR_QUIT | CR_WIPE;
    }
    c->v.message[0] = '\0';
    c->v.message_warn = false;
    unsigned r;
    if (!c->logged_in) {
        r = login_input(c, a, ch, now_ms);
    } else {
        c->last_input = now_ms;
        if (a == CA_LOGOUT)
            return console_logout(c, _("Logged out."));
        if (c->prompt != PK_NONE)
            r = prompt_input(c, a, ch);
        else
            r = screen_input(c, a, ch);
    }
    if (c->logged_in || c->screen == CS_LOGIN)
        rebuild(c);
    return r | CR_REDRAW;
}

unsigned console_tick(struct console *c, int64_t now_ms)
{
    if (c->logged_in && now_ms - c->last_input >= c->idle_ms) {
        char why[160];
        snprintf(why, sizeof why, _("Logged out after %lld minutes without a key."),
                 (long long)(c->idle_ms / 60000));
        return console_logout(c, why);
    }
    return CR_NONE;
}

int console_next_timeout_ms(const struct console *c, int64_t now_ms)
{
    if (!c->logged_in)
        return -1;
    int64_t left = c->last_input + c->idle_ms - now_ms;
    if (left < 0)
        left = 0;
    return left > 0x7fffffff ? 0x7fffffff : (int)left;
}

const struct con_view *console_view(const struct console *c) { return &c->v; }

bool console_logged_in(const struct console *c) { return c->logged_in; }
