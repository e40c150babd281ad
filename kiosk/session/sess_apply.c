/* sess_apply.c — the steps of applying for a home care bed at the kiosk:
 * who is applying (the elder, or a family member for an elder), the
 * family member's phone, the elder's card, consent, the services wanted,
 * check and submit, and the reference with its follow-up code.  Only the
 * confirm step touches the store (bed_submit, then the holder's
 * applications are reloaded).  The form is personal: Back on any step
 * before the end wipes it, and so does every wipe of the session.
 *
 * Choices by number (1/2 for who, 1–6 for services) are typing: the digit
 * arrives as ACT_DIGIT_n unless a remapped key table made it an action
 * offered here. */
#include "kiosk/session/session_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/idnum.h"
#include "kiosk/outbox.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

static const unsigned service_bits[BED_SVC__COUNT] = {
    BED_SVC_CARE_BED, BED_SVC_ALARM, BED_SVC_SENSORS, BED_SVC_HOME_CARE, BED_SVC_MEALS,
    BED_SVC_RENOVATION};

/* ---- shared by the steps ---------------------------------------------------------- */

static void apply_title(struct sess_view *v)
{
    sess_fmt(v->title, sizeof v->title, "%s", _("Apply for a home care bed"));
    v->selected = -1;
}

/* OK and Back, then help and language: the steps' usual list. */
static int apply_actions(const struct session *s, int acts[KEYTAB_MAX_ACTIONS])
{
    (void)s;
    int n = 0;
    n = sess_acts_add(acts, n, ACT_ENTER);
    n = sess_acts_add(acts, n, ACT_ESCAPE);
    return sess_acts_common(acts, n);
}

/* Back on a step before the end: the half-filled form goes. */
static unsigned apply_cancel(struct session *s, int64_t now)
{
    secure_wipe(&s->form, sizeof s->form);
    sess_clear_message(s);
    return sess_go(s, SS_SUMMARY, now);
}

/* ---- who may apply ------------------------------------------------------------------ */

static bool open_stage(int stage)
{
    return stage != BS_EXITED && stage != BS_REJECTED && stage != BS_WITHDRAWN;
}

/* Age in whole years on today's date, from the birth date inside the ID
 * number (GB 11643: characters 7–14); -1 when it cannot be read. */
static int age_of(const char *id)
{
    int by, bm, bd, y, m, d;
    char today[32];
    store_now(today);   /* honours KIOSK_NOW in tests */
    if (strlen(id) != 18 || sscanf(id + 6, "%4d%2d%2d", &by, &bm, &bd) != 3 ||
        sscanf(today, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return -1;
    return y - by - (m < bm || (m == bm && d < bd) ? 1 : 0);
}

/* Why this elder cannot apply (into msg), or false: younger than
 * [eldercare] min_age, or an application still open.  Said up front, before
 * the resident fills anything in.  The applications are the holder's
 * (loaded) when the elder is the card holder, else looked up. */
static bool elder_refused(struct session *s, const char *elder_id, char *msg, size_t cap)
{
    int age = age_of(elder_id);
    if (age >= 0 && age < s->cfg.min_age) {
        sess_fmt(msg, cap, _("Home care beds are for elders aged %d or more; this elder is %d."),
                 s->cfg.min_age, age);
        return true;
    }
    bool open = false;
    if (s->has_holder && !strcmp(elder_id, s->holder_id)) {
        for (int i = 0; i < s->n_bv; i++)
            open |= open_stage(s->bv[i].stage);
    } else {
        struct bed_view *bv = calloc(MAX_BV, sizeof *bv);
        int n = 0;
        if (bv && bed_lookup_id(sess_rd(s), s->sec, elder_id, s->lang, bv, MAX_BV, &n) == 0)
            for (int i = 0; i < n; i++)
                open |= open_stage(bv[i].stage);
        if (bv) {
            secure_wipe(bv, MAX_BV * sizeof *bv);
            free(bv);
        }
    }
    if (open) {
        sess_fmt(msg, cap, "%s", _("This elder already has an open application. Open it from the list."));
        return true;
    }
    return false;
}

bool sess_apply_elder_refused(struct session *s, const char *elder_id, char *msg, size_t cap)
{
    return elder_refused(s, elder_id, msg, cap);
}

/* ---- who is applying ------------------------------------------------------------------ */

static void who_build(const struct session *s, struct sess_view *v, int64_t now)
{
    (void)now;
    apply_title(v);
    sv_add(v, SVL_HEAD, "%s", _("Who is applying?"));
    if (s->self_refused[0]) {
        /* the card holder cannot apply for themself: only the family-member path */
        sv_add(v, SVL_NOTE, _("Not for yourself: %s"), s->self_refused);
    } else {
        if (s->apply_sel == 0)
            v->selected = v->n_lines;
        sv_add(v, SVL_ITEM, "1  %s", _("I am the elder (this is my card)"));
    }
    if (s->apply_sel == 1)
        v->selected = v->n_lines;
    sv_add(v, SVL_ITEM, "2  %s", _("I am a family member applying for an elder"));
}

static int who_actions(const struct session *s, int acts[KEYTAB_MAX_ACTIONS])
{
    int n = apply_actions(s, acts);
    n = sess_acts_add(acts, n, ACT_UP);
    return sess_acts_add(acts, n, ACT_DOWN);
}

static unsigned who_input(struct session *s, enum kiosk_action a, int64_t now)
{
    if (a == ACT_ESCAPE)
        return apply_cancel(s, now);
    if (a == ACT_UP || a == ACT_DOWN) {
        if (!s->self_refused[0])
            s->apply_sel ^= 1;
        return sess_redraw(s, now);
    }
    if (a == ACT_DIGIT_1 || a == ACT_DIGIT_2)
        s->apply_sel = a == ACT_DIGIT_1 ? 0 : 1;
    else if (a != ACT_ENTER)
        return SR_NONE;
    if (s->apply_sel == 0 && s->self_refused[0])
        return SR_NONE;
    if (s->apply_sel == 0) {
        sess_fmt(s->form.elder_id, sizeof s->form.elder_id, "%s", s->holder_id);
        sess_fmt(s->form.elder_name, sizeof s->form.elder_name, "%s", s->holder_name);
        s->form.by_agent = false;
        return sess_go(s, SS_APPLY_CONSENT, now);
    }
    s->form.by_agent = true;
    sess_fmt(s->form.agent_id, sizeof s->form.agent_id, "%s", s->holder_id);
    sess_fmt(s->form.agent_name, sizeof s->form.agent_name, "%s", s->holder_name);
    return sess_go(s, SS_APPLY_PHONE, now);
}

const struct sess_screen_ops sess_apply_who_ops = {
    .name = "apply_who",
    .build = who_build,
    .input = who_input,
    .actions = who_actions,
};

/* ---- the family member's phone ----------------------------------------------------------- */

static void phone_build(const struct session *s, struct sess_view *v, int64_t now)
{
    (void)now;
    apply_title(v);
    sv_add(v, SVL_HEAD, "%s", _("Your phone number, so the street office can reach you:"));
    sv_add(v, SVL_NOTE, "%s", _("Type the digits of the number."));
    v->n_fields = 1;
    v->pad = SVP_DIGITS;
    sess_fmt(v->field[0].label, sizeof v->field[0].label, "%s", _("Phone"));
    sess_fmt(v->field[0].value, sizeof v->field[0].value, "%s", s->form.agent_phone);
    v->field[0].active = true;
}

static int phone_actions(const struct session *s, int acts[KEYTAB_MAX_ACTIONS])
{
    (void)s;
    int n = 0;
    n = sess_acts_add(acts, n, ACT_ENTER);
    n = sess_acts_add(acts, n, ACT_BACKSPACE);
    n = sess_acts_add(acts, n, ACT_ESCAPE);
    return sess_acts_common(acts, n);
}

static unsigned phone_input(struct session *s, enum kiosk_action a, int64_t now)
{
    if (a == ACT_ESCAPE)
        return apply_cancel(s, now);
    size_t n = strlen(s->form.agent_phone);
    if (a >= ACT_DIGIT_0 && a <= ACT_DIGIT_9 && n < PHONE_MAX) {
        s->form.agent_phone[n] = (char)('0' + (a - ACT_DIGIT_0));
        s->form.agent_phone[n + 1] = '\0';
        return sess_redraw(s, now);
    }
    if (a == ACT_BACKSPACE && n) {
        s->form.agent_phone[n - 1] = '\0';
        return sess_redraw(s, now);
    }
    if (a == ACT_ENTER) {
        if (n < 7) {
            sess_message(s, true, now, 6000, "%s", _("Please type a phone number."));
            return sess_redraw(s, now);
        }
        sess_clear_message(s);
        return sess_go(s, SS_APPLY_ELDER, now);
    }
    return SR_NONE;
}

const struct sess_screen_ops sess_apply_phone_ops = {
    .name = "apply_phone",
    .build = phone_build,
    .input = phone_input,
    .actions = phone_actions,
};

/* ---- the elder's card (session_card takes it) ------------------------------------------- */

static void elder_build(const struct session *s, struct sess_view *v, int64_t now)
{
    (void)now;
    char m[96];
    apply_title(v);
    sv_add(v, SVL_HEAD, "%s", _("Now place the elder's ID card on the reader."));
    name_mask(s->form.agent_name, m, sizeof m);
    sv_add(v, SVL_NOTE, _("Family member: %s"), m);
}

static int elder_actions(const struct session *s, int acts[KEYTAB_MAX_ACTIONS])
{
    int n = 0;
    n = sess_acts_add(acts, n, ACT_ESCAPE);
    n = sess_acts_common(acts, n);
    if (s->opts.sim && s->demo_n > 0)
        n = sess_acts_add(acts, n, ACT_PICKER);
    return n;
}

static unsigned elder_input(struct session *s, enum kiosk_action a, int64_t now)
{
    if (a == ACT_ESCAPE)
        return apply_cancel(s, now);
    if (a == ACT_PICKER && s->opts.sim && s->demo_n > 0) {
        s->back_screen = s->screen;
        return sess_go(s, SS_PICKER, now);
    }
    return SR_NONE;
}

const struct sess_screen_ops sess_apply_elder_ops = {
    .name = "apply_elder",
    .build = elder_build,
    .input = elder_input,
    .actions = elder_actions,
};

/* ---- consent --------------------------------------------------------------------------------- */

static void consent_build(const struct session *s, struct sess_view *v, int64_t now)
{
    (void)s;
    (void)now;
    apply_title(v);
    sv_add(v, SVL_HEAD, "%s", _("Consent"));
    sv_add(v, SVL_TEXT, "%s", _("To decide on the application, the street office, the district civil"));
    sv_add(v, SVL_TEXT, "%s", _("affairs bureau, an assessment agency and a service provider will process"));
    sv_add(v, SVL_TEXT, "%s", _("the elder's identity and health information, including a home visit and"));
    sv_add(v, SVL_TEXT, "%s", _("a care-needs assessment (GB/T 42195-2022). Consent can be withdrawn at any"));
    sv_add(v, SVL_TEXT, "%s", _("time by withdrawing the application."));
    sv_add(v, SVL_TEXT, "%s", "");
    sv_add(v, SVL_HEAD, "%s", _("Confirm to agree, or go back to cancel."));
}

static unsigned consent_input(struct session *s, enum kiosk_action a, int64_t now)
{
    if (a == ACT_ESCAPE)
        return apply_cancel(s, now);
    if (a == ACT_ENTER) {
        s->form.consent = true;
        s->apply_sel = 0;
        return sess_go(s, SS_APPLY_SERVICES, now);
    }
    return SR_NONE;
}

const struct sess_screen_ops sess_apply_consent_ops = {
    .name = "apply_consent",
    .build = consent_build,
    .input = consent_input,
    .actions = apply_actions,
};

/* ---- services ----------------------------------------------------------------------------------- */

static void services_build(const struct session *s, struct sess_view *v, int64_t now)
{
    (void)now;
    apply_title(v);
    sv_add(v, SVL_HEAD, "%s", _("Which services are wanted? (a service's number switches it on and off)"));
    for (int i = 0; i < BED_SVC__COUNT; i++) {
        if (s->apply_sel == i)
            v->selected = v->n_lines;
        sv_add(v, SVL_ITEM, "%d  [%s] %s", i + 1, s->form.services & service_bits[i] ? "x" : " ",
               bed_service_label(service_bits[i], s->lang));
    }
    if (s->apply_sel == BED_SVC__COUNT)
        v->selected = v->n_lines;
    sv_add(v, SVL_ITEM, "%s", _("Continue"));
}

static int services_actions(const struct session *s, int acts[KEYTAB_MAX_ACTIONS])
{
    int n = apply_actions(s, acts);
    n = sess_acts_add(acts, n, ACT_UP);
    return sess_acts_add(acts, n, ACT_DOWN);
}

static unsigned services_input(struct session *s, enum kiosk_action a, int64_t now)
{
    if (a == ACT_ESCAPE)
        return apply_cancel(s, now);
    if (a >= ACT_DIGIT_1 && a < ACT_DIGIT_1 + BED_SVC__COUNT) {
        s->apply_sel = a - ACT_DIGIT_1;
        s->form.services ^= service_bits[s->apply_sel];
        return sess_redraw(s, now);
    }
    if (a == ACT_UP || a == ACT_DOWN) {
        s->apply_sel = (s->apply_sel + (a == ACT_UP ? BED_SVC__COUNT : 1)) % (BED_SVC__COUNT + 1);
        return sess_redraw(s, now);
    }
    if (a == ACT_ENTER) {
        if (s->apply_sel < BED_SVC__COUNT) {
            s->form.services ^= service_bits[s->apply_sel];
            return sess_redraw(s, now);
        }
        if (!s->form.services) {
            sess_message(s, true, now, 6000, "%s", _("Please choose at least one service."));
            return sess_redraw(s, now);
        }
        sess_clear_message(s);
        return sess_go(s, SS_APPLY_CONFIRM, now);
    }
    return SR_NONE;
}

const struct sess_screen_ops sess_apply_services_ops = {
    .name = "apply_services",
    .build = services_build,
    .input = services_input,
    .actions = services_actions,
};

/* ---- check and submit ----------------------------------------------------------------------------- */

static void confirm_build(const struct session *s, struct sess_view *v, int64_t now)
{
    (void)now;
    char m1[96], m2[24];
    apply_title(v);
    sv_add(v, SVL_HEAD, "%s", _("Please check, then confirm to submit:"));
    name_mask(s->form.elder_name, m1, sizeof m1);
    idnum_mask(s->form.elder_id, m2, sizeof m2);
    sv_add(v, SVL_TEXT, _("Elder: %s  %s"), m1, m2);
    if (s->form.by_agent) {
        name_mask(s->form.agent_name, m1, sizeof m1);
        sess_phone_mask(s->form.agent_phone, m2, sizeof m2);
        sv_add(v, SVL_TEXT, _("Family member: %s  phone %s"), m1, m2);
    }
    for (int i = 0; i < BED_SVC__COUNT; i++)
        if (s->form.services & service_bits[i])
            sv_add(v, SVL_TEXT, "  · %s", bed_service_label(service_bits[i], s->lang));
    sv_add(v, SVL_NOTE, "%s", _("The street office will confirm the address during its home visit."));
}

/* The submission: the one store write of the flow. */
static unsigned apply_submit(struct session *s, int64_t now)
{
    struct actor who = {0};
    sess_fmt(who.name, sizeof who.name, "resident@%s", s->cfg.kiosk_id);
    sess_fmt(s->form.kiosk_id, sizeof s->form.kiosk_id, "%s", s->cfg.kiosk_id);
    sess_fmt(s->form.street, sizeof s->form.street, "%s", s->cfg.street);
    if (!s->form.address[0])
        sess_fmt(s->form.address, sizeof s->form.address, "%s",
                 "(to be confirmed at the home visit / 上门核实)");
    s->form.consent = true;
    char ref[33] = "";
    int err = bed_submit(s->st, s->sec, &who, &s->form, ref);
    if (kerr_is_offline(err) &&
        s->opts.outbox) {
        /* the form passed every check but the database is away: the kiosk
         * keeps it, with its reference, and files it when it returns */
        char at[32];
        s->offline = true;
        heartbeat_db(&s->hb, false, (long long)time(NULL));   /* for the fleet, later */
        s->next_probe = now + OFFLINE_PROBE_MS;
        err = outbox_add(s->opts.outbox, s->sec, who.name, &s->form, ref, at);
        if (!err) {
            s->applied_kept = true;
            s->outbox_waiting = true;
        }
    }
    if (err == KERR_EXISTS) {
        sess_message(s, true, now, 0, "%s",
                     _("This elder already has an open application. Open it from the list."));
        return sess_redraw(s, now);
    }
    if (err) {
        sess_message(s, true, now, 0, "%s",
                     _("The application could not be submitted. Please ask the staff."));
        return sess_redraw(s, now);
    }
    sess_fmt(s->applied_ref, sizeof s->applied_ref, "%s", ref);
    s->wrote = !s->applied_kept;   /* read the primary from now on: it has the application */
    sess_make_followup(s, ref);
    sess_clear_message(s);
    /* after the action: the new application belongs in the summary too */
    if (!s->applied_kept && s->has_holder && !strcmp(s->holder_id, s->form.elder_id))
        sess_lookup_beds(s);
    return sess_go(s, SS_APPLY_DONE, now);
}

static unsigned confirm_input(struct session *s, enum kiosk_action a, int64_t now)
{
    if (a == ACT_ESCAPE)
        return apply_cancel(s, now);
    if (a == ACT_ENTER)
        return apply_submit(s, now);
    return SR_NONE;
}

const struct sess_screen_ops sess_apply_confirm_ops = {
    .name = "apply_confirm",
    .build = confirm_build,
    .input = confirm_input,
    .actions = apply_actions,
};

/* ---- submitted ----------------------------------------------------------------------------------------- */

static void done_build(const struct session *s, struct sess_view *v, int64_t now)
{
    (void)now;
    apply_title(v);
    sess_fmt(v->title, sizeof v->title, "%s", _("Application submitted"));
    if (s->applied_kept) {
        sv_add(v, SVL_GOOD, "%s", _("Your application has been taken by this kiosk."));
        sv_add(v, SVL_HEAD, _("Reference: %s"), s->applied_ref);
        sv_add(v, SVL_TEXT, "%s", _("The kiosk cannot reach the street office's records right "
                                    "now. It registers your application by itself as soon as "
                                    "the connection returns; you need not come back."));
        sv_add(v, SVL_TEXT, "%s", _("The reference and the code work once it is registered."));
    } else {
        sv_add(v, SVL_GOOD, "%s", _("Your application has been submitted."));
        sv_add(v, SVL_HEAD, _("Reference: %s"), s->applied_ref);
    }
    sv_add(v, SVL_TEXT, "%s", _("The street office reviews it next."));
    sv_add(v, SVL_TEXT, "%s", _("Keep the receipt or scan the code to follow it."));
    sess_fmt(v->qr_url, sizeof v->qr_url, "%s", s->qr_url);
    sess_fmt(v->qr_caption, sizeof v->qr_caption, _("Reference %s"), s->applied_ref);
}

static int done_actions(const struct session *s, int acts[KEYTAB_MAX_ACTIONS])
{
    (void)s;
    int n = 0;
    n = sess_acts_add(acts, n, ACT_PRINT);
    n = sess_acts_add(acts, n, ACT_ENTER);
    return sess_acts_common(acts, n);
}

static unsigned done_input(struct session *s, enum kiosk_action a, int64_t now)
{
    if (a == ACT_PRINT)
        return sess_start_print(s, now);
    if (a == ACT_ENTER || a == ACT_ESCAPE) {
        secure_wipe(&s->form, sizeof s->form);
        sess_clear_message(s);
        s->sel = 0;
        return sess_go(s, SS_SUMMARY, now);
    }
    return SR_NONE;
}

const struct sess_screen_ops sess_apply_done_ops = {
    .name = "apply_done",
    .build = done_build,
    .input = done_input,
    .actions = done_actions,
};
