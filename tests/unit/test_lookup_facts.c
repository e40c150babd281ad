/* test_lookup_facts.c — the resident look-up in one statement
 * (queue_store_ops.facts, kiosk/store/queue_engine_facts.c):
 *   - every view it builds equals the view from the separate operations it
 *     replaces (position, total, last publication, published position,
 *     breakdown, housed per month), for every demo household, after the
 *     demo's changes since publication and after more random ones; the
 *     monthly allocations equal a recount of the history (the trigger-kept
 *     housed_month, 008), and check_allocations notices an edited count;
 *   - on PostgreSQL (KIOSK_TEST_DB=pg) the server itself counts: with
 *     log_statement = all on the store's own connection, a card holder's
 *     look-up (queue_views_by_hash, queue_lookup_id) is exactly ONE statement
 *     in the server log — no BEGIN, no per-entry follow-ups.
 * On SQLite only the equality runs (the statement text is shared). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <time.h>

#include "kiosk/demo.h"
#include "kiosk/queue.h"
#include "kiosk/store/queue_engine.h"
#include "testdb.h"
#include "tests/pg/stmt_log.h"

#define HOUSEHOLDS 400
#define SEED 11

static struct testdb t;

static double vt_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int setup(void **state)
{
    (void)state;
    setenv("KIOSK_NOW", "2026-11-20 10:00:00", 1);
    if (testdb_open(&t))
        return -1;
    struct demo_summary sum;
    int err = demo_fill(t.st, t.sec, HOUSEHOLDS, SEED, &sum);
    if (err) {
        kerr_print("demo_fill", err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    testdb_close(&t);
    return 0;
}

/* The view the separate operations give (what queue.c did before facts). */
static void old_view(const struct entry_row *e, struct queue_view *v)
{
    const struct queue_store_ops *q = t.st->ops->queue;
    memset(v, 0, sizeof *v);
    assert_int_equal(q->total(t.st, e->program_id, &v->total), 0);
    if (e->status == ST_WAITING)
        assert_int_equal(q->position(t.st, e, &v->position), 0);
    struct publication pub;
    int err = q->last_publication(t.st, e->program_id, &pub);
    if (err != KERR_NOTFOUND) {
        assert_int_equal(err, 0);
        v->has_publication = true;
        long long then = 0;
        err = q->published_position(t.st, pub.id, e->id, &then);
        assert_true(err == 0 || err == KERR_NOTFOUND);
        v->position_then = err ? 0 : then;
        if (e->changed_seq > pub.change_seq) {
            v->own_record_changed = true;
        } else if (e->status == ST_WAITING && v->position_then > 0) {
            struct change_counts c;
            assert_int_equal(q->breakdown(t.st, e, v->position_then, &c), 0);
            v->left_housed = c.left_housed;
            v->left_withdrawn = c.left_withdrawn;
            v->left_frozen = c.left_frozen;
            long long left = c.left_housed + c.left_withdrawn + c.left_frozen;
            long long net = v->position - (v->position_then - left) - c.new_ahead;
            v->entered_ahead = c.new_ahead + (net > 0 ? net : 0);
            v->moved_behind = net < 0 ? -net : 0;
        }
    }
}

struct rows {
    struct entry_row r[8];
    int n;
};

static int grab(void *ctx, const struct entry_row *e)
{
    struct rows *rs = ctx;
    if (rs->n < 8)
        rs->r[rs->n++] = *e;
    return 0;
}

/* Allocations per programme (ids 1-3) and month of the window, recounted
 * from the history itself (not from housed_month, which the trigger keeps). */
static int recount[4][ESTIMATE_MONTHS];
static char recount_first[16];

static void recount_history(const char *first_month)
{
    int y, m;
    assert_int_equal(sscanf(first_month, "%d-%d", &y, &m), 2);
    for (int p = 1; p <= 3; p++)
        for (int k = 0; k < ESTIMATE_MONTHS; k++) {
            int idx = y * 12 + (m - 1) + k;
            char sql[200];
            snprintf(sql, sizeof sql, "SELECT count(*) FROM entry_event WHERE program_id = %d AND "
                     "to_status = 3 AND substr(at, 1, 7) = '%04d-%02d'", p, idx / 12, idx % 12 + 1);
            recount[p][k] = (int)testdb_count(&t, sql);
        }
    snprintf(recount_first, sizeof recount_first, "%s", first_month);
}

/* Every household: the one-statement views against the separate operations. */
static long long compare_all(void)
{
    long long compared = 0, with_breakdown = 0, with_estimate = 0;
    recount_first[0] = '\0';
    for (long long i = 0; i < HOUSEHOLDS; i++) {
        char id[19], name[64];
        demo_resident(SEED, i, id, name, sizeof name);
        struct queue_view vs[8];
        int n = 0;
        int err = queue_lookup_id(t.st, t.sec, id, NULL, vs, 8, &n);
        if (err == KERR_NOTFOUND)
            continue;
        assert_int_equal(err, 0);
        char norm[19];
        assert_int_equal(idnum_normalise(id, norm, NULL), 0);
        unsigned char h[SECRET_HASH_BYTES];
        secret_lookup_hash(t.sec, norm, h);
        struct rows rs = {0};
        assert_int_equal(t.st->ops->queue->entries_by_hash(t.st, h, grab, &rs), 0);
        assert_int_equal(rs.n, n);
        for (int k = 0; k < n; k++) {
            struct queue_view o;
            old_view(&rs.r[k], &o);
            const struct queue_view *v = &vs[k];
            assert_string_equal(v->receipt_no, rs.r[k].receipt_no);
            if (v->total != o.total || v->position != o.position ||
                v->has_publication != o.has_publication || v->position_then != o.position_then ||
                v->own_record_changed != o.own_record_changed || v->left_housed != o.left_housed ||
                v->left_withdrawn != o.left_withdrawn || v->left_frozen != o.left_frozen ||
                v->entered_ahead != o.entered_ahead || v->moved_behind != o.moved_behind)
                fail_msg("%s: one statement %lld/%lld then %lld (%lld %lld %lld +%lld -%lld), "
                         "separate %lld/%lld then %lld (%lld %lld %lld +%lld -%lld)",
                         v->receipt_no, v->position, v->total, v->position_then, v->left_housed,
                         v->left_withdrawn, v->left_frozen, v->entered_ahead, v->moved_behind,
                         o.position, o.total, o.position_then, o.left_housed, o.left_withdrawn,
                         o.left_frozen, o.entered_ahead, o.moved_behind);
            int monthly[ESTIMATE_MONTHS];
            assert_int_equal(t.st->ops->queue->housed_by_month(t.st, rs.r[k].program_id,
                                                               v->first_month, ESTIMATE_MONTHS,
                                                               monthly), 0);
            assert_memory_equal(monthly, v->monthly, sizeof monthly);
            if (strcmp(recount_first, v->first_month))
                recount_history(v->first_month);
            assert_true(rs.r[k].program_id >= 1 && rs.r[k].program_id <= 3);
            assert_memory_equal(recount[rs.r[k].program_id], v->monthly, sizeof monthly);
            with_breakdown += v->left_housed + v->left_withdrawn + v->left_frozen +
                              v->entered_ahead + v->moved_behind > 0;
            with_estimate += v->has_estimate;
            compared++;
        }
    }
    /* the demo's history must exercise what is compared */
    assert_true(compared > HOUSEHOLDS / 2);
    assert_true(with_breakdown > 10);
    assert_true(with_estimate > 10);
    return compared;
}

static void test_facts_equal_separate_operations(void **state)
{
    (void)state;
    compare_all();
    /* more changes after the publication, then again */
    const struct queue_store_ops *q = t.st->ops->queue;
    uint64_t rng = 5;
    assert_int_equal(store_begin(t.st), 0);
    for (long long i = 0; i < HOUSEHOLDS; i += 3) {
        char id[19], name[64], norm[19];
        demo_resident(SEED, i, id, name, sizeof name);
        assert_int_equal(idnum_normalise(id, norm, NULL), 0);
        unsigned char h[SECRET_HASH_BYTES];
        secret_lookup_hash(t.sec, norm, h);
        struct rows rs = {0};
        assert_int_equal(q->entries_by_hash(t.st, h, grab, &rs), 0);
        for (int k = 0; k < rs.n; k++)
            assert_int_equal(q->set_status(t.st, &rs.r[k], (int)(demo_rand(&rng) % ST__COUNT), 0),
                             0);
    }
    /* and allocations this month and last: the trigger counts them */
    assert_int_equal(store_commit(t.st), 0);
    compare_all();
    for (int p = 1; p <= 3; p++) {
        long long bad = -1;
        assert_int_equal(q->check_allocations(t.st, p, &bad), 0);
        assert_int_equal(bad, 0);
    }
}

/* kioskctl check's recount notices a kept count that disagrees with the
 * history (an edit, or a history row added around the trigger). */
static void test_check_sees_allocation_counts_edited(void **state)
{
    (void)state;
    const struct queue_store_ops *q = t.st->ops->queue;
    long long bad = -1;
    assert_int_equal(q->check_allocations(t.st, 1, &bad), 0);
    assert_int_equal(bad, 0);
    assert_true(testdb_count(&t, "SELECT count(*) FROM housed_month WHERE program_id = 1") > 6);
    assert_int_equal(testdb_sql(&t, "UPDATE housed_month SET n = n + 1 WHERE program_id = 1 AND "
                                    "month = (SELECT max(month) FROM housed_month WHERE "
                                    "program_id = 1)"), 0);
    assert_int_equal(q->check_allocations(t.st, 1, &bad), 0);
    assert_int_equal(bad, 1);
    assert_int_equal(testdb_sql(&t, "INSERT INTO housed_month (program_id, month, n) "
                                    "VALUES (1, '1999-01', 4)"), 0);
    assert_int_equal(q->check_allocations(t.st, 1, &bad), 0);
    assert_int_equal(bad, 2);
    assert_int_equal(testdb_sql(&t, "DELETE FROM housed_month WHERE program_id = 1 AND "
                                    "month = '1999-01'"), 0);
    assert_int_equal(testdb_sql(&t, "UPDATE housed_month SET n = n - 1 WHERE program_id = 1 AND "
                                    "month = (SELECT max(month) FROM housed_month WHERE "
                                    "program_id = 1)"), 0);
    assert_int_equal(q->check_allocations(t.st, 1, &bad), 0);
    assert_int_equal(bad, 0);
}

/* ---- PostgreSQL: statements per look-up, as the server logs them ----------- */

static int marked_lookup(const char *tag, bool by_id)
{
    char id[19], name[64];
    demo_resident(SEED, 1, id, name, sizeof name);
    struct queue_view vs[8];
    int n;
    /* warm: the statement is prepared once per connection */
    assert_int_equal(queue_lookup_id(t.st, t.sec, id, NULL, vs, 8, &n), 0);
    struct stmt_log l;
    assert_int_equal(stmt_log_start(t.st, tag, &l), 0);
    if (by_id) {
        assert_int_equal(queue_lookup_id(t.st, t.sec, id, NULL, vs, 8, &n), 0);
    } else {
        char norm[19];
        unsigned char h[SECRET_HASH_BYTES];
        assert_int_equal(idnum_normalise(id, norm, NULL), 0);
        secret_lookup_hash(t.sec, norm, h);
        assert_int_equal(queue_views_by_hash(t.st, t.sec, h, vs, 8, &n), 0);
    }
    assert_true(n >= 1);
    return stmt_log_stop(t.st, &l);
}

static void test_pg_one_statement_per_lookup(void **state)
{
    (void)state;
    assert_string_equal(t.st->ops->name, "postgresql");
    int a = marked_lookup("hash", false), b = marked_lookup("id", true);
    print_message("statements per look-up on PostgreSQL: views_by_hash %d, lookup_id %d\n", a, b);
    assert_int_equal(a, 1);
    assert_int_equal(b, 1);
}

/* A connection cut by the server (what a restart or a network drop does):
 * the next call fails at once with KERR_OFFLINE, then the store reconnects
 * by itself, without blocking, and the look-up statement works again
 * (prepared anew on the new connection). */
static void test_pg_reconnects(void **state)
{
    (void)state;
    char id[19], name[64];
    demo_resident(SEED, 1, id, name, sizeof name);
    struct queue_view vs[8];
    int n;
    assert_int_equal(queue_lookup_id(t.st, t.sec, id, NULL, vs, 8, &n), 0);
    long long pid = -1;
    const struct sql_exec_ops *x = t.st->ops->sql;
    struct sql_stmt *q = x->prepare(t.st, "SELECT pg_backend_pid()");
    assert_non_null(q);
    assert_int_equal(sql_int(x, q, -1, &pid, "pid"), 0);
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%lld)", pid);
    assert_int_equal(testdb_sql(&t, sql), 0);
    usleep(200 * 1000);
    double a = vt_ms();
    int err = queue_lookup_id(t.st, t.sec, id, NULL, vs, 8, &n);
    assert_int_equal(err, KERR_OFFLINE);
    assert_true(vt_ms() - a < 500);     /* no wait on the network */
    /* retried after the back-off (1 s), polled without blocking */
    int tries = 0;
    while ((err = store_ping(t.st)) == KERR_OFFLINE && tries++ < 100) {
        a = vt_ms();
        usleep(100 * 1000);
    }
    print_message("reconnected after %d polls\n", tries);
    assert_int_equal(err, 0);
    assert_int_equal(queue_lookup_id(t.st, t.sec, id, NULL, vs, 8, &n), 0);
    assert_true(n >= 1);
    long long pid2 = -1;
    q = x->prepare(t.st, "SELECT pg_backend_pid()");
    assert_non_null(q);
    assert_int_equal(sql_int(x, q, -1, &pid2, "pid"), 0);
    assert_true(pid2 != pid);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_facts_equal_separate_operations),
        cmocka_unit_test(test_check_sees_allocation_counts_edited),
        cmocka_unit_test(test_pg_one_statement_per_lookup),
        cmocka_unit_test(test_pg_reconnects),
    };
    /* the server-side count exists only where there is a server */
    const struct CMUnitTest *run = tests;
    size_t n = testdb_is_pg() ? 4 : 2;
    return _cmocka_run_group_tests("test_lookup_facts", run, n, setup, teardown);
}
