/* card.c — an ID card at the staff counter (issue 12, item 6).
 *
 * A reader on the clerk's machine (`[console] card_reader = yes`, or --sim
 * --sim-cards in tests) hands the console a card event; console_card()
 * turns the ID number into its keyed hash at once (the plaintext goes no
 * further), writes an audit record like a search ("card_lookup", the masked
 * ID as the object), and opens this screen: the holder's queue entries (for
 * the housing and admin roles) and home-care-bed applications (for the
 * elder-care roles and admin).  Enter opens one in the usual detail screen.
 * Leaving the screen (Esc, logout, idle) wipes the hash and the lists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/audit.h"
#include "kiosk/audit_detail.h"
#include "kiosk/card_event.h"
#include "kiosk/console/console_int.h"
#include "kiosk/eldercare.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/idnum.h"
#include "kiosk/queue_types.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

#define CARD_MAX_ENTRIES 16
#define CARD_MAX_APPS 8

static bool sees_entries(const struct console *c) { return has_role(c, ROLE_HOUSING | ROLE_ADMIN); }
static bool sees_beds(const struct console *c)
{
    return has_role(c, ROLE_STREET | ROLE_DISTRICT | ROLE_ASSESSOR | ROLE_PROVIDER | ROLE_ADMIN);
}

static void card_leave(struct console *c)
{
    free(c->card.entries);
    c->card.entries = NULL;
    secure_wipe(c->card.apps, sizeof c->card.apps);
    secure_wipe(c->card.hash, sizeof c->card.hash);
    secure_wipe(c->card.id_masked, sizeof c->card.id_masked);
    c->card.n_entries = c->card.n_apps = c->card.sel = 0;
    c->card.have = false;
}

static int entry_one(void *ctx, const struct entry_row *e)
{
    struct console *c = ctx;
    if (c->card.n_entries >= CARD_MAX_ENTRIES)
        return 0;
    c->card.entries[c->card.n_entries++] = *e;
    return 0;
}

/* The holder's entries and applications, again (they may have changed). */
static int card_load(struct console *c)
{
    if (!c->card.have)
        return 0;
    free(c->card.entries);
    c->card.n_entries = c->card.n_apps = 0;
    c->card.entries = calloc(CARD_MAX_ENTRIES, sizeof *c->card.entries);
    if (!c->card.entries)
        return KERR_NOMEM;
    int err = 0;
    if (sees_entries(c)) {
        err = store_queue(c->st)->entries_by_hash(c->st, c->card.hash, entry_one, c);
        if (err == KERR_NOTFOUND)
            err = 0;
    }
    if (!err && sees_beds(c)) {
        err = bed_lookup_hash(c->st, c->sec, c->card.hash, i18n_lang(), c->card.apps,
                              CARD_MAX_APPS, &c->card.n_apps);
        if (err == KERR_NOTFOUND || err == KERR_UNSUPPORTED)
            err = 0;
    }
    int n = c->card.n_entries + c->card.n_apps;
    if (c->card.sel >= n)
        c->card.sel = 0;
    return err;
}

unsigned con_card_event(struct console *c, const struct card_event *ev, int64_t now)
{
    if (ev->type == CARD_EV_REMOVE || ev->type == CARD_EV_NONE)
        return CR_NONE;
    if (!c->logged_in) {
        say(c, true, "%s", _("Log in first, then place the card on the reader."));
        return CR_REDRAW;
    }
    c->last_input = now;   /* a card is the clerk at work */
    if (ev->type == CARD_EV_ERROR) {
        say(c, true, _("Card: %s"), ev->message);
        return CR_REDRAW;
    }
    if (!sees_entries(c) && !sees_beds(c)) {
        say(c, true, "%s", _("Your roles do not allow looking up a card holder."));
        return CR_REDRAW;
    }
    if (c->card.have)
        card_leave(c);   /* a new card replaces the last holder */
    char masked[24];
    idnum_mask(ev->id_number, masked, sizeof masked);
    /* audited like a search: who looked up whom (masked), before anything is shown */
    char object[64];
    snprintf(object, sizeof object, "card %s", masked);
    /* an audit record only: beside other writers, the audit head its one lock */
    int err = store_begin_as(c->st, STORE_WRITE_SHARED);
    if (!err) {
        if ((err = audit_append(c->st, c->sec, c->me.name, "card_lookup", object, AD_CARD_LOOKUP)) ||
            (err = store_commit(c->st)))
            store_rollback(c->st);
    }
    if (err) {
        say_err(c, _("Cannot look up the card"), err);
        return CR_REDRAW;
    }
    secret_lookup_hash(c->sec, ev->id_number, c->card.hash);
    snprintf(c->card.id_masked, sizeof c->card.id_masked, "%s", masked);
    c->card.have = true;
    c->card.sel = 0;
    con_changed(c);   /* the audit screen shows the new record when opened */
    return con_open(c, CS_CARD);
}

static void card_build(struct console *c)
{
    static const struct cv_col cols[] = {
        {N_("What"), 26, false}, {N_("Reference"), 22, false}, {N_("Status"), 0, false}};
    set_cols(c, 3, cols);
    snprintf(c->v.title, sizeof c->v.title, _("Card holder %s"), c->card.id_masked);
    for (int i = 0; i < c->card.n_entries; i++) {
        const struct entry_row *e = &c->card.entries[i];
        struct program p;
        struct cv_row *r = add_row(c, CVK_NORMAL);
        if (store_queue(c->st)->program_by_id(c->st, e->program_id, &p) == 0)
            cell(r, 0, _("Housing queue %s"), p.code);
        else
            cell(r, 0, "%s", _("Housing queue"));
        cell(r, 1, "%s", e->receipt_no);
        cell(r, 2, "%s", entry_status_name(e->status));
    }
    for (int i = 0; i < c->card.n_apps; i++) {
        const struct bed_view *b = &c->card.apps[i];
        struct cv_row *r = add_row(c, CVK_NORMAL);
        cell(r, 0, "%s", _("Home-care bed"));
        cell(r, 1, "%s", b->ref);
        cell(r, 2, "%s", b->stage_label);
    }
    int n = c->card.n_entries + c->card.n_apps;
    if (!n)
        snprintf(c->v.caption, sizeof c->v.caption, "%s",
                 _("No queue entry or application for this card holder."));
    else
        snprintf(c->v.caption, sizeof c->v.caption, _("%d queue entries, %d applications"),
                 c->card.n_entries, c->card.n_apps);
    c->v.selected = n ? c->card.sel : -1;
}

static unsigned card_input(struct console *c, enum con_action a, uint32_t ch)
{
    (void)ch;
    int n = c->card.n_entries + c->card.n_apps;
    if (move_sel(&c->card.sel, n, a, CONSOLE_PAGE))
        return CR_REDRAW;
    if (a == CA_ESCAPE)
        return con_back(c, CS_HOME);
    if (a == CA_ENTER && n) {
        if (c->card.sel < c->card.n_entries)
            return con_open_entry(c, &c->card.entries[c->card.sel], CS_CARD);
        snprintf(c->bed.ref, sizeof c->bed.ref, "%s",
                 c->card.apps[c->card.sel - c->card.n_entries].ref);
        return con_open(c, CS_BED);
    }
    return CR_NONE;
}

static int card_actions(const struct console *c, int *acts, int cap)
{
    int n = 0, rows = c->card.n_entries + c->card.n_apps;
    if (rows && n < cap)
        acts[n++] = CA_ENTER;
    if (n < cap)
        acts[n++] = CA_ESCAPE;
    if (rows)
        n = nav_actions(acts, n, cap, rows > CONSOLE_PAGE);
    return n;
}

const struct con_screen_ops con_card = {
    .name = "card",
    .layout = CL_TABLE,
    .leave = card_leave,
    .load = card_load,
    .build = card_build,
    .input = card_input,
    .actions = card_actions,
};
