/* demo.c — deterministic synthetic households, queues and history. */
#include "kiosk/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/arena.h"
#include "kiosk/audit.h"
#include "kiosk/audit_detail.h"
#include "kiosk/bureau_row.h"
#include "kiosk/err.h"
#include "kiosk/idnum.h"
#include "kiosk/importer.h"
#include "kiosk/queue.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

uint64_t demo_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t rng_for(uint64_t seed, long long i, uint64_t salt)
{
    uint64_t s = seed * 0x100000001B3ULL ^ (uint64_t)i * 0x9E3779B97F4A7C15ULL ^ salt;
    demo_rand(&s);
    return s;
}

static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "邓", "冯", "韩", "曾",
    "欧阳", "司马",
};
static const char *const given[] = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
    "明", "超", "秀英", "华", "平", "建国", "桂英", "志强", "晓东", "海燕", "文", "玲", "斌",
    "辉", "红", "国强", "淑珍", "子涵", "浩然", "雨桐", "梓轩",
};
static const char *const areas[] = {"440303", "440304", "440305", "440306", "440307", "440308",
                                    "440309", "440310", "445281", "430102", "360102", "441302"};
static const char *const districts[] = {"罗湖区", "福田区", "南山区", "宝安区", "龙岗区", "盐田区",
                                        "龙华区", "坪山区"};
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

void demo_resident(uint64_t seed, long long i, char id[19], char *name, unsigned long name_cap)
{
    uint64_t s = rng_for(seed, i, 0x1D);
    /* the first demo residents are elders (the home-care-bed demos need them) */
    int year = i < 40 ? 1935 + (int)(demo_rand(&s) % 25) : 1950 + (int)(demo_rand(&s) % 52);
    int month = 1 + (int)(demo_rand(&s) % 12), day = 1 + (int)(demo_rand(&s) % 28);
    /* the sequence number makes the ID unique per household: 3 digits from i,
     * the rest of i folded into the area choice and birth date */
    int seqno = (int)(i % 1000);
    const char *area = areas[(i / 1000) % N_OF(areas)];
    year -= (int)((i / 12000) % 30);
    char first17[18];
    snprintf(first17, sizeof first17, "%s%04d%02d%02d%03d", area, year, month, day, seqno);
    snprintf(id, 19, "%s%c", first17, idnum_check_char(first17));
    const char *sn = surnames[demo_rand(&s) % N_OF(surnames)];
    const char *g1 = given[demo_rand(&s) % N_OF(given)];
    const char *g2 = demo_rand(&s) % 3 ? given[demo_rand(&s) % N_OF(given)] : "";
    snprintf(name, name_cap, "%s%s%s", sn, g1, g2);
}

/* ---- the lists ------------------------------------------------------------ */

static const char *const prog_codes[3] = {"prh", "ahp", "talent"};
static const char *const prog_prefix[3] = {"BHJ", "AJF", "RCF"};

static int32_t days_of(const char *ymd)
{
    int32_t d = 0;
    char buf[11];
    snprintf(buf, sizeof buf, "%.10s", ymd);
    date_parse(buf, &d);
    return d;
}

/* Which programs household i is on: one main program, and every 7th also a second. */
static int programs_of(long long i, int out[2])
{
    int main_p = (int)(i % 10) < 5 ? 0 : (int)(i % 10) < 8 ? 1 : 2;
    out[0] = main_p;
    if (i % 7 == 0) {
        out[1] = (main_p + 1 + (int)(i % 2)) % 3;
        return 2;
    }
    return 1;
}

static void make_row(uint64_t seed, long long i, int prog, int32_t today, struct bureau_row *r)
{
    memset(r, 0, sizeof *r);
    uint64_t s = rng_for(seed, i, 0x200 + (uint64_t)prog);
    demo_resident(seed, i, r->id_number, r->name, sizeof r->name);
    snprintf(r->receipt_no, sizeof r->receipt_no, "%s%07lld", prog_prefix[prog], i + 1);
    r->household_size = 1 + (int)(demo_rand(&s) % 5);
    snprintf(r->hukou_district, sizeof r->hukou_district, "%s",
             districts[demo_rand(&s) % N_OF(districts)]);
    r->tier = demo_rand(&s) % 100 < 8 ? 0 : 1;          /* 8% priority groups */
    int32_t span = 365 * 10;
    r->wait_since = today - 60 - (int32_t)(demo_rand(&s) % (uint64_t)span);
    r->insured_since = r->wait_since - (int32_t)(demo_rand(&s) % 3000);
    r->hukou_since = demo_rand(&s) % 10 ? r->insured_since - (int32_t)(demo_rand(&s) % 2000)
                                        : DATE_NONE;
    r->lottery_no = demo_rand(&s) % 100 < 30 ? (int64_t)(demo_rand(&s) % 100000) : -1;
    unsigned roll = (unsigned)(demo_rand(&s) % 1000);
    /* the first demo residents keep waiting so the kiosk demo shows positions */
    if (i < 5)
        roll = 0;
    r->status = roll < 860 ? ST_WAITING : roll < 890 ? ST_FROZEN : roll < 900 ? ST_OFFERED
              : roll < 970 ? ST_HOUSED : roll < 990 ? ST_WITHDRAWN : ST_REMOVED;
}

struct history_ctx {
    struct store *st;
    uint64_t rng;
    const char *today;
    int program_id;
    long long events;
    int err;
};

/* A housed entry gets its allocation event somewhere in the last 24 months. */
static int add_history(void *p, const struct entry_row *e)
{
    struct history_ctx *h = p;
    if (e->status != ST_HOUSED)
        return 0;
    int y, m;
    sscanf(h->today, "%d-%d", &y, &m);
    int back = 1 + (int)(demo_rand(&h->rng) % 24);
    int idx = y * 12 + (m - 1) - back;
    struct entry_event ev = {.entry_id = e->id, .program_id = h->program_id,
                             .from_status = ST_OFFERED, .to_status = ST_HOUSED};
    snprintf(ev.at, sizeof ev.at, "%04d-%02d-%02d 10:%02d:00", (idx / 12) % 10000, idx % 12 + 1,
             1 + (int)(demo_rand(&h->rng) % 28), (int)(demo_rand(&h->rng) % 60));
    snprintf(ev.actor, sizeof ev.actor, "demo");
    snprintf(ev.action, sizeof ev.action, "accept");
    snprintf(ev.reason, sizeof ev.reason, "lease signed");
    h->events++;
    return h->st->ops->queue->event_add(h->st, &ev);
}

struct pick_ctx {
    long long want, seen, n;
    uint64_t rng;
    char (*receipts)[33];
    int status;
};

static int pick(void *p, const struct entry_row *e)
{
    struct pick_ctx *c = p;
    if (e->status != c->status)
        return 0;
    c->seen++;
    if (c->n < c->want && demo_rand(&c->rng) % 50 == 0)
        snprintf(c->receipts[c->n++], 33, "%s", e->receipt_no);
    return 0;
}

int demo_fill(struct store *st, const struct secret *sec, long long households, uint64_t seed,
              struct demo_summary *sum)
{
    memset(sum, 0, sizeof *sum);
    const struct queue_store_ops *q = st->ops->queue;
    struct actor sys = {.name = "demo", .roles = ROLE__ALL};
    char today[32];
    store_now(today);
    int32_t today_d = days_of(today);
    int err = 0;

    for (int prog = 0; prog < 3 && !err; prog++) {
        struct program p;
        if ((err = q->program_get(st, prog_codes[prog], &p)))
            return err;
        struct arena arena;
        arena_init(&arena, 4 << 20);
        struct import_batch b;
        import_batch_init(&b, &p, sec, &arena);
        struct bureau_row r;
        for (long long i = 0; i < households && !err; i++) {
            int progs[2], n = programs_of(i, progs);
            for (int k = 0; k < n && !err; k++)
                if (progs[k] == prog) {
                    make_row(seed, i, prog, today_d, &r);
                    err = import_batch_add(&b, &r);
                }
        }
        secure_wipe(&r, sizeof r);
        struct import_result res;
        if (!err)
            err = import_batch_commit(st, &b, &sys, NULL, &res);
        sum->entries += b.n;
        import_batch_free(&b);
        arena_release(&arena);
        if (err)
            return err;

        /* 24 months of allocations, then a list published a month ago */
        struct history_ctx h = {.st = st, .rng = rng_for(seed, prog, 0x5151), .today = today,
                                .program_id = p.id};
        char pub_at[32];
        int y, m, d;
        sscanf(today, "%d-%d-%d", &y, &m, &d);
        int idx = y * 12 + (m - 1) - 1;
        snprintf(pub_at, sizeof pub_at, "%04d-%02d-%02d 09:00:00", (idx / 12) % 10000, idx % 12 + 1,
                 d > 28 ? 28 : d);
        struct publication pub;
        if ((err = store_begin(st)) || (err = q->export_all(st, p.id, add_history, &h)) ||
            (err = q->publish(st, p.id, pub_at, "demo", &pub)) ||
            (err = audit_append(st, sec, "demo", "publish", p.code, AD_PUBLISH_DEMO,
                                pub.total)) ||
            (err = store_commit(st))) {
            store_rollback(st);
            return err;
        }
        sum->events += h.events;

        /* changes since that publication: offers accepted, freezes,
         * withdrawals, and a few reinstatements (entering ahead) */
        long long want = households / 400 < 8 ? 8 : households / 400 > 1500 ? 1500 : households / 400;
        struct pick_ctx pc = {.want = want, .rng = rng_for(seed, prog, 0x77), .status = ST_WAITING};
        pc.receipts = calloc((size_t)want, sizeof *pc.receipts);
        if (!pc.receipts)
            return KERR_NOMEM;
        err = q->export_all(st, p.id, pick, &pc);
        static const int actions[][2] = {{QA_OFFER, QA_ACCEPT}, {QA_FREEZE, -1}, {QA_WITHDRAW, -1},
                                         {QA_OFFER, -1}, {QA_OFFER, QA_ACCEPT}};
        static const char *const reasons[] = {"lease signed", "residence check pending",
                                              "applicant withdrew", "flat offered",
                                              "lease signed"};
        for (long long k = 0; k < pc.n && !err; k++) {
            int a = (int)(k % 5), to;
            err = queue_staff_action(st, sec, &sys, p.code, pc.receipts[k], actions[a][0],
                                     reasons[a], &to);
            if (!err && actions[a][1] >= 0)
                err = queue_staff_action(st, sec, &sys, p.code, pc.receipts[k], actions[a][1],
                                         reasons[a], &to);
            sum->events++;
        }
        free(pc.receipts);
        struct pick_ctx rc = {.want = want / 4 + 1, .rng = rng_for(seed, prog, 0x99),
                              .status = ST_REMOVED};
        rc.receipts = calloc((size_t)rc.want, sizeof *rc.receipts);
        if (!rc.receipts)
            return KERR_NOMEM;
        if (!err)
            err = q->export_all(st, p.id, pick, &rc);
        for (long long k = 0; k < rc.n && !err; k++) {
            int to;
            err = queue_staff_action(st, sec, &sys, p.code, rc.receipts[k], QA_REINSTATE,
                                     "removal reversed on review", &to);
            sum->events++;
        }
        free(rc.receipts);
    }
    if (!err) {
        char v[64];
        if ((err = store_begin(st)))
            return err;
        snprintf(v, sizeof v, "%llu", (unsigned long long)seed);
        if (!(err = st->ops->meta_set(st, "demo_seed", v))) {
            snprintf(v, sizeof v, "%lld", households);
            err = st->ops->meta_set(st, "demo_households", v);
        }
        if (err || (err = store_commit(st))) {
            store_rollback(st);
            return err;
        }
        err = bed_demo_fill(st, sec, seed, households, &sum->applications);
    }
    return err;
}
