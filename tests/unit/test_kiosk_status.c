/* test_kiosk_status.c — kiosks report their reader and printer states and a
 * console (or `kioskctl kiosks`) lists those needing attention first; on
 * both backends (tests/pg/run_contract.sh runs this with KIOSK_TEST_DB=pg). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>

#include "kiosk/err.h"
#include "kiosk/heartbeat.h"
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

/* The fleet heartbeat (issue 12, 007_heartbeat.sql): the whole row round-
 * trips on both backends; a device report keeps the heartbeat's fields;
 * names only, never content; age and silence from beat_at. */
static void test_heartbeat(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    struct kiosk_status_row hb = {.reader_state = KDEV_NOT_ANSWERING, .printer_state = KDEV_PAPER_LOW,
                                  .sam_state = KSAM_OK, .screen_at = 1700000000};
    strcpy(hb.kiosk_id, "LH-07");
    strcpy(hb.sam_id, "05.01-20150101-123456789-000000042");
    strcpy(hb.screen, "summary");
    strcpy(hb.version, KIOSK_VERSION_STR);
    long long before = (long long)time(NULL);
    assert_int_equal(kiosk_heartbeat(t.st, &hb), 0);
    struct kiosk_status_row rows[8];
    int n = 0;
    assert_int_equal(kiosk_status_list(t.st, rows, 8, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].kiosk_id, "LH-07");
    assert_int_equal(rows[0].reader_state, KDEV_NOT_ANSWERING);
    assert_string_equal(kdev_state_name(rows[0].reader_state), "not_answering");
    assert_int_equal(rows[0].printer_state, KDEV_PAPER_LOW);
    assert_int_equal(rows[0].sam_state, KSAM_OK);
    assert_string_equal(rows[0].sam_id, "05.01-20150101-123456789-000000042");
    assert_string_equal(rows[0].screen, "summary");
    assert_int_equal(rows[0].screen_at, 1700000000);
    assert_string_equal(rows[0].version, "0.1.0");
    assert_true(rows[0].beat_at >= before && rows[0].beat_at <= (long long)time(NULL));
    assert_true(kiosk_status_needs_attention(&rows[0]));   /* the mute reader */
    /* age and silence */
    assert_int_equal(kiosk_status_age(&rows[0], rows[0].beat_at + 130), 130);
    assert_false(kiosk_status_silent(&rows[0], rows[0].beat_at + 120, 120));
    assert_true(kiosk_status_silent(&rows[0], rows[0].beat_at + 121, 120));
    struct kiosk_status_row never = {.beat_at = 0};
    assert_int_equal(kiosk_status_age(&never, 1700000000), -1);
    assert_true(kiosk_status_silent(&never, 1700000000, 120));
    /* a bare device report keeps the rest of the heartbeat */
    assert_int_equal(kiosk_status_report(t.st, "LH-07", KDEV_READY, KDEV_READY), 0);
    assert_int_equal(kiosk_status_list(t.st, rows, 8, &n), 0);
    assert_int_equal(rows[0].reader_state, KDEV_READY);
    assert_string_equal(rows[0].screen, "summary");
    assert_string_equal(rows[0].version, "0.1.0");
    assert_int_equal(rows[0].sam_state, KSAM_OK);
    assert_false(kiosk_status_needs_attention(&rows[0]));
    /* a SAM fault needs attention */
    hb.reader_state = KDEV_READY;
    hb.printer_state = KDEV_READY;
    hb.sam_state = KSAM_FAULT;
    assert_int_equal(kiosk_heartbeat(t.st, &hb), 0);
    assert_int_equal(kiosk_status_list(t.st, rows, 8, &n), 0);
    assert_true(kiosk_status_needs_attention(&rows[0]));
    /* names only: content (a name, spaces, control bytes) is refused */
    struct kiosk_status_row bad = hb;
    strcpy(bad.screen, "张三");
    assert_int_equal(kiosk_heartbeat(t.st, &bad), KERR_INPUT);
    bad = hb;
    strcpy(bad.screen, "summary 4403");
    assert_int_equal(kiosk_heartbeat(t.st, &bad), KERR_INPUT);
    bad = hb;
    strcpy(bad.version, "1\n2");
    assert_int_equal(kiosk_heartbeat(t.st, &bad), KERR_INPUT);
    bad = hb;
    bad.reader_state = KDEV__COUNT;
    assert_int_equal(kiosk_heartbeat(t.st, &bad), KERR_INPUT);
    bad = hb;
    bad.kiosk_id[0] = '\0';
    assert_int_equal(kiosk_heartbeat(t.st, &bad), KERR_INPUT);
    assert_int_equal(kiosk_status_list(t.st, rows, 8, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].screen, "summary");
    testdb_close(&t);
}

/* When a kiosk writes (kiosk/heartbeat.c): at once, on a change, and every
 * interval — not on every redraw of the same screen. */
static void test_heartbeat_schedule(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    struct heartbeat hb;
    heartbeat_init(&hb, "LH-08", 30);
    assert_int_equal(heartbeat_due_ms(&hb, 1000), 0);                /* the first beat at once */
    heartbeat_devices(&hb, KDEV_READY, KDEV_READY);
    heartbeat_drawn(&hb, "attract", 1700000000);
    assert_int_equal(heartbeat_tick(&hb, t.st, 1000), 0);
    assert_int_equal(heartbeat_due_ms(&hb, 1000), 30000);
    heartbeat_drawn(&hb, "attract", 1700000005);                       /* a redraw: no change */
    heartbeat_devices(&hb, KDEV_READY, KDEV_READY);
    assert_int_equal(heartbeat_due_ms(&hb, 6000), 25000);
    heartbeat_devices(&hb, KDEV_READY, KDEV_PAPER_LOW);                /* a change: now */
    assert_int_equal(heartbeat_due_ms(&hb, 7000), 0);
    assert_int_equal(heartbeat_tick(&hb, t.st, 7000), 0);
    struct kiosk_status_row rows[4];
    int n = 0;
    assert_int_equal(kiosk_status_list(t.st, rows, 4, &n), 0);
    assert_int_equal(rows[0].printer_state, KDEV_PAPER_LOW);
    assert_int_equal(rows[0].screen_at, 1700000005);
    heartbeat_drawn(&hb, "summary", 1700000009);                       /* a new screen: now */
    assert_int_equal(heartbeat_due_ms(&hb, 8000), 0);
    heartbeat_sam(&hb, KSAM_OK, "05.01-1-2-3");
    assert_int_equal(heartbeat_tick(&hb, t.st, 8000), 0);
    assert_int_equal(heartbeat_due_ms(&hb, 37999), 1);
    assert_int_equal(heartbeat_due_ms(&hb, 38000), 0);                 /* the periodic beat */
    assert_int_equal(kiosk_status_list(t.st, rows, 4, &n), 0);
    assert_string_equal(rows[0].screen, "summary");
    assert_string_equal(rows[0].sam_id, "05.01-1-2-3");
    testdb_close(&t);
}

/* A database outage (issue 13): the kiosk remembers since when it could not
 * reach the database, and its first heartbeat after records (from, to); the
 * fleet shows it for a day, and a kiosk that then falls silent is said to
 * have database trouble (likely) rather than plain SILENT. */
static void test_db_outage(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    struct heartbeat hb;
    heartbeat_init(&hb, "LH-09", 30);
    heartbeat_drawn(&hb, "attract", 1700000000);
    assert_int_equal(heartbeat_tick(&hb, t.st, 1000), 0);
    heartbeat_db(&hb, true, 1700000001);               /* reachable, never lost: nothing */
    assert_int_equal(heartbeat_due_ms(&hb, 2000), 29000);
    heartbeat_db(&hb, false, 1700000100);              /* lost ... */
    heartbeat_db(&hb, false, 1700000130);              /* ... still: the first time is kept */
    assert_int_equal(heartbeat_due_ms(&hb, 3000), 28000);   /* nothing to write meanwhile */
    heartbeat_db(&hb, true, 1700000400);               /* back: written at once */
    assert_int_equal(heartbeat_due_ms(&hb, 4000), 0);
    assert_int_equal(heartbeat_tick(&hb, t.st, 4000), 0);
    struct kiosk_status_row rows[4];
    int n = 0;
    assert_int_equal(kiosk_status_list(t.st, rows, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].db_lost_from, 1700000100);
    assert_int_equal(rows[0].db_lost_to, 1700000400);
    /* what the fleet makes of it: recent while alive; silent after one */
    struct kiosk_status_row r = rows[0];
    r.beat_at = 1700000400;
    assert_int_equal(kiosk_status_db_note(&r, 1700000410, 120), KDB_WAS_AWAY);
    assert_int_equal(kiosk_status_db_note(&r, 1700000400 + 60, 120), KDB_WAS_AWAY);
    assert_int_equal(kiosk_status_db_note(&r, 1700000400 + 3600, 120), KDB_SILENT_AWAY);
    r.beat_at = 1700000400 + KDB_RECENT_S + 10;        /* beat on for a day after it */
    assert_int_equal(kiosk_status_db_note(&r, r.beat_at + 10, 120), KDB_NONE);
    assert_int_equal(kiosk_status_db_note(&r, r.beat_at + 3600, 120), KDB_NONE);   /* plain SILENT */
    /* the fleet's words (kioskctl kiosks and the console's fleet panel), local time */
    char words[KDB_TEXT_MAX], want[KDB_TEXT_MAX];
    struct tm ta, tb;
    time_t a = 1700000100, b = 1700000400;
    localtime_r(&a, &ta);
    localtime_r(&b, &tb);
    r.beat_at = 1700000400;
    snprintf(want, sizeof want, "database unreachable %02d-%02d %02d:%02d:%02d to %02d:%02d:%02d, 5 min",
             ta.tm_mon + 1, ta.tm_mday, ta.tm_hour, ta.tm_min, ta.tm_sec, tb.tm_hour, tb.tm_min,
             tb.tm_sec);
    assert_string_equal(kiosk_status_db_text(&r, 1700000410, 120, words, sizeof words), want);
    snprintf(want, sizeof want,
             "silent: database unreachable? (lost it %02d-%02d %02d:%02d:%02d to %02d:%02d:%02d, 5 min)",
             ta.tm_mon + 1, ta.tm_mday, ta.tm_hour, ta.tm_min, ta.tm_sec, tb.tm_hour, tb.tm_min,
             tb.tm_sec);
    assert_string_equal(kiosk_status_db_text(&r, 1700000400 + 3600, 120, words, sizeof words), want);
    r.db_lost_from = r.db_lost_to = 0;
    assert_int_equal(kiosk_status_db_note(&r, 1700000400 + 3600, 120), KDB_NONE);
    assert_string_equal(kiosk_status_db_text(&r, 1700000400 + 3600, 120, words, sizeof words), "");
    char age[32];
    assert_string_equal(kiosk_age_text(-1, age, sizeof age), "never");
    assert_string_equal(kiosk_age_text(119, age, sizeof age), "119 s");
    assert_string_equal(kiosk_age_text(7199, age, sizeof age), "119 min");
    assert_string_equal(kiosk_age_text(7200, age, sizeof age), "2 h");
    assert_string_equal(kiosk_age_text(172800, age, sizeof age), "2 d");
    /* a backwards or half outage is refused, said what and where */
    struct kiosk_status_row bad = rows[0];
    bad.db_lost_to = bad.db_lost_from - 1;
    assert_int_equal(kiosk_heartbeat(t.st, &bad), KERR_INPUT);
    assert_non_null(strstr(kerr_detail(), "LH-09"));
    bad.db_lost_to = 0;
    assert_int_equal(kiosk_heartbeat(t.st, &bad), KERR_INPUT);
    kerr_clear();
    testdb_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_and_list),
        cmocka_unit_test(test_heartbeat),
        cmocka_unit_test(test_heartbeat_schedule),
        cmocka_unit_test(test_db_outage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
