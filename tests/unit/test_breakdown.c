/* test_breakdown.c — the O(log n) change breakdown (queue_store_ops.breakdown,
 * kiosk/store/queue_engine_breakdown.c) against a brute-force
 * recomputation from every entry changed since the publication, after
 * random status changes, a re-key (rule change), a 10%-changed re-import, a
 * rollback and the schema upgrade's rebuild — on the test backend (SQLite,
 * or PostgreSQL with KIOSK_TEST_DB=pg). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kiosk/demo.h"
#include "kiosk/queue.h"
#include "kiosk/store/queue_engine.h"
#include "testdb.h"

static uint64_t rng = 7;
static int round_no;     /* 0: the first list; 1: the re-import, 10% changed */

static void fill(long long i, struct bureau_row *r, void *ctx)
{
    (void)ctx;
    uint64_t h = (uint64_t)i * 2654435761u;
    testdb_id(i, r->id_number);
    snprintf(r->name, sizeof r->name, "测试%lld", i);
    /* round 1: every 20th household is absent and a new one appears */
    if (round_no == 1 && i % 20 == 5)
        snprintf(r->receipt_no, sizeof r->receipt_no, "N%06lld", i);
    else
        snprintf(r->receipt_no, sizeof r->receipt_no, "R%06lld", i);
    r->household_size = 1;
    r->tier = (int)(h % 3);
    r->wait_since = 15000 + (int32_t)(h % 50);
    if (round_no == 1 && i % 10 == 7)
        r->wait_since = 15000 + (int32_t)((h >> 8) % 50);     /* key changed */
    r->insured_since = r->hukou_since = DATE_NONE;
    r->lottery_no = -1;
    r->status = (h >> 4) % 5 == 0 ? ST_REMOVED : ST_WAITING;
    if (round_no == 1 && i % 10 == 3)
        r->status = (int)((h >> 12) % ST__COUNT);              /* status changed */
}

struct changed {
    struct entry_row *rows;
    long long *then;
    long long n, cap;
};

static int grab_changed(void *p, const struct entry_row *e, long long then)
{
    struct changed *c = p;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 1024;
        c->rows = realloc(c->rows, sizeof *c->rows * (size_t)c->cap);
        c->then = realloc(c->then, sizeof *c->then * (size_t)c->cap);
    }
    c->rows[c->n] = *e;
    c->then[c->n++] = then;
    return 0;
}

struct waiting {
    struct entry_row *rows;
    long long n, cap;
};

static int grab(void *p, const struct entry_row *e)
{
    struct waiting *w = p;
    if (e->status != ST_WAITING)
        return 0;
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 1024;
        w->rows = realloc(w->rows, sizeof *w->rows * (size_t)w->cap);
    }
    w->rows[w->n++] = *e;
    return 0;
}

static int skey_cmp(const struct entry_row *a, const struct entry_row *b)
{
    int c = memcmp(a->skey, b->skey, (size_t)(a->skey_len < b->skey_len ? a->skey_len : b->skey_len));
    return c ? c : a->skey_len - b->skey_len;
}

/* For every waiting entry unchanged since the publication (those that get
 * a breakdown), compare with the brute force over the changed entries. */
static void check(struct testdb *t, int program_id, long long *n_checked)
{
    const struct queue_store_ops *q = t->st->ops->queue;
    struct publication pub;
    assert_int_equal(q->last_publication(t->st, program_id, &pub), 0);
    struct changed c = {0};
    assert_int_equal(q->changed_since(t->st, &pub, grab_changed, &c), 0);
    struct waiting w = {0};
    assert_int_equal(q->export_all(t->st, program_id, grab, &w), 0);
    for (long long i = 0; i < w.n; i += 7) {
        const struct entry_row *me = &w.rows[i];
        if (me->changed_seq > pub.change_seq)
            continue;
        long long then = 0, pos;
        assert_int_equal(q->published_position(t->st, pub.id, me->id, &then), 0);
        assert_int_equal(q->position(t->st, me, &pos), 0);
        long long lh = 0, lw = 0, lf = 0, moved_behind = 0, moved_ahead = 0, fresh = 0;
        for (long long k = 0; k < c.n; k++) {
            const struct entry_row *x = &c.rows[k];
            bool ahead_then = c.then[k] > 0 && c.then[k] < then;
            bool ahead_now = x->status == ST_WAITING && skey_cmp(x, me) < 0;
            if (ahead_then && !ahead_now) {
                switch (x->status) {
                case ST_HOUSED: case ST_OFFERED: lh++; break;
                case ST_WITHDRAWN: case ST_REMOVED: lw++; break;
                case ST_FROZEN: lf++; break;
                default: moved_behind++; break;
                }
            } else if (!ahead_then && ahead_now) {
                if (c.then[k] == 0)
                    fresh++;
                else
                    moved_ahead++;
            }
        }
        struct change_counts b;
        assert_int_equal(q->breakdown(t->st, me, then, &b), 0);
        if (b.left_housed != lh || b.left_withdrawn != lw || b.left_frozen != lf ||
            b.new_ahead != fresh)
            fail_msg("%s (then %lld, now %lld): store %lld/%lld/%lld new %lld, brute force "
                     "%lld/%lld/%lld new %lld", me->receipt_no, then, pos, b.left_housed,
                     b.left_withdrawn, b.left_frozen, b.new_ahead, lh, lw, lf, fresh);
        assert_int_equal(then - lh - lw - lf - moved_behind + moved_ahead + fresh, pos);
        /* the view queue.c builds from it: the old breakdown where moves go
         * one way, the net where both do; the invariant always */
        struct queue_view v;
        int n;
        char id[19];
        long long hh = atoll(me->receipt_no + 1);
        if (me->receipt_no[0] == 'R') {
            testdb_id(hh, id);
            struct queue_view vs[4];
            assert_int_equal(queue_lookup_id(t->st, t->sec, id, NULL, vs, 4, &n), 0);
            int k = 0;
            while (k < n - 1 && strcmp(vs[k].receipt_no, me->receipt_no) != 0)
                k++;    /* a household absent and back under a new receipt has two */
            v = vs[k];
            assert_string_equal(v.receipt_no, me->receipt_no);
            assert_int_equal(v.position, pos);
            assert_int_equal(v.position_then - v.left_housed - v.left_withdrawn - v.left_frozen -
                                 v.moved_behind + v.entered_ahead, v.position);
            if (moved_ahead == 0 || moved_behind == 0) {
                assert_int_equal(v.moved_behind, moved_behind);
                assert_int_equal(v.entered_ahead, moved_ahead + fresh);
            }
        }
        (*n_checked)++;
    }
    free(c.rows);
    free(c.then);
    free(w.rows);
}

static void random_changes(struct testdb *t, int program_id, int steps, bool commit)
{
    const struct queue_store_ops *q = t->st->ops->queue;
    assert_int_equal(store_begin(t->st), 0);
    for (int s = 0; s < steps; s++) {
        char r[24];
        snprintf(r, sizeof r, "R%06lld", (long long)(demo_rand(&rng) % 3000));
        struct entry_row e;
        if (q->entry_get(t->st, program_id, r, &e) != 0)
            continue;
        int to = demo_rand(&rng) % 3 ? (int)(demo_rand(&rng) % ST__COUNT) : ST_WAITING;
        assert_int_equal(q->set_status(t->st, &e, to, 0), 0);
    }
    assert_int_equal(commit ? store_commit(t->st) : store_rollback(t->st), 0);
}

static void test_breakdown_matches_brute_force(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    round_no = 0;
    assert_int_equal(testdb_fill(&t, "prh", 3000, fill, NULL), 0);
    struct program p;
    const struct queue_store_ops *q = t.st->ops->queue;
    assert_int_equal(q->program_get(t.st, "prh", &p), 0);
    struct actor clerk = {.name = "clerk", .roles = ROLE__ALL};
    long long total, checked = 0;
    assert_int_equal(queue_publish(t.st, t.sec, &clerk, "prh", &total), 0);

    random_changes(&t, p.id, 400, true);          /* staff actions */
    check(&t, p.id, &checked);
    random_changes(&t, p.id, 300, false);         /* rolled back: no trace */
    check(&t, p.id, &checked);
    round_no = 1;                                 /* a 10%-changed re-import */
    assert_int_equal(testdb_fill(&t, "prh", 3000, fill, NULL), 0);
    check(&t, p.id, &checked);
    random_changes(&t, p.id, 200, true);
    check(&t, p.id, &checked);

    /* the upgrade's rebuild from the publication snapshot gives the same */
    assert_int_equal(store_begin(t.st), 0);
    assert_int_equal(queue_engine_upgrade(t.st), 0);
    assert_int_equal(store_commit(t.st), 0);
    check(&t, p.id, &checked);

    /* a new publication resets it: nothing changed since */
    assert_int_equal(queue_publish(t.st, t.sec, &clerk, "prh", &total), 0);
    check(&t, p.id, &checked);
    random_changes(&t, p.id, 200, true);
    check(&t, p.id, &checked);

    /* a rule change re-keys everything: the breakdown stays exact */
    struct program p2 = p;
    assert_int_equal(queue_rule_parse("wait_since,tier", &p2), 0);
    assert_int_equal(store_begin(t.st), 0);
    assert_int_equal(q->program_save(t.st, &p2), 0);
    assert_int_equal(store_commit(t.st), 0);
    check(&t, p.id, &checked);
    assert_true(checked > 500);
    testdb_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_breakdown_matches_brute_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
