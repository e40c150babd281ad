/* test_store_engines.c — the stores written once over the SQL executor
 * (kiosk/store/{bed,user,status,meta,audit}_engine.c) on the test backend
 * (SQLite; PostgreSQL with KIOSK_TEST_DB=pg, tests/pg/run_contract.sh):
 * long results arrive whole and in order across keyset page boundaries
 * (the bed list, the audit trail), the stage filter holds on every page,
 * callbacks may use the store while a listing runs, and sql_rows reuses
 * its buffer from page to page and reports a failing statement. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kiosk/auth.h"
#include "kiosk/store/bed_store.h"
#include "kiosk/store/sql_exec.h"
#include "testdb.h"

#define N_APPS 600   /* more than two pages of the bed list (256) */
#define N_AUDIT 700  /* more than two pages of the audit trail (256) */

static void fill_app(struct bed_row *r, int i)
{
    memset(r, 0, sizeof *r);
    snprintf(r->ref, sizeof r->ref, "R%06d", i);
    memset(r->elder_hash, i % 3, sizeof r->elder_hash);   /* three elders */
    r->elder_sealed_len = 1 + i % 40;
    memset(r->elder_sealed, 'e', (size_t)r->elder_sealed_len);
    r->has_agent = i % 2;
    if (r->has_agent) {
        memset(r->agent_hash, 7, sizeof r->agent_hash);
        r->agent_sealed_len = 3;
        memcpy(r->agent_sealed, "agt", 3);
    }
    r->address_sealed_len = 4;
    memcpy(r->address_sealed, "addr", 4);
    r->services = 3;
    snprintf(r->consent_at, sizeof r->consent_at, "2026-01-01 00:00:00");
    snprintf(r->kiosk_id, sizeof r->kiosk_id, "K1");
    /* streets (014): every third 黄贝街道, the rest 东门街道 — the street's own walk */
    snprintf(r->street, sizeof r->street, "%s", i % 3 == 0 ? "黄贝街道" : "东门街道");
    r->stage = i % 4;
    snprintf(r->submitted_at, sizeof r->submitted_at, "2026-01-01 00:%02d:%02d", i / 60 % 60,
             i % 60);
}

struct walk {
    struct store *st;
    long long last_id;
    int n, bad;
    int stage;          /* -1: any */
};

/* Checks order and the filter, and uses the store from inside the walk. */
static int on_app(void *p, const struct bed_row *r)
{
    struct walk *w = p;
    if (r->id <= w->last_id || (w->stage >= 0 && r->stage != w->stage))
        w->bad++;
    int i = atoi(r->ref + 1);
    struct bed_row want, again;
    fill_app(&want, i);
    if (r->elder_sealed_len != want.elder_sealed_len ||
        memcmp(r->elder_sealed, want.elder_sealed, (size_t)want.elder_sealed_len) != 0 ||
        r->has_agent != want.has_agent || memcmp(r->elder_hash, want.elder_hash, 32) != 0 ||
        (!r->has_agent && r->agent_sealed_len != 0) || r->assessment_len != 0)
        w->bad++;
    if (i % 97 == 0 &&
        (w->st->ops->bed->get(w->st, r->ref, &again) != 0 || again.id != r->id))
        w->bad++;
    w->last_id = r->id;
    w->n++;
    return 0;
}

static int count_app(void *p, const struct bed_row *r);

static void test_bed_pages(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    const struct bed_store_ops *b = t.st->ops->bed;
    assert_int_equal(store_begin(t.st), 0);
    for (int i = 0; i < N_APPS; i++) {
        struct bed_row r;
        fill_app(&r, i);
        assert_int_equal(b->insert(t.st, &r), 0);
        assert_true(r.id > 0);
    }
    assert_int_equal(store_commit(t.st), 0);
    /* a reference used twice: KERR_EXISTS (and on pg the transaction is spoiled: roll back) */
    struct bed_row dup;
    fill_app(&dup, 5);
    assert_int_equal(store_begin(t.st), 0);
    assert_int_equal(b->insert(t.st, &dup), KERR_EXISTS);
    assert_int_equal(store_rollback(t.st), 0);

    struct walk all = {.st = t.st, .stage = -1};
    assert_int_equal(b->list(t.st, -1, NULL, on_app, &all), 0);
    assert_int_equal(all.n, N_APPS);
    assert_int_equal(all.bad, 0);
    struct walk two = {.st = t.st, .stage = 2};
    assert_int_equal(b->list(t.st, 2, NULL, on_app, &two), 0);
    assert_int_equal(two.n, N_APPS / 4);
    assert_int_equal(two.bad, 0);
    /* one street, in keyset pages of its index (bed_app_street), and one street's stage */
    struct walk hb = {.st = t.st, .stage = -1};
    assert_int_equal(b->list(t.st, -1, "黄贝街道", on_app, &hb), 0);
    assert_int_equal(hb.n, N_APPS / 3);
    assert_int_equal(hb.bad, 0);
    struct walk hb2 = {.st = t.st, .stage = 2};
    assert_int_equal(b->list(t.st, 2, "黄贝街道", on_app, &hb2), 0);
    assert_int_equal(hb2.n, N_APPS / 12);
    int none = 0;
    assert_int_equal(b->list(t.st, -1, "", count_app, &none), 0);
    assert_int_equal(none, 0);

    testdb_close(&t);
}

static int count_app(void *p, const struct bed_row *r)
{
    (void)r;
    (*(int *)p)++;
    return 0;
}

static void test_bed_by_hash(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    const struct bed_store_ops *b = t.st->ops->bed;
    assert_int_equal(store_begin(t.st), 0);
    for (int i = 0; i < 30; i++) {
        struct bed_row r;
        fill_app(&r, i);
        assert_int_equal(b->insert(t.st, &r), 0);
    }
    assert_int_equal(store_commit(t.st), 0);
    unsigned char h[32];
    int n = 0;
    memset(h, 1, sizeof h);   /* elder of i % 3 == 1: 10 applications */
    assert_int_equal(b->by_hash(t.st, h, count_app, &n), 0);
    assert_int_equal(n, 10);
    n = 0;
    memset(h, 7, sizeof h);   /* the agent of every odd one: 15 */
    assert_int_equal(b->by_hash(t.st, h, count_app, &n), 0);
    assert_int_equal(n, 15);
    n = 0;
    memset(h, 9, sizeof h);
    assert_int_equal(b->by_hash(t.st, h, count_app, &n), 0);
    assert_int_equal(n, 0);
    testdb_close(&t);
}

struct audit_walk {
    long long next;
    int n, bad;
};

static int on_rec(void *p, const struct audit_rec *r)
{
    struct audit_walk *w = p;
    char want[32];
    snprintf(want, sizeof want, "obj %lld", r->seq);
    if (r->seq != w->next || strcmp(r->object, want) != 0 || r->hash[0] != (unsigned char)r->seq)
        w->bad++;
    w->next = r->seq + 1;
    w->n++;
    return 0;
}

/* the chain walk: (lane, lane_seq) ascending, every lane from 1 without a gap */
struct lane_walk {
    int lane;
    long long next;
    int n, bad;
};

static int on_lane_rec(void *p, const struct audit_rec *r)
{
    struct lane_walk *w = p;
    if (r->lane != w->lane) {
        if (r->lane < w->lane)
            w->bad++;
        w->lane = r->lane;
        w->next = 1;
    }
    if (r->lane_seq != w->next || r->lane != r->seq % 3 || r->hash[0] != (unsigned char)r->seq)
        w->bad++;
    w->next = r->lane_seq + 1;
    w->n++;
    return 0;
}

static void test_audit_pages(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    assert_int_equal(store_begin(t.st), 0);
    long long lane_n[3] = {0};
    for (int i = 1; i <= N_AUDIT; i++) {
        struct audit_rec r;
        memset(&r, 0, sizeof r);
        r.seq = i;
        r.lane = i % 3;   /* three lanes, interleaved in seq */
        r.lane_seq = ++lane_n[r.lane];
        snprintf(r.at, sizeof r.at, "2026-01-01 00:00:00");
        snprintf(r.actor, sizeof r.actor, "test");
        snprintf(r.action, sizeof r.action, "act");
        snprintf(r.object, sizeof r.object, "obj %d", i);
        memset(r.hash, i & 0xff, sizeof r.hash);
        assert_int_equal(t.st->ops->audit_append(t.st, &r), 0);
    }
    assert_int_equal(store_commit(t.st), 0);
    struct audit_walk w = {.next = 1};
    assert_int_equal(t.st->ops->audit_each(t.st, 1, on_rec, &w), 0);
    assert_int_equal(w.n, N_AUDIT);
    assert_int_equal(w.bad, 0);
    struct audit_walk tail = {.next = 300};
    assert_int_equal(t.st->ops->audit_each(t.st, 300, on_rec, &tail), 0);
    assert_int_equal(tail.n, N_AUDIT - 299);
    assert_int_equal(tail.bad, 0);
    struct audit_rec last;
    assert_int_equal(t.st->ops->audit_last(t.st, &last), 0);
    assert_int_equal(last.seq, N_AUDIT);
    /* the chain walk, its pages (256) ending inside lanes */
    struct lane_walk lw = {.lane = -1};
    assert_int_equal(t.st->ops->audit_walk(t.st, on_lane_rec, &lw), 0);
    assert_int_equal(lw.n, N_AUDIT);
    assert_int_equal(lw.bad, 0);
    assert_int_equal(t.st->ops->audit_lane_last(t.st, 1, &last), 0);
    assert_int_equal(last.lane, 1);
    assert_int_equal(last.lane_seq, lane_n[1]);
    assert_int_equal(last.seq % 3, 1);
    assert_int_equal(t.st->ops->audit_lane_last(t.st, 5, &last), KERR_NOTFOUND);
    testdb_close(&t);
}

static const char SQL_MK[] = "CREATE TABLE rt (k bigint PRIMARY KEY)";
static const char SQL_ADD[] = "INSERT INTO rt (k) VALUES ($1)";
static const char SQL_PAGE[] = "SELECT k FROM rt WHERE k > $1 ORDER BY k LIMIT $2";
static const char SQL_DUP[] = "INSERT INTO rt (k) VALUES ($1) RETURNING k";

static void read_k(const struct sql_exec_ops *x, struct sql_stmt *q, void *row)
{
    *(long long *)row = x->col_int64(q, 0);
}

static void test_sql_rows(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    const struct sql_exec_ops *x = sql_of(t.st);
    assert_int_equal(x->exec(t.st, SQL_MK, "creating"), 0);
    assert_int_equal(store_begin(t.st), 0);
    for (int i = 1; i <= 100; i++) {
        struct sql_stmt *q = x->prepare(t.st, SQL_ADD);
        x->bind_int64(q, 1, i);
        assert_int_equal(sql_done(x, q, "adding"), 0);
    }
    assert_int_equal(store_commit(t.st), 0);
    struct sql_rows page = {.size = sizeof(long long)};
    long long after = 0, seen = 0;
    void *first_buf = NULL;
    do {
        struct sql_stmt *q = x->prepare(t.st, SQL_PAGE);
        x->bind_int64(q, 1, after);
        x->bind_int64(q, 2, 16);
        assert_int_equal(sql_rows(x, q, read_k, &page, "paging"), 0);
        if (!first_buf)
            first_buf = page.rows;
        assert_ptr_equal(page.rows, first_buf);   /* one buffer for the whole walk */
        const long long *k = page.rows;
        for (int i = 0; i < page.n; i++)
            assert_int_equal(k[i], ++seen);
        if (page.n)
            after = k[page.n - 1];
    } while (page.n == 16);
    assert_int_equal(seen, 100);
    /* a statement that fails while stepping: the error, and no rows */
    assert_int_equal(store_begin(t.st), 0);
    struct sql_stmt *q = x->prepare(t.st, SQL_DUP);
    x->bind_int64(q, 1, 5);
    assert_int_equal(sql_rows(x, q, read_k, &page, "adding a duplicate"), KERR_EXISTS);
    assert_int_equal(page.n, 0);
    assert_int_equal(store_rollback(t.st), 0);
    sql_rows_free(&page);
    assert_null(page.rows);
    testdb_close(&t);
}

struct staff_walk {
    struct store *st;
    int n, bad;
};

/* Looks each account up again from inside the listing. */
static int on_staff(void *p, const struct staff_row *u)
{
    struct staff_walk *w = p;
    struct staff_row again;
    if (w->st->ops->user->get(w->st, u->name, &again) != 0 || again.id != u->id ||
        strcmp(again.pwhash, u->pwhash) != 0)
        w->bad++;
    w->n++;
    return 0;
}

static void test_staff_each(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    const struct user_store_ops *u = t.st->ops->user;
    struct org_row org;
    assert_int_equal(store_begin(t.st), 0);
    assert_int_equal(u->org_ensure(t.st, "Org A", "123", &org), 0);
    assert_true(org.id > 0);
    struct org_row again;
    assert_int_equal(u->org_ensure(t.st, "Org A", "", &again), 0);   /* found, phone kept */
    assert_int_equal(again.id, org.id);
    assert_string_equal(again.phone, "123");
    for (int i = 0; i < 40; i++) {
        struct staff_row s;
        memset(&s, 0, sizeof s);
        snprintf(s.name, sizeof s.name, "user%02d", i);
        snprintf(s.pwhash, sizeof s.pwhash, "hash-%d", i);
        s.roles = 1;
        s.org_id = i % 2 ? org.id : 0;
        snprintf(s.created_at, sizeof s.created_at, "2026-01-01 00:00:00");
        assert_int_equal(u->insert(t.st, &s), 0);
        assert_true(s.id > 0);
    }
    assert_int_equal(store_commit(t.st), 0);
    struct staff_walk w = {.st = t.st};
    assert_int_equal(u->each(t.st, on_staff, &w), 0);
    assert_int_equal(w.n, 40);
    assert_int_equal(w.bad, 0);
    testdb_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bed_pages),  cmocka_unit_test(test_bed_by_hash),
        cmocka_unit_test(test_audit_pages), cmocka_unit_test(test_sql_rows),
        cmocka_unit_test(test_staff_each),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
