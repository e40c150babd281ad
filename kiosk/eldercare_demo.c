/* eldercare_demo.c — demo home-care-bed data for `kioskctl demo`: provider
 * and assessor organisations with staff accounts, and applications in every
 * stage for demo households 0..39 (the elders of demo_resident), each moved
 * there through the real rules (eldercare_advance) with dates spread over
 * the past months, so the timeline, the level word, the provider's phone
 * and "reassessment due" all have something to show.
 *
 * Households 0..4 are the ones the kiosk demo offers first:
 *   0 in service with a provider   1 just submitted      2 provider assigned
 *   3 rejected (with a reason)     4 built, awaiting the independent acceptance
 * The others cycle through all eleven stages; every third is filed by an agent.
 * Streets (issue 14): most are 东门街道's (demo-street's street), every fourth
 * from household 3 黄贝街道's, every eighth from 5 翠竹街道's, and every tenth
 * from 6 has no street recorded (filed before kiosks recorded one).
 * Demo staff accounts (password "demo-password"): demo-street, demo-district,
 * demo-assessor, demo-acceptor, demo-provider, demo-provider2, and demo-clerk (housing and
 * admin: the queue side of the staff console and its admin screens). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/assessment.h"
#include "kiosk/audit.h"
#include "kiosk/audit_detail.h"
#include "kiosk/auth.h"
#include "kiosk/store/bed_store.h"
#include "kiosk/config.h"
#include "kiosk/demo.h"
#include "kiosk/eldercare.h"
#include "kiosk/err.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

#define DEMO_PASSWORD "demo-password"
#define DEMO_ELDERS 40
#define DEMO_STREET "东门街道"   /* demo-street's street */

/* The street of demo application i (see the top). */
static const char *demo_street(int i)
{
    return i % 4 == 3 ? "黄贝街道" : i % 8 == 5 ? "翠竹街道" : i % 10 == 6 ? "" : DEMO_STREET;
}

static const struct {
    const char *name, *roles, *org, *phone;
} demo_staff[] = {
    {"demo-street", "street", NULL, NULL},
    {"demo-district", "district", NULL, NULL},
    {"demo-assessor", "assessor", "鹏城老年能力评估中心", "0755-88881234"},
    {"demo-acceptor", "assessor", "深圳市第三方验收评估所", "0755-86660909"},
    {"demo-provider", "provider", "康乐居家养老服务中心", "0755-25550101"},
    {"demo-provider2", "provider", "颐年护理服务有限公司", "0755-26660202"},
    /* the housing clerk and administrator, for the staff console demo */
    {"demo-clerk", "housing,admin", NULL, NULL},
};
#define N_STAFF (int)(sizeof demo_staff / sizeof demo_staff[0])
enum { S_STREET, S_DISTRICT, S_ASSESSOR, S_ACCEPTOR, S_PROVIDER, S_PROVIDER2 };

static const char *const addresses[] = {
    "罗湖区东门街道湖贝路12号3栋502", "罗湖区翠竹街道翠竹路88号1单元801",
    "罗湖区黄贝街道新秀路21号6栋302", "罗湖区笋岗街道宝岗路9号2栋1103",
    "罗湖区桂园街道红岭中路35号401",
};

/* The clock the demo steps run at: KIOSK_NOW set to `day` days ago. */
static void set_clock(time_t base, int days_ago, int minute)
{
    time_t t = base - (time_t)days_ago * 86400 + minute * 60;
    struct tm tm;
    localtime_r(&t, &tm);
    char buf[32];
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    setenv("KIOSK_NOW", buf, 1);
}

static void demo_assessment(uint64_t *rng, struct assessment *a)
{
    memset(a, 0, sizeof *a);
    /* a spread of abilities: some nearly intact, most partly disabled */
    int loss = (int)(demo_rand(rng) % 5);
    for (int i = 0; i < ASSESS_ITEMS; i++) {
        int max = assessment_item_max(i);
        int down = (int)(demo_rand(rng) % (uint64_t)(loss + 1));
        a->score[i] = max - (down > max ? max : down);
    }
    a->dementia = demo_rand(rng) % 6 == 0;
    a->risk_events_30d = (int)(demo_rand(rng) % 4 == 0 ? 2 : demo_rand(rng) % 2);
    snprintf(a->diagnoses, sizeof a->diagnoses, "%s", a->dementia ? "阿尔茨海默病; 高血压" : "高血压");
}

/* The stage household i is brought to. */
static int target_stage(int i)
{
    static const int first[5] = {BS_IN_SERVICE, BS_SUBMITTED, BS_PROVIDER_ASSIGNED, BS_REJECTED,
                                 BS_BUILT};
    return i < 5 ? first[i] : (i - 5) % BS__COUNT;
}

struct demo_ctx {
    struct store *st;
    const struct secret *sec;
    struct kiosk_config cfg;
    struct actor staff[N_STAFF];
};

static int step(struct demo_ctx *c, int who, const char *ref, int to, const char *reason,
                const struct assessment *a, const char *provider)
{
    return eldercare_advance(c->st, c->sec, &c->cfg, &c->staff[who], ref, to, reason, a, provider);
}

static int fill_one(struct demo_ctx *c, uint64_t seed, int i, time_t base)
{
    uint64_t rng = seed * 0x9E3779B97F4A7C15ULL + (uint64_t)i * 7919u + 0xBED;
    demo_rand(&rng);
    int target = target_stage(i);
    /* in-service ones (and household 0) started long ago; one of them over a
     * year ago, so its reassessment shows as due */
    int days = target == BS_SUBMITTED ? 2 + i % 5 : 60 + (int)(demo_rand(&rng) % 200);
    if (target == BS_IN_SERVICE && i >= 5)
        days = 700;
    int gap = days / 9 > 1 ? days / 9 : 1;
    int k = 0;
    struct bed_form *f = calloc(1, sizeof *f);
    if (!f)
        return KERR_NOMEM;
    demo_resident(seed, i, f->elder_id, f->elder_name, sizeof f->elder_name);
    f->by_agent = i % 3 == 2;
    if (f->by_agent) {
        demo_resident(seed, 100000 + i, f->agent_id, f->agent_name, sizeof f->agent_name);
        snprintf(f->agent_phone, sizeof f->agent_phone, "139%08d", 10000000 + i * 7717 % 89999999);
    }
    snprintf(f->address, sizeof f->address, "%s", addresses[i % 5]);
    f->services = BED_SVC_CARE_BED | BED_SVC_ALARM | (i % 2 ? BED_SVC_SENSORS : BED_SVC_MEALS) |
                  (i % 4 == 0 ? BED_SVC_RENOVATION : 0);
    f->consent = true;
    snprintf(f->kiosk_id, sizeof f->kiosk_id, "LH-DEMO-%02d", 1 + i % 3);
    snprintf(f->street, sizeof f->street, "%s", demo_street(i));
    struct actor resident = {.roles = 0};
    snprintf(resident.name, sizeof resident.name, "resident@%.50s", f->kiosk_id);

    char ref[33];
    set_clock(base, days - gap * k++, 10);
    int err = bed_submit(c->st, c->sec, &resident, f, ref);
    char elder_id[19];
    memcpy(elder_id, f->elder_id, sizeof elder_id);
    secure_wipe(f, sizeof *f);
    free(f);
    if (err)
        goto out;

    /* the stage path every application takes, up to its target */
    static const int path[] = {BS_STREET_APPROVED, BS_DISTRICT_APPROVED, BS_ASSESSED,
                               BS_PROVIDER_ASSIGNED, BS_BUILT, BS_ACCEPTED, BS_IN_SERVICE,
                               BS_EXITED};
    int stop = target;
    if (target == BS_REJECTED)
        stop = i % 2 ? BS_SUBMITTED : BS_STREET_APPROVED;
    else if (target == BS_WITHDRAWN)
        stop = (int)(demo_rand(&rng) % BS_IN_SERVICE);
    int provider = i % 2 ? S_PROVIDER2 : S_PROVIDER;
    struct assessment a;
    for (int p = 0; p < 8 && !err; p++) {
        int to = path[p];
        if (to > stop)
            break;
        set_clock(base, days - gap * k++, 10 + p);
        switch (to) {
        case BS_STREET_APPROVED: err = step(c, S_STREET, ref, to, "材料齐全，符合条件", NULL, NULL); break;
        case BS_DISTRICT_APPROVED: err = step(c, S_DISTRICT, ref, to, "", NULL, NULL); break;
        case BS_ASSESSED:
            demo_assessment(&rng, &a);
            err = step(c, S_ASSESSOR, ref, to, "", &a, NULL);
            secure_wipe(&a, sizeof a);
            break;
        case BS_PROVIDER_ASSIGNED:
            err = step(c, i % 2 ? S_STREET : S_DISTRICT, ref, to, "", NULL,
                       demo_staff[provider].org);
            break;
        case BS_BUILT: err = step(c, provider, ref, to, "护理床、呼叫器已安装", NULL, NULL); break;
        case BS_ACCEPTED: err = step(c, S_ACCEPTOR, ref, to, "验收合格", NULL, NULL); break;
        case BS_IN_SERVICE: err = step(c, provider, ref, to, "", NULL, NULL); break;
        case BS_EXITED: err = step(c, S_DISTRICT, ref, to, "入住养老机构", NULL, NULL); break;
        }
    }
    if (!err && target == BS_REJECTED) {
        set_clock(base, days - gap * k++, 30);
        err = step(c, stop == BS_SUBMITTED ? S_STREET : S_DISTRICT, ref, BS_REJECTED,
                   stop == BS_SUBMITTED ? "户籍不在本街道" : "不符合经济困难条件", NULL, NULL);
    } else if (!err && target == BS_WITHDRAWN) {
        set_clock(base, days - gap * k++, 30);
        if (i % 2) {
            struct actor kiosk_resident = {.name = "resident@LH-DEMO-01"};
            err = bed_withdraw_by_resident(c->st, c->sec, &kiosk_resident, ref, elder_id);
        } else {
            err = step(c, S_STREET, ref, BS_WITHDRAWN, "家属要求撤回", NULL, NULL);
        }
    }
out:
    secure_wipe(elder_id, sizeof elder_id);
    return err;
}

static int ensure_staff(struct demo_ctx *c)
{
    struct actor admin = {.name = "demo", .roles = ROLE__ALL};
    for (int s = 0; s < N_STAFF; s++) {
        unsigned roles = 0;
        int err = roles_parse(demo_staff[s].roles, &roles);
        if (!err)
            err = auth_user_add(c->st, c->sec, &admin, demo_staff[s].name, roles, DEMO_PASSWORD,
                                demo_staff[s].org, demo_staff[s].phone, NULL);
        if (err && err != KERR_EXISTS)
            return err;
        /* the street office's clerk works for one street (a rerun: the same) */
        if (s == S_STREET &&
            (err = auth_user_street(c->st, c->sec, NULL, &admin, demo_staff[s].name, DEMO_STREET)))
            return err;
        struct staff_row u;
        if ((err = c->st->ops->user->get(c->st, demo_staff[s].name, &u)))
            return err;
        /* a rerun of the demo must find its accounts usable again */
        if (u.roles != roles || u.disabled) {
            if ((err = auth_user_roles(c->st, c->sec, &admin, u.name, roles)) ||
                (err = auth_user_disable(c->st, c->sec, &admin, u.name, false)))
                return err;
        }
        snprintf(c->staff[s].name, sizeof c->staff[s].name, "%s", u.name);
        c->staff[s].roles = roles;
        c->staff[s].user_id = u.id;
        secure_wipe(&u, sizeof u);
    }
    return 0;
}

int bed_demo_fill(struct store *st, const struct secret *sec, uint64_t seed, long long households,
                  long long *applications)
{
    *applications = 0;
    if (!st->ops->bed || !st->ops->user)
        return 0;
    struct demo_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return KERR_NOMEM;
    c->st = st;
    c->sec = sec;
    config_defaults(&c->cfg);
    char saved[64] = "", today[32];
    const char *env = getenv("KIOSK_NOW");
    bool had_env = env && *env;
    if (had_env)
        snprintf(saved, sizeof saved, "%s", env);
    store_now(today);
    struct tm tm = {0};
    sscanf(today, "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
           &tm.tm_min, &tm.tm_sec);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_hour = 9;
    tm.tm_min = 0;
    tm.tm_sec = 0;
    tm.tm_isdst = -1;
    time_t base = mktime(&tm);

    int err = ensure_staff(c);
    /* the demo replaces the applications, as it replaces the lists */
    if (!err && !(err = store_begin(st))) {
        if ((err = st->ops->bed->clear(st)) ||
            (err = audit_append(st, sec, "demo", "bed-clear", "bed applications",
                                AD_BED_CLEAR)) ||
            (err = store_commit(st)))
            store_rollback(st);
    }
    long long n = households < DEMO_ELDERS ? households : DEMO_ELDERS;
    for (int i = 0; i < n && !err; i++) {
        err = fill_one(c, seed, i, base);
        if (!err)
            (*applications)++;
    }
    if (had_env)
        setenv("KIOSK_NOW", saved, 1);
    else
        unsetenv("KIOSK_NOW");
    secure_wipe(c, sizeof *c);
    free(c);
    return err;
}
