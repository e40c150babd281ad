/* test_notice.c — the resident-facing notice of the latest decision on an
 * entry or application: saved, replaced, shown only while the status it was
 * given for holds, checked; on both backends (tests/pg/run_contract.sh runs
 * this with KIOSK_TEST_DB=pg). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kiosk/eldercare.h"
#include "kiosk/notice.h"
#include "kiosk/queue_types.h"
#include "testdb.h"

static void test_set_get_replace(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    char ref[64];
    notice_entry_ref("prh", "BHJ0000001", ref, sizeof ref);
    assert_string_equal(ref, "prh/BHJ0000001");
    struct notice n = {.status = ST_OFFERED};
    snprintf(n.offer_deadline, sizeof n.offer_deadline, "2026-12-20");
    snprintf(n.offer_place, sizeof n.offer_place, "3栋1201");
    snprintf(n.offer_contact, sizeof n.offer_contact, "王先生 0755-1234");
    assert_int_equal(notice_set(t.st, NOTICE_ENTRY, ref, &n), 0);
    assert_true(n.at[0]);   /* stamped */
    struct notice got;
    assert_int_equal(notice_get(t.st, NOTICE_ENTRY, ref, ST_OFFERED, &got), 0);
    assert_string_equal(got.offer_place, "3栋1201");
    assert_string_equal(got.offer_deadline, "2026-12-20");
    assert_string_equal(got.at, n.at);
    /* the entry moved on: the offer no longer shows */
    assert_int_equal(notice_get(t.st, NOTICE_ENTRY, ref, ST_WAITING, &got), KERR_NOTFOUND);
    assert_string_equal(got.offer_place, "");
    /* a new decision replaces the old one */
    struct notice fr = {.status = ST_FROZEN};
    snprintf(fr.reason_code, sizeof fr.reason_code, "docs_missing");
    snprintf(fr.reason_text, sizeof fr.reason_text, "缺户口本");
    assert_int_equal(notice_set(t.st, NOTICE_ENTRY, ref, &fr), 0);
    assert_int_equal(notice_get(t.st, NOTICE_ENTRY, ref, ST_FROZEN, &got), 0);
    assert_string_equal(got.reason_code, "docs_missing");
    assert_string_equal(got.offer_place, "");
    assert_int_equal(testdb_count(&t, "SELECT count(*) FROM resident_notice"), 1);
    /* kinds are separate key spaces */
    assert_int_equal(notice_get(t.st, NOTICE_BED, ref, ST_FROZEN, &got), KERR_NOTFOUND);
    struct notice rj = {.status = BS_REJECTED};
    snprintf(rj.reason_code, sizeof rj.reason_code, "under_age");
    assert_int_equal(notice_set(t.st, NOTICE_BED, "CESS75BF2Z", &rj), 0);
    assert_int_equal(notice_get(t.st, NOTICE_BED, "CESS75BF2Z", BS_REJECTED, &got), 0);
    assert_string_equal(got.reason_code, "under_age");
    testdb_close(&t);
}

static void test_bad_deadline(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    struct notice n = {.status = ST_OFFERED};
    const char *bad[] = {"2026-02-30", "2026-13-01", "20261201", "2026-12-1", "tomorrow"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(n.offer_deadline, sizeof n.offer_deadline, "%s", bad[i]);
        assert_int_equal(notice_set(t.st, NOTICE_ENTRY, "prh/X", &n), KERR_INPUT);
    }
    snprintf(n.offer_deadline, sizeof n.offer_deadline, "2028-02-29");
    assert_int_equal(notice_set(t.st, NOTICE_ENTRY, "prh/X", &n), 0);
    assert_int_equal(notice_set(t.st, 7, "prh/X", &n), KERR_USAGE);
    assert_int_equal(testdb_count(&t, "SELECT count(*) FROM resident_notice"), 1);
    testdb_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_get_replace),
        cmocka_unit_test(test_bad_deadline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
