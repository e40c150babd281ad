/* test_kiosk_status.c — kiosks report their reader and printer states and a
 * console (or `kioskctl kiosks`) lists those needing attention first; on
 * both backends (tests/pg/run_contract.sh runs this with KIOSK_TEST_DB=pg). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kiosk/kiosk_status.h"
#include "testdb.h"

static void test_report_and_list(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    struct kiosk_status_row rows[8];
    int n = -1;
    assert_int_equal(kiosk_status_list(t.st, rows, 8, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(kiosk_status_report(t.st, "LH-02", KDEV_READY, KDEV_READY), 0);
    assert_int_equal(kiosk_status_report(t.st, "LH-01", KDEV_READY, KDEV_PAPER_LOW), 0);
    assert_int_equal(kiosk_status_report(t.st, "LH-03", KDEV_ABSENT, KDEV_READY), 0);
    assert_int_equal(kiosk_status_report(t.st, "LH-04", KDEV_READY, KDEV_READY), 0);
    /* a later report replaces the earlier one */
    assert_int_equal(kiosk_status_report(t.st, "LH-04", KDEV_READY, KDEV_PAPER_OUT), 0);
    assert_int_equal(kiosk_status_list(t.st, rows, 8, &n), 0);
    assert_int_equal(n, 4);
    /* paper out, then missing/faulty devices, then paper low, then the rest */
    assert_string_equal(rows[0].kiosk_id, "LH-04");
    assert_int_equal(rows[0].printer_state, KDEV_PAPER_OUT);
    assert_string_equal(rows[1].kiosk_id, "LH-03");
    assert_string_equal(rows[2].kiosk_id, "LH-01");
    assert_string_equal(rows[3].kiosk_id, "LH-02");
    assert_true(kiosk_status_needs_paper(&rows[0]));
    assert_true(kiosk_status_needs_paper(&rows[2]));
    assert_false(kiosk_status_needs_paper(&rows[1]));
    assert_true(kiosk_status_needs_attention(&rows[1]));
    assert_false(kiosk_status_needs_attention(&rows[3]));
    /* bad reports change nothing */
    assert_int_equal(kiosk_status_report(t.st, "", KDEV_READY, KDEV_READY), KERR_INPUT);
    assert_int_equal(kiosk_status_report(t.st, "LH-09", 7, KDEV_READY), KERR_INPUT);
    assert_int_equal(kiosk_status_list(t.st, rows, 8, &n), 0);
    assert_int_equal(n, 4);
    testdb_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_and_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
