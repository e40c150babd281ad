/* test_queue.c — queue ordering, exact positions against a brute-force
 * recomputation after long random sequences of changes, staff actions and
 * their role checks, and the change-since-publication breakdown.
 * Real SQLite in a temp directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "kiosk/audit.h"
#include "kiosk/demo.h"
#include "kiosk/queue.h"
#include "testdb.h"

/* ---- sort keys ------------------------------------------------------------ */

static struct program default_program(void)
{
    struct program p = {.id = 1, .code = "prh"};
    queue_rule_parse("tier,wait_since,insured_since,hukou_since,lottery_no", &p);
    return p;
}

struct keyed {
    int64_t key[OK__COUNT];
    const char *receipt;
    unsigned char skey[QUEUE_SKEY_MAX];
    int len;
};

static int cmp_keyed(const struct keyed *a, const struct keyed *b)
{
    int c = memcmp(a->skey, b->skey, (size_t)(a->len < b->len ? a->len : b->len));
    return c ? c : a->len - b->len;
}

/* Each element must sort strictly before the next. */
static void assert_sorted(const struct program *p, struct keyed *k, int n)
{
    for (int i = 0; i < n; i++)
        k[i].len = queue_skey(p, k[i].key, k[i].receipt, k[i].skey);
    for (int i = 0; i + 1 < n; i++) {
        if (cmp_keyed(&k[i], &k[i + 1]) >= 0)
            fail_msg("%s should sort before %s", k[i].receipt, k[i + 1].receipt);
    }
}

#define N NONE_I64

static void test_order_tiers_dates_nulls(void **state)
{
    (void)state;
    struct program p = default_program();
    struct keyed k[] = {
        {{0, 100, 50, 10, 5}, "Z1", {0}, 0},      /* tier 0 first, whatever else */
        {{1, 90, N, N, N}, "A1", {0}, 0},         /* earlier wait_since */
        {{1, 100, 40, N, N}, "A2", {0}, 0},       /* same wait, earlier insured */
        {{1, 100, 50, 5, N}, "A3", {0}, 0},
        {{1, 100, 50, N, 1}, "A4", {0}, 0},       /* empty hukou_since after a value */
        {{1, 100, 50, N, N}, "A5", {0}, 0},       /* empty lottery after a value */
        {{1, 100, N, N, N}, "A0", {0}, 0},        /* empty insured_since after every value */
        {{1, N, 1, 1, 1}, "A6", {0}, 0},          /* empty wait_since after every date */
        {{2, -5, 0, 0, 0}, "B0", {0}, 0},         /* higher tier after */
    };
    assert_sorted(&p, k, (int)(sizeof k / sizeof k[0]));
}

static void test_order_receipt_byte_order(void **state)
{
    (void)state;
    struct program p = default_program();
    /* all keys equal: receipt_no in byte order (not numeric, not locale) */
    struct keyed k[] = {
        {{1, 100, 50, 10, 7}, "A10", {0}, 0}, {{1, 100, 50, 10, 7}, "A9", {0}, 0}, {{1, 100, 50, 10, 7}, "AB", {0}, 0},
        {{1, 100, 50, 10, 7}, "ABC", {0}, 0}, {{1, 100, 50, 10, 7}, "B", {0}, 0},  {{1, 100, 50, 10, 7}, "a", {0}, 0},
    };
    assert_sorted(&p, k, (int)(sizeof k / sizeof k[0]));
}

static void test_order_lottery_and_custom_rule(void **state)
{
    (void)state;
    struct program p = {.code = "talent"};
    assert_int_equal(queue_rule_parse("lottery_no,tier", &p), 0);
    struct keyed k[] = {
        {{9, 1, 1, 1, 3}, "X", {0}, 0},   /* lottery 3 first whatever the tier */
        {{0, 1, 1, 1, 4}, "Y", {0}, 0},
        {{0, 1, 1, 1, 4}, "Z", {0}, 0},   /* same lottery and tier: receipt */
        {{0, 1, 1, 1, N}, "A", {0}, 0},   /* no lottery number: last */
    };
    assert_sorted(&p, k, 4);
    assert_int_equal(queue_rule_parse("tier,bogus", &p), KERR_INPUT);
    assert_int_equal(queue_rule_parse("tier,tier", &p), KERR_INPUT);
}

/* ---- positions against brute force ----------------------------------------- */

static uint64_t rng = 42;

static void fill_random(long long i, struct bureau_row *r, void *ctx)
{
    int removed_share = ctx ? *(int *)ctx : 0;
    testdb_id(i, r->id_number);
    snprintf(r->name, sizeof r->name, "测试%lld", i);
    snprintf(r->receipt_no, sizeof r->receipt_no, "R%06lld", (i * 7919) % 1000003);
    r->household_size = 1 + (int)(i % 4);
    r->tier = demo_rand(&rng) % 3;
    /* few distinct dates so ties are common and the receipt decides */
    r->wait_since = demo_rand(&rng) % 5 ? 15000 + (int32_t)(demo_rand(&rng) % 40) : DATE_NONE;
    r->insured_since = demo_rand(&rng) % 4 ? 14000 + (int32_t)(demo_rand(&rng) % 10) : DATE_NONE;
    r->hukou_since = DATE_NONE;
    r->lottery_no = demo_rand(&rng) % 2 ? (int64_t)(demo_rand(&rng) % 20) : -1;
    r->status = (int)(demo_rand(&rng) % 100) < removed_share ? ST_REMOVED : ST_WAITING;
}

struct all_ctx {
    struct entry_row *rows;
    long long n, cap;
};

static int grab(void *p, const struct entry_row *e)
{
    struct all_ctx *c = p;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 1024;
        c->rows = realloc(c->rows, sizeof *c->rows * (size_t)c->cap);
    }
    c->rows[c->n++] = *e;
    return 0;
}

static int cmp_row(const void *a, const void *b)
{
    const struct entry_row *x = a, *y = b;
    int c = memcmp(x->skey, y->skey, (size_t)(x->skey_len < y->skey_len ? x->skey_len : y->skey_len));
    return c ? c : x->skey_len - y->skey_len;
}

/* Every waiting entry's position must equal its brute-force rank, the
 * total must match, and entry_at must invert position. */
static void check_positions(struct testdb *t, int program_id)
{
    const struct queue_store_ops *q = t->st->ops->queue;
    struct all_ctx c = {0};
    assert_int_equal(q->export_all(t->st, program_id, grab, &c), 0);
    struct entry_row *w = malloc(sizeof *w * (size_t)(c.n + 1));
    long long nw = 0;
    for (long long i = 0; i < c.n; i++)
        if (c.rows[i].status == ST_WAITING)
            w[nw++] = c.rows[i];
    qsort(w, (size_t)nw, sizeof *w, cmp_row);
    long long total;
    assert_int_equal(q->total(t->st, program_id, &total), 0);
    assert_int_equal(total, nw);
    for (long long i = 0; i < nw; i++) {
        long long pos;
        assert_int_equal(q->position(t->st, &w[i], &pos), 0);
        if (pos != i + 1)
            fail_msg("entry %s: position %lld, brute force %lld", w[i].receipt_no, pos, i + 1);
    }
    /* entry_at at a few places, and a page from the middle */
    for (long long k = 1; k <= nw; k += 1 + nw / 17) {
        struct entry_row e;
        assert_int_equal(q->entry_at(t->st, program_id, k, &e), 0);
        assert_string_equal(e.receipt_no, w[k - 1].receipt_no);
    }
    free(w);
    free(c.rows);
}

static void test_positions_random_changes(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    /* 40% removed at import, so reinstatements pile into blocks and split them */
    int removed = 40;
    assert_int_equal(testdb_fill(&t, "prh", 4000, fill_random, &removed), 0);
    struct program p;
    assert_int_equal(t.st->ops->queue->program_get(t.st, "prh", &p), 0);
    check_positions(&t, p.id);

    const struct queue_store_ops *q = t.st->ops->queue;
    struct all_ctx c = {0};
    assert_int_equal(q->export_all(t.st, p.id, grab, &c), 0);
    for (int step = 0; step < 3000; step++) {
        long long i = (long long)(demo_rand(&rng) % (uint64_t)c.n);
        struct entry_row e;
        assert_int_equal(q->entry_get(t.st, p.id, c.rows[i].receipt_no, &e), 0);
        /* bias towards waiting so blocks grow past their split size */
        int to = demo_rand(&rng) % 3 ? ST_WAITING : (int)(demo_rand(&rng) % ST__COUNT);
        assert_int_equal(store_begin(t.st), 0);
        assert_int_equal(q->set_status(t.st, &e, to, 0), 0);
        assert_int_equal(store_commit(t.st), 0);
        if (step % 500 == 499)
            check_positions(&t, p.id);
    }
    check_positions(&t, p.id);
    /* a rollback leaves positions as they were */
    struct entry_row e;
    assert_int_equal(q->entry_at(t.st, p.id, 1, &e), 0);
    assert_int_equal(store_begin(t.st), 0);
    assert_int_equal(q->set_status(t.st, &e, ST_HOUSED, 0), 0);
    assert_int_equal(store_rollback(t.st), 0);
    check_positions(&t, p.id);
    /* a rebuild gives the same positions */
    assert_int_equal(store_begin(t.st), 0);
    assert_int_equal(q->rebuild_rank(t.st, p.id), 0);
    assert_int_equal(store_commit(t.st), 0);
    check_positions(&t, p.id);
    free(c.rows);
    testdb_close(&t);
}

/* Appending at the tail again and again (daily applications) must not run
 * out of slots: with the fixed tail step, thousands of splits at the end. */
static void fill_tail(long long i, struct bureau_row *r, void *ctx)
{
    (void)ctx;
    testdb_id(i, r->id_number);
    snprintf(r->name, sizeof r->name, "尾%lld", i);
    snprintf(r->receipt_no, sizeof r->receipt_no, "T%07lld", i);
    r->household_size = 1;
    r->tier = 0;
    r->wait_since = 16000 + (int32_t)i;          /* strictly increasing: each new one is last */
    r->insured_since = r->hukou_since = DATE_NONE;
    r->lottery_no = -1;
    r->status = i < 300 ? ST_WAITING : ST_REMOVED;
}

static void test_positions_tail_growth(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    assert_int_equal(testdb_fill(&t, "ahp", 6000, fill_tail, NULL), 0);
    struct program p;
    assert_int_equal(t.st->ops->queue->program_get(t.st, "ahp", &p), 0);
    const struct queue_store_ops *q = t.st->ops->queue;
    assert_int_equal(store_begin(t.st), 0);
    for (long long i = 300; i < 6000; i++) {
        char r[24];
        struct entry_row e;
        snprintf(r, sizeof r, "T%07lld", i);
        assert_int_equal(q->entry_get(t.st, p.id, r, &e), 0);
        assert_int_equal(q->set_status(t.st, &e, ST_WAITING, 0), 0);
        long long pos;
        assert_int_equal(q->position(t.st, &e, &pos), 0);
        assert_int_equal(pos, i + 1);
    }
    assert_int_equal(store_commit(t.st), 0);
    check_positions(&t, p.id);
    testdb_close(&t);
}

/* ---- staff actions -------------------------------------------------------- */

static void fill_small(long long i, struct bureau_row *r, void *ctx)
{
    (void)ctx;
    testdb_id(i, r->id_number);
    snprintf(r->name, sizeof r->name, "张三丰%lld", i);
    snprintf(r->receipt_no, sizeof r->receipt_no, "S%03lld", i);
    r->household_size = 2;
    r->tier = 0;
    r->wait_since = 17000 + (int32_t)i;
    r->insured_since = r->hukou_since = DATE_NONE;
    r->lottery_no = -1;
    r->status = ST_WAITING;
}

static long long audit_count(struct testdb *t)
{
    struct audit_rec r;
    return t->st->ops->audit_last(t->st, &r) == 0 ? r.seq : 0;
}

static void test_staff_actions(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    assert_int_equal(testdb_fill(&t, "prh", 10, fill_small, NULL), 0);
    struct actor clerk = {.name = "clerk", .roles = ROLE_HOUSING};
    struct actor street = {.name = "street", .roles = ROLE_STREET | ROLE_ADMIN};
    int to;
    long long before = audit_count(&t);

    /* wrong role: refused, nothing recorded */
    assert_int_equal(queue_staff_action(t.st, t.sec, &street, "prh", "S000", QA_OFFER, "x", &to),
                     KERR_REFUSED);
    assert_int_equal(audit_count(&t), before);
    /* no reason */
    assert_int_equal(queue_staff_action(t.st, t.sec, &clerk, "prh", "S000", QA_OFFER, "", &to),
                     KERR_USAGE);
    /* not from this status */
    assert_int_equal(queue_staff_action(t.st, t.sec, &clerk, "prh", "S000", QA_ACCEPT, "x", &to),
                     KERR_STAGE);
    assert_int_equal(queue_staff_action(t.st, t.sec, &clerk, "prh", "NOPE", QA_OFFER, "x", &to),
                     KERR_NOTFOUND);
    assert_int_equal(audit_count(&t), before);

    /* offer → refuse → offer → refuse: removed at the default limit of 2 */
    assert_int_equal(queue_staff_action(t.st, t.sec, &clerk, "prh", "S000", QA_OFFER, "flat 12A", &to), 0);
    assert_int_equal(to, ST_OFFERED);
    assert_int_equal(queue_staff_action(t.st, t.sec, &clerk, "prh", "S000", QA_REFUSE, "too far", &to), 0);
    assert_int_equal(to, ST_WAITING);
    assert_int_equal(queue_staff_action(t.st, t.sec, &clerk, "prh", "S000", QA_OFFER, "flat 3B", &to), 0);
    assert_int_equal(queue_staff_action(t.st, t.sec, &clerk, "prh", "S000", QA_REFUSE, "too small", &to), 0);
    assert_int_equal(to, ST_REMOVED);
    assert_int_equal(audit_count(&t), before + 4);

    /* freeze / unfreeze / accept; positions of the others follow */
    struct queue_view v[4];
    int n;
    char id[19];
    testdb_id(5, id);
    assert_int_equal(queue_lookup_id(t.st, t.sec, id, NULL, v, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].position, 5);   /* S000 removed: S005 moves from 6 to 5 */
    assert_int_equal(queue_staff_action(t.st, t.sec, &clerk, "prh", "S001", QA_FREEZE, "abroad", &to), 0);
    assert_int_equal(queue_lookup_id(t.st, t.sec, id, NULL, v, 4, &n), 0);
    assert_int_equal(v[0].position, 4);
    assert_int_equal(v[0].total, 8);
    assert_int_equal(queue_staff_action(t.st, t.sec, &clerk, "prh", "S001", QA_UNFREEZE, "back", &to), 0);
    assert_int_equal(queue_lookup_id(t.st, t.sec, id, NULL, v, 4, &n), 0);
    assert_int_equal(v[0].position, 5);
    assert_string_equal(v[0].name_masked, "张**5");   /* 张三丰5: first and last kept */
    assert_int_equal(strncmp(v[0].id_masked, "4403**********", 14), 0);
    assert_string_equal(v[0].id_masked + 14, id + 14);
    long long n_audit;
    long long bad;
    assert_int_equal(audit_verify(t.st, t.sec, &n_audit, &bad), 0);
    testdb_close(&t);
}

static void test_change_breakdown(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    assert_int_equal(testdb_fill(&t, "prh", 30, fill_small, NULL), 0);
    /* S005 and S025 removed at first, so they can be reinstated later */
    struct actor clerk = {.name = "clerk", .roles = ROLE_HOUSING};
    int to;
    assert_int_equal(queue_staff_action(t.st, t.sec, &clerk, "prh", "S005", QA_REMOVE, "x", &to), 0);
    assert_int_equal(queue_staff_action(t.st, t.sec, &clerk, "prh", "S025", QA_REMOVE, "x", &to), 0);
    long long total;
    assert_int_equal(queue_publish(t.st, t.sec, &clerk, "prh", &total), 0);
    assert_int_equal(total, 28);
    /* me: S020, position 20 then (S005 gone: 19 ahead) */
    char id[19];
    testdb_id(20, id);
    struct queue_view v;
    int n;
    assert_int_equal(queue_lookup_id(t.st, t.sec, id, NULL, &v, 1, &n), 0);
    assert_int_equal(v.position, 20);
    assert_int_equal(v.position_then, 20);

    assert_int_equal(queue_staff_action(t.st, t.sec, &clerk, "prh", "S001", QA_OFFER, "x", &to), 0);
    assert_int_equal(queue_staff_action(t.st, t.sec, &clerk, "prh", "S001", QA_ACCEPT, "x", &to), 0);
    assert_int_equal(queue_staff_action(t.st, t.sec, &clerk, "prh", "S002", QA_WITHDRAW, "x", &to), 0);
    assert_int_equal(queue_staff_action(t.st, t.sec, &clerk, "prh", "S003", QA_FREEZE, "x", &to), 0);
    assert_int_equal(queue_staff_action(t.st, t.sec, &clerk, "prh", "S004", QA_REMOVE, "x", &to), 0);
    assert_int_equal(queue_staff_action(t.st, t.sec, &clerk, "prh", "S005", QA_REINSTATE, "x", &to), 0);
    assert_int_equal(queue_staff_action(t.st, t.sec, &clerk, "prh", "S025", QA_REINSTATE, "x", &to), 0);
    assert_int_equal(queue_staff_action(t.st, t.sec, &clerk, "prh", "S026", QA_FREEZE, "x", &to), 0);

    assert_int_equal(queue_lookup_id(t.st, t.sec, id, NULL, &v, 1, &n), 0);
    assert_true(v.has_publication);
    assert_false(v.own_record_changed);
    assert_int_equal(v.left_housed, 1);
    assert_int_equal(v.left_withdrawn, 2);
    assert_int_equal(v.left_frozen, 1);
    assert_int_equal(v.entered_ahead, 1);     /* S005 back; S025 is behind me */
    assert_int_equal(v.position, 17);
    assert_int_equal(v.position_then - v.left_housed - v.left_withdrawn - v.left_frozen -
                         v.moved_behind + v.entered_ahead, v.position);
    testdb_close(&t);
}

static void test_estimate(void **state)
{
    (void)state;
    int lo, hi;
    double rate;
    int none[12] = {0};
    assert_false(queue_estimate(none, 12, 100, &lo, &hi, &rate));
    int sparse[12] = {0, 0, 0, 0, 0, 0, 0, 5, 5, 5, 5, 5};   /* only 5 months of history */
    assert_false(queue_estimate(sparse, 12, 100, &lo, &hi, &rate));
    int steady[12] = {10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10};
    assert_true(queue_estimate(steady, 12, 100, &lo, &hi, &rate));
    assert_int_equal(lo, 10);
    assert_int_equal(hi, 10);
    int uneven[12] = {2, 20, 5, 15, 10, 10, 8, 12, 0, 20, 10, 8};
    assert_true(queue_estimate(uneven, 12, 100, &lo, &hi, &rate));
    assert_true(lo < hi);
    assert_true(lo <= 100 / rate + 1 && hi >= 100 / rate);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_tiers_dates_nulls),
        cmocka_unit_test(test_order_receipt_byte_order),
        cmocka_unit_test(test_order_lottery_and_custom_rule),
        cmocka_unit_test(test_positions_random_changes),
        cmocka_unit_test(test_positions_tail_growth),
        cmocka_unit_test(test_staff_actions),
        cmocka_unit_test(test_change_breakdown),
        cmocka_unit_test(test_estimate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
