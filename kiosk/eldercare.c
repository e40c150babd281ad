/* eldercare.c — 家庭养老床位 applications: filing at the kiosk, the staff
 * steps of SPEC §5 checked against bed_rules.c, the resident's timeline and
 * the staff's detail view.
 *
 * Privacy (SPEC §7): identities, the address and the assessment are sealed
 * with the site secret before they reach the store, and every plaintext
 * buffer is wiped on the way out.  Views carry masked identities and the
 * level word only.  Every write is one transaction with its history row and
 * its audit record, so a refused or failed step leaves nothing behind. */
#include "kiosk/eldercare.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/assessment.h"
#include "kiosk/audit.h"
#include "kiosk/audit_detail.h"
#include "kiosk/auth.h"
#include "kiosk/bed_rules.h"
#include "kiosk/store/bed_store.h"
#include "kiosk/config.h"
#include "kiosk/err.h"
#include "kiosk/person.h"
#include "kiosk/followup.h"
#include "kiosk/idnum.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

/* ---- names and words ------------------------------------------------------ */

static const char *const stage_names[BS__COUNT] = {
    "submitted", "street_approved", "district_approved", "assessed", "provider_assigned",
    "built", "accepted", "in_service", "exited", "rejected", "withdrawn",
};
static const char *const stage_zh[BS__COUNT] = {
    "已提交", "街道已审核", "区民政已审批", "已评估", "已指定服务机构", "已建床", "已验收",
    "服务中", "已退出", "未通过", "已撤回",
};
static const char *const stage_en[BS__COUNT] = {
    "Submitted", "Approved by the street office", "Approved by the district", "Assessed",
    "Provider assigned", "Bed set up", "Accepted", "In service", "Exited", "Rejected",
    "Withdrawn",
};
static const char *const resp_zh[BS__COUNT] = {
    "街道办事处", "区民政局", "评估机构", "街道办事处或区民政局", "服务机构", "验收机构",
    "服务机构", "服务机构", "", "", "",
};
static const char *const resp_en[BS__COUNT] = {
    "Street office", "District civil-affairs bureau", "Assessment agency",
    "Street office or district bureau", "Service provider", "Independent acceptance agency",
    "Service provider", "Service provider", "", "", "",
};
static const char *const next_zh[BS__COUNT] = {
    "街道办事处审核您的申请。", "区民政局审批。", "评估机构上门评估老人的能力。",
    "为您指定服务机构。", "服务机构上门建设床位（适老化改造、呼叫和监测设备）。",
    "独立的第三方机构验收。", "服务机构开始提供服务。", "按计划上门服务，并定期复评。",
    "申请已结束。", "申请未通过，可咨询街道办事处。", "申请已撤回。",
};
static const char *const next_en[BS__COUNT] = {
    "The street office reviews your application.", "The district bureau approves it.",
    "An assessment agency visits to assess the elder's abilities.",
    "A service provider is assigned to you.",
    "The provider sets up the bed at home (adaptations, call button, sensors).",
    "An independent agency checks the work.", "The provider starts the service.",
    "Services are delivered as planned, with regular reassessment.",
    "This application is closed.", "The application was not approved; ask the street office.",
    "The application was withdrawn.",
};
static const char *const svc_zh[BED_SVC__COUNT] = {"护理床位", "紧急呼叫", "智能监测", "上门护理",
                                                   "助餐", "适老化改造"};
static const char *const svc_en[BED_SVC__COUNT] = {"care bed", "emergency call button",
                                                   "smart sensors", "home nursing visits",
                                                   "meal help", "home adaptation"};

static bool en(const char *lang) { return lang && strcmp(lang, "en") == 0; }
static bool stage_ok(int s) { return s >= 0 && s < BS__COUNT; }

const char *bed_stage_name(int stage) { return stage_ok(stage) ? stage_names[stage] : "?"; }

int bed_stage_parse(const char *s, int *stage)
{
    for (int i = 0; i < BS__COUNT; i++)
        if (s && strcmp(s, stage_names[i]) == 0) {
            *stage = i;
            return 0;
        }
    return kerr(KERR_INPUT, "unknown stage '%s' (submitted, street_approved, district_approved, "
                "assessed, provider_assigned, built, accepted, in_service, exited, rejected, "
                "withdrawn)", s ? s : "");
}

const char *bed_stage_label(int stage, const char *lang)
{
    if (!stage_ok(stage))
        return "?";
    return en(lang) ? stage_en[stage] : stage_zh[stage];
}

const char *bed_stage_responsible(int stage, const char *lang)
{
    if (!stage_ok(stage))
        return "";
    return en(lang) ? resp_en[stage] : resp_zh[stage];
}

const char *bed_service_label(unsigned bit, const char *lang)
{
    for (int i = 0; i < BED_SVC__COUNT; i++)
        if (bit == (1u << i))
            return en(lang) ? svc_en[i] : svc_zh[i];
    return "";
}

const char *bed_services_text(unsigned mask, const char *lang, char *out, size_t cap)
{
    const char *sep = en(lang) ? ", " : "、";
    size_t o = 0;
    if (cap)
        out[0] = '\0';
    for (int i = 0; i < BED_SVC__COUNT && o < cap; i++)
        if (mask & (1u << i))
            o += (size_t)snprintf(out + o, cap - o, "%s%s", o ? sep : "", bed_service_label(1u << i, lang));
    return out;
}

/* ---- small helpers -------------------------------------------------------- */

static const struct bed_store_ops *bops(struct store *st) { return st->ops->bed; }

static int need_backend(struct store *st)
{
    if (!st->ops->bed)
        return kerr(KERR_UNSUPPORTED, "home-care-bed applications are not supported by the %s "
                    "backend", st->ops->name);
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

/* "YYYY-MM-DD" months after the date at the start of `at` (the day clamped
 * to the month's end: an assessment on 31 January is due by 28/29 February
 * of the due year, never in March). */
static void add_months(const char *at, int months, char out[16])
{
    int y = 0, m = 0, d = 0;
    if (sscanf(at, "%d-%d-%d", &y, &m, &d) != 3 || m < 1 || m > 12) {
        out[0] = '\0';
        return;
    }
    int idx = y * 12 + (m - 1) + months;
    y = idx / 12;
    m = idx % 12 + 1;
    if (d > days_in_month(y, m))
        d = days_in_month(y, m);
    snprintf(out, 16, "%04d-%02d-%02d", y % 10000, m, d);
}

static bool due(const struct bed_row *r)
{
    if (!r->reassess_due[0] || r->stage < BS_ASSESSED || r->stage > BS_IN_SERVICE)
        return false;
    char now[32];
    store_now(now);
    return strncmp(now, r->reassess_due, 10) >= 0;
}

/* The role an actor files or withdraws in, for the history. */
static const char *actor_role(const struct actor *who)
{
    if (!who->roles)
        return "resident";
    for (unsigned bit = 1; bit <= ROLE_ADMIN; bit <<= 1)
        if (who->roles & bit)
            return role_name(bit);
    return "system";
}

/* Fields are sealed bound to their application and field name (the AEAD
 * associated data "bed/REF/FIELD"), so one copied onto another application,
 * or into another column, does not open there. */
static int seal_text(const struct secret *sec, const char *plain, const char *ref,
                     const char *field, unsigned char *out, int cap, int *len)
{
    size_t n = strlen(plain);
    if (n + SECRET_SEAL_OVERHEAD > (size_t)cap)
        return kerr(KERR_INPUT, "field too long to store");
    char ad[SECRET_AD_MAX];
    secret_ad_bed(ad, ref, field);
    secret_seal(sec, plain, n, ad, out);
    *len = (int)(n + SECRET_SEAL_OVERHEAD);
    return 0;
}

static int open_text(const struct secret *sec, const unsigned char *sealed, int len, char *out,
                     size_t cap, const char *ref, const char *field)
{
    size_t n = 0;
    char ad[SECRET_AD_MAX];
    secret_ad_bed(ad, ref, field);
    if (len < SECRET_SEAL_OVERHEAD || secret_open(sec, sealed, (size_t)len, ad, out, cap, &n) != 0) {
        secure_wipe(out, cap);
        return kerr(KERR_CRYPTO, "application %s: cannot decrypt the %s field on this "
                    "application (wrong site secret, or copied from another row: run kioskctl "
                    "check)", ref, field);
    }
    return 0;
}

/* ---- filing --------------------------------------------------------------- */

static int check_form(const struct bed_form *f, char elder[19], char agent[19], const char *today)
{
    const char *why = NULL;
    if (!f->consent)
        return kerr(KERR_INPUT, "consent to the processing of health data is required");
    if (idnum_normalise(f->elder_id, elder, &why) != 0)
        return kerr(KERR_INPUT, "elder's ID number: %s", why ? why : "not valid");
    /* No age limit here: the programme's local age rule is not known
     * (DOMAIN.md §2.1 [U]); the street office's review decides eligibility. */
    (void)today;
    if (!f->elder_name[0] || !memchr(f->elder_name, '\0', sizeof f->elder_name))
        return kerr(KERR_INPUT, "elder's name missing");
    if (f->by_agent) {
        if (idnum_normalise(f->agent_id, agent, &why) != 0)
            return kerr(KERR_INPUT, "agent's ID number: %s", why ? why : "not valid");
        if (strcmp(agent, elder) == 0)
            return kerr(KERR_INPUT, "the agent must be someone other than the elder");
        if (!f->agent_name[0] || !memchr(f->agent_name, '\0', sizeof f->agent_name))
            return kerr(KERR_INPUT, "agent's name missing");
        size_t n = strnlen(f->agent_phone, sizeof f->agent_phone);
        if (n < 5 || n > 20 || strspn(f->agent_phone, "0123456789") != n)
            return kerr(KERR_INPUT, "agent's phone: 5 to 20 digits");
    }
    if (!f->address[0] || !memchr(f->address, '\0', sizeof f->address))
        return kerr(KERR_INPUT, "address missing");
    if (!f->services || (f->services & ~((1u << BED_SVC__COUNT) - 1)))
        return kerr(KERR_INPUT, "choose at least one service");
    /* the kiosk's configured street: its list was checked when the
     * configuration was read (config_load); its shape is checked here too,
     * for a form that comes back from an outbox */
    if (!memchr(f->street, '\0', sizeof f->street))
        return kerr(KERR_INPUT, "street name too long");
    return config_street_check(NULL, f->street);
}

struct open_ctx {
    const unsigned char *hash;
    bool found;
    char ref[33];
};

static int find_open(void *p, const struct bed_row *r)
{
    struct open_ctx *c = p;
    if (!bed_stage_closed(r->stage) && sodium_memcmp(r->elder_hash, c->hash, 32) == 0) {
        c->found = true;
        snprintf(c->ref, sizeof c->ref, "%s", r->ref);
    }
    return 0;
}

int bed_submit(struct store *st, const struct secret *sec, const struct actor *who,
               const struct bed_form *form, char ref[33])
{
    ref[0] = '\0';
    return bed_submit_as(st, sec, who, form, ref, NULL);
}

int bed_submit_as(struct store *st, const struct secret *sec, const struct actor *who,
                  const struct bed_form *form, char ref[33], const char *submitted_at)
{
    int err = need_backend(st);
    if (err)
        return err;
    char now[32], elder[19] = "", agent[19] = "";
    char plain[600];
    if (submitted_at && submitted_at[0])
        snprintf(now, sizeof now, "%s", submitted_at);
    else
        store_now(now);
    struct bed_row *r = calloc(1, sizeof *r);
    if (!r)
        return KERR_NOMEM;
    if ((err = check_form(form, elder, agent, now)))
        goto out;
    secret_lookup_hash(sec, elder, r->elder_hash);
    if (form->by_agent) {
        r->has_agent = true;
        secret_lookup_hash(sec, agent, r->agent_hash);
    }
    r->services = form->services;
    snprintf(r->consent_at, sizeof r->consent_at, "%s", now);
    snprintf(r->kiosk_id, sizeof r->kiosk_id, "%s", form->kiosk_id);
    snprintf(r->street, sizeof r->street, "%s", form->street);
    snprintf(r->submitted_at, sizeof r->submitted_at, "%s", now);
    snprintf(r->updated_at, sizeof r->updated_at, "%s", now);
    r->stage = BS_SUBMITTED;

    /* beside other submissions and staff actions: what this one decides on
     * is the elder's open applications (and a kept reference, the same
     * elder's), so it locks the elder; a new reference is random and
     * unique by index; then the audit head */
    if ((err = store_begin_as(st, STORE_WRITE_SHARED)))
        goto out;
    if ((err = store_lock(st, STORE_LOCK_ELDER, store_lock_key(r->elder_hash, sizeof r->elder_hash))))
        goto fail;
    if (ref[0]) {
        /* a reference given (an application the kiosk kept while the
         * database was away): filed already means done — delivered once */
        struct bed_row same;
        err = bops(st)->get(st, ref, &same);
        if (err == 0) {
            bool mine = !memcmp(same.elder_hash, r->elder_hash, sizeof same.elder_hash);
            secure_wipe(&same, sizeof same);
            err = mine ? 0 : kerr(KERR_EXISTS, "reference %s belongs to another application", ref);
            goto fail;     /* nothing to write either way */
        }
        if (err != KERR_NOTFOUND)
            goto fail;
    }
    struct open_ctx oc = {.hash = r->elder_hash};
    if ((err = bops(st)->by_hash(st, r->elder_hash, find_open, &oc)))
        goto fail;
    if (oc.found) {
        err = kerr(KERR_EXISTS, "this elder already has an open application (%s)", oc.ref);
        goto fail;
    }
    /* 50 random bits: a clash is astronomically rare, but never reuse one */
    if (ref[0])
        snprintf(r->ref, sizeof r->ref, "%s", ref);
    for (int tries = 0; !ref[0]; tries++) {
        struct bed_row other;
        followup_ref_new(r->ref);
        err = bops(st)->get(st, r->ref, &other);
        if (err == KERR_NOTFOUND)
            break;
        if (err)
            goto fail;
        if (tries > 8) {
            err = kerr(KERR_DB, "cannot find an unused reference");
            goto fail;
        }
    }
    /* sealed once the reference is chosen: they are bound to it */
    snprintf(plain, sizeof plain, "%s\t%s", elder, form->elder_name);
    if ((err = seal_text(sec, plain, r->ref, "elder", r->elder_sealed, BED_SEALED_MAX,
                         &r->elder_sealed_len)))
        goto fail;
    if (form->by_agent) {
        snprintf(plain, sizeof plain, "%s\t%s\t%s", agent, form->agent_name, form->agent_phone);
        if ((err = seal_text(sec, plain, r->ref, "agent", r->agent_sealed, BED_SEALED_MAX,
                             &r->agent_sealed_len)))
            goto fail;
    }
    if ((err = seal_text(sec, form->address, r->ref, "address", r->address_sealed,
                         BED_SEALED_MAX, &r->address_sealed_len)))
        goto fail;
    struct bed_hist h = {.stage = BS_SUBMITTED};
    snprintf(h.at, sizeof h.at, "%s", now);
    snprintf(h.actor, sizeof h.actor, "%s", who->name);
    snprintf(h.role, sizeof h.role, "%s", actor_role(who));
    char object[48];
    snprintf(object, sizeof object, "bed %s", r->ref);
    if ((err = bops(st)->insert(st, r)))
        goto fail;
    h.app_id = r->id;
    /* the person index: the console finds the application by name or phone */
    if ((err = person_index_bed(st, sec, r->id, form->elder_name,
                                form->by_agent ? form->agent_name : "",
                                form->by_agent ? form->agent_phone : "")) ||
        (err = bops(st)->history_add(st, &h)) ||
        (err = (r->has_agent ? audit_append(st, sec, who->name, "bed-submit", object,
                                            AD_BED_SUBMIT_AGENT, r->services, now)
                             : audit_append(st, sec, who->name, "bed-submit", object, AD_BED_SUBMIT,
                                            r->services, now))) ||
        (err = store_commit(st)))
        goto fail;
    snprintf(ref, 33, "%s", r->ref);
    goto out;
fail:
    store_rollback(st);
out:
    secure_wipe(plain, sizeof plain);
    secure_wipe(elder, sizeof elder);
    secure_wipe(agent, sizeof agent);
    secure_wipe(r, sizeof *r);
    free(r);
    return err;
}

/* ---- staff steps ---------------------------------------------------------- */

struct provider_ctx {
    struct store *st;
    long want_org;       /* > 0: does this org have an enabled provider? */
    bool has;
    long only_org;       /* the single provider org, -1 when several */
    int n_orgs;
};

static int scan_providers(void *p, const struct staff_row *u)
{
    struct provider_ctx *c = p;
    if (u->disabled || !(u->roles & ROLE_PROVIDER) || !u->org_id)
        return 0;
    if (u->org_id == c->want_org)
        c->has = true;
    if (c->n_orgs == 0) {
        c->only_org = u->org_id;
        c->n_orgs = 1;
    } else if (c->only_org != u->org_id) {
        c->only_org = -1;
        c->n_orgs = 2;
    }
    return 0;
}

struct orgs_ctx {
    struct store *st;
    struct org_row *out;
    int cap, n;
};

static int collect_org(void *p, const struct staff_row *u)
{
    struct orgs_ctx *c = p;
    if (u->disabled || !(u->roles & ROLE_PROVIDER) || !u->org_id || c->n >= c->cap)
        return 0;
    for (int i = 0; i < c->n; i++)
        if (c->out[i].id == u->org_id)
            return 0;
    return c->st->ops->user->org_get(c->st, u->org_id, &c->out[c->n++]);
}

static int cmp_org(const void *a, const void *b)
{
    return strcmp(((const struct org_row *)a)->name, ((const struct org_row *)b)->name);
}

int bed_provider_orgs(struct store *st, struct org_row *out, int cap, int *n)
{
    struct orgs_ctx c = {.st = st, .out = out, .cap = cap};
    *n = 0;
    if (!st->ops->user)
        return kerr(KERR_UNSUPPORTED, "staff accounts are not supported by the %s backend",
                    st->ops->name);
    int err = st->ops->user->each(st, collect_org, &c);
    if (!err)
        qsort(out, (size_t)c.n, sizeof *out, cmp_org);
    *n = err ? 0 : c.n;
    return err;
}

static int pick_provider(struct store *st, const char *name, struct org_row *org)
{
    struct provider_ctx c = {.st = st};
    int err;
    if (name && *name) {
        if ((err = st->ops->user->org_by_name(st, name, org))) {
            struct staff_row u;
            /* a provider's account name is accepted for its organisation too */
            if (err == KERR_NOTFOUND && st->ops->user->get(st, name, &u) == 0 &&
                (u.roles & ROLE_PROVIDER) && u.org_id) {
                long id = u.org_id;
                secure_wipe(&u, sizeof u);
                if ((err = st->ops->user->org_get(st, id, org)))
                    return err;
            } else {
                return err == KERR_NOTFOUND
                           ? kerr(KERR_NOTFOUND, "no provider organisation named %s", name) : err;
            }
        }
        c.want_org = org->id;
        if ((err = st->ops->user->each(st, scan_providers, &c)))
            return err;
        if (!c.has)
            return kerr(KERR_INPUT, "%s has no active provider staff: it cannot build beds",
                        org->name);
        return 0;
    }
    if ((err = st->ops->user->each(st, scan_providers, &c)))
        return err;
    if (c.n_orgs == 0)
        return kerr(KERR_NOTFOUND, "there is no provider organisation (add a provider account)");
    if (c.n_orgs > 1)
        return kerr(KERR_USAGE, "several provider organisations: name one (--provider ORG)");
    return st->ops->user->org_get(st, c.only_org, org);
}

/* Seal an assessment (scored with the configured bands) into r. */
static int store_assessment(const struct secret *sec, const struct kiosk_config *cfg,
                            const struct assessment *in, const char *now, struct bed_row *r)
{
    struct assessment a = *in;
    char text[400];
    int err = assessment_score(&a, cfg ? cfg->level_bands : "90,66,46,30");
    if (err)
        goto out;
    if (!a.assessed_on[0])
        snprintf(a.assessed_on, sizeof a.assessed_on, "%.10s", now);
    int n = assessment_encode(&a, text, sizeof text);
    if (n < 0) {
        err = kerr(KERR_INPUT, "assessment too long to store");
        goto out;
    }
    if ((err = seal_text(sec, text, r->ref, "assessment", r->assessment, BED_SEALED_MAX,
                         &r->assessment_len)))
        goto out;
    snprintf(r->assessed_at, sizeof r->assessed_at, "%s", now);
    add_months(a.assessed_on, cfg && cfg->reassess_months > 0 ? cfg->reassess_months : 12,
               r->reassess_due);
out:
    secure_wipe(text, sizeof text);
    secure_wipe(&a, sizeof a);
    return err;
}

static int record_step(struct store *st, const struct secret *sec, const struct actor *who,
                       struct bed_row *r, int from, int to, const char *role, const char *reason,
                       const char *now, const char *action)
{
    struct bed_hist h = {.app_id = r->id, .stage = to};
    snprintf(h.at, sizeof h.at, "%s", now);
    snprintf(h.actor, sizeof h.actor, "%s", who->name);
    snprintf(h.role, sizeof h.role, "%s", role);
    snprintf(h.reason, sizeof h.reason, "%s", reason ? reason : "");
    snprintf(r->updated_at, sizeof r->updated_at, "%s", now);
    r->stage = to;
    char object[48];
    snprintf(object, sizeof object, "bed %s", r->ref);
    int err;
    if ((err = bops(st)->update(st, r)) || (err = bops(st)->history_add(st, &h)))
        return err;
    /* the reasons the core writes itself are words of their formats (translated
     * whole, audit_detail.h); a reason typed is a value */
    const char *f = bed_stage_name(from), *t = bed_stage_name(to);
    if (!strcmp(h.reason, AD_WHY_REASSESS))
        return audit_append(st, sec, who->name, action, object, AD_BED_REASSESS, f, t, role);
    if (!strcmp(h.reason, AD_WHY_WITHDRAW))
        return audit_append(st, sec, who->name, action, object, AD_BED_WITHDRAW, f, t, role);
    if (h.reason[0])
        return audit_append(st, sec, who->name, action, object, AD_BED_STEP_WHY, f, t, role, h.reason);
    return audit_append(st, sec, who->name, action, object, AD_BED_STEP, f, t, role);
}

int eldercare_advance(struct store *st, const struct secret *sec, const struct kiosk_config *cfg,
                      const struct actor *who, const char *ref, int to, const char *reason,
                      const struct assessment *a, const char *provider_org)
{
    int err = need_backend(st);
    if (err)
        return err;
    if (!stage_ok(to))
        return kerr(KERR_INPUT, "unknown stage %d", to);
    char now[32];
    store_now(now);
    struct bed_row *r = calloc(1, sizeof *r);
    if (!r)
        return KERR_NOMEM;
    if ((err = store_begin(st)))
        goto out;
    if ((err = bops(st)->get(st, ref, r))) {
        if (err == KERR_NOTFOUND)
            err = kerr(KERR_NOTFOUND, "no application %s", ref);
        goto fail;
    }
    if ((err = bed_street_allowed(who, r->street, ref)))
        goto fail;
    int from = r->stage;
    if (!bed_rule_edge(from, to)) {
        err = kerr(KERR_STAGE, "application %s is %s: it cannot move to %s", ref,
                   bed_stage_name(from), bed_stage_name(to));
        goto fail;
    }
    /* the resident's own withdrawal goes through bed_withdraw_by_resident */
    unsigned allowed = bed_rule_roles(from, to) & ~BED_ROLE_RESIDENT;
    if (!(who->roles & allowed)) {
        char need[96], have[96];
        roles_format(allowed, need, sizeof need);
        roles_format(who->roles, have, sizeof have);
        err = kerr(KERR_REFUSED, "%s (%s) may not move %s from %s to %s (needs %s)", who->name,
                   have[0] ? have : "no role", ref, bed_stage_name(from), bed_stage_name(to), need);
        goto fail;
    }
    if (bed_rule_needs_reason(to) && (!reason || !*reason)) {
        err = kerr(KERR_USAGE, "a reason is required to move %s to %s", ref, bed_stage_name(to));
        goto fail;
    }
    const char *role = bed_rule_acting_role(from, to, who->roles & allowed);
    struct org_row org = {0};
    switch (to) {
    case BS_ASSESSED:
        if (!a) {
            err = kerr(KERR_USAGE, "moving %s to assessed needs the assessment", ref);
            goto fail;
        }
        if ((err = store_assessment(sec, cfg, a, now, r)))
            goto fail;
        r->assessed_by = who->user_id;
        break;
    case BS_PROVIDER_ASSIGNED:
        if ((err = pick_provider(st, provider_org, &org)))
            goto fail;
        r->provider_org_id = org.id;
        break;
    case BS_BUILT:
    case BS_IN_SERVICE:
        err = auth_actor_org(st, who, &org);
        if (err && err != KERR_NOTFOUND)
            goto fail;
        if (err || org.id != r->provider_org_id) {
            err = kerr(KERR_REFUSED, "%s is not staff of the provider assigned to %s", who->name,
                       ref);
            goto fail;
        }
        if (to == BS_BUILT) {
            r->built_by = who->user_id;
            r->built_org_id = org.id;
        }
        break;
    case BS_ACCEPTED:
        /* independence: the acceptance check is never done by whoever built
         * the bed, nor by anyone of the organisation that built it */
        err = auth_actor_org(st, who, &org);
        if (err && err != KERR_NOTFOUND)
            goto fail;
        if (who->user_id <= 0 || who->user_id == r->built_by ||
            (err == 0 && org.id == r->built_org_id)) {
            err = kerr(KERR_REFUSED, "%s may not accept %s: the acceptance must be independent "
                       "of the provider that built it", who->name, ref);
            goto fail;
        }
        err = 0;
        r->accepted_by = who->user_id;
        break;
    default:
        break;
    }
    char why[256] = "";
    if (to == BS_PROVIDER_ASSIGNED)
        snprintf(why, sizeof why, "%s%s%s", org.name, reason && *reason ? "; " : "",
                 reason ? reason : "");
    else
        snprintf(why, sizeof why, "%s", reason ? reason : "");
    if ((err = record_step(st, sec, who, r, from, to, role, why, now, "bed-advance")) ||
        (err = store_commit(st)))
        goto fail;
    goto out;
fail:
    store_rollback(st);
out:
    secure_wipe(r, sizeof *r);
    free(r);
    return err;
}

int eldercare_reassess(struct store *st, const struct secret *sec, const struct kiosk_config *cfg,
                       const struct actor *who, const char *ref, const struct assessment *a)
{
    int err = need_backend(st);
    if (err)
        return err;
    if (!(who->roles & ROLE_ASSESSOR))
        return kerr(KERR_REFUSED, "%s may not reassess (needs the assessor role)", who->name);
    if (!a)
        return kerr(KERR_USAGE, "a reassessment needs the assessment");
    char now[32];
    store_now(now);
    struct bed_row *r = calloc(1, sizeof *r);
    if (!r)
        return KERR_NOMEM;
    if ((err = store_begin(st)))
        goto out;
    if ((err = bops(st)->get(st, ref, r))) {
        if (err == KERR_NOTFOUND)
            err = kerr(KERR_NOTFOUND, "no application %s", ref);
        goto fail;
    }
    if ((err = bed_street_allowed(who, r->street, ref)))
        goto fail;
    if (r->stage < BS_ASSESSED || r->stage > BS_IN_SERVICE) {
        err = kerr(KERR_STAGE, "application %s is %s: only assessed to in_service applications "
                   "are reassessed", ref, bed_stage_name(r->stage));
        goto fail;
    }
    if ((err = store_assessment(sec, cfg, a, now, r)))
        goto fail;
    r->assessed_by = who->user_id;
    if ((err = record_step(st, sec, who, r, r->stage, r->stage, "assessor", AD_WHY_REASSESS, now,
                           "bed-reassess")) ||
        (err = store_commit(st)))
        goto fail;
    goto out;
fail:
    store_rollback(st);
out:
    secure_wipe(r, sizeof *r);
    free(r);
    return err;
}

/* ---- withdrawal at the kiosk ---------------------------------------------- */

int bed_withdraw_by_resident(struct store *st, const struct secret *sec, const struct actor *who,
                             const char *ref, const char *id_number)
{
    int err = need_backend(st);
    if (err)
        return err;
    char norm[19];
    const char *why = NULL;
    if (idnum_normalise(id_number, norm, &why) != 0)
        return kerr(KERR_INPUT, "ID number: %s", why ? why : "not valid");
    unsigned char hash[SECRET_HASH_BYTES];
    secret_lookup_hash(sec, norm, hash);
    secure_wipe(norm, sizeof norm);
    char now[32];
    store_now(now);
    struct bed_row *r = calloc(1, sizeof *r);
    if (!r)
        return KERR_NOMEM;
    /* beside other writers: this application is all it decides on (locked
     * before it is read), then the audit head */
    if ((err = store_begin_as(st, STORE_WRITE_SHARED)))
        goto out;
    if ((err = store_lock(st, STORE_LOCK_BED_APP, store_lock_key(ref, strlen(ref)))))
        goto fail;
    if ((err = bops(st)->get(st, ref, r))) {
        if (err == KERR_NOTFOUND)
            err = kerr(KERR_NOTFOUND, "no application %s", ref);
        goto fail;
    }
    bool mine = sodium_memcmp(r->elder_hash, hash, 32) == 0 ||
                (r->has_agent && sodium_memcmp(r->agent_hash, hash, 32) == 0);
    if (!mine) {
        err = kerr(KERR_REFUSED, "application %s is not this card holder's", ref);
        goto fail;
    }
    int from = r->stage;
    if (!(bed_rule_roles(from, BS_WITHDRAWN) & BED_ROLE_RESIDENT)) {
        err = kerr(KERR_STAGE, "application %s is %s: it can no longer be withdrawn", ref,
                   bed_stage_name(from));
        goto fail;
    }
    if ((err = record_step(st, sec, who, r, from, BS_WITHDRAWN, "resident",
                           AD_WHY_WITHDRAW, now, "bed-withdraw")) ||
        (err = store_commit(st)))
        goto fail;
    goto out;
fail:
    store_rollback(st);
out:
    secure_wipe(hash, sizeof hash);
    secure_wipe(r, sizeof *r);
    free(r);
    return err;
}

/* ---- views ---------------------------------------------------------------- */

struct steps_ctx {
    struct bed_view *v;
    struct bed_detail *d;
};

static int collect_step(void *p, const struct bed_hist *h)
{
    struct steps_ctx *c = p;
    struct bed_view *v = c->v;
    /* keep the latest BED_MAX_STEPS: the resident cares about the recent end */
    if (v->n_steps == BED_MAX_STEPS) {
        memmove(v->steps, v->steps + 1, sizeof v->steps[0] * (BED_MAX_STEPS - 1));
        v->n_steps--;
    }
    struct bed_step *s = &v->steps[v->n_steps++];
    s->stage = h->stage;
    snprintf(s->at, sizeof s->at, "%s", h->at);
    snprintf(s->by_role, sizeof s->by_role, "%s", h->role);
    if (c->d) {
        struct bed_detail *d = c->d;
        if (d->n_history == BED_MAX_HISTORY) {
            memmove(d->history, d->history + 1, sizeof d->history[0] * (BED_MAX_HISTORY - 1));
            d->n_history--;
        }
        struct bed_staff_step *t = &d->history[d->n_history++];
        t->stage = h->stage;
        snprintf(t->at, sizeof t->at, "%s", h->at);
        snprintf(t->actor, sizeof t->actor, "%s", h->actor);
        snprintf(t->role, sizeof t->role, "%s", h->role);
        snprintf(t->reason, sizeof t->reason, "%s", h->reason);
    }
    return 0;
}

int bed_contact_phone(struct store *st, const struct secret *sec, const struct actor *who,
                      const char *ref, char *phone, size_t cap)
{
    phone[0] = '\0';
    if (!(who->roles & (ROLE_STREET | ROLE_DISTRICT)))
        return kerr(KERR_REFUSED, "%s may not see contact phones (needs the street or district role)",
                    who->name);
    struct bed_row *r = calloc(1, sizeof *r);
    if (!r)
        return KERR_NOMEM;
    char plain[600] = "";
    /* an audit record only: SHARED, the audit head its one lock */
    int err = store_begin_as(st, STORE_WRITE_SHARED);
    if (err)
        goto out;
    if ((err = bops(st)->get(st, ref, r))) {
        if (err == KERR_NOTFOUND)
            err = kerr(KERR_NOTFOUND, "no application %s", ref);
        goto fail;
    }
    if ((err = bed_street_allowed(who, r->street, ref)))
        goto fail;
    if (!r->has_agent) {   /* filed by the elder: no phone was asked for */
        store_rollback(st);
        goto out;
    }
    char object[48];
    snprintf(object, sizeof object, "bed %s", r->ref);
    if ((err = open_text(sec, r->agent_sealed, r->agent_sealed_len, plain, sizeof plain, r->ref,
                           "agent")) ||
        (err = audit_append(st, sec, who->name, "contact", object, AD_CONTACT)) ||
        (err = store_commit(st)))
        goto fail;
    /* "ID\tNAME\tPHONE" */
    char *t1 = strchr(plain, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
    snprintf(phone, cap, "%s", t2 ? t2 + 1 : "");
    goto out;
fail:
    store_rollback(st);
out:
    secure_wipe(plain, sizeof plain);
    secure_wipe(r, sizeof *r);
    free(r);
    return err;
}

/* Fill a resident view from a row (and the staff detail when d is set). */
static int view_of(struct store *st, const struct secret *sec, const struct bed_row *r,
                   const char *lang, struct bed_view *v, struct bed_detail *d)
{
    memset(v, 0, sizeof *v);
    snprintf(v->ref, sizeof v->ref, "%s", r->ref);
    v->stage = r->stage;
    snprintf(v->stage_label, sizeof v->stage_label, "%s", bed_stage_label(r->stage, lang));
    snprintf(v->submitted_at, sizeof v->submitted_at, "%s", r->submitted_at);
    snprintf(v->responsible, sizeof v->responsible, "%s", bed_stage_responsible(r->stage, lang));
    snprintf(v->next_step, sizeof v->next_step, "%s",
             stage_ok(r->stage) ? (en(lang) ? next_en[r->stage] : next_zh[r->stage]) : "");
    char plain[600];
    int err = open_text(sec, r->elder_sealed, r->elder_sealed_len, plain, sizeof plain, r->ref,
                        "elder");
    if (err)
        return err;
    char *tab = strchr(plain, '\t');
    if (tab)
        *tab = '\0';
    idnum_mask(plain, v->elder_id_masked, sizeof v->elder_id_masked);
    name_mask(tab ? tab + 1 : "", v->elder_name_masked, sizeof v->elder_name_masked);
    v->by_agent = r->has_agent;
    if (r->has_agent) {
        if ((err = open_text(sec, r->agent_sealed, r->agent_sealed_len, plain, sizeof plain,
                             r->ref, "agent")))
            goto out;
        char *name = strchr(plain, '\t');
        char *phone = name ? strchr(name + 1, '\t') : NULL;
        if (phone)
            *phone = '\0';
        name_mask(name ? name + 1 : "", v->agent_name_masked, sizeof v->agent_name_masked);
    }
    if (r->provider_org_id > 0 && r->stage != BS_REJECTED) {
        struct org_row o;
        if (st->ops->user && st->ops->user->org_get(st, r->provider_org_id, &o) == 0) {
            snprintf(v->provider_name, sizeof v->provider_name, "%s", o.name);
            snprintf(v->provider_phone, sizeof v->provider_phone, "%s", o.phone);
        }
    }
    if (r->assessment_len > 0) {
        /* the level word is the only thing of the assessment that leaves here */
        struct assessment a;
        if ((err = open_text(sec, r->assessment, r->assessment_len, plain, sizeof plain, r->ref,
                               "assessment")))
            goto out;
        if ((err = assessment_decode(plain, &a)) == 0)
            snprintf(v->level_word, sizeof v->level_word, "%s",
                     assessment_level_word(a.level, lang));
        secure_wipe(&a, sizeof a);
        if (err)
            goto out;
    }
    snprintf(v->reassess_by, sizeof v->reassess_by, "%s", r->reassess_due);
    v->reassessment_due = due(r);
    v->can_withdraw = bed_rule_roles(r->stage, BS_WITHDRAWN) & BED_ROLE_RESIDENT;
    struct steps_ctx sc = {.v = v, .d = d};
    err = bops(st)->history(st, r->id, collect_step, &sc);
out:
    secure_wipe(plain, sizeof plain);
    return err;
}

struct lookup_ctx {
    struct store *st;
    const struct secret *sec;
    const char *lang;
    struct bed_view *out;
    int cap, n, err;
};

static int add_view(void *p, const struct bed_row *r)
{
    struct lookup_ctx *c = p;
    if (c->n >= c->cap)
        return 0;
    int err = view_of(c->st, c->sec, r, c->lang, &c->out[c->n], NULL);
    if (err)
        return err;
    c->n++;
    return 0;
}

int bed_lookup_hash(struct store *st, const struct secret *sec, const unsigned char hash[32],
                    const char *lang, struct bed_view *out, int cap, int *n)
{
    *n = 0;
    int err = need_backend(st);
    if (err)
        return err;
    struct lookup_ctx c = {.st = st, .sec = sec, .lang = lang, .out = out, .cap = cap};
    err = bops(st)->by_hash(st, hash, add_view, &c);
    *n = c.n;
    if (err)
        bed_view_wipe(out, c.n);
    return err;
}

int bed_lookup_id(struct store *st, const struct secret *sec, const char *id_number,
                  const char *lang, struct bed_view *out, int cap, int *n)
{
    *n = 0;
    char norm[19];
    const char *why = NULL;
    if (idnum_normalise(id_number, norm, &why) != 0)
        return kerr(KERR_INPUT, "ID number: %s", why ? why : "not valid");
    unsigned char hash[SECRET_HASH_BYTES];
    secret_lookup_hash(sec, norm, hash);
    secure_wipe(norm, sizeof norm);
    int err = bed_lookup_hash(st, sec, hash, lang, out, cap, n);
    secure_wipe(hash, sizeof hash);
    return err;
}

void bed_view_wipe(struct bed_view *v, int n)
{
    if (v && n > 0)
        secure_wipe(v, sizeof *v * (size_t)n);
}

struct list_ctx {
    struct store *st;
    int (*cb)(void *ctx, const struct bed_summary *s);
    void *ctx;
};

static int list_one(void *p, const struct bed_row *r)
{
    struct list_ctx *c = p;
    struct bed_summary s = {.stage = r->stage, .by_agent = r->has_agent, .services = r->services};
    snprintf(s.ref, sizeof s.ref, "%s", r->ref);
    snprintf(s.submitted_at, sizeof s.submitted_at, "%s", r->submitted_at);
    snprintf(s.updated_at, sizeof s.updated_at, "%s", r->updated_at);
    snprintf(s.reassess_by, sizeof s.reassess_by, "%s", r->reassess_due);
    s.reassessment_due = due(r);
    /* read with the row (bed_engine.c list_page): no statement per row */
    snprintf(s.provider_name, sizeof s.provider_name, "%s", r->provider_name);
    snprintf(s.street, sizeof s.street, "%s", r->street);
    return c->cb(c->ctx, &s);
}

int bed_list_street(struct store *st, int stage, const char *street,
                    int (*cb)(void *ctx, const struct bed_summary *s), void *ctx)
{
    int err = need_backend(st);
    if (err)
        return err;
    struct list_ctx c = {.st = st, .cb = cb, .ctx = ctx};
    return bops(st)->list(st, stage, street, list_one, &c);
}

int bed_list(struct store *st, int stage, int (*cb)(void *ctx, const struct bed_summary *s),
             void *ctx)
{
    return bed_list_street(st, stage, NULL, cb, ctx);
}

/* ---- streets ---------------------------------------------------------------- */

const char *bed_actor_street(const struct actor *who)
{
    if (!who || !who->street[0] || (who->roles & (ROLE_DISTRICT | ROLE_ADMIN)))
        return NULL;
    return who->street;
}

int bed_street_allowed(const struct actor *who, const char *street, const char *ref)
{
    const char *mine = bed_actor_street(who);
    if (!mine || !strcmp(mine, street))
        return 0;
    return kerr(KERR_REFUSED, "application %s belongs to %s, not to %s's street (%s)", ref,
                street[0] ? street : "no street", who->name, mine);
}

int bed_move_street(struct store *st, const struct secret *sec, const struct kiosk_config *cfg,
                    const struct actor *who, const char *ref, const char *street)
{
    int err = need_backend(st);
    if (err)
        return err;
    if (!(who->roles & (ROLE_DISTRICT | ROLE_ADMIN)))
        return kerr(KERR_REFUSED, "%s may not move applications to another street (needs the "
                    "district or admin role)", who->name);
    if ((err = config_street_check(cfg, street)))
        return err;
    struct bed_row *r = calloc(1, sizeof *r);
    if (!r)
        return KERR_NOMEM;
    char object[48], old[64];
    /* this application is all it decides on (locked before it is read),
     * then the audit head, as a withdrawal */
    if ((err = store_begin_as(st, STORE_WRITE_SHARED)))
        goto out;
    if ((err = store_lock(st, STORE_LOCK_BED_APP, store_lock_key(ref, strlen(ref)))))
        goto fail;
    if ((err = bops(st)->get(st, ref, r))) {
        if (err == KERR_NOTFOUND)
            err = kerr(KERR_NOTFOUND, "no application %s", ref);
        goto fail;
    }
    if (!strcmp(r->street, street)) {   /* already there: nothing to record */
        store_rollback(st);
        goto out;
    }
    snprintf(old, sizeof old, "%s", r->street);
    snprintf(r->street, sizeof r->street, "%s", street);
    snprintf(object, sizeof object, "bed %s", r->ref);
    if ((err = bops(st)->update(st, r)) ||
        (err = audit_append(st, sec, who->name, "bed-street", object, AD_STREET_MOVE,
                            old[0] ? old : "(none)", street[0] ? street : "(none)")) ||
        (err = store_commit(st)))
        goto fail;
    goto out;
fail:
    store_rollback(st);
out:
    secure_wipe(r, sizeof *r);
    free(r);
    return err;
}

int bed_show(struct store *st, const struct secret *sec, const char *ref, const char *lang,
             struct bed_detail *out)
{
    return bed_show_as(st, sec, NULL, ref, lang, out);
}

int bed_show_as(struct store *st, const struct secret *sec, const struct actor *who,
                const char *ref, const char *lang, struct bed_detail *out)
{
    int err = need_backend(st);
    if (err)
        return err;
    memset(out, 0, sizeof *out);
    struct bed_row *r = calloc(1, sizeof *r);
    if (!r)
        return KERR_NOMEM;
    err = bops(st)->get(st, ref, r);
    if (err == KERR_NOTFOUND)
        err = kerr(KERR_NOTFOUND, "no application %s", ref);
    if (!err)
        err = bed_street_allowed(who, r->street, ref);
    if (!err)
        err = view_of(st, sec, r, lang, &out->view, out);
    if (!err) {
        snprintf(out->street, sizeof out->street, "%s", r->street);
        out->services = r->services;
        snprintf(out->consent_at, sizeof out->consent_at, "%s", r->consent_at);
        snprintf(out->kiosk_id, sizeof out->kiosk_id, "%s", r->kiosk_id);
    } else {
        secure_wipe(out, sizeof *out);
    }
    secure_wipe(r, sizeof *r);
    free(r);
    return err;
}
