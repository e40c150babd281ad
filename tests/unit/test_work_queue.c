/* test_work_queue.c — the housing work queue's storage (issue 14; store.h
 * open_page / open_count, migration 011): the offered and frozen entries by
 * since when they are in that status, oldest first or newest first, paged;
 * the counts and the overdue count against a cut-off date; an entry that
 * leaves the status (an acceptance) leaves the queue; a status the bureau's
 * file changed has no known date ('') and sorts first; open_view (the
 * console's page and both counts in one statement) agrees with them.  And the queue
 * browser's status filter (status_page / status_count): one programme's
 * entries in any status by date applied, no date first, shared dates by id,
 * walked by keyset both ways in pages that split shared dates.  Also the storage
 * contract on PostgreSQL (tests/pg/run_contract.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kiosk/err.h"
#include "kiosk/queue.h"
#include "tests/unit/testdb.h"

/* Households 0..199 waiting, except those the test passes as offered in the file. */
static long long file_offered = -1;
static void fill(long long i, struct bureau_row *r, void *ctx)
{
    (void)ctx;
    testdb_id(i, r->id_number);
    snprintf(r->name, sizeof r->name, "居民%lld", i);
    snprintf(r->receipt_no, sizeof r->receipt_no, "BHJ%07lld", i + 1);
    r->household_size = 1;
    r->tier = 0;
    r->wait_since = 16000 + (int32_t)i;
    r->insured_since = r->hukou_since = DATE_NONE;
    r->lottery_no = -1;
    r->status = i == file_offered ? ST_OFFERED : ST_WAITING;
}

struct page {
    char receipt[8][40];
    char since[8][32];
    int n;
};

static int one(void *ctx, const struct entry_row *e, const char *since)
{
    struct page *p = ctx;
    if (p->n < 8) {
        snprintf(p->receipt[p->n], sizeof p->receipt[0], "%s", e->receipt_no);
        snprintf(p->since[p->n], sizeof p->since[0], "%s", since);
        p->n++;
    }
    return 0;
}

/* open_view (the console's page in one statement, issue 13) gives the
 * rows open_page gave, each with its programme's code, and the counts
 * open_count gives for both lists. */
static int one_coded(void *ctx, const struct entry_row *e, const char *since, const char *code)
{
    assert_string_equal(code, "prh");
    return one(ctx, e, since);
}

static void view_agrees(struct testdb *t, int status, bool desc, const char *at, long long id,
                        bool inclusive, int n, const struct page *want)
{
    const char *cut = "2026-02-20";
    struct open_view_query oq = {.status = status, .desc = desc, .from_at = at, .from_id = id,
                                 .inclusive = inclusive, .n = n, .before = {cut, cut}};
    struct page got = {0};
    long long count[2] = {-1, -1}, late[2] = {-1, -1}, c, l;
    assert_int_equal(t->st->ops->queue->open_view(t->st, &oq, count, late, one_coded, &got), 0);
    assert_int_equal(got.n, want->n);
    for (int i = 0; i < got.n; i++) {
        assert_string_equal(got.receipt[i], want->receipt[i]);
        assert_string_equal(got.since[i], want->since[i]);
    }
    assert_int_equal(t->st->ops->queue->open_count(t->st, ST_OFFERED, cut, &c, &l), 0);
    assert_int_equal(count[0], c);
    assert_int_equal(late[0], l);
    assert_int_equal(t->st->ops->queue->open_count(t->st, ST_FROZEN, cut, &c, &l), 0);
    assert_int_equal(count[1], c);
    assert_int_equal(late[1], l);
}

/* A page from the start, or from the key of row k of page `from` (inclusive or after it). */
static void page(struct testdb *t, int status, bool desc, int n, struct page *p)
{
    memset(p, 0, sizeof *p);
    assert_int_equal(t->st->ops->queue->open_page(t->st, status, desc, NULL, 0, true, n, one, p), 0);
    view_agrees(t, status, desc, NULL, 0, true, n, p);
}

static long long id_of(struct testdb *t, const char *receipt)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT id FROM entry WHERE receipt_no = '%s'", receipt);
    return testdb_count(t, sql);
}

static void page_from(struct testdb *t, int status, bool desc, const char *at, const char *receipt,
                      bool inclusive, int n, struct page *p)
{
    memset(p, 0, sizeof *p);
    assert_int_equal(t->st->ops->queue->open_page(t->st, status, desc, at, id_of(t, receipt), inclusive, n,
                                                  one, p),
                     0);
    view_agrees(t, status, desc, at, id_of(t, receipt), inclusive, n, p);
}

/* The kept count (entry_open_n, triggers) against a count of the rows. */
static void counts_agree(struct testdb *t)
{
    long long n, late;
    for (int s = ST_FROZEN; s <= ST_OFFERED; s++) {
        char sql[96];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM entry WHERE status = %d", s);
        assert_int_equal(t->st->ops->queue->open_count(t->st, s, "2099-01-01", &n, &late), 0);
        assert_int_equal(n, testdb_count(t, sql));
    }
}

static void act(struct testdb *t, const char *now, const char *receipt, int action)
{
    struct actor clerk = {.name = "clerk", .roles = ROLE_HOUSING};
    int status;
    setenv("KIOSK_NOW", now, 1);
    assert_int_equal(queue_staff_action(t->st, t->sec, &clerk, "prh", receipt, action, "test", &status), 0);
    unsetenv("KIOSK_NOW");
}

static void test_work_queue(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    int from, to;
    assert_int_equal(t.st->ops->migrate(t.st, &from, &to), 0);
    assert_int_equal(testdb_fill(&t, "prh", 200, fill, NULL), 0);
    const struct queue_store_ops *q = t.st->ops->queue;
    long long n = -1, late = -1;
    assert_int_equal(q->open_count(t.st, ST_OFFERED, "2026-01-01", &n, &late), 0);
    assert_int_equal(n, 0);
    assert_int_equal(late, 0);
    struct page none = {0};
    view_agrees(&t, ST_OFFERED, false, NULL, 0, true, 40, &none);   /* empty: the counts still */

    /* offers on three dates (not in receipt order), one freeze */
    act(&t, "2026-03-10 09:00:00", "BHJ0000050", QA_OFFER);
    act(&t, "2026-01-20 09:00:00", "BHJ0000100", QA_OFFER);
    act(&t, "2026-02-15 09:00:00", "BHJ0000007", QA_OFFER);
    act(&t, "2026-02-01 09:00:00", "BHJ0000009", QA_FREEZE);
    assert_int_equal(q->open_count(t.st, ST_OFFERED, "2026-02-20", &n, &late), 0);
    assert_int_equal(n, 3);
    assert_int_equal(late, 2);   /* offered before 20 February */
    assert_int_equal(q->open_count(t.st, ST_FROZEN, "2026-02-20", &n, &late), 0);
    assert_int_equal(n, 1);
    assert_int_equal(late, 1);

    struct page p;
    page(&t, ST_OFFERED, false, 40, &p);   /* oldest first */
    assert_int_equal(p.n, 3);
    assert_string_equal(p.receipt[0], "BHJ0000100");
    assert_string_equal(p.receipt[1], "BHJ0000007");
    assert_string_equal(p.receipt[2], "BHJ0000050");
    assert_string_equal(p.since[0], "2026-01-20 09:00:00");
    page(&t, ST_OFFERED, true, 40, &p);    /* newest first */
    assert_int_equal(p.n, 3);
    assert_string_equal(p.receipt[0], "BHJ0000050");
    assert_string_equal(p.receipt[2], "BHJ0000100");
    /* keyset: after the first row; from it (inclusive); backwards before the last */
    page_from(&t, ST_OFFERED, false, "2026-01-20 09:00:00", "BHJ0000100", false, 1, &p);
    assert_int_equal(p.n, 1);
    assert_string_equal(p.receipt[0], "BHJ0000007");
    page_from(&t, ST_OFFERED, false, "2026-01-20 09:00:00", "BHJ0000100", true, 2, &p);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.receipt[0], "BHJ0000100");
    assert_string_equal(p.receipt[1], "BHJ0000007");
    page_from(&t, ST_OFFERED, true, "2026-03-10 09:00:00", "BHJ0000050", false, 40, &p);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.receipt[0], "BHJ0000007");
    assert_string_equal(p.receipt[1], "BHJ0000100");
    counts_agree(&t);
    page(&t, ST_FROZEN, false, 40, &p);
    assert_int_equal(p.n, 1);
    assert_string_equal(p.receipt[0], "BHJ0000009");
    assert_string_equal(p.since[0], "2026-02-01 09:00:00");
    /* only offered or frozen entries have a work queue */
    assert_int_equal(q->open_page(t.st, ST_WAITING, false, NULL, 0, true, 40, one, &p), KERR_USAGE);
    kerr_clear();

    /* acting on one: the acceptance takes it out of the queue */
    act(&t, "2026-03-12 09:00:00", "BHJ0000100", QA_ACCEPT);
    assert_int_equal(q->open_count(t.st, ST_OFFERED, "2026-02-20", &n, &late), 0);
    assert_int_equal(n, 2);
    assert_int_equal(late, 1);
    page(&t, ST_OFFERED, false, 40, &p);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.receipt[0], "BHJ0000007");
    /* a refusal puts it back in the waiting list: out of the queue too */
    act(&t, "2026-03-13 09:00:00", "BHJ0000007", QA_REFUSE);
    page(&t, ST_OFFERED, false, 40, &p);
    assert_int_equal(p.n, 1);
    assert_string_equal(p.receipt[0], "BHJ0000050");
    /* offered again later: the clock starts again */
    act(&t, "2026-04-01 09:00:00", "BHJ0000007", QA_OFFER);
    page(&t, ST_OFFERED, false, 40, &p);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.receipt[1], "BHJ0000007");
    assert_string_equal(p.since[1], "2026-04-01 09:00:00");

    /* a re-import that offers household 20 (the file has no date): '' and first;
     * the staff's offers the file repeats keep their dates */
    file_offered = 19;
    assert_int_equal(testdb_fill(&t, "prh", 200, fill, NULL), 0);
    file_offered = -1;
    page(&t, ST_OFFERED, false, 40, &p);
    assert_int_equal(p.n, 1);   /* the file said waiting for the others: they wait again */
    assert_string_equal(p.receipt[0], "BHJ0000020");
    assert_string_equal(p.since[0], "");
    assert_int_equal(q->open_count(t.st, ST_OFFERED, "2026-02-20", &n, &late), 0);
    assert_int_equal(n, 1);
    assert_int_equal(late, 0);   /* no date: never counted overdue */
    counts_agree(&t);
    testdb_close(&t);
}

/* Households 0..199: the first ten with no date applied, then three a day. */
static void fill_dates(long long i, struct bureau_row *r, void *ctx)
{
    fill(i, r, ctx);
    r->wait_since = i < 10 ? DATE_NONE : 16000 + (int32_t)(i / 3);
}

struct spage {
    struct entry_row e[8];
    int n;
};

static int sone(void *ctx, const struct entry_row *e)
{
    struct spage *p = ctx;
    if (p->n < 8)
        p->e[p->n++] = *e;
    return 0;
}

/* Walk the waiting list by keyset in pages of 7, from the start to the end:
 * the receipt numbers in order (ascending: 1..200, the fill order). */
static void walk(struct testdb *t, int program_id, bool desc)
{
    const struct queue_store_ops *q = t->st->ops->queue;
    struct spage p = {0};
    int seen = 0;
    bool have = false;
    int64_t kw = 0;
    long long kid = 0;
    do {
        p.n = 0;
        assert_int_equal(q->status_page(t->st, program_id, ST_WAITING, desc, have, kw, kid, false, 7, sone, &p), 0);
        for (int i = 0; i < p.n; i++) {
            char want[16];
            snprintf(want, sizeof want, "BHJ%07d", desc ? 200 - seen : seen + 1);
            assert_string_equal(p.e[i].receipt_no, want);
            seen++;
        }
        if (p.n) {
            kw = p.e[p.n - 1].key[OK_WAIT_SINCE];
            kid = p.e[p.n - 1].id;
            have = true;
        }
    } while (p.n == 7);
    assert_int_equal(seen, 200);
}

static void test_status_page(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    int from, to;
    assert_int_equal(t.st->ops->migrate(t.st, &from, &to), 0);
    assert_int_equal(testdb_fill(&t, "prh", 200, fill_dates, NULL), 0);
    const struct queue_store_ops *q = t.st->ops->queue;
    struct program prog;
    assert_int_equal(q->program_get(t.st, "prh", &prog), 0);
    walk(&t, prog.id, false);
    walk(&t, prog.id, true);
    /* from a row with no date, inclusive; and from a dated row backwards into the undated */
    struct spage p = {0};
    long long id5 = id_of(&t, "BHJ0000005"), id12 = id_of(&t, "BHJ0000012");
    assert_int_equal(q->status_page(t.st, prog.id, ST_WAITING, false, true, NONE_I64, id5, true, 3, sone, &p), 0);
    assert_int_equal(p.n, 3);
    assert_string_equal(p.e[0].receipt_no, "BHJ0000005");
    assert_string_equal(p.e[2].receipt_no, "BHJ0000007");
    p.n = 0;
    assert_int_equal(q->status_page(t.st, prog.id, ST_WAITING, true, true, 16000 + 11 / 3, id12, false, 4, sone,
                                    &p), 0);
    assert_int_equal(p.n, 4);
    assert_string_equal(p.e[0].receipt_no, "BHJ0000011");
    assert_string_equal(p.e[1].receipt_no, "BHJ0000010");
    assert_string_equal(p.e[2].receipt_no, "BHJ0000009");   /* no date: before every dated row */
    /* the counts: waiting from the rank tree, offered kept, housed counted up to the cap */
    act(&t, "2026-03-10 09:00:00", "BHJ0000050", QA_OFFER);
    act(&t, "2026-03-10 09:00:00", "BHJ0000060", QA_OFFER);
    act(&t, "2026-03-11 09:00:00", "BHJ0000060", QA_ACCEPT);
    long long n = -1;
    assert_int_equal(q->status_count(t.st, prog.id, ST_WAITING, 1000, &n), 0);
    assert_int_equal(n, 198);
    assert_int_equal(q->status_count(t.st, prog.id, ST_OFFERED, 1000, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(q->status_count(t.st, prog.id, ST_HOUSED, 1000, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(q->status_count(t.st, prog.id, ST_FROZEN, 1000, &n), 0);
    assert_int_equal(n, 0);
    p.n = 0;
    assert_int_equal(q->status_page(t.st, prog.id, ST_HOUSED, false, false, 0, 0, false, 8, sone, &p), 0);
    assert_int_equal(p.n, 1);
    assert_string_equal(p.e[0].receipt_no, "BHJ0000060");
    assert_int_equal(q->status_count(t.st, prog.id, ST_WITHDRAWN, 1000, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(q->status_page(t.st, prog.id, 99, false, false, 0, 0, false, 8, sone, &p), KERR_USAGE);
    kerr_clear();
    testdb_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_work_queue),
        cmocka_unit_test(test_status_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
