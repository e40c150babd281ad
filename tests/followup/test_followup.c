/* test_followup.c — the follow-up page's core (kiosk/web/) against a real
 * database: the REF → receipt mapping (queue receipt numbers, bed
 * application refs, ambiguous receipt numbers), the code check, the
 * HTML (escaped, masked), the wrong-code limiter, the read-only store and
 * the housed-per-month cache staying exact after a new event. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "kiosk/demo.h"
#include "kiosk/followup.h"
#include "kiosk/i18n.h"
#include "kiosk/config.h"
#include "kiosk/next_steps.h"
#include "kiosk/notice.h"
#include "kiosk/web/fu_html.h"
#include "kiosk/web/fu_limit.h"
#include "kiosk/web/fu_page.h"
#include "kiosk/web/fu_pcache.h"
#include "tests/unit/testdb.h"

static void test_escape(void **state)
{
    (void)state;
    struct fu_buf b;
    fu_buf_init(&b);
    fu_buf_escape(&b, "a<b>&\"c\"'d' 张*三");
    assert_int_equal(b.err, 0);
    assert_string_equal(b.p, "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39; 张*三");
    fu_buf_release(&b);
}

static void test_limit(void **state)
{
    (void)state;
    struct fu_limit *l;
    assert_int_equal(fu_limit_new(3, 16, &l), 0);
    const unsigned char a[4] = {10, 0, 0, 1}, b[4] = {10, 0, 0, 2};
    assert_false(fu_limit_blocked(l, a, 4, 1000));
    assert_false(fu_limit_fail(l, a, 4, 1000));
    assert_false(fu_limit_fail(l, a, 4, 1010));
    assert_false(fu_limit_fail(l, a, 4, 1020));
    assert_false(fu_limit_blocked(l, a, 4, 1020));   /* 3 a minute are allowed */
    assert_true(fu_limit_fail(l, a, 4, 1030));       /* the 4th is over */
    assert_true(fu_limit_blocked(l, a, 4, 1059));
    assert_false(fu_limit_blocked(l, b, 4, 1059));   /* another address is not */
    assert_false(fu_limit_blocked(l, a, 4, 1060));   /* the window is over */
    assert_false(fu_limit_fail(l, a, 4, 1061));      /* and counting starts afresh */
    /* a flood of addresses: the table stays bounded and still tracks the newest */
    for (int i = 0; i < 1000; i++) {
        unsigned char x[16] = {0x20, 0x01, (unsigned char)(i >> 8), (unsigned char)i};
        fu_limit_fail(l, x, 16, 2000);
    }
    unsigned char last[16] = {0x20, 0x01, 999 >> 8, 999 & 255};
    for (int i = 0; i < 3; i++)
        fu_limit_fail(l, last, 16, 2001);
    assert_true(fu_limit_blocked(l, last, 16, 2001));
    fu_limit_free(&l);
    assert_null(l);
}

struct fixture {
    struct testdb t;
    char rno[33], id[19], name[64];
    struct kiosk_config cfg;
    struct ns_config *ns;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f || testdb_open(&f->t))
        return -1;
    struct demo_summary sum;
    if (demo_fill(f->t.st, f->t.sec, 300, 1, &sum))
        return -1;
    demo_resident(1, 0, f->id, f->name, sizeof f->name);
    struct queue_view v[4];
    int n = 0;
    if (queue_lookup_id(f->t.st, f->t.sec, f->id, NULL, v, 4, &n) || n < 1)
        return -1;
    snprintf(f->rno, sizeof f->rno, "%s", v[0].receipt_no);
    config_defaults(&f->cfg);
    if (next_steps_load_default(&f->ns))
        return -1;
    i18n_init("test");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    testdb_close(&f->t);
    next_steps_free(&f->ns);
    free(f);
    return 0;
}

static void test_queue_receipt(void **state)
{
    struct fixture *f = *state;
    char code[FOLLOWUP_CODE_LEN + 1];
    assert_int_equal(followup_code(f->t.sec, f->rno, code), 0);
    struct fu_page *pg = calloc(1, sizeof *pg);
    bool ok;
    assert_int_equal(fu_page_load(f->t.st, f->t.sec, f->rno, code, "zh", pg, &ok), 0);
    assert_true(ok);
    assert_int_equal(pg->n, 1);
    assert_false(pg->item[0].is_bed);
    assert_string_equal(pg->item[0].q.receipt_no, f->rno);
    assert_string_not_equal(pg->item[0].q.name_masked, f->name);

    struct fu_buf b;
    fu_buf_init(&b);
    assert_int_equal(fu_html_page(pg, code, f->ns, "2026-12-01 10:00:00", &b), 0);
    assert_non_null(strstr(b.p, pg->item[0].q.name_masked));
    assert_null(strstr(b.p, f->name));
    assert_null(strstr(b.p, f->id));
    assert_null(strstr(b.p, "<script"));
    if (pg->item[0].q.status == ST_WAITING) {
        char pos[64];
        snprintf(pos, sizeof pos, "<span class=\"big\">%lld</span>", pg->item[0].q.position);
        assert_non_null(strstr(b.p, pos));
    }
    fu_buf_release(&b);

    /* a wrong code: not found, and the limiter is told it was the code */
    code[0] = code[0] == 'A' ? 'B' : 'A';
    assert_int_equal(fu_page_load(f->t.st, f->t.sec, f->rno, code, "zh", pg, &ok), KERR_NOTFOUND);
    assert_false(ok);
    assert_int_equal(pg->n, 0);
    /* an unknown receipt with its genuine code: not found, code fine */
    assert_int_equal(followup_code(f->t.sec, "NOSUCH0001", code), 0);
    assert_int_equal(fu_page_load(f->t.st, f->t.sec, "NOSUCH0001", code, "zh", pg, &ok),
                     KERR_NOTFOUND);
    assert_true(ok);
    /* nonsense in r or c */
    assert_int_equal(fu_page_load(f->t.st, f->t.sec, "<x>", "AAAAAAAA", "zh", pg, &ok), KERR_NOTFOUND);
    assert_int_equal(fu_page_load(f->t.st, f->t.sec, NULL, NULL, "zh", pg, &ok), KERR_NOTFOUND);
    free(pg);
}

/* A clerk's notice (reason, free text) for the entry's current status
 * reaches the page through the same next-steps lines as the kiosk's. */
static void test_notice_on_page(void **state)
{
    struct fixture *f = *state;
    char code[FOLLOWUP_CODE_LEN + 1];
    assert_int_equal(followup_code(f->t.sec, f->rno, code), 0);
    struct fu_page *pg = calloc(1, sizeof *pg);
    bool ok;
    assert_int_equal(fu_page_load(f->t.st, f->t.sec, f->rno, code, "zh", pg, &ok), 0);
    char ref[64];
    notice_entry_ref(pg->item[0].q.program, f->rno, ref, sizeof ref);
    struct notice n = {.status = pg->item[0].q.status};
    snprintf(n.reason_code, sizeof n.reason_code, "docs_missing");
    snprintf(n.reason_text, sizeof n.reason_text, "缺<收入证明>");
    assert_int_equal(notice_set(f->t.st, NOTICE_ENTRY, ref, &n), 0);
    assert_int_equal(fu_page_load(f->t.st, f->t.sec, f->rno, code, "zh", pg, &ok), 0);
    assert_string_equal(pg->item[0].n.reason_code, "docs_missing");
    struct fu_buf b;
    fu_buf_init(&b);
    assert_int_equal(fu_html_page(pg, code, f->ns, "2026-12-01 10:00:00", &b), 0);
    assert_non_null(strstr(b.p, "<dd>申请材料不齐全，需要补交：缺&lt;收入证明&gt;</dd>"));
    /* the office contact of data/next_steps.ini, as on the kiosk */
    assert_non_null(strstr(b.p, "0755-2222-0000"));
    fu_buf_release(&b);
    /* a notice for another status is not shown */
    n.status = pg->item[0].q.status == ST_FROZEN ? ST_WAITING : ST_FROZEN;
    n.at[0] = '\0';
    assert_int_equal(notice_set(f->t.st, NOTICE_ENTRY, ref, &n), 0);
    assert_int_equal(fu_page_load(f->t.st, f->t.sec, f->rno, code, "zh", pg, &ok), 0);
    assert_string_equal(pg->item[0].n.reason_code, "");
    fu_buf_init(&b);
    assert_int_equal(fu_html_page(pg, code, f->ns, "2026-12-01 10:00:00", &b), 0);
    assert_null(strstr(b.p, "收入证明"));
    fu_buf_release(&b);
    free(pg);
}

/* The page cache: a hit gets the page with the new stamp written in; another
 * token (a commit, a new day) empties it; a second language and a collision
 * are kept apart; a cache of 0 keeps nothing. */
static void test_page_cache(void **state)
{
    struct fixture *f = *state;
    struct fu_pcache *pc;
    assert_int_equal(fu_pcache_new(8, &pc), 0);
    fu_pcache_validate(pc, "7|2026-12-01");
    const char page[] = "<p>韩*红 第 3 位</p><footer>As of 2026-12-01T10:00.</footer>";
    size_t at = (size_t)(strstr(page, "2026-12-01T10:00") - page);
    assert_int_equal(fu_pcache_put(pc, "BHJ0000001", "zh", page, strlen(page), at), 0);
    char *html;
    size_t len;
    assert_int_equal(fu_pcache_get(pc, "BHJ0000001", "zh", "2026-12-01T10:05:59", &html, &len), 1);
    assert_int_equal(len, strlen(page));
    assert_non_null(strstr(html, "As of 2026-12-01T10:05."));
    assert_non_null(strstr(html, "韩*红 第 3 位"));
    free(html);
    assert_int_equal(fu_pcache_get(pc, "BHJ0000001", "en", "2026-12-01T10:05:59", &html, &len), 0);
    assert_int_equal(fu_pcache_get(pc, "BHJ0000002", "zh", "2026-12-01T10:05:59", &html, &len), 0);
    fu_pcache_validate(pc, "7|2026-12-01");   /* the same token: kept */
    assert_int_equal(fu_pcache_get(pc, "BHJ0000001", "zh", "2026-12-01T10:06:00", &html, &len), 1);
    free(html);
    fu_pcache_validate(pc, "8|2026-12-01");   /* a commit: gone */
    assert_int_equal(fu_pcache_get(pc, "BHJ0000001", "zh", "2026-12-01T10:06:00", &html, &len), 0);
    long long hits, misses;
    fu_pcache_stats(pc, &hits, &misses);
    assert_int_equal(hits, 2);
    assert_int_equal(misses, 3);
    fu_pcache_free(&pc);
    assert_null(pc);
    /* four keys of one set all stay (4 ways); a fifth pushes out the least recently used */
    assert_int_equal(fu_pcache_new(4, &pc), 0);   /* one set */
    fu_pcache_validate(pc, "1|2026-12-01");
    const char *keys[] = {"R1", "R2", "R3", "R4", "R5"};
    for (int i = 0; i < 4; i++)
        assert_int_equal(fu_pcache_put(pc, keys[i], "zh", page, strlen(page), at), 0);
    for (int i = 3; i >= 0; i--) {   /* R4 … R1 used: R4 is now the least recent */
        assert_int_equal(fu_pcache_get(pc, keys[i], "zh", "2026-12-01T10:05:59", &html, &len), 1);
        free(html);
    }
    assert_int_equal(fu_pcache_put(pc, keys[4], "zh", page, strlen(page), at), 0);
    assert_int_equal(fu_pcache_get(pc, "R4", "zh", "2026-12-01T10:05:59", &html, &len), 0);
    for (int i = 0; i < 5; i++) {
        if (i == 3)
            continue;
        assert_int_equal(fu_pcache_get(pc, keys[i], "zh", "2026-12-01T10:05:59", &html, &len), 1);
        free(html);
    }
    fu_pcache_free(&pc);
    assert_int_equal(fu_pcache_new(0, &pc), 0);
    assert_int_equal(fu_pcache_put(pc, "BHJ0000001", "zh", page, strlen(page), at), 0);
    assert_int_equal(fu_pcache_get(pc, "BHJ0000001", "zh", "2026-12-01T10:05:59", &html, &len), 0);
    fu_pcache_free(&pc);
    /* the token moves when another connection commits, not on reads */
    char t1[96], t2[96], t3[96];
    struct store *ro = NULL;
    assert_int_equal(store_open_readonly(f->t.path, &ro), 0);
    if (strcmp(ro->ops->name, "sqlite") != 0) {
        /* PostgreSQL has no data_version: the server caches nothing there */
        assert_int_equal(fu_page_token(ro, t1, sizeof t1), KERR_UNSUPPORTED);
        store_close(&ro);
        return;
    }
    assert_int_equal(fu_page_token(ro, t1, sizeof t1), 0);
    assert_int_equal(fu_page_token(ro, t2, sizeof t2), 0);
    assert_string_equal(t1, t2);
    struct notice n = {.status = 0};
    assert_int_equal(notice_set(f->t.st, NOTICE_ENTRY, "prh/TOKEN-TEST", &n), 0);
    assert_int_equal(fu_page_token(ro, t3, sizeof t3), 0);
    assert_string_not_equal(t1, t3);
    store_close(&ro);
}

static int collect_ref(void *ctx, const struct bed_summary *s)
{
    snprintf(ctx, 33, "%s", s->ref);
    return 1;   /* stop at the first */
}

static void test_bed_receipt(void **state)
{
    struct fixture *f = *state;
    char ref[33] = "";
    bed_list(f->t.st, BS_IN_SERVICE, collect_ref, ref);
    assert_true(ref[0] != '\0');
    char code[FOLLOWUP_CODE_LEN + 1];
    assert_int_equal(followup_code(f->t.sec, ref, code), 0);
    struct fu_page *pg = calloc(1, sizeof *pg);
    bool ok;
    assert_int_equal(fu_page_load(f->t.st, f->t.sec, ref, code, "en", pg, &ok), 0);
    assert_int_equal(pg->n, 1);
    assert_true(pg->item[0].is_bed);
    assert_int_equal(pg->item[0].b.stage, BS_IN_SERVICE);
    struct fu_buf b;
    fu_buf_init(&b);
    assert_int_equal(fu_html_page(pg, code, f->ns, "2026-12-01 10:00:00", &b), 0);
    assert_non_null(strstr(b.p, "<html lang=\"en\">"));
    assert_non_null(strstr(b.p, pg->item[0].b.provider_phone));
    /* the level word is health data: not on the page */
    assert_true(pg->item[0].b.level_word[0] != '\0');
    assert_null(strstr(b.p, pg->item[0].b.level_word));
    fu_buf_release(&b);
    free(pg);
}

/* Two programmes, the same receipt number: household i on prh, household
 * i + shift on ahp (shift 0: the same household on both). */
static long long shift;
static void fill_same_receipt(long long i, struct bureau_row *r, void *ctx)
{
    (void)ctx;
    testdb_id(i + shift, r->id_number);
    snprintf(r->name, sizeof r->name, "测试%lld", i + shift);
    snprintf(r->receipt_no, sizeof r->receipt_no, "DUP%04lld", i);
    r->household_size = 2;
    r->wait_since = r->insured_since = r->hukou_since = DATE_NONE;
    r->lottery_no = -1;
    r->status = ST_WAITING;
}

static void test_ambiguous(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    shift = 0;
    assert_int_equal(testdb_fill(&t, "prh", 5, fill_same_receipt, NULL), 0);
    assert_int_equal(testdb_fill(&t, "ahp", 5, fill_same_receipt, NULL), 0);
    char code[FOLLOWUP_CODE_LEN + 1];
    assert_int_equal(followup_code(t.sec, "DUP0002", code), 0);
    struct fu_page *pg = calloc(1, sizeof *pg);
    bool ok;
    /* the same household on both programmes: both entries */
    assert_int_equal(fu_page_load(t.st, t.sec, "DUP0002", code, "zh", pg, &ok), 0);
    assert_int_equal(pg->n, 2);
    /* different households with the same number: never one's entry to the other */
    shift = 100;
    assert_int_equal(testdb_fill(&t, "ahp", 5, fill_same_receipt, NULL), 0);
    assert_int_equal(fu_page_load(t.st, t.sec, "DUP0002", code, "zh", pg, &ok), KERR_NOTFOUND);
    assert_true(ok);
    assert_int_equal(pg->n, 0);
    free(pg);
    testdb_close(&t);
}

/* The page's store is read-only, and the allocation counts of the estimate
 * (housed_month, kept by a trigger) count an event another connection wrote. */
static void test_readonly_counts_new_allocations(void **state)
{
    struct fixture *f = *state;
    struct store *ro;
    assert_int_equal(store_open_readonly(f->t.path, &ro), 0);
    assert_int_not_equal(ro->ops->meta_set(ro, "followup-test", "x"), 0);
    char code[FOLLOWUP_CODE_LEN + 1];
    assert_int_equal(followup_code(f->t.sec, f->rno, code), 0);
    struct fu_page *pg = calloc(1, sizeof *pg);
    bool ok;
    assert_int_equal(fu_page_load(ro, f->t.sec, f->rno, code, "zh", pg, &ok), 0);
    assert_true(ok);
    int before[ESTIMATE_MONTHS];
    memcpy(before, pg->item[0].q.monthly, sizeof before);
    /* a housed event in the first month of the window, written by another
     * connection: the next look-up must count it */
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO entry_event (entry_id, program_id, at, actor, action, from_status, "
             "to_status) SELECT id, program_id, '%s-15 10:00:00', 'test', 'accept', 2, 3 FROM entry "
             "WHERE receipt_no = '%s'",
             pg->item[0].q.first_month, f->rno);
    assert_int_equal(testdb_sql(&f->t, sql), 0);
    assert_int_equal(fu_page_load(ro, f->t.sec, f->rno, code, "zh", pg, &ok), 0);
    assert_int_equal(pg->item[0].q.monthly[0], before[0] + 1);
    free(pg);
    store_close(&ro);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_limit),
        cmocka_unit_test(test_queue_receipt),
        cmocka_unit_test(test_notice_on_page),
        cmocka_unit_test(test_page_cache),
        cmocka_unit_test(test_bed_receipt),
        cmocka_unit_test(test_ambiguous),
        cmocka_unit_test(test_readonly_counts_new_allocations),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
