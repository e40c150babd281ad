/* ctl_bed.c — `kioskctl bed list|show|advance|reassess|street` (SPEC §2, §5) and the
 * home-care-bed part of `kioskctl position`.
 *
 * `advance` logs the named staff account in (password on standard input)
 * and goes through eldercare_advance(), so a script is held to exactly the
 * rules of the console: a wrong password, a locked account, a role or a
 * stage that does not allow the step all exit 5 and change nothing. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/assessment.h"
#include "kiosk/audit_detail.h"
#include "kiosk/auth.h"
#include "kiosk/cli/ctl.h"
#include "kiosk/cli/ctl_notice.h"
#include "kiosk/eldercare.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/json.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

static const char *const bed_help[] = {
    N_("usage: kioskctl [--db FILE] bed list [--stage STAGE] [--street STREET] [--json]\n"
       "       kioskctl bed show REF [--json]\n"
       "       kioskctl [--as USER] bed street REF STREET    (district or admin; '' = none)\n"
       "       kioskctl bed advance REF --to STAGE --user NAME --password-stdin [--reason TEXT]\n"
       "                            [--assessment FILE] [--provider ORG]\n"
       "                            [--resident-reason CODE [--resident-text TEXT]]\n"
       "       kioskctl bed reassess REF --user NAME --password-stdin --assessment FILE\n"),
    N_("Home elderly-care bed (家庭养老床位) applications.  Stages: submitted, street_approved,\n"
       "district_approved, assessed, provider_assigned, built, accepted, in_service, exited,\n"
       "rejected, withdrawn.  Who may do what:\n"),
    N_("  street    submitted -> street_approved | rejected; withdraw before in_service;\n"
       "            assessed -> provider_assigned; in_service -> exited\n"
       "  district  street_approved -> district_approved | rejected; assessed -> provider_assigned;\n"
       "            in_service -> exited\n"
       "  assessor  district_approved -> assessed (--assessment FILE); built -> accepted, never\n"
       "            from the provider organisation that built it\n"
       "  provider  provider_assigned -> built and accepted -> in_service, the assigned provider only\n"),
    N_("--reason is required for rejected, exited and withdrawn (the internal note).  A rejection\n"
       "also needs --resident-reason: a code of the next-steps file's [reasons], shown to the\n"
       "resident with the optional --resident-text, as the console records it (docs/next_steps.md).\n"
       "--provider names the provider\n"
       "organisation (or one of its accounts); without it the only provider organisation is used.\n"
       "The password is the first line of standard input.\n"),
    N_("Assessment FILE (GB/T 42195-2022), one KEY=VALUE per line, # comments:\n"
       "  B1.1=4 ... B4.5=4   the 26 item scores (B1.x self-care 0-4; B2.1-3 0-4, B2.4 0-3;\n"
       "                      B3.1-6 0-4, B3.7-8 0-1, B3.9 0-2; B4.1-2 0-2, B4.3 0-4, B4.4 0-3,\n"
       "                      B4.5 0-4), or scores=S1,S2,...,S26\n"
       "  dementia=yes|no  mental_disorder=yes|no  coma=yes|no  risk_events=N (last 30 days)\n"
       "  diagnoses=TEXT\n"),
    N_("The level comes from [eldercare] level_bands; the scores and diagnoses are stored\n"
       "encrypted and never printed.\n"),
    N_("--street lists one street's applications ('' those with no street recorded); with\n"
       "--as a street office's account, list and show see its street's only.  `bed\n"
       "street` moves an application to another street (audited), checked against [district]\n"
       "streets when set.\n"),
    N_("Exit codes: 0 done, 2 usage, 3 bad input, 4 no such application, 5 refused.\n"),
    NULL};

static int usage(void)
{
    i18n_print(stderr, bed_help);
    return 2;
}

static void services_json(FILE *out, unsigned services)
{
    fputs("[", out);
    int first = 1;
    for (int i = 0; i < BED_SVC__COUNT; i++)
        if (services & (1u << i)) {
            fputs(first ? "" : ", ", out);
            json_str(out, bed_service_label(1u << i, "en"));
            first = 0;
        }
    fputs("]", out);
}

/* ---- list ----------------------------------------------------------------- */

struct list_out {
    bool json;
    int n;
};

static int print_summary(void *p, const struct bed_summary *s)
{
    struct list_out *o = p;
    if (o->json) {
        int f = 1;
        fputs(o->n ? ", {" : "{", stdout);
        json_kv_str(stdout, &f, "ref", s->ref);
        json_kv_str(stdout, &f, "stage", bed_stage_name(s->stage));
        json_kv_str(stdout, &f, "submitted_at", s->submitted_at);
        json_kv_str(stdout, &f, "updated_at", s->updated_at);
        json_kv_str(stdout, &f, "provider", s->provider_name);
        json_kv_str(stdout, &f, "street", s->street);
        json_kv_raw(stdout, &f, "by_agent", s->by_agent ? "true" : "false");
        json_kv_str(stdout, &f, "reassess_by", s->reassess_by);
        json_kv_raw(stdout, &f, "reassessment_due", s->reassessment_due ? "true" : "false");
        fputs(", \"services\": ", stdout);
        services_json(stdout, s->services);
        fputc('}', stdout);
    } else {
        printf("%-12s %-18s %s  %s  %s%s\n", s->ref, bed_stage_name(s->stage), s->updated_at,
               s->street[0] ? s->street : "-", s->provider_name[0] ? s->provider_name : "-",
               s->reassessment_due ? _("  (reassessment due)") : "");
    }
    o->n++;
    return 0;
}

static int bed_list_cmd(struct ctl_ctx *ctx, const char *stage_name, const char *street, bool json)
{
    int stage = -1, err;
    struct store *st;
    if (stage_name && (err = bed_stage_parse(stage_name, &stage)))
        return ctl_fail(ctx, kerr_recode(KERR_USAGE, NULL));
    if (street && (err = config_street_check(&ctx->cfg, street)))
        return ctl_fail(ctx, err);
    if ((err = ctl_store(ctx, &st, NULL)))
        return ctl_fail(ctx, err);
    /* --as a street office's account: its street's applications only */
    struct actor who;
    if (ctx->as_user && (err = ctl_admin_actor(ctx, &who)))
        return ctl_fail(ctx, err);
    const char *mine = ctx->as_user ? bed_actor_street(&who) : NULL;
    if (mine && street && strcmp(street, mine))
        return ctl_fail(ctx, kerr(KERR_REFUSED, "%s sees the applications of %s only", who.name, mine));
    if (mine)
        street = mine;
    struct list_out o = {.json = json};
    if (json)
        fputs("{\"applications\": [", stdout);
    err = bed_list_street(st, stage, street, print_summary, &o);
    if (json)
        fputs("]}\n", stdout);
    return err ? ctl_fail(ctx, err) : 0;
}

/* ---- show ----------------------------------------------------------------- */

static void print_detail_json(const struct bed_detail *d)
{
    const struct bed_view *v = &d->view;
    int f = 1;
    fputc('{', stdout);
    json_kv_str(stdout, &f, "ref", v->ref);
    json_kv_str(stdout, &f, "stage", bed_stage_name(v->stage));
    json_kv_str(stdout, &f, "stage_label", v->stage_label);
    json_kv_str(stdout, &f, "submitted_at", v->submitted_at);
    json_kv_str(stdout, &f, "elder_name", v->elder_name_masked);
    json_kv_str(stdout, &f, "elder_id", v->elder_id_masked);
    json_kv_raw(stdout, &f, "by_agent", v->by_agent ? "true" : "false");
    json_kv_str(stdout, &f, "agent_name", v->agent_name_masked);
    json_kv_str(stdout, &f, "consent_at", d->consent_at);
    json_kv_str(stdout, &f, "kiosk", d->kiosk_id);
    json_kv_str(stdout, &f, "street", d->street);
    fputs(", \"services\": ", stdout);
    services_json(stdout, d->services);
    json_kv_str(stdout, &f, "responsible", v->responsible);
    json_kv_str(stdout, &f, "next_step", v->next_step);
    json_kv_str(stdout, &f, "provider", v->provider_name);
    json_kv_str(stdout, &f, "provider_phone", v->provider_phone);
    json_kv_str(stdout, &f, "level", v->level_word);
    json_kv_str(stdout, &f, "reassess_by", v->reassess_by);
    json_kv_raw(stdout, &f, "reassessment_due", v->reassessment_due ? "true" : "false");
    fputs(", \"history\": [", stdout);
    for (int i = 0; i < d->n_history; i++) {
        const struct bed_staff_step *h = &d->history[i];
        int g = 1;
        fputs(i ? ", {" : "{", stdout);
        json_kv_str(stdout, &g, "stage", bed_stage_name(h->stage));
        json_kv_str(stdout, &g, "at", h->at);
        json_kv_str(stdout, &g, "by", h->actor);
        json_kv_str(stdout, &g, "role", h->role);
        json_kv_str(stdout, &g, "reason", h->reason);
        fputc('}', stdout);
    }
    fputs("]}\n", stdout);
}

static void print_detail_text(const struct bed_detail *d)
{
    const struct bed_view *v = &d->view;
    printf(_("application %s: %s (%s)\n"), v->ref, bed_stage_name(v->stage), v->stage_label);
    printf(_("  elder %s %s%s%s\n"), v->elder_name_masked, v->elder_id_masked,
           v->by_agent ? _(", filed by agent ") : "", v->by_agent ? v->agent_name_masked : "");
    char kid[400];
    printf(_("  submitted %s at %s, consent %s\n"), v->submitted_at,
           d->kiosk_id[0] ? ctl_safe(d->kiosk_id, kid, sizeof kid) : "-", d->consent_at);
    printf(_("  street %s\n"), d->street[0] ? ctl_safe(d->street, kid, sizeof kid) : "-");
    /* English "care bed; emergency call button;", Chinese "护理床位、紧急呼叫" */
    bool en = !strcmp(i18n_lang(), "en");
    printf("%s", _("  services:"));
    char names[200];
    if (en) {
        for (int i = 0; i < BED_SVC__COUNT; i++)
            if (d->services & (1u << i))
                printf(" %s;", bed_service_label(1u << i, "en"));
    } else {
        printf("%s", bed_services_text(d->services, i18n_lang(), names, sizeof names));
    }
    printf("\n");
    if (v->level_word[0])
        printf(_("  level %s; reassessment by %s%s\n"), v->level_word, v->reassess_by,
               v->reassessment_due ? _(" (DUE)") : "");
    char e1[1200], e2[1200];
    if (v->provider_name[0])
        printf(_("  provider %s %s\n"), ctl_safe(v->provider_name, e1, sizeof e1),
               ctl_safe(v->provider_phone, e2, sizeof e2));
    if (v->responsible[0])
        printf(_("  now: %s: %s\n"), v->responsible, v->next_step);
    for (int i = 0; i < d->n_history; i++) {
        const struct bed_staff_step *h = &d->history[i];
        /* the role translated (its code is the English word), the stage a code;
         * a reason the core wrote itself is its words, translated; a typed one a value */
        const char *why = !strcmp(h->reason, AD_WHY_REASSESS) ? _(AD_WHY_REASSESS)
                        : !strcmp(h->reason, AD_WHY_WITHDRAW) ? _(AD_WHY_WITHDRAW)
                        : h->reason;
        printf(_("  %s  %-18s by %s (%s)%s%s\n"), h->at, bed_stage_name(h->stage),
               ctl_safe(h->actor, e1, sizeof e1), _(h->role), h->reason[0] ? _(": ") : "",
               ctl_safe(why, e2, sizeof e2));
    }
}

static int bed_show_cmd(struct ctl_ctx *ctx, const char *ref, bool json)
{
    struct store *st;
    struct secret *sec;
    int err = ctl_store(ctx, &st, &sec);
    if (err)
        return ctl_fail(ctx, err);
    /* --as: shown as that account sees it (another street's: refused) */
    struct actor who;
    if (ctx->as_user && (err = ctl_admin_actor(ctx, &who)))
        return ctl_fail(ctx, err);
    struct bed_detail *d = calloc(1, sizeof *d);
    if (!d)
        return ctl_fail(ctx, KERR_NOMEM);
    if (!(err = st->ops->begin_read(st))) {
        err = bed_show_as(st, sec, ctx->as_user ? &who : NULL, ref, ctx->cfg.language, d);
        store_rollback(st);
    }
    if (!err) {
        if (json)
            print_detail_json(d);
        else
            print_detail_text(d);
    }
    secure_wipe(d, sizeof *d);
    free(d);
    return err ? ctl_fail(ctx, err) : 0;
}

/* ---- advance / reassess --------------------------------------------------- */

/* Log the named account in with the password on standard input. */
static int login(struct ctl_ctx *ctx, struct store *st, struct secret *sec, const char *user,
                 struct actor *who)
{
    char pw[AUTH_PASSWORD_MAX + 2];
    int err = auth_read_password(stdin, pw, sizeof pw);
    if (!err)
        err = auth_login(st, sec, &ctx->cfg, user, pw, who);
    secure_wipe(pw, sizeof pw);
    return err;
}

static int bed_step_cmd(struct ctl_ctx *ctx, bool reassess, const char *ref, const char *to_name,
                        const char *user, const char *reason, const char *assess_file,
                        const char *provider, const struct ctl_notice_args *na)
{
    int to = -1, err;
    if (!reassess && (err = bed_stage_parse(to_name, &to)))
        return ctl_fail(ctx, kerr_recode(KERR_USAGE, "--to"));
    /* a rejection tells the resident why, as the console's does; checked first */
    struct notice tell;
    bool tells = !reassess && to == BS_REJECTED;
    if (!tells && (na->reason || na->text))
        return ctl_fail(ctx, kerr(KERR_USAGE, "--resident-reason and --resident-text go with "
                                  "--to rejected only"));
    if (tells && (err = ctl_notice_prepare(ctx, na, true, false, &tell)))
        return ctl_fail(ctx, err);
    if ((reassess || to == BS_ASSESSED) && !assess_file)
        return ctl_fail(ctx, kerr(KERR_USAGE, "recording an assessment needs --assessment FILE "
                                  "(see kioskctl bed --help)"));
    struct assessment *a = NULL;
    if (assess_file) {
        if (!(a = calloc(1, sizeof *a)))
            return ctl_fail(ctx, KERR_NOMEM);
        if ((err = assessment_parse_file(assess_file, a)))
            goto out;
    }
    struct store *st;
    struct secret *sec;
    struct actor who;
    if ((err = ctl_store(ctx, &st, &sec)) || (err = login(ctx, st, sec, user, &who)))
        goto out;
    if (reassess)
        err = eldercare_reassess(st, sec, &ctx->cfg, &who, ref, a);
    else
        err = eldercare_advance(st, sec, &ctx->cfg, &who, ref, to, reason, a, provider);
    if (!err && tells)
        err = ctl_notice_save(st, NOTICE_BED, ref, to, &tell);
    if (!err) {
        if (reassess)
            printf(_("%s: reassessed\n"), ref);
        else   /* the stage's code, which is its English word; under --lang zh its label */
            printf("%s: %s\n", ref, _(bed_stage_name(to)));
    }
out:
    if (a) {
        secure_wipe(a, sizeof *a);
        free(a);
    }
    return err ? ctl_fail(ctx, err) : 0;
}

/* ---- street ----------------------------------------------------------------- */

static int bed_street_cmd(struct ctl_ctx *ctx, const char *ref, const char *street)
{
    struct store *st;
    struct secret *sec;
    struct actor who;
    int err;
    if ((err = ctl_admin_actor(ctx, &who)) || (err = ctl_store(ctx, &st, &sec)) ||
        (err = bed_move_street(st, sec, &ctx->cfg, &who, ref, street)))
        return ctl_fail(ctx, err);
    printf(_("application %s: street %s\n"), ref, street[0] ? street : _("(none)"));
    return 0;
}

int ctl_bed(struct ctl_ctx *ctx, int argc, char **argv)
{
    static const struct option o[] = {
        {"stage", required_argument, 0, 's'},  {"json", no_argument, 0, 'j'},
        {"to", required_argument, 0, 't'},     {"user", required_argument, 0, 'u'},
        {"password-stdin", no_argument, 0, 'p'}, {"reason", required_argument, 0, 'r'},
        {"assessment", required_argument, 0, 'a'}, {"provider", required_argument, 0, 'P'},
        {"resident-reason", required_argument, 0, 'C'}, {"resident-text", required_argument, 0, 'T'},
        {"street", required_argument, 0, 'S'}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    struct ctl_notice_args na = {0};
    const char *street = NULL;
    const char *stage = NULL, *to = NULL, *user = NULL, *reason = NULL, *assess = NULL,
               *provider = NULL;
    bool json = false, pw = false;
    int c;
    while ((c = getopt_long(argc, argv, "h", o, NULL)) != -1) {
        switch (c) {
        case 's': stage = optarg; break;
        case 'j': json = true; break;
        case 't': to = optarg; break;
        case 'u': user = optarg; break;
        case 'p': pw = true; break;
        case 'r': reason = optarg; break;
        case 'a': assess = optarg; break;
        case 'P': provider = optarg; break;
        case 'C': na.reason = optarg; break;
        case 'T': na.text = optarg; break;
        case 'S': street = optarg; break;
        case 'h': i18n_print(stdout, bed_help); return 0;
        default: return usage();
        }
    }
    if (optind >= argc)
        return usage();
    const char *verb = argv[optind];
    int npos = argc - optind - 1;
    const char *ref = npos >= 1 ? argv[optind + 1] : NULL;
    bool step_opts = to || user || pw || reason || assess || provider || na.reason || na.text;
    if (!strcmp(verb, "list")) {
        if (npos != 0 || step_opts)
            return usage();
        return bed_list_cmd(ctx, stage, street, json);
    }
    if (street)
        return usage();
    if (!strcmp(verb, "street")) {
        if (npos != 2 || step_opts || stage || json)
            return usage();
        return bed_street_cmd(ctx, ref, argv[optind + 2]);
    }
    if (!strcmp(verb, "show")) {
        if (npos != 1 || step_opts || stage)
            return usage();
        return bed_show_cmd(ctx, ref, json);
    }
    if (!strcmp(verb, "advance")) {
        if (npos != 1 || !to || !user || !pw || stage || json)
            return usage();
        return bed_step_cmd(ctx, false, ref, to, user, reason, assess, provider, &na);
    }
    if (!strcmp(verb, "reassess")) {
        if (npos != 1 || to || !user || !pw || !assess || stage || json || provider)
            return usage();
        return bed_step_cmd(ctx, true, ref, NULL, user, reason, assess, NULL, &na);
    }
    fprintf(stderr, _("kioskctl bed: unknown action '%s'\n"), verb);
    return usage();
}

/* ---- position ------------------------------------------------------------- */

#define MAX_APPS 16

int ctl_print_applications(struct ctl_ctx *ctx, const unsigned char hash[32], int json,
                           FILE *out, int *count)
{
    *count = 0;
    struct store *st;
    struct secret *sec;
    int err = ctl_store(ctx, &st, &sec);
    if (err)
        return err;
    struct bed_view *v = calloc(MAX_APPS, sizeof *v);
    if (!v)
        return KERR_NOMEM;
    int n = 0;
    /* position already holds a read transaction: no transaction of our own */
    err = bed_lookup_hash(st, sec, hash, ctx->cfg.language, v, MAX_APPS, &n);
    for (int i = 0; !err && i < n; i++) {
        const struct bed_view *a = &v[i];
        if (json) {
            /* resident-safe fields only: never scores or diagnoses */
            int f = 1;
            fputs(i ? ", {" : "{", out);
            json_kv_str(out, &f, "ref", a->ref);
            json_kv_str(out, &f, "stage", bed_stage_name(a->stage));
            json_kv_str(out, &f, "stage_label", a->stage_label);
            json_kv_str(out, &f, "submitted_at", a->submitted_at);
            json_kv_str(out, &f, "elder_name", a->elder_name_masked);
            json_kv_str(out, &f, "elder_id", a->elder_id_masked);
            json_kv_raw(out, &f, "by_agent", a->by_agent ? "true" : "false");
            json_kv_str(out, &f, "responsible", a->responsible);
            json_kv_str(out, &f, "next_step", a->next_step);
            json_kv_str(out, &f, "provider", a->provider_name);
            json_kv_str(out, &f, "provider_phone", a->provider_phone);
            json_kv_str(out, &f, "level", a->level_word);
            json_kv_str(out, &f, "reassess_by", a->reassess_by);
            json_kv_raw(out, &f, "reassessment_due", a->reassessment_due ? "true" : "false");
            json_kv_raw(out, &f, "can_withdraw", a->can_withdraw ? "true" : "false");
            fputs(", \"timeline\": [", out);
            for (int k = 0; k < a->n_steps; k++) {
                int g = 1;
                fputs(k ? ", {" : "{", out);
                json_kv_str(out, &g, "stage", bed_stage_name(a->steps[k].stage));
                json_kv_str(out, &g, "at", a->steps[k].at);
                json_kv_str(out, &g, "by", a->steps[k].by_role);
                fputc('}', out);
            }
            fputs("]}", out);
        } else {
            fprintf(out, _("家庭养老床位 home-care bed %s\n"), a->ref);
            fprintf(out, _("  stage %s (%s), submitted %s\n"), bed_stage_name(a->stage),
                    a->stage_label, a->submitted_at);
            fprintf(out, _("  elder %s %s\n"), a->elder_name_masked, a->elder_id_masked);
            if (a->level_word[0])
                fprintf(out, _("  level %s; reassessment by %s%s\n"), a->level_word, a->reassess_by,
                        a->reassessment_due ? _(" (due)") : "");
            if (a->provider_name[0])
                fprintf(out, _("  provider %s %s\n"), a->provider_name, a->provider_phone);
            if (a->responsible[0])
                fprintf(out, _("  now: %s: %s\n"), a->responsible, a->next_step);
            else
                fprintf(out, "  %s\n", a->next_step);
        }
    }
    if (!err)
        *count = n;
    bed_view_wipe(v, MAX_APPS);
    free(v);
    return err;
}
