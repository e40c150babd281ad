/* sess_bed.c — one home care bed application in detail (stage, who acts
 * now, the next steps of kiosk/next_steps.h with the reason a clerk gave,
 * the timeline with the stages still to come marked "not yet") and the
 * screen that confirms withdrawing it.  The detail's load reads only the
 * resident-facing notice (the look-up loaded the applications whole); the
 * withdrawal is a submission, and reloads the applications after it. */
#include "kiosk/session/session_int.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/store/store.h"

/* ---- the detail ------------------------------------------------------------------- */

static const char *role_label(const char *role)
{
    if (!strcmp(role, "resident")) return _("applicant");
    if (!strcmp(role, "street")) return _("street office");
    if (!strcmp(role, "district")) return _("district civil affairs");
    if (!strcmp(role, "assessor")) return _("assessment agency");
    if (!strcmp(role, "provider")) return _("service provider");
    if (!strcmp(role, "system") || !*role) return _("system");
    return role;
}

/* The main path of SPEC §5, for the timeline's stages still to come. */
static const int main_path[] = {BS_SUBMITTED, BS_STREET_APPROVED, BS_DISTRICT_APPROVED,
                                BS_ASSESSED, BS_PROVIDER_ASSIGNED, BS_BUILT, BS_ACCEPTED,
                                BS_IN_SERVICE};

static int bed_load(struct session *s)
{
    int i = s->cur_b;
    if (i < 0 || i >= s->n_bv)
        return KERR_USAGE;
    int err = notice_get(sess_rd(s), NOTICE_BED, s->bv[i].ref, s->bv[i].stage, &s->bn[i]);
    return err == KERR_NOTFOUND ? 0 : err;
}

static void bed_build(const struct session *s, struct sess_view *v, int64_t now)
{
    (void)now;
    const struct bed_view *b = &s->bv[s->cur_b];
    sess_fmt(v->title, sizeof v->title, _("Home care bed application %s"), b->ref);
    sv_add(v, SVL_HEAD, _("Current stage: %s"), b->stage_label);
    sv_add(v, SVL_TEXT, _("Elder: %s  %s"), b->elder_name_masked, b->elder_id_masked);
    if (b->by_agent)
        sv_add(v, SVL_TEXT, _("Filed by family member: %s"), b->agent_name_masked);
    if (b->responsible[0])
        sv_add(v, SVL_TEXT, _("Responsible now: %s"), b->responsible);
    if (b->provider_name[0])
        sv_add(v, SVL_TEXT, _("Service provider: %s  tel. %s"), b->provider_name, b->provider_phone);
    if (b->level_word[0])
        sv_add(v, SVL_TEXT, _("Care level: %s"), b->level_word);
    if (b->reassessment_due)
        sv_add(v, SVL_WARN, _("Reassessment due by %s"), b->reassess_by);
    struct next_steps ns;
    sess_next_steps_bed(s, s->cur_b, &ns);
    sess_add_next_steps(v, s->lang, &ns);
    sv_add(v, SVL_HEAD, "%s", _("Timeline"));
    int last_main = -1;
    for (int i = 0; i < b->n_steps; i++) {
        const struct bed_step *st = &b->steps[i];
        struct sv_line *l = sv_add(v, SVL_TEXT, "%.10s  %s  (%s)", st->at,
                                   bed_stage_label(st->stage, s->lang), role_label(st->by_role));
        if (l)
            l->done = i == b->n_steps - 1 ? 2 : 1;
        for (size_t k = 0; k < sizeof main_path / sizeof main_path[0]; k++)
            if (main_path[k] == st->stage)
                last_main = (int)k;
    }
    if (b->stage != BS_REJECTED && b->stage != BS_WITHDRAWN && b->stage != BS_EXITED &&
        (size_t)(last_main + 1) < sizeof main_path / sizeof main_path[0]) {
        /* the stages still to come, on one line, plainly "not yet" */
        char rest[SV_TEXT] = "";
        size_t off = 0;
        for (size_t k = (size_t)(last_main + 1); k < sizeof main_path / sizeof main_path[0] &&
                                                 off < sizeof rest; k++)
            off += (size_t)snprintf(rest + off, sizeof rest - off, "%s%s", off ? " → " : "",
                                    next_steps_bed_future(s->ns, main_path[k], s->lang));
        sv_add(v, SVL_NOTE, _("Not yet: %s"), rest);
    }
}

static int bed_actions(const struct session *s, int acts[KEYTAB_MAX_ACTIONS])
{
    int n = 0;
    n = sess_acts_add(acts, n, ACT_PRINT);
    n = sess_acts_add(acts, n, ACT_SHOW_QR);
    if (s->bv[s->cur_b].can_withdraw)
        n = sess_acts_add(acts, n, ACT_WITHDRAW);
    n = sess_acts_add(acts, n, ACT_ESCAPE);
    return sess_acts_common(acts, n);
}

static unsigned bed_input(struct session *s, enum kiosk_action a, int64_t now)
{
    if (a == ACT_PRINT)
        return sess_start_print(s, now);
    if (a == ACT_SHOW_QR)
        return sess_open_qr(s, now);
    if (a == ACT_WITHDRAW && s->bv[s->cur_b].can_withdraw) {
        sess_clear_message(s);
        return sess_go(s, SS_WITHDRAW, now);
    }
    if (a == ACT_ESCAPE || a == ACT_BACKSPACE) {
        sess_clear_message(s);
        return sess_go(s, SS_SUMMARY, now);
    }
    return SR_NONE;
}

const struct sess_screen_ops sess_bed_ops = {
    .name = "bed",
    .load = bed_load,      /* the notice only: the look-up loaded the applications whole */
    .build = bed_build,
    .input = bed_input,
    .actions = bed_actions,
};

/* ---- withdraw? ---------------------------------------------------------------------- */

static void withdraw_build(const struct session *s, struct sess_view *v, int64_t now)
{
    (void)now;
    const struct bed_view *b = &s->bv[s->cur_b];
    sess_fmt(v->title, sizeof v->title, "%s", _("Withdraw the application?"));
    sv_add(v, SVL_HEAD, _("Application %s · %s"), b->ref, b->stage_label);
    sv_add(v, SVL_TEXT, "%s", "");
    sv_add(v, SVL_WARN, "%s", _("If you withdraw, the application stops and you must apply again later."));
    sv_add(v, SVL_TEXT, "%s", _("Confirm to withdraw it, or go back to keep the application."));
}

static int withdraw_actions(const struct session *s, int acts[KEYTAB_MAX_ACTIONS])
{
    (void)s;
    int n = 0;
    n = sess_acts_add(acts, n, ACT_ENTER);
    n = sess_acts_add(acts, n, ACT_ESCAPE);
    return sess_acts_common(acts, n);
}

static unsigned withdraw_input(struct session *s, enum kiosk_action a, int64_t now)
{
    if (a == ACT_ENTER) {
        struct actor who = {0};
        sess_fmt(who.name, sizeof who.name, "resident@%s", s->cfg.kiosk_id);
        int err = bed_withdraw_by_resident(s->st, s->sec, &who, s->bv[s->cur_b].ref, s->holder_id);
        if (err) {
            sess_message(s, true, now, 0, "%s",
                         err == KERR_STAGE
                             ? _("It is too late to withdraw this application here. Please ask the staff.")
                             : _("The application could not be withdrawn. Please ask the staff."));
        } else {
            sess_message(s, false, now, 0, "%s", _("The application has been withdrawn."));
            s->wrote = true;    /* read the primary from now on: it has the change */
            /* after the action: the applications as they are now */
            sess_lookup_beds(s);
            if (s->cur_b >= s->n_bv)
                return sess_go(s, SS_SUMMARY, now);
        }
        return sess_go(s, SS_BED, now);
    }
    if (a == ACT_ESCAPE || a == ACT_BACKSPACE)
        return sess_go(s, SS_BED, now);
    return SR_NONE;
}

const struct sess_screen_ops sess_withdraw_ops = {
    .name = "withdraw",
    .load = NULL,
    .build = withdraw_build,
    .input = withdraw_input,
    .actions = withdraw_actions,
};
