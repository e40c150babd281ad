/* entry.c — one queue entry: its status and position, the full name (the
 * clerk calls the household by it), the masked ID number, the ordering
 * keys, the whole history, and the actions its status allows (queue.h
 * queue_action_allowed) to an account with the housing role.  An action
 * asks for the internal reason; an offer then asks for what the resident is
 * told (deadline, place, contact) and a freeze or removal for the reason
 * shown to the resident, picked from the configured list
 * (data/next_steps.ini [reasons]); then queue_staff_action writes it and
 * notice_set keeps what the resident sees.  The full ID number is shown
 * only after an audit record says who asked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/audit.h"
#include "kiosk/audit_detail.h"
#include "kiosk/config.h"
#include "kiosk/console/console_int.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/secret.h"

/* Forget what load read (not the entry row: load reads it again by it). */
static void wipe_loaded(struct console *c)
{
    if (c->entry.qv) {
        queue_view_wipe(c->entry.qv, 1);
        free(c->entry.qv);
        c->entry.qv = NULL;
    }
    if (c->entry.ev)
        secure_wipe(c->entry.ev, (size_t)c->entry.cap_ev * sizeof *c->entry.ev);
    c->entry.n_ev = 0;
    secure_wipe(c->entry.name, sizeof c->entry.name);
    secure_wipe(c->entry.id, sizeof c->entry.id);
    c->entry.opened = false;
    c->entry.n_acts = 0;
    c->entry.err[0] = '\0';
}

static void entry_leave(struct console *c)
{
    wipe_loaded(c);
    secure_wipe(&c->entry.e, sizeof c->entry.e);
    c->entry.revealed = false;
}

unsigned con_open_entry(struct console *c, const struct entry_row *e, int back)
{
    struct entry_row copy = *e;   /* e may point into the page being replaced */
    entry_leave(c);
    c->entry.e = copy;
    secure_wipe(&copy, sizeof copy);
    c->entry.back = back;
    c->entry.sel = 0;
    return con_open(c, CS_ENTRY);
}

static int event_one(void *ctx, const struct entry_event *ev)
{
    struct console *c = ctx;
    int err = grow((void **)&c->entry.ev, &c->entry.cap_ev, c->entry.n_ev + 1, sizeof *c->entry.ev);
    if (err)
        return err;
    c->entry.ev[c->entry.n_ev++] = *ev;
    return 0;
}

/* The entry again (it may have changed), its view and its history: one
 * statement (queue_entry_page; issue 13: each page one round trip). */
static int entry_load(struct console *c)
{
    bool revealed = c->entry.revealed;
    wipe_loaded(c);
    if (!(c->entry.qv = calloc(1, sizeof *c->entry.qv)))
        return KERR_NOMEM;
    struct entry_row e = c->entry.e;
    int view_err = 0;
    int err = queue_entry_page(c->st, c->sec, &e, c->entry.qv, &view_err, event_one, c);
    if (!err)
        c->entry.e = e;
    secure_wipe(&e, sizeof e);
    if (err) {
        queue_view_wipe(c->entry.qv, 1);
        free(c->entry.qv);
        c->entry.qv = NULL;
        return err;
    }
    if (view_err) {
        /* shown in the body, like before: the history is read all the same */
        const char *d = kerr_detail();
        snprintf(c->entry.err, sizeof c->entry.err, "%s: %s", _("Cannot show the entry"),
                 d && *d ? d : kiosk_strerror(view_err));
        queue_view_wipe(c->entry.qv, 1);
        free(c->entry.qv);
        c->entry.qv = NULL;
        return 0;
    }
    c->entry.opened = queue_unseal(c->sec, &c->entry.e, c->entry.id, c->entry.name,
                                   sizeof c->entry.name) == 0;
    c->entry.revealed = revealed && c->entry.opened;
    if (!c->entry.revealed)
        secure_wipe(c->entry.id, sizeof c->entry.id);   /* held only once revealed */
    if (has_role(c, ROLE_HOUSING))
        for (int a = 0; a < QA__COUNT; a++)
            if (queue_action_allowed(a, c->entry.e.status))
                c->entry.acts[c->entry.n_acts++] = a;
    if (c->entry.sel >= c->entry.n_acts)
        c->entry.sel = c->entry.n_acts - 1;
    if (c->entry.sel < 0)
        c->entry.sel = 0;
    return 0;
}

static void purpose_lines(struct console *c);

static void entry_build(struct console *c)
{
    const struct entry_row *e = &c->entry.e;
    const struct queue_view *qv = c->entry.qv;
    snprintf(c->v.title, sizeof c->v.title, "%s %s/%s", _("Queue entry"), qv ? qv->program : "",
             e->receipt_no);
    if (!qv) {
        add_line(c, CVK_WARN, "%s", c->entry.err[0] ? c->entry.err : _("Cannot show the entry"));
        return;
    }
    add_line(c, CVK_HEAD, "%s  %s  %s", qv->program,
             !strcmp(con_lang(c), "zh") ? qv->program_zh : qv->program_en, e->receipt_no);
    if (e->status == ST_WAITING)
        add_line(c, CVK_GOOD, _("Status: waiting — position %lld of %lld"), qv->position, qv->total);
    else
        add_line(c, CVK_NORMAL, _("Status: %s"), queue_status_label(e->status));
    add_line(c, CVK_NORMAL, _("Name: %s"), c->entry.opened ? c->entry.name : "?");
    add_line(c, c->entry.revealed ? CVK_WARN : CVK_NORMAL, _("ID number: %s%s"),
             c->entry.revealed ? c->entry.id : qv->id_masked,
             c->entry.revealed ? _("  (revealed; audited)") : "");
    add_line(c, CVK_NORMAL, _("Household size: %d   Hukou district: %s   Refusals: %d of %d"),
             e->household_size, e->hukou_district, e->refusals, qv->refusal_limit);
    char keys[CV_TEXT] = "";
    size_t kl = 0;
    for (int i = 0; i < qv->n_rule && kl < sizeof keys; i++) {
        int k = qv->rule[i];
        kl += (size_t)snprintf(keys + kl, sizeof keys - kl, "%s%s %s", i ? ", " : "",
                               _(order_key_name(k)), qv->key_text[k][0] ? qv->key_text[k] : "—");
    }
    add_line(c, CVK_NOTE, _("Order: %s"), keys);

    pub_reason_lines(c);   /* while the reason is picked: before the history takes the room */
    purpose_lines(c);      /* likewise the purpose of a reveal */
    add_line(c, CVK_HEAD, "%s", _("History"));
    /* the latest events when they do not all fit, and a line saying so */
    int room = CV_LINES - c->v.n_lines - 2, first = 0;
    if (c->entry.n_ev > room) {
        first = c->entry.n_ev - (room - 1);
        add_line(c, CVK_NOTE, _("%d earlier events not shown (kioskctl shows them all)."), first);
    }
    for (int i = first; i < c->entry.n_ev; i++) {
        const struct entry_event *ev = &c->entry.ev[i];
        if (ev->from_status >= 0 && ev->to_status >= 0)
            add_line(c, CVK_NORMAL, "%s  %-10s %s → %s  %s: %s", ev->at, ev->action,
                     queue_status_short(ev->from_status), queue_status_short(ev->to_status),
                     ev->actor, ev->reason);
        else
            add_line(c, CVK_NORMAL, "%s  %-10s %s: %s", ev->at, ev->action, ev->actor, ev->reason);
    }
    for (int i = 0; i < c->entry.n_acts; i++)
        add_item(c, "%s", queue_action_label(c->entry.acts[i]));
    if (!c->entry.n_acts)
        add_line(c, CVK_NOTE, "%s",
                 has_role(c, ROLE_HOUSING) ? _("No action applies to an entry in this status.")
                                           : _("Actions need the housing role."));
    c->v.item_sel = c->entry.n_acts ? c->entry.sel : -1;
}

/* Why a full ID number may be shown: [console] reveal_purposes ('|'-separated),
 * else these (message ids: shown in the console's language, recorded in English). */
static const char *const default_purposes[] = {
    N_("Calling the household"), N_("Checking identity documents at the counter"),
    N_("Handling a complaint or appeal"), N_("Correcting a record from the bureau"),
};
#define MAX_PURPOSES 9

/* The i-th purpose (0-based) into out; the count when out is NULL. */
static int purpose(const struct console *c, int i, char *out, size_t cap)
{
    const char *list = c->cfg ? c->cfg->reveal_purposes : "";
    if (!list[0]) {
        int n = (int)(sizeof default_purposes / sizeof default_purposes[0]);
        if (out && i >= 0 && i < n)
            snprintf(out, cap, "%s", default_purposes[i]);
        return n;
    }
    int n = 0;
    for (const char *p = list; *p && n < MAX_PURPOSES; n++) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (out && n == i)
            snprintf(out, cap, "%.*s", (int)len, p);
        p = bar ? bar + 1 : p + len;
    }
    return n;
}

/* While the purpose is being picked: the list, numbered. */
static void purpose_lines(struct console *c)
{
    if (c->prompt != PK_REVEAL_PURPOSE)
        return;
    add_line(c, CVK_HEAD, "%s", _("Why is the full ID number needed? (recorded in the audit trail)"));
    char p[160];
    for (int i = 0; i < purpose(c, 0, NULL, 0); i++) {
        purpose(c, i, p, sizeof p);
        add_line(c, CVK_NORMAL, "%2d  %s", i + 1, _(p));
    }
}

/* `r`: ask the purpose first. */
static unsigned reveal_ask(struct console *c)
{
    if (!has_role(c, ROLE_HOUSING)) {
        say(c, true, "%s", _("Showing the full ID number needs the housing role."));
        return CR_REDRAW;
    }
    if (c->entry.revealed)
        return CR_NONE;
    char label[96];
    snprintf(label, sizeof label, _("Purpose (1–%d):"), purpose(c, 0, NULL, 0));
    prompt_open(c, PK_REVEAL_PURPOSE, false, label);
    return CR_REDRAW;
}

/* Reveal for the purpose picked: the audit record first — no record, no reveal. */
static unsigned reveal(struct console *c, const char *text)
{
    char *end;
    long k = strtol(text, &end, 10);
    char why[160];
    if (end == text || *end || k < 1 || k > purpose(c, 0, NULL, 0)) {
        say(c, true, _("Type the number of a purpose from the list (1–%d)."), purpose(c, 0, NULL, 0));
        return CR_REDRAW;
    }
    purpose(c, (int)k - 1, why, sizeof why);
    char object[96];
    struct program p;
    kerr_clear();
    int err = store_queue(c->st)->program_by_id(c->st, c->entry.e.program_id, &p);
    if (!err) {
        snprintf(object, sizeof object, "entry %s/%s", p.code, c->entry.e.receipt_no);
        /* an audit record only: beside other writers, the audit head its one lock */
        if (!(err = store_begin_as(c->st, STORE_WRITE_SHARED))) {
            if ((err = audit_append(c->st, c->sec, c->me.name, "reveal", object,
                                    AD_REVEAL, why)) ||
                (err = store_commit(c->st)))
                store_rollback(c->st);
        }
    }
    if (!err && queue_unseal(c->sec, &c->entry.e, c->entry.id, c->entry.name,
                             sizeof c->entry.name) != 0)
        err = kerr(KERR_CRYPTO, "cannot decrypt the entry");
    /* no con_changed: the audit screen always loads when opened, and no
     * screen that shows the audit trail is waiting behind this one */
    if (err) {
        say_err(c, _("Cannot reveal"), err);
        return CR_REDRAW;
    }
    c->entry.revealed = true;
    say(c, false, "%s", _("Full ID number shown; this was recorded in the audit trail."));
    return CR_REDRAW;
}

static unsigned entry_input(struct console *c, enum con_action a, uint32_t ch)
{
    (void)ch;
    switch (a) {
    case CA_UP: case CA_DOWN:
        move_sel(&c->entry.sel, c->entry.n_acts, a, 1);
        return CR_REDRAW;
    case CA_ENTER: {
        c->entry.pending_action = c->entry.acts[c->entry.sel];
        char label[160];
        snprintf(label, sizeof label, _("%s %s — reason:"), queue_action_label(c->entry.pending_action),
                 c->entry.e.receipt_no);
        prompt_open(c, PK_QREASON, false, label);
        return CR_REDRAW;
    }
    case CA_REVEAL: return reveal_ask(c);
    case CA_ESCAPE: return con_back(c, c->entry.back);
    default: return CR_NONE;
    }
}

/* Every prompt answered: the action, then what the resident is told. */
static unsigned run_action(struct console *c)
{
    int now_status = -1, a = c->entry.pending_action;
    struct program p;
    int err = store_queue(c->st)->program_by_id(c->st, c->entry.e.program_id, &p);
    if (!err)
        err = queue_staff_action(c->st, c->sec, &c->me, p.code, c->entry.e.receipt_no, a,
                                 c->pending_note, &now_status);
    secure_wipe(c->pending_note, sizeof c->pending_note);
    if (err) {
        secure_wipe(&c->pending_notice, sizeof c->pending_notice);
        say_err(c, _("Refused"), err);
        return CR_REDRAW;
    }
    /* every decision gets a notice, even one with nothing to add: its date
     * is what deadlines and appeal dates count from */
    char ref[64];
    notice_entry_ref(p.code, c->entry.e.receipt_no, ref, sizeof ref);
    c->pending_notice.status = now_status;
    c->pending_notice.at[0] = '\0';
    err = notice_set(c->st, NOTICE_ENTRY, ref, &c->pending_notice);
    secure_wipe(&c->pending_notice, sizeof c->pending_notice);
    if (err)
        say_err(c, _("Recorded, but what the resident is told was not saved"), err);
    else
        say(c, false, _("Done (%s): the entry is now %s."), queue_action_label(a),
            queue_status_label(now_status));
    con_changed(c);   /* the page behind and the totals are stale too */
    return CR_LOAD;
}

static unsigned entry_prompt_done(struct console *c, int kind, const char *text)
{
    int a = c->entry.pending_action;
    switch (kind) {
    case PK_REVEAL_PURPOSE:
        return reveal(c, text);
    case PK_QREASON:
        memset(&c->pending_notice, 0, sizeof c->pending_notice);
        snprintf(c->pending_note, sizeof c->pending_note, "%s", text);
        if (!text[0])
            return run_action(c);   /* the core says a reason is required */
        if (a == QA_OFFER) {
            prompt_open(c, PK_OFFER_DEADLINE, false,
                        _("Offer, for the resident: answer by (YYYY-MM-DD; empty: the usual days):"));
            return CR_REDRAW;
        }
        if (a == QA_FREEZE || a == QA_REMOVE) {
            pub_reason_prompt(c);
            return CR_REDRAW;
        }
        return run_action(c);
    case PK_OFFER_DEADLINE: {
        struct notice t = {0};
        snprintf(t.offer_deadline, sizeof t.offer_deadline, "%.15s", text);
        if (notice_check(&t) != 0) {
            say(c, true, "%s", _("Type the date as YYYY-MM-DD, or leave it empty."));
            prompt_open(c, PK_OFFER_DEADLINE, false,
                        _("Offer, for the resident: answer by (YYYY-MM-DD; empty: the usual days):"));
            return CR_REDRAW;
        }
        snprintf(c->pending_notice.offer_deadline, sizeof c->pending_notice.offer_deadline, "%s",
                 t.offer_deadline);
        prompt_open(c, PK_OFFER_PLACE, false, _("Offer, for the resident: where to go (address):"));
        return CR_REDRAW;
    }
    case PK_OFFER_PLACE:
        snprintf(c->pending_notice.offer_place, sizeof c->pending_notice.offer_place, "%.*s",
                 (int)sizeof c->pending_notice.offer_place - 1, text);
        prompt_open(c, PK_OFFER_CONTACT, false, _("Offer, for the resident: whom to call (name, phone):"));
        return CR_REDRAW;
    case PK_OFFER_CONTACT:
        snprintf(c->pending_notice.offer_contact, sizeof c->pending_notice.offer_contact, "%.*s",
                 (int)sizeof c->pending_notice.offer_contact - 1, text);
        return run_action(c);
    case PK_PUB_REASON:
        if (!pub_reason_parse(c, text)) {
            pub_reason_prompt(c);
            return CR_REDRAW;
        }
        return run_action(c);
    default:
        return CR_REDRAW;
    }
}

static int entry_actions(const struct console *c, int *acts, int cap)
{
    int n = 0;
    if (c->entry.n_acts && n < cap)
        acts[n++] = CA_ENTER;
    if (has_role(c, ROLE_HOUSING) && !c->entry.revealed && c->entry.opened && n < cap)
        acts[n++] = CA_REVEAL;
    return detail_actions(acts, n, cap, c->entry.n_acts);
}

const struct con_screen_ops con_entry = {
    .name = "entry",
    .layout = CL_DETAIL,
    .leave = entry_leave,
    .load = entry_load,
    .build = entry_build,
    .input = entry_input,
    .prompt_done = entry_prompt_done,
    .actions = entry_actions,
};
