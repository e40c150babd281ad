/* bed.c — one bed application: the resident view (masked identities, the
 * level word, never scores), services, consent, provider, the whole
 * history, and the moves this account's roles allow from its stage
 * (bed_rules.c).  A move asks what it needs — the 26 scores for
 * "assessed", the provider for "provider assigned", a reason or note, and
 * for a rejection the reason shown to the resident, picked from the
 * configured list (data/next_steps.ini [reasons]) — then eldercare_advance
 * checks everything again and writes it, and notice_set keeps what the
 * resident is told. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/bed_rules.h"
#include "kiosk/config.h"
#include "kiosk/console/console_int.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/linebreak.h"
#include "kiosk/secret.h"

static void bed_forget(struct console *c)
{
    if (c->bed.d) {
        bed_view_wipe(&c->bed.d->view, 1);
        secure_wipe(c->bed.d, sizeof *c->bed.d);
        free(c->bed.d);
        c->bed.d = NULL;
    }
    c->bed.n_moves = 0;
    secure_wipe(c->bed.phone, sizeof c->bed.phone);
    c->bed.phone_shown = false;
}

static void bed_leave(struct console *c)
{
    bed_forget(c);
    secure_wipe(c->bed.ref, sizeof c->bed.ref);
    secure_wipe(&c->bed.assess, sizeof c->bed.assess);
    c->bed.have_assess = false;
    c->bed.filled = 0;
    c->bed.item = 0;
    secure_wipe(c->bed.provider, sizeof c->bed.provider);
}

/* ---- the provider pick list -------------------------------------------------------------- */

/* The organisations with an enabled provider account, numbered. */
static void provider_prompt(struct console *c)
{
    kerr_clear();
    int err = bed_provider_orgs(c->st, c->bed.orgs, (int)(sizeof c->bed.orgs / sizeof c->bed.orgs[0]),
                                &c->bed.n_orgs);
    if (err || !c->bed.n_orgs) {
        if (err)
            say_err(c, _("Cannot read"), err);
        else
            say(c, true, "%s", _("There is no provider organisation: add a provider account first."));
        return;
    }
    char label[96];
    snprintf(label, sizeof label, _("Provider (1–%d):"), c->bed.n_orgs);
    prompt_open(c, PK_BED_PROVIDER, false, label);
}

static void provider_lines(struct console *c)
{
    if (c->prompt != PK_BED_PROVIDER)
        return;
    add_line(c, CVK_HEAD, "%s", _("Assign the application to:"));
    for (int i = 0; i < c->bed.n_orgs; i++)
        add_line(c, CVK_NORMAL, "%2d  %s  %s", i + 1, c->bed.orgs[i].name, c->bed.orgs[i].phone);
}

/* ---- the assessment form: 26 labelled items, one prompt each -------------------------- */

static void reason_prompt(struct console *c);

static const char *bands(const struct console *c)
{
    return c->cfg && c->cfg->level_bands[0] ? c->cfg->level_bands : "90,66,46,30";
}

/* Ask item i, its value so far in the prompt to edit. */
static void item_prompt(struct console *c, int i)
{
    c->bed.item = i;
    char label[160];
    snprintf(label, sizeof label, _("%s %s (0–%d), item %d of %d:"), assessment_item_code(i),
             assessment_item_name(i, con_lang(c)), assessment_item_max(i), i + 1, ASSESS_ITEMS);
    prompt_open(c, PK_BED_ITEM, false, label);
    if (c->bed.filled & (1u << i)) {
        c->prompt_len = snprintf(c->prompt_buf, sizeof c->prompt_buf, "%d", c->bed.assess.score[i]);
    }
}

void con_bed_item_back(struct console *c)
{
    if (c->bed.item > 0)
        item_prompt(c, c->bed.item - 1);
}

/* The first item not typed yet, or ASSESS_ITEMS when all are. */
static int next_open_item(const struct console *c, int from)
{
    for (int k = 0; k < ASSESS_ITEMS; k++) {
        int i = (from + k) % ASSESS_ITEMS;
        if (!(c->bed.filled & (1u << i)))
            return i;
    }
    return ASSESS_ITEMS;
}

/* The form's lines: the running total and level, then the items around the
 * one asked now (a window: the detail has 24 rows). */
static void form_lines(struct console *c)
{
    if (c->prompt != PK_BED_ITEM)
        return;
    struct assessment t = c->bed.assess;   /* items not typed yet count 0 */
    for (int i = 0; i < ASSESS_ITEMS; i++)
        if (!(c->bed.filled & (1u << i)))
            t.score[i] = 0;
    int typed = 0;
    for (int i = 0; i < ASSESS_ITEMS; i++)
        typed += (c->bed.filled >> i) & 1;
    if (assessment_score(&t, bands(c)) == 0)
        add_line(c, CVK_HEAD, _("Assessment (GB/T 42195-2022): %d of %d items, total %d of %d, level so far: %s"),
                 typed, ASSESS_ITEMS, t.total, ASSESS_MAX_TOTAL, assessment_level_word(t.level, con_lang(c)));
    kerr_clear();
    secure_wipe(&t, sizeof t);
    int lo = c->bed.item - 4 < 0 ? 0 : c->bed.item - 4;
    if (lo + 11 > ASSESS_ITEMS)
        lo = ASSESS_ITEMS - 11;
    for (int i = lo; i < lo + 11; i++) {
        char val[16];
        if (c->bed.filled & (1u << i))
            snprintf(val, sizeof val, "%d", c->bed.assess.score[i]);
        else
            snprintf(val, sizeof val, "%s", "·");
        add_line(c, i == c->bed.item ? CVK_GOOD : CVK_NORMAL, "%s %-5s %s (0–%d): %s",
                 i == c->bed.item ? "▶" : " ", assessment_item_code(i),
                 assessment_item_name(i, con_lang(c)), assessment_item_max(i), val);
    }
    add_line(c, CVK_NOTE, "%s", _("Enter: next item · Backspace on an empty field: previous item · Esc: close (the scores are kept)"));
}

/* One item typed: validated on its own; a bad value stays in the prompt to be corrected. */
static unsigned item_done(struct console *c, const char *text)
{
    int i = c->bed.item;
    if (!text[0] && (c->bed.filled & (1u << i))) {
        /* kept as it was */
    } else {
        char *end;
        long v = strtol(text, &end, 10);
        if (!text[0] || end == text || *end || v < 0 || v > assessment_item_max(i)) {
            say(c, true, _("%s %s: a score from 0 to %d (typed \"%s\")."), assessment_item_code(i),
                assessment_item_name(i, con_lang(c)), assessment_item_max(i), text);
            item_prompt(c, i);
            c->prompt_len = snprintf(c->prompt_buf, sizeof c->prompt_buf, "%.*s",
                                     (int)sizeof c->prompt_buf - 1, text);
            return CR_REDRAW;
        }
        c->bed.assess.score[i] = (int)v;
        c->bed.filled |= 1u << i;
    }
    int next = next_open_item(c, i + 1);
    if (next < ASSESS_ITEMS) {
        item_prompt(c, next);
        return CR_REDRAW;
    }
    /* all 26: the whole assessment checked, then the reason */
    struct assessment t = c->bed.assess;
    int err = assessment_score(&t, bands(c));
    if (!err)
        say(c, false, _("Assessment complete: total %d of %d, %s."), t.total, ASSESS_MAX_TOTAL,
            assessment_level_word(t.level, con_lang(c)));
    secure_wipe(&t, sizeof t);
    if (err) {
        say_err(c, _("Assessment"), err);
        item_prompt(c, 0);
        return CR_REDRAW;
    }
    c->bed.have_assess = true;
    reason_prompt(c);
    return CR_REDRAW;
}

static void bed_enter(struct console *c) { c->bed.sel = 0; }

static int bed_load(struct console *c)
{
    bed_forget(c);
    if (!(c->bed.d = calloc(1, sizeof *c->bed.d)))
        return KERR_NOMEM;
    int err = bed_show_as(c->st, c->sec, &c->me, c->bed.ref, con_lang(c), c->bed.d);
    if (err) {
        free(c->bed.d);
        c->bed.d = NULL;
        return err;
    }
    if (provider_only(c) && (!c->my_org[0] || strcmp(c->bed.d->view.provider_name, c->my_org))) {
        bed_forget(c);   /* another provider's client: not this account's to see */
        return kerr(KERR_REFUSED, "application %s is not assigned to your organisation", c->bed.ref);
    }
    c->bed.stage = c->bed.d->view.stage;
    for (int to = 0; to < BS__COUNT; to++)
        if (bed_rule_roles(c->bed.stage, to) & c->me.roles)
            c->bed.moves[c->bed.n_moves++] = to;
    if (c->bed.sel >= c->bed.n_moves)
        c->bed.sel = c->bed.n_moves - 1;
    if (c->bed.sel < 0)
        c->bed.sel = 0;
    return 0;
}

static void bed_build(struct console *c)
{
    snprintf(c->v.title, sizeof c->v.title, "%s %s", _("Application"), c->bed.ref);
    const struct bed_detail *d = c->bed.d;
    if (!d)
        return;
    const struct bed_view *bv = &d->view;
    const char *lang = con_lang(c);
    form_lines(c);       /* the assessment form first, while it is open */
    provider_lines(c);   /* likewise the provider pick list */
    if (!strcmp(lang, "zh"))   /* the stage code would be English inside a Chinese screen */
        add_line(c, CVK_HEAD, "%s  %s", bv->ref, bv->stage_label);
    else
        add_line(c, CVK_HEAD, "%s  %s (%s)", bv->ref, bed_stage_name(bv->stage), bv->stage_label);
    add_line(c, CVK_NORMAL, _("Elder: %s  %s"), bv->elder_name_masked, bv->elder_id_masked);
    if (bv->by_agent)
        add_line(c, CVK_NORMAL, _("Filed by agent: %s"), bv->agent_name_masked);
    if (c->bed.phone_shown)
        add_line(c, CVK_GOOD, _("Contact phone: %s (recorded in the audit trail)"),
                 c->bed.phone[0] ? c->bed.phone : _("none: the elder filed it alone"));
    char svc[CV_TEXT];
    add_line(c, CVK_NORMAL, _("Services: %s"), bed_services_text(d->services, lang, svc, sizeof svc));
    add_line(c, CVK_NORMAL, _("Submitted %s at kiosk %s; consent %s"), bv->submitted_at,
             d->kiosk_id, d->consent_at);
    if (bv->level_word[0])
        add_line(c, CVK_NORMAL, _("Level: %s   reassess by %s%s"), bv->level_word, bv->reassess_by,
                 bv->reassessment_due ? _(" (due)") : "");
    if (bv->provider_name[0])
        add_line(c, CVK_NORMAL, _("Provider: %s  %s"), bv->provider_name, bv->provider_phone);
    if (bv->responsible[0])
        add_line(c, CVK_NOTE, _("Now: %s — %s"), bv->responsible, bv->next_step);
    pub_reason_lines(c);   /* while the reason is picked: before the history */
    add_line(c, CVK_HEAD, "%s", _("History"));
    for (int i = 0; i < d->n_history; i++) {
        const struct bed_staff_step *h = &d->history[i];
        /* stage and role codes are also msgids: Chinese on a Chinese screen;
         * the stage padded to 18 columns by display width, not bytes */
        const char *stage = _(bed_stage_name(h->stage));
        int pad = 18 - linebreak_width(stage);
        add_line(c, CVK_NORMAL, "%s  %s%*s %s (%s)%s%s", h->at, stage, pad > 0 ? pad : 0, "",
                 h->actor, _(h->role), h->reason[0] ? ": " : "", h->reason);
    }
    for (int i = 0; i < c->bed.n_moves; i++)
        add_item(c, _("Move to %s"), bed_stage_label(c->bed.moves[i], lang));
    if (!c->bed.n_moves)
        add_line(c, CVK_NOTE, "%s", _("Your roles allow no move from this stage."));
    c->v.item_sel = c->bed.n_moves ? c->bed.sel : -1;
}

static void reason_prompt(struct console *c)
{
    prompt_open(c, PK_BED_REASON, false,
                bed_rule_needs_reason(c->bed.mv_to) ? _("Reason (required):") : _("Note (optional):"));
}

static unsigned bed_input(struct console *c, enum con_action a, uint32_t ch)
{
    (void)ch;
    switch (a) {
    case CA_UP: case CA_DOWN:
        move_sel(&c->bed.sel, c->bed.n_moves, a, 1);
        return CR_REDRAW;
    case CA_ENTER:
        c->bed.mv_to = c->bed.moves[c->bed.sel];
        c->bed.have_assess = false;
        c->bed.provider[0] = '\0';
        if (c->bed.mv_to == BS_ASSESSED)   /* the form: where it was left, or item 1 */
            item_prompt(c, next_open_item(c, 0) < ASSESS_ITEMS ? next_open_item(c, 0) : 0);
        else if (c->bed.mv_to == BS_PROVIDER_ASSIGNED)
            provider_prompt(c);
        else
            reason_prompt(c);
        return CR_REDRAW;
    case CA_CONTACT: {   /* the core checks the role and writes the audit record first */
        kerr_clear();
        int err = bed_contact_phone(c->st, c->sec, &c->me, c->bed.ref, c->bed.phone,
                                    sizeof c->bed.phone);
        if (err) {
            say_err(c, _("Cannot show the phone"), err);
            return CR_REDRAW;
        }
        c->bed.phone_shown = true;
        return CR_REDRAW;
    }
    case CA_ESCAPE: return con_back(c, c->bed.back);
    default: return CR_NONE;
    }
}

/* "4,4,3,…" (26 scores, commas or spaces) → c->bed.assess. */
static int parse_scores(struct console *c, const char *text)
{
    memset(&c->bed.assess, 0, sizeof c->bed.assess);
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
        c->bed.assess.score[n++] = (int)v;
        p = end;
    }
    if (n != ASSESS_ITEMS)
        return kerr(KERR_INPUT, "%d scores typed, %d needed", n, ASSESS_ITEMS);
    /* validate now, so a typo is reported before the reason is asked */
    struct assessment t = c->bed.assess;
    int err = assessment_score(&t, c->cfg ? c->cfg->level_bands : "90,66,46,30");
    secure_wipe(&t, sizeof t);
    return err;
}

static unsigned do_move(struct console *c, const char *reason)
{
    int to = c->bed.mv_to;
    bool tell = to == BS_REJECTED;   /* a rejection carries its reason to the resident */
    int err = eldercare_advance(c->st, c->sec, c->cfg, &c->me, c->bed.ref, to,
                                reason && *reason ? reason : NULL,
                                c->bed.have_assess ? &c->bed.assess : NULL,
                                c->bed.provider[0] ? c->bed.provider : NULL);
    secure_wipe(&c->bed.assess, sizeof c->bed.assess);
    c->bed.have_assess = false;
    secure_wipe(c->bed.provider, sizeof c->bed.provider);
    if (err) {
        say_err(c, _("Refused"), err);
        return CR_REDRAW;
    }
    if (tell) {
        c->pending_notice.status = to;
        c->pending_notice.at[0] = '\0';
        err = notice_set(c->st, NOTICE_BED, c->bed.ref, &c->pending_notice);
        secure_wipe(&c->pending_notice, sizeof c->pending_notice);
        if (err) {
            say_err(c, _("Recorded, but what the resident is told was not saved"), err);
            con_changed(c);
            return CR_LOAD;
        }
    }
    say(c, false, _("%s moved to %s."), c->bed.ref, bed_stage_label(to, con_lang(c)));
    con_changed(c);   /* the list behind shows the stage too */
    return CR_LOAD;
}

static unsigned bed_prompt_done(struct console *c, int kind, const char *text)
{
    switch (kind) {
    case PK_BED_ITEM:
        return item_done(c, text);
    case PK_BED_ASSESS: {
        int err = parse_scores(c, text);
        if (err) {
            secure_wipe(&c->bed.assess, sizeof c->bed.assess);
            say_err(c, _("Assessment"), err);
            return CR_REDRAW;
        }
        c->bed.have_assess = true;
        reason_prompt(c);
        return CR_REDRAW;
    }
    case PK_BED_PROVIDER: {   /* a number from the list (a typed name is taken as is) */
        char *end;
        long k = strtol(text, &end, 10);
        if (end != text && !*end) {
            if (k < 1 || k > c->bed.n_orgs) {
                say(c, true, _("Type the number of a provider from the list (1–%d)."), c->bed.n_orgs);
                provider_prompt(c);
                return CR_REDRAW;
            }
            snprintf(c->bed.provider, sizeof c->bed.provider, "%s", c->bed.orgs[k - 1].name);
        } else {
            snprintf(c->bed.provider, sizeof c->bed.provider, "%.*s", (int)sizeof c->bed.provider - 1,
                     text);
        }
        reason_prompt(c);
        return CR_REDRAW;
    }
    case PK_BED_REASON:
        /* a rejection: then the reason the resident is shown, from the list */
        if (c->bed.mv_to == BS_REJECTED && text[0]) {
            memset(&c->pending_notice, 0, sizeof c->pending_notice);
            snprintf(c->pending_note, sizeof c->pending_note, "%s", text);
            pub_reason_prompt(c);
            return CR_REDRAW;
        }
        return do_move(c, text);
    case PK_PUB_REASON: {
        if (!pub_reason_parse(c, text)) {
            pub_reason_prompt(c);
            return CR_REDRAW;
        }
        char note[256];
        snprintf(note, sizeof note, "%s", c->pending_note);
        secure_wipe(c->pending_note, sizeof c->pending_note);
        unsigned r = do_move(c, note);
        secure_wipe(note, sizeof note);
        return r;
    }
    default: return CR_REDRAW;
    }
}

static int bed_actions(const struct console *c, int *acts, int cap)
{
    int n = 0;
    if (c->bed.n_moves && n < cap)
        acts[n++] = CA_ENTER;
    if (c->bed.d && c->bed.d->view.by_agent && !c->bed.phone_shown && has_role(c, ROLE_STREET | ROLE_DISTRICT) &&
        n < cap)
        acts[n++] = CA_CONTACT;
    return detail_actions(acts, n, cap, c->bed.n_moves);
}

unsigned con_open_bed(struct console *c, const char *ref, int back)
{
    char copy[sizeof c->bed.ref];
    snprintf(copy, sizeof copy, "%s", ref);   /* ref may point into a list being replaced */
    snprintf(c->bed.ref, sizeof c->bed.ref, "%s", copy);
    c->bed.back = back;
    return con_open(c, CS_BED);
}

const struct con_screen_ops con_bed = {
    .name = "bed",
    .layout = CL_DETAIL,
    .enter = bed_enter,
    .leave = bed_leave,
    .load = bed_load,
    .build = bed_build,
    .input = bed_input,
    .prompt_done = bed_prompt_done,
    .actions = bed_actions,
};
