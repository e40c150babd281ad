/* test_eldercare.c — home-care-bed applications (kiosk/eldercare.c) on a
 * real SQLite database: the whole role × from-stage × to-stage matrix
 * against an independent table, refusals that change nothing (stage,
 * history, audit), the provider and independent-acceptance rules, reasons,
 * filing rules, the resident's withdrawal and view, reassessment due, and
 * the database file holding no plaintext identity or diagnosis. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "kiosk/assessment.h"
#include "kiosk/audit.h"
#include "kiosk/auth.h"
#include "kiosk/bed_rules.h"
#include "kiosk/store/bed_store.h"
#include "kiosk/config.h"
#include "kiosk/eldercare.h"
#include "kiosk/err.h"
#include "kiosk/followup.h"
#include "kiosk/idnum.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"
#include "testdb.h"

/* The expected rules, written out independently of bed_rules.c: one line
 * per allowed step.  Any cell of the implementation that differs fails. */
#define RES BED_ROLE_RESIDENT
static const struct { int from, to; unsigned roles; } expected[] = {
    {BS_SUBMITTED, BS_STREET_APPROVED, ROLE_STREET},
    {BS_SUBMITTED, BS_REJECTED, ROLE_STREET},
    {BS_STREET_APPROVED, BS_DISTRICT_APPROVED, ROLE_DISTRICT},
    {BS_STREET_APPROVED, BS_REJECTED, ROLE_DISTRICT},
    {BS_DISTRICT_APPROVED, BS_ASSESSED, ROLE_ASSESSOR},
    {BS_ASSESSED, BS_PROVIDER_ASSIGNED, ROLE_DISTRICT | ROLE_STREET},
    {BS_PROVIDER_ASSIGNED, BS_BUILT, ROLE_PROVIDER},
    {BS_BUILT, BS_ACCEPTED, ROLE_ASSESSOR},
    {BS_ACCEPTED, BS_IN_SERVICE, ROLE_PROVIDER},
    {BS_IN_SERVICE, BS_EXITED, ROLE_STREET | ROLE_DISTRICT},
    {BS_SUBMITTED, BS_WITHDRAWN, ROLE_STREET | RES},
    {BS_STREET_APPROVED, BS_WITHDRAWN, ROLE_STREET | RES},
    {BS_DISTRICT_APPROVED, BS_WITHDRAWN, ROLE_STREET | RES},
    {BS_ASSESSED, BS_WITHDRAWN, ROLE_STREET | RES},
    {BS_PROVIDER_ASSIGNED, BS_WITHDRAWN, ROLE_STREET | RES},
    {BS_BUILT, BS_WITHDRAWN, ROLE_STREET | RES},
    {BS_ACCEPTED, BS_WITHDRAWN, ROLE_STREET | RES},
};
#define N_EXPECTED (int)(sizeof expected / sizeof expected[0])

static unsigned expect_roles(int from, int to)
{
    for (int i = 0; i < N_EXPECTED; i++)
        if (expected[i].from == from && expected[i].to == to)
            return expected[i].roles;
    return 0;
}

enum { U_STREET, U_DISTRICT, U_ASSESSOR, U_PROVIDER, U_HOUSING, U_ADMIN, U_PROVIDER2,
       U_ASSESSOR_P1, U_PROV_ASSESS, U__COUNT };
static const struct { const char *name; unsigned roles; const char *org; } users[U__COUNT] = {
    {"street1", ROLE_STREET, NULL},
    {"district1", ROLE_DISTRICT, NULL},
    {"assessor1", ROLE_ASSESSOR, "独立评估所"},
    {"provider1", ROLE_PROVIDER, "康乐服务中心"},
    {"housing1", ROLE_HOUSING, NULL},
    {"admin1", ROLE_ADMIN, NULL},
    {"provider2", ROLE_PROVIDER, "颐年服务公司"},
    {"assessor-p1", ROLE_ASSESSOR, "康乐服务中心"},      /* works for the builder */
    {"provassess", ROLE_PROVIDER | ROLE_ASSESSOR, "康乐服务中心"},
};

struct fx {
    char dir[64];
    char db[256];      /* SQLite file or postgresql://… (testdb.h) */
    struct store *st;
    struct secret *sec;
    struct kiosk_config cfg;
    struct actor u[U__COUNT];
    struct actor resident;
    int next_elder;
};

static void elder_id(int i, char out[19])
{
    char first17[32];
    snprintf(first17, sizeof first17, "440303%04d%02d%02d%03d", 1940 + i % 20, 1 + i % 12,
             1 + i % 28, (i % 1000 + 1000) % 1000);
    first17[17] = '\0';
    snprintf(out, 19, "%.17s%c", first17, idnum_check_char(first17));
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/test_eldercare_XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    char key[160];
    snprintf(key, sizeof key, "%s/k.db.key", f->dir);
    /* a new SQLite file or PostgreSQL schema (testdb.h: the contract suite) */
    if (testdb_create(f->dir, f->db, sizeof f->db) || secret_create(key) ||
        secret_load(key, &f->sec) || testdb_store(f->db, &f->st))
        return -1;
    unsetenv("KIOSK_NOW");
    config_defaults(&f->cfg);
    struct actor admin = {.name = "setup", .roles = ROLE_ADMIN};
    for (int i = 0; i < U__COUNT; i++) {
        long id = 0;
        if (auth_user_add(f->st, f->sec, &admin, users[i].name, users[i].roles, "password-123",
                          users[i].org, "0755-0000", &id))
            return -1;
        snprintf(f->u[i].name, sizeof f->u[i].name, "%s", users[i].name);
        f->u[i].roles = users[i].roles;
        f->u[i].user_id = id;
    }
    snprintf(f->resident.name, sizeof f->resident.name, "resident@T1");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_close(&f->st);
    secret_free(&f->sec);
    testdb_drop(f->db);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    if (system(cmd) != 0)
        return -1;
    unsetenv("KIOSK_NOW");
    free(f);
    return 0;
}

static void good_assessment(struct assessment *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < ASSESS_ITEMS; i++)
        a->score[i] = assessment_item_max(i) / 2;    /* 43: 重度 */
    a->dementia = true;                              /* → 完全 */
    snprintf(a->diagnoses, sizeof a->diagnoses, "阿尔茨海默病QZX");
}

static void form_for(int i, struct bed_form *form)
{
    memset(form, 0, sizeof *form);
    elder_id(i, form->elder_id);
    snprintf(form->elder_name, sizeof form->elder_name, "测试长者%d", i);
    snprintf(form->address, sizeof form->address, "罗湖区测试路%d号", i);
    form->services = BED_SVC_CARE_BED | BED_SVC_ALARM;
    form->consent = true;
    snprintf(form->kiosk_id, sizeof form->kiosk_id, "T1");
}

static void submit_new(struct fx *f, char ref[33], int *elder)
{
    struct bed_form form;
    int i = f->next_elder++;
    form_for(i, &form);
    assert_int_equal(bed_submit(f->st, f->sec, &f->resident, &form, ref), 0);
    if (elder)
        *elder = i;
}

static int advance(struct fx *f, int user, const char *ref, int to)
{
    struct assessment a;
    good_assessment(&a);
    return eldercare_advance(f->st, f->sec, &f->cfg, &f->u[user], ref, to, "a reason", &a,
                             "康乐服务中心");
}

/* A new application brought to stage s by the legal path. */
static void app_at(struct fx *f, int s, char ref[33])
{
    submit_new(f, ref, NULL);
    static const struct { int to, user; } path[] = {
        {BS_STREET_APPROVED, U_STREET}, {BS_DISTRICT_APPROVED, U_DISTRICT},
        {BS_ASSESSED, U_ASSESSOR},      {BS_PROVIDER_ASSIGNED, U_DISTRICT},
        {BS_BUILT, U_PROVIDER},         {BS_ACCEPTED, U_ASSESSOR},
        {BS_IN_SERVICE, U_PROVIDER},    {BS_EXITED, U_STREET},
    };
    if (s == BS_REJECTED) {
        assert_int_equal(advance(f, U_STREET, ref, BS_REJECTED), 0);
        return;
    }
    if (s == BS_WITHDRAWN) {
        assert_int_equal(advance(f, U_STREET, ref, BS_WITHDRAWN), 0);
        return;
    }
    for (size_t k = 0; k < sizeof path / sizeof path[0] && path[k].to <= s; k++)
        assert_int_equal(advance(f, path[k].user, ref, path[k].to), 0);
}

struct counts {
    int stage;
    long long history, audit;
};

static int count_hist(void *p, const struct bed_hist *h)
{
    (void)h;
    (*(long long *)p)++;
    return 0;
}

static struct counts counts_of(struct fx *f, const char *ref)
{
    struct counts c = {0};
    struct bed_detail *d = calloc(1, sizeof *d);
    assert_int_equal(bed_show(f->st, f->sec, ref, "zh", d), 0);
    c.stage = d->view.stage;
    free(d);
    /* history rows straight from the store, not capped like the view */
    struct bed_row *r = calloc(1, sizeof *r);
    assert_int_equal(f->st->ops->bed->get(f->st, ref, r), 0);
    assert_int_equal(f->st->ops->bed->history(f->st, r->id, count_hist, &c.history), 0);
    free(r);
    struct audit_rec a;
    c.audit = f->st->ops->audit_last(f->st, &a) == 0 ? a.seq : 0;
    return c;
}

static void assert_unchanged(struct fx *f, const char *ref, struct counts before)
{
    struct counts after = counts_of(f, ref);
    assert_int_equal(after.stage, before.stage);
    assert_int_equal(after.history, before.history);
    assert_int_equal(after.audit, before.audit);
}

/* ---- the matrix ----------------------------------------------------------- */

static void test_rules_table(void **state)
{
    (void)state;
    static const unsigned bits[] = {ROLE_STREET, ROLE_DISTRICT, ROLE_ASSESSOR, ROLE_PROVIDER,
                                    ROLE_HOUSING, ROLE_ADMIN, RES};
    int allowed = 0;
    for (int from = 0; from < BS__COUNT; from++)
        for (int to = 0; to < BS__COUNT; to++) {
            for (size_t b = 0; b < sizeof bits / sizeof bits[0]; b++) {
                bool want = expect_roles(from, to) & bits[b];
                bool got = bed_rule_roles(from, to) & bits[b];
                if (want != got)
                    fail_msg("rule %s -> %s for role bit %#x: want %d got %d",
                             bed_stage_name(from), bed_stage_name(to), bits[b], want, got);
                allowed += got;
            }
            assert_int_equal(bed_rule_needs_reason(to),
                             to == BS_REJECTED || to == BS_EXITED || to == BS_WITHDRAWN);
        }
    assert_int_equal(allowed, 26);   /* the role-cells of the table above */
}

static void test_matrix_on_database(void **state)
{
    struct fx *f = *state;
    static const int roles[] = {U_STREET, U_DISTRICT, U_ASSESSOR, U_PROVIDER, U_HOUSING, U_ADMIN};
    int ok = 0, refused = 0;
    for (int from = 0; from < BS__COUNT; from++) {
        char base[33];
        app_at(f, from, base);         /* refusals are tried on this one */
        for (size_t r = 0; r < sizeof roles / sizeof roles[0]; r++) {
            int u = roles[r];
            for (int to = 0; to < BS__COUNT; to++) {
                unsigned want = expect_roles(from, to) & f->u[u].roles;
                if (want) {
                    char ref[33];
                    app_at(f, from, ref);
                    struct counts c = counts_of(f, ref);
                    int err = advance(f, u, ref, to);
                    if (err)
                        fail_msg("%s %s -> %s: refused (%d: %s)", users[u].name,
                                 bed_stage_name(from), bed_stage_name(to), err, kerr_detail());
                    struct counts d = counts_of(f, ref);
                    assert_int_equal(d.stage, to);
                    assert_int_equal(d.history, c.history + 1);
                    assert_int_equal(d.audit, c.audit + 1);
                    ok++;
                } else {
                    struct counts c = counts_of(f, base);
                    int err = advance(f, u, base, to);
                    int expect_err = expect_roles(from, to) ? KERR_REFUSED : KERR_STAGE;
                    if (err != expect_err)
                        fail_msg("%s %s -> %s: got %d, want %d", users[u].name,
                                 bed_stage_name(from), bed_stage_name(to), err, expect_err);
                    assert_unchanged(f, base, c);
                    refused++;
                }
            }
        }
        /* the resident at the kiosk: only withdrawal, only before in_service */
        char id[19], ref[33];
        app_at(f, from, ref);
        elder_id(f->next_elder - 1, id);
        struct counts c = counts_of(f, ref);
        int err = bed_withdraw_by_resident(f->st, f->sec, &f->resident, ref, id);
        if (expect_roles(from, BS_WITHDRAWN) & RES) {
            assert_int_equal(err, 0);
            assert_int_equal(counts_of(f, ref).stage, BS_WITHDRAWN);
        } else {
            assert_int_equal(err, KERR_STAGE);
            assert_unchanged(f, ref, c);
        }
        /* a resident actor through the staff path is never allowed */
        for (int to = 0; to < BS__COUNT; to++) {
            struct counts c0 = counts_of(f, base);
            struct assessment a;
            good_assessment(&a);
            err = eldercare_advance(f->st, f->sec, &f->cfg, &f->resident, base, to, "why", &a,
                                    "康乐服务中心");
            assert_int_equal(err, expect_roles(from, to) ? KERR_REFUSED : KERR_STAGE);
            assert_unchanged(f, base, c0);
        }
    }
    int want_ok = 0;
    for (int i = 0; i < N_EXPECTED; i++)
        for (size_t r = 0; r < sizeof roles / sizeof roles[0]; r++)
            want_ok += (expected[i].roles & users[roles[r]].roles) != 0;
    printf("# matrix: %d allowed cells done, %d refused cells left everything unchanged\n", ok,
           refused);
    assert_int_equal(ok, want_ok);
    assert_int_equal(ok + refused, BS__COUNT * BS__COUNT * 6);
    long long n, bad;
    assert_int_equal(audit_verify(f->st, f->sec, &n, &bad), 0);
}

/* ---- provider, independence, reasons -------------------------------------- */

static void test_provider_and_independence(void **state)
{
    struct fx *f = *state;
    char ref[33];
    app_at(f, BS_PROVIDER_ASSIGNED, ref);     /* assigned to 康乐服务中心 */
    struct counts c = counts_of(f, ref);
    /* another provider's staff may not build it */
    assert_int_equal(advance(f, U_PROVIDER2, ref, BS_BUILT), KERR_REFUSED);
    assert_unchanged(f, ref, c);
    /* built by a member of the assigned organisation who is also an assessor */
    assert_int_equal(advance(f, U_PROV_ASSESS, ref, BS_BUILT), 0);
    c = counts_of(f, ref);
    /* the builder may not accept it, nor an assessor of the same organisation */
    assert_int_equal(advance(f, U_PROV_ASSESS, ref, BS_ACCEPTED), KERR_REFUSED);
    assert_non_null(strstr(kerr_detail(), "independent"));
    assert_int_equal(advance(f, U_ASSESSOR_P1, ref, BS_ACCEPTED), KERR_REFUSED);
    assert_unchanged(f, ref, c);
    /* an independent assessor may */
    assert_int_equal(advance(f, U_ASSESSOR, ref, BS_ACCEPTED), 0);
    /* only the assigned provider starts the service */
    c = counts_of(f, ref);
    assert_int_equal(advance(f, U_PROVIDER2, ref, BS_IN_SERVICE), KERR_REFUSED);
    assert_unchanged(f, ref, c);
    assert_int_equal(advance(f, U_PROVIDER, ref, BS_IN_SERVICE), 0);

    /* provider assignment: unknown organisation, one without providers */
    app_at(f, BS_ASSESSED, ref);
    c = counts_of(f, ref);
    assert_int_equal(eldercare_advance(f->st, f->sec, &f->cfg, &f->u[U_DISTRICT], ref,
                                       BS_PROVIDER_ASSIGNED, NULL, NULL, "没有这个机构"),
                     KERR_NOTFOUND);
    assert_int_equal(eldercare_advance(f->st, f->sec, &f->cfg, &f->u[U_DISTRICT], ref,
                                       BS_PROVIDER_ASSIGNED, NULL, NULL, "独立评估所"), KERR_INPUT);
    /* two provider organisations exist: one must be named */
    assert_int_equal(eldercare_advance(f->st, f->sec, &f->cfg, &f->u[U_DISTRICT], ref,
                                       BS_PROVIDER_ASSIGNED, NULL, NULL, NULL), KERR_USAGE);
    assert_unchanged(f, ref, c);
    /* a provider's account name stands for its organisation */
    assert_int_equal(eldercare_advance(f->st, f->sec, &f->cfg, &f->u[U_STREET], ref,
                                       BS_PROVIDER_ASSIGNED, NULL, NULL, "provider2"), 0);
    struct bed_detail *d = calloc(1, sizeof *d);
    assert_int_equal(bed_show(f->st, f->sec, ref, "zh", d), 0);
    assert_string_equal(d->view.provider_name, "颐年服务公司");
    assert_string_equal(d->view.provider_phone, "0755-0000");
    free(d);
}

static void test_reasons_and_assessment_required(void **state)
{
    struct fx *f = *state;
    static const struct { int from, user, to; } steps[] = {
        {BS_SUBMITTED, U_STREET, BS_REJECTED},     {BS_STREET_APPROVED, U_DISTRICT, BS_REJECTED},
        {BS_IN_SERVICE, U_DISTRICT, BS_EXITED},    {BS_BUILT, U_STREET, BS_WITHDRAWN},
    };
    for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
        char ref[33];
        app_at(f, steps[k].from, ref);
        struct counts c = counts_of(f, ref);
        assert_int_equal(eldercare_advance(f->st, f->sec, &f->cfg, &f->u[steps[k].user], ref,
                                           steps[k].to, NULL, NULL, NULL), KERR_USAGE);
        assert_int_equal(eldercare_advance(f->st, f->sec, &f->cfg, &f->u[steps[k].user], ref,
                                           steps[k].to, "", NULL, NULL), KERR_USAGE);
        assert_unchanged(f, ref, c);
        assert_int_equal(eldercare_advance(f->st, f->sec, &f->cfg, &f->u[steps[k].user], ref,
                                           steps[k].to, "去世", NULL, NULL), 0);
        struct bed_detail *d = calloc(1, sizeof *d);
        assert_int_equal(bed_show(f->st, f->sec, ref, "en", d), 0);
        assert_string_equal(d->history[d->n_history - 1].reason, "去世");
        assert_string_equal(d->history[d->n_history - 1].actor, users[steps[k].user].name);
        free(d);
    }
    char ref[33];
    app_at(f, BS_DISTRICT_APPROVED, ref);
    struct counts c = counts_of(f, ref);
    assert_int_equal(eldercare_advance(f->st, f->sec, &f->cfg, &f->u[U_ASSESSOR], ref, BS_ASSESSED,
                                       NULL, NULL, NULL), KERR_USAGE);
    struct assessment a;
    good_assessment(&a);
    a.score[0] = 9;
    assert_int_equal(eldercare_advance(f->st, f->sec, &f->cfg, &f->u[U_ASSESSOR], ref, BS_ASSESSED,
                                       NULL, &a, NULL), KERR_INPUT);
    assert_unchanged(f, ref, c);
    assert_int_equal(eldercare_advance(f->st, f->sec, &f->cfg, &f->u[U_ASSESSOR], ref, 99,
                                       NULL, &a, NULL), KERR_INPUT);
    assert_int_equal(eldercare_advance(f->st, f->sec, &f->cfg, &f->u[U_ASSESSOR], "NO-SUCH",
                                       BS_ASSESSED, NULL, &a, NULL), KERR_NOTFOUND);
}

/* ---- filing, withdrawal, views -------------------------------------------- */

static void test_submit_rules(void **state)
{
    struct fx *f = *state;
    struct bed_form form;
    char ref[33], ref2[33];
    form_for(500, &form);
    form.consent = false;
    assert_int_equal(bed_submit(f->st, f->sec, &f->resident, &form, ref), KERR_INPUT);
    form_for(500, &form);
    form.services = 0;
    assert_int_equal(bed_submit(f->st, f->sec, &f->resident, &form, ref), KERR_INPUT);
    form_for(500, &form);
    snprintf(form.elder_id, sizeof form.elder_id, "440303199001011234");
    assert_int_equal(bed_submit(f->st, f->sec, &f->resident, &form, ref), KERR_INPUT);
    form_for(500, &form);
    form.by_agent = true;
    elder_id(501, form.agent_id);
    snprintf(form.agent_name, sizeof form.agent_name, "家属乙");
    snprintf(form.agent_phone, sizeof form.agent_phone, "13x");
    assert_int_equal(bed_submit(f->st, f->sec, &f->resident, &form, ref), KERR_INPUT);
    snprintf(form.agent_phone, sizeof form.agent_phone, "13912345678");
    assert_int_equal(bed_submit(f->st, f->sec, &f->resident, &form, ref), 0);
    assert_true(followup_ref_valid(ref) && strlen(ref) == FOLLOWUP_REF_LEN);
    /* one open application per elder */
    assert_int_equal(bed_submit(f->st, f->sec, &f->resident, &form, ref2), KERR_EXISTS);
    /* the agent finds it by their own card too, and may withdraw it */
    char agent[19];
    elder_id(501, agent);
    struct bed_view v[4];
    int n = 0;
    assert_int_equal(bed_lookup_id(f->st, f->sec, agent, "zh", v, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_true(v[0].by_agent);
    assert_string_equal(v[0].agent_name_masked, "家*乙");
    char stranger[19];
    elder_id(777, stranger);
    struct counts c = counts_of(f, ref);
    assert_int_equal(bed_withdraw_by_resident(f->st, f->sec, &f->resident, ref, stranger),
                     KERR_REFUSED);
    assert_unchanged(f, ref, c);
    assert_int_equal(bed_withdraw_by_resident(f->st, f->sec, &f->resident, ref, agent), 0);
    /* closed: a new application may be filed */
    assert_int_equal(bed_submit(f->st, f->sec, &f->resident, &form, ref2), 0);
    assert_string_not_equal(ref, ref2);
}

static void test_resident_view(void **state)
{
    struct fx *f = *state;
    char ref[33];
    setenv("KIOSK_NOW", "2030-03-31 09:00:00", 1);
    app_at(f, BS_IN_SERVICE, ref);
    int elder = f->next_elder - 1;
    char id[19];
    elder_id(elder, id);
    struct bed_view v[4];
    int n = 0;
    assert_int_equal(bed_lookup_id(f->st, f->sec, id, "zh", v, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].ref, ref);
    assert_int_equal(v[0].stage, BS_IN_SERVICE);
    assert_string_equal(v[0].stage_label, "服务中");
    /* 43 points → 重度, dementia → 完全 */
    assert_string_equal(v[0].level_word, "完全失能");
    assert_string_equal(v[0].provider_name, "康乐服务中心");
    assert_string_equal(v[0].provider_phone, "0755-0000");
    assert_null(strstr(v[0].elder_name_masked, "长者"));
    assert_non_null(strstr(v[0].elder_id_masked, "****"));
    assert_false(v[0].can_withdraw);
    assert_int_equal(v[0].n_steps, 8);
    assert_string_equal(v[0].steps[0].by_role, "resident");
    assert_string_equal(v[0].steps[7].by_role, "provider");
    for (int k = 0; k < v[0].n_steps; k++)
        assert_null(strstr(v[0].steps[k].by_role, "1"));    /* never an account name */
    /* due a year after the assessment (31 March → 31 March next year) */
    assert_string_equal(v[0].reassess_by, "2031-03-31");
    assert_false(v[0].reassessment_due);
    setenv("KIOSK_NOW", "2031-03-31 08:00:00", 1);
    assert_int_equal(bed_lookup_id(f->st, f->sec, id, "en", v, 4, &n), 0);
    assert_true(v[0].reassessment_due);
    assert_string_equal(v[0].level_word, "complete disability");
    /* reassessment moves the due date, keeps the stage */
    struct assessment a;
    good_assessment(&a);
    a.dementia = false;
    struct counts c = counts_of(f, ref);
    assert_int_equal(eldercare_reassess(f->st, f->sec, &f->cfg, &f->u[U_PROVIDER], ref, &a),
                     KERR_REFUSED);
    assert_unchanged(f, ref, c);
    assert_int_equal(eldercare_reassess(f->st, f->sec, &f->cfg, &f->u[U_ASSESSOR], ref, &a), 0);
    assert_int_equal(bed_lookup_id(f->st, f->sec, id, "zh", v, 4, &n), 0);
    assert_false(v[0].reassessment_due);
    assert_string_equal(v[0].reassess_by, "2032-03-31");
    assert_string_equal(v[0].level_word, "重度失能");
    assert_int_equal(v[0].stage, BS_IN_SERVICE);
    /* config: reassess every 6 months; a 31 August assessment is due by 28 February */
    f->cfg.reassess_months = 6;
    setenv("KIOSK_NOW", "2031-08-31 10:00:00", 1);
    assert_int_equal(eldercare_reassess(f->st, f->sec, &f->cfg, &f->u[U_ASSESSOR], ref, &a), 0);
    assert_int_equal(bed_lookup_id(f->st, f->sec, id, "zh", v, 4, &n), 0);
    assert_string_equal(v[0].reassess_by, "2032-02-29");
    bed_view_wipe(v, 4);
    /* unknown people: nothing, no error */
    char other[19];
    elder_id(900, other);
    assert_int_equal(bed_lookup_id(f->st, f->sec, other, "zh", v, 4, &n), 0);
    assert_int_equal(n, 0);
}

/* ---- no plaintext in the database ----------------------------------------- */

static void test_no_plaintext_in_file(void **state)
{
    struct fx *f = *state;
    struct bed_form form;
    form_for(321, &form);
    snprintf(form.elder_name, sizeof form.elder_name, "欧阳秘密");
    snprintf(form.address, sizeof form.address, "秘密路88号");
    form.by_agent = true;
    elder_id(322, form.agent_id);
    snprintf(form.agent_name, sizeof form.agent_name, "司马家属");
    snprintf(form.agent_phone, sizeof form.agent_phone, "13987654321");
    char ref[33];
    assert_int_equal(bed_submit(f->st, f->sec, &f->resident, &form, ref), 0);
    static const struct { int to, user; } path[] = {
        {BS_STREET_APPROVED, U_STREET}, {BS_DISTRICT_APPROVED, U_DISTRICT},
        {BS_ASSESSED, U_ASSESSOR}};
    for (size_t k = 0; k < 3; k++)
        assert_int_equal(advance(f, path[k].user, ref, path[k].to), 0);
    /* the level word of this assessment must not be on disk either */
    struct bed_view v;
    int n;
    assert_int_equal(bed_lookup_id(f->st, f->sec, form.elder_id, "zh", &v, 1, &n), 0);
    assert_string_equal(v.level_word, "完全失能");
    store_close(&f->st);      /* flush and checkpoint */
    /* the SQLite file and WAL, or the PostgreSQL cluster's files (testdb.h) */
    const char *secrets[] = {form.elder_id, "欧阳秘密", "秘密路88号", form.agent_id, "司马家属",
                             "13987654321", "阿尔茨海默病QZX", "完全失能", "dem=1", "v1;s="};
    for (size_t k = 0; k < sizeof secrets / sizeof secrets[0]; k++) {
        int found = testdb_disk_contains_url(f->db, secrets[k]);
        assert_true(found >= 0);
        if (found)
            fail_msg("plaintext \"%s\" found in the database file", secrets[k]);
    }
    /* but the reference and stage names are plain, and the file is readable */
    assert_int_equal(testdb_disk_contains_url(f->db, ref), 1);
    assert_int_equal(store_open(f->db, 0, &f->st), 0);
}

static int cb(void *p, const struct bed_summary *s)
{
    (void)s;
    (*(int *)p)++;
    return 0;
}

static void test_list_and_names(void **state)
{
    struct fx *f = *state;
    for (int s = 0; s < BS__COUNT; s++) {
        int back;
        assert_int_equal(bed_stage_parse(bed_stage_name(s), &back), 0);
        assert_int_equal(back, s);
    }
    int dummy;
    assert_int_equal(bed_stage_parse("approved", &dummy), KERR_INPUT);
    assert_string_equal(bed_stage_name(BS_PROVIDER_ASSIGNED), "provider_assigned");
    assert_string_equal(bed_service_label(BED_SVC_ALARM, "zh"), "紧急呼叫");
    char ref[33];
    app_at(f, BS_BUILT, ref);
    app_at(f, BS_SUBMITTED, ref);
    int count = 0;
    assert_int_equal(bed_list(f->st, BS_BUILT, cb, &count), 0);
    assert_int_equal(count, 1);
    count = 0;
    assert_int_equal(bed_list(f->st, -1, cb, &count), 0);
    assert_int_equal(count, 2);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_submit_latency(void **state)
{
    struct fx *f = *state;
    double t0 = now_s();
    const int n = 50;
    for (int i = 0; i < n; i++) {
        char ref[33];
        submit_new(f, ref, NULL);
    }
    printf("# bed_submit: %.2f ms per application (synchronous=FULL, ASan build)\n",
           (now_s() - t0) * 1e3 / n);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_table),
        T(test_matrix_on_database),
        T(test_provider_and_independence),
        T(test_reasons_and_assessment_required),
        T(test_submit_rules),
        T(test_resident_view),
        T(test_no_plaintext_in_file),
        T(test_list_and_names),
        T(test_submit_latency),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
