/* test_importer.c — importing bureau lists through the real importer into
 * a real database: accepted forms (BOM, CRLF, quoting), every problem
 * reported as FILE:LINE: column: message with the database unchanged,
 * duplicate receipts, unknown columns, re-import semantics, and export. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kiosk/audit.h"
#include "kiosk/i18n.h"
#include "kiosk/queue.h"
#include "unit_lang.h"
#include "testdb.h"

static struct actor admin = {.name = "admin", .roles = ROLE__ALL};

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Import text as program prh; returns the error and the problem lines. */
static int import_text(struct testdb *t, const char *text, char **errors, struct import_result *res)
{
    char path[160];
    snprintf(path, sizeof path, "%s/list.csv", t->dir);
    write_file(path, text);
    size_t len;
    FILE *errs = open_memstream(errors, &len);
    int err = import_queue(t->st, t->sec, &admin, "prh", path, false, errs, NULL, res);
    fclose(errs);
    return err;
}

static long long count_rows(struct testdb *t, const char *sql)
{
    long long n = testdb_count(t, sql);
    assert_true(n >= 0);
    return n;
}

static void test_accepts_bom_crlf_quotes(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    char *errors = NULL;
    struct import_result res;
    /* columns in another order, BOM, CRLF, a quoted comma, a quoted quote, lower-case x */
    const char *csv =
        "\xEF\xBB\xBFname,receipt_no,id_number,household_size,hukou_district,tier,wait_since,status\r\n"
        "张三,BHJ000001,11010519491231002x,3,\"罗湖区, 东门\",1,2019-03-01,waiting\r\n"
        "\"李\"\"四\",BHJ000002,440524188001010014,2,,0,,\r\n"
        "王五,BHJ000003,110105194912310038,1,福田区,1,2019-03-01,frozen\r\n";
    int err = import_text(&t, csv, &errors, &res);
    if (err)
        fail_msg("import failed: %s", errors);
    assert_int_equal(res.rows, 3);
    assert_int_equal(res.added, 3);
    struct queue_view v[2];
    int n;
    assert_int_equal(queue_lookup_id(t.st, t.sec, "11010519491231002X", NULL, v, 2, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].hukou_district, "罗湖区, 东门");
    assert_int_equal(v[0].position, 2);      /* tier 0 goes first */
    assert_int_equal(v[0].total, 2);         /* frozen holds no position */
    assert_string_equal(v[0].name_masked, "张*");
    /* no plaintext name or ID number anywhere in the database's files */
    assert_int_equal(testdb_disk_contains(&t, "11010519491231002"), 0);
    assert_int_equal(testdb_disk_contains(&t, "张三"), 0);
    free(errors);
    testdb_close(&t);
}

static void test_errors_reported_and_nothing_changed(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    char *errors = NULL;
    struct import_result res;
    const char *good = "receipt_no,id_number,name,household_size\n"
                       "A1,11010519491231002X,张三,3\n";
    assert_int_equal(import_text(&t, good, &errors, &res), 0);
    free(errors);
    long long entries = count_rows(&t, "SELECT count(*) FROM entry");
    long long audits = count_rows(&t, "SELECT count(*) FROM audit");

    const char *bad =
        "receipt_no,id_number,name,household_size,wait_since,status\n"  /* line 1 */
        "B1,11010519491231002X,张三,3,2019-02-31,waiting\n"               /* 2: bad date */
        "B2,110105194912310020,李四,0,,\n"                                /* 3: check char, size */
        "\"B3\",440524188001010014,\"王\n五\",2,,\n"                      /* 4-5: newline in name */
        "B4,440524188001010014,赵六,2,,sleeping\n"                        /* 6: status */
        "B0,440524188001010014,钱七,2,,\n"                                /* 7: duplicate of line 9 */
        "B5,440524188001010014,孙八,2\n"                                  /* 8: field count */
        "B0,440303198001010010,周九,2,,\n";                               /* 9: duplicate receipt */
    int err = import_text(&t, bad, &errors, &res);
    assert_int_equal(err, KERR_INPUT);
    assert_int_equal(kiosk_exit_code(err), 3);
    char path[160];
    snprintf(path, sizeof path, "%s/list.csv", t.dir);
    char expect[256];
    const char *must[] = {":2: wait_since:", ":3: id_number:", ":3: household_size:", ":4: name:",
                          ":6: status:", ":9: receipt_no:", ":8: row:"};
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++) {
        snprintf(expect, sizeof expect, "%s%s", path, must[i]);
        if (!strstr(errors, expect))
            fail_msg("missing '%s' in:\n%s", expect, errors);
    }
    /* never the personal data itself in an error line */
    assert_null(strstr(errors, "11010519491231002X"));
    assert_int_equal(count_rows(&t, "SELECT count(*) FROM entry"), entries);
    assert_int_equal(count_rows(&t, "SELECT count(*) FROM audit"), audits);
    assert_int_equal(count_rows(&t, "SELECT count(*) FROM entry WHERE receipt_no = 'A1' AND status = 0"), 1);
    free(errors);

    /* unknown column, missing column */
    assert_int_equal(import_text(&t, "receipt_no,id_number,name,household_size,colour\nA,B,C,1,x\n",
                                 &errors, &res), KERR_INPUT);
    assert_non_null(strstr(errors, ":1: header:"));
    assert_non_null(strstr(errors, "colour"));
    free(errors);
    assert_int_equal(import_text(&t, "receipt_no,name,household_size\nA,B,1\n", &errors, &res),
                     KERR_INPUT);
    assert_non_null(strstr(errors, "id_number"));
    free(errors);
    assert_int_equal(import_text(&t, "", &errors, &res), KERR_INPUT);
    free(errors);
    assert_int_equal(count_rows(&t, "SELECT count(*) FROM entry"), entries);
    testdb_close(&t);
}

static void test_reimport(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    char *errors = NULL;
    struct import_result res;
    const char *v1 = "receipt_no,id_number,name,household_size,wait_since\n"
                     "R1,11010519491231002X,张三,3,2019-01-01\n"
                     "R2,440524188001010014,李四,2,2019-02-01\n"
                     "R3,110105194912310038,王五,1,2019-03-01\n";
    assert_int_equal(import_text(&t, v1, &errors, &res), 0);
    free(errors);
    /* R1 housed, R2 moved earlier than nobody, R3 gone, R4 new and first */
    const char *v2 = "receipt_no,id_number,name,household_size,wait_since,status\n"
                     "R1,11010519491231002X,张三,3,2019-01-01,housed\n"
                     "R2,440524188001010014,李四,2,2019-02-01,waiting\n"
                     "R4,110105194912310046,赵六,4,2018-12-01,waiting\n";
    assert_int_equal(import_text(&t, v2, &errors, &res), 0);
    free(errors);
    assert_int_equal(res.added, 1);
    assert_int_equal(res.updated, 1);
    assert_int_equal(res.unchanged, 1);
    assert_int_equal(res.removed, 1);
    struct queue_view v;
    int n;
    assert_int_equal(queue_lookup_id(t.st, t.sec, "110105194912310038", NULL, &v, 1, &n), 0);
    assert_int_equal(v.status, ST_REMOVED);
    assert_int_equal(queue_lookup_id(t.st, t.sec, "440524188001010014", NULL, &v, 1, &n), 0);
    assert_int_equal(v.position, 2);
    assert_int_equal(v.total, 2);
    assert_int_equal(count_rows(&t, "SELECT count(*) FROM entry_event WHERE reason = 'absent from import'"), 1);
    long long na, bad;
    assert_int_equal(audit_verify(t.st, t.sec, &na, &bad), 0);
    assert_int_equal(na, 2);
    testdb_close(&t);
}

static void test_export_round_trip(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    char *errors = NULL;
    struct import_result res;
    const char *v1 = "receipt_no,id_number,name,household_size,hukou_district,tier,wait_since,"
                     "insured_since,hukou_since,lottery_no,status\r\n"
                     "R2,440524188001010014,李四,2,\"福田区, 香蜜湖\",1,2019-02-01,,,7,waiting\r\n"
                     "R1,11010519491231002X,张三,3,罗湖区,1,2019-01-01,2018-01-01,2010-05-05,,waiting\r\n"
                     "R3,110105194912310038,王五,1,,0,,,,,frozen\r\n";
    assert_int_equal(import_text(&t, v1, &errors, &res), 0);
    free(errors);
    char *out = NULL;
    size_t len;
    FILE *f = open_memstream(&out, &len);
    assert_int_equal(export_queue(t.st, t.sec, "prh", false, f), 0);
    fclose(f);
    /* waiting first in queue order, then the rest: the same rows back */
    assert_string_equal(out, "receipt_no,id_number,name,household_size,hukou_district,tier,wait_since,"
                             "insured_since,hukou_since,lottery_no,status\r\n"
                             "R1,11010519491231002X,张三,3,罗湖区,1,2019-01-01,2018-01-01,2010-05-05,,waiting\r\n"
                             "R2,440524188001010014,李四,2,\"福田区, 香蜜湖\",1,2019-02-01,,,7,waiting\r\n"
                             "R3,110105194912310038,王五,1,,0,,,,,frozen\r\n");
    free(out);
    f = open_memstream(&out, &len);
    assert_int_equal(export_queue(t.st, t.sec, "prh", true, f), 0);
    fclose(f);
    assert_string_equal(out, "position,receipt_no,household_size,hukou_district\r\n"
                             "1,R1,3,罗湖区\r\n2,R2,2,\"福田区, 香蜜湖\"\r\n");
    free(out);
    testdb_close(&t);
}

/* The refusal in the console's language (kerr_detail_local, issue 14): a
 * whole sentence per count (no English plural "s" left in Chinese), while
 * kerr_detail() — what kioskctl prints and scripts read — stays English. */
static void test_errors_in_chinese(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    char *errors = NULL;
    struct import_result res;
    i18n_set_lang("zh");
    int err = import_text(&t, "receipt_no,id_number,name,household_size\nB1,11010519491231002X,张三,0\n"
                              "B2,11010519491231002X,李四,0\n", &errors, &res);
    i18n_set_lang("en");
    assert_int_equal(err, KERR_INPUT);
    free(errors);
    if (!strstr(kerr_detail(), ": 2 problems found; nothing was imported"))
        fail_msg("English detail: %s", kerr_detail());
    if (!strstr(kerr_detail_local(), "：发现 2 处问题，未导入任何内容") || strstr(kerr_detail_local(), "problem"))
        fail_msg("Chinese detail: %s", kerr_detail_local());
    i18n_set_lang("zh");
    err = import_text(&t, "receipt_no,id_number,name,household_size\nB1,11010519491231002X,张三,0\n",
                      &errors, &res);
    i18n_set_lang("en");
    assert_int_equal(err, KERR_INPUT);
    free(errors);
    if (!strstr(kerr_detail(), ": 1 problem found; nothing was imported"))
        fail_msg("English detail: %s", kerr_detail());
    if (!strstr(kerr_detail_local(), "：发现 1 处问题"))
        fail_msg("Chinese detail: %s", kerr_detail_local());
    testdb_close(&t);
}

int main(void)
{
    unit_lang_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts_bom_crlf_quotes),
        cmocka_unit_test(test_errors_in_chinese),
        cmocka_unit_test(test_errors_reported_and_nothing_changed),
        cmocka_unit_test(test_reimport),
        cmocka_unit_test(test_export_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
