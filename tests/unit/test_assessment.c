/* test_assessment.c — GB/T 42195-2022 scoring (kiosk/assessment.c): the item
 * table, the configured bands at their edges, the upgrade rules, the stored
 * form and the assessor's file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kiosk/assessment.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "unit_lang.h"

#define BANDS "90,66,46,30"

/* Scores that add up to exactly total (filled from the first item on). */
static void with_total(struct assessment *a, int total)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < ASSESS_ITEMS; i++) {
        int m = assessment_item_max(i);
        int take = total < m ? total : m;
        a->score[i] = take;
        total -= take;
    }
    assert_int_equal(total, 0);
}

static void test_item_table(void **state)
{
    (void)state;
    /* the standard's structure: 8/4/9/5 items, 32/15/28/15 points, 90 in all */
    int items[ASSESS_DIMS] = {0}, points[ASSESS_DIMS] = {0}, total = 0;
    for (int i = 0; i < ASSESS_ITEMS; i++) {
        int d = assessment_item_dim(i);
        assert_true(d >= 0 && d < ASSESS_DIMS);
        items[d]++;
        points[d] += assessment_item_max(i);
        total += assessment_item_max(i);
        assert_true(strlen(assessment_item_name(i, "zh")) > 0);
        assert_true(strlen(assessment_item_code(i)) == 4);
    }
    assert_int_equal(items[AD_SELF_CARE], 8);
    assert_int_equal(items[AD_MOTOR], 4);
    assert_int_equal(items[AD_MENTAL], 9);
    assert_int_equal(items[AD_PERCEPTION], 5);
    assert_int_equal(points[AD_SELF_CARE], 32);
    assert_int_equal(points[AD_MOTOR], 15);
    assert_int_equal(points[AD_MENTAL], 28);
    assert_int_equal(points[AD_PERCEPTION], 15);
    assert_int_equal(total, ASSESS_MAX_TOTAL);
    assert_string_equal(assessment_item_name(20, "zh"), "意识水平");
    assert_string_equal(assessment_dim_name(AD_PERCEPTION, "zh"), "感知觉与社会参与");
}

static void test_band_edges(void **state)
{
    (void)state;
    static const struct { int total, level; } cases[] = {
        {90, AL_INTACT}, {89, AL_MILD}, {66, AL_MILD}, {65, AL_MODERATE}, {46, AL_MODERATE},
        {45, AL_SEVERE}, {30, AL_SEVERE}, {29, AL_COMPLETE}, {0, AL_COMPLETE},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct assessment a;
        with_total(&a, cases[k].total);
        assert_int_equal(assessment_score(&a, BANDS), 0);
        assert_int_equal(a.total, cases[k].total);
        assert_int_equal(a.base_level, cases[k].level);
        assert_int_equal(a.level, cases[k].level);
        assert_false(a.upgraded);
    }
    /* other bands from configuration */
    struct assessment a;
    with_total(&a, 70);
    assert_int_equal(assessment_score(&a, "80,60,40,20"), 0);
    assert_int_equal(a.level, AL_MILD);
    with_total(&a, 19);
    assert_int_equal(assessment_score(&a, "80,60,40,20"), 0);
    assert_int_equal(a.level, AL_COMPLETE);
}

static void test_dimension_totals(void **state)
{
    (void)state;
    struct assessment a;
    with_total(&a, 90);
    a.score[0] = 1;      /* self-care − 3 */
    a.score[11] = 0;     /* stairs − 3 */
    a.score[18] = 0;     /* aggression − 1 */
    a.score[25] = 2;     /* social − 2 */
    assert_int_equal(assessment_score(&a, BANDS), 0);
    assert_int_equal(a.dim_total[AD_SELF_CARE], 29);
    assert_int_equal(a.dim_total[AD_MOTOR], 12);
    assert_int_equal(a.dim_total[AD_MENTAL], 27);
    assert_int_equal(a.dim_total[AD_PERCEPTION], 13);
    assert_int_equal(a.total, 81);
}

static void test_upgrades(void **state)
{
    (void)state;
    struct assessment a;
    /* each reason alone raises one level */
    for (int reason = 0; reason < 3; reason++) {
        with_total(&a, 70);   /* mild */
        a.dementia = reason == 0;
        a.mental_disorder = reason == 1;
        a.risk_events_30d = reason == 2 ? 2 : 0;
        assert_int_equal(assessment_score(&a, BANDS), 0);
        assert_int_equal(a.base_level, AL_MILD);
        assert_int_equal(a.level, AL_MODERATE);
        assert_true(a.upgraded);
    }
    /* one risk event is not enough */
    with_total(&a, 70);
    a.risk_events_30d = 1;
    assert_int_equal(assessment_score(&a, BANDS), 0);
    assert_int_equal(a.level, AL_MILD);
    /* several reasons still raise one level only ("之一") */
    with_total(&a, 90);
    a.dementia = a.mental_disorder = true;
    a.risk_events_30d = 5;
    assert_int_equal(assessment_score(&a, BANDS), 0);
    assert_int_equal(a.level, AL_MILD);
    /* complete cannot go higher */
    with_total(&a, 10);
    a.dementia = true;
    assert_int_equal(assessment_score(&a, BANDS), 0);
    assert_int_equal(a.level, AL_COMPLETE);
    /* coma: complete whatever the scores */
    with_total(&a, 90);
    a.coma = true;
    assert_int_equal(assessment_score(&a, BANDS), 0);
    assert_int_equal(a.base_level, AL_INTACT);
    assert_int_equal(a.level, AL_COMPLETE);
    assert_string_equal(assessment_level_word(a.level, "zh"), "完全失能");
    assert_string_equal(assessment_level_word(AL_MODERATE, "en"), "moderate disability");
}

static void test_bad_input(void **state)
{
    (void)state;
    struct assessment a;
    with_total(&a, 50);
    a.score[11] = 4;      /* stairs max 3 */
    assert_int_equal(assessment_score(&a, BANDS), KERR_INPUT);
    assert_non_null(strstr(kerr_detail(), "B2.4"));
    with_total(&a, 50);
    a.score[0] = -1;
    assert_int_equal(assessment_score(&a, BANDS), KERR_INPUT);
    with_total(&a, 50);
    int bands[4];
    assert_int_equal(assessment_bands_parse("90,66,46", bands), KERR_CONFIG);
    assert_int_equal(assessment_bands_parse("30,46,66,90", bands), KERR_CONFIG);
    assert_int_equal(assessment_bands_parse("90,66,46,30,1", bands), KERR_CONFIG);
    assert_int_equal(assessment_bands_parse("abc", bands), KERR_CONFIG);
    assert_int_equal(assessment_bands_parse("91,66,46,30", bands), KERR_CONFIG);
    assert_int_equal(assessment_score(&a, "90,66,66,30"), KERR_CONFIG);
    assert_int_equal(assessment_bands_parse(BANDS, bands), 0);
    assert_int_equal(bands[3], 30);
}

static void test_encode_decode(void **state)
{
    (void)state;
    struct assessment a, b;
    with_total(&a, 57);
    a.dementia = true;
    a.risk_events_30d = 3;
    snprintf(a.assessed_on, sizeof a.assessed_on, "2025-03-01");
    snprintf(a.diagnoses, sizeof a.diagnoses, "阿尔茨海默病; 高血压=yes");
    assert_int_equal(assessment_score(&a, BANDS), 0);
    char text[512];
    int n = assessment_encode(&a, text, sizeof text);
    assert_true(n > 0 && (size_t)n == strlen(text));
    assert_int_equal(assessment_decode(text, &b), 0);
    assert_memory_equal(a.score, b.score, sizeof a.score);
    assert_true(b.dementia);
    assert_false(b.coma);
    assert_int_equal(b.risk_events_30d, 3);
    assert_int_equal(b.level, a.level);
    assert_int_equal(b.total, 57);
    assert_string_equal(b.assessed_on, "2025-03-01");
    assert_string_equal(b.diagnoses, a.diagnoses);
    assert_int_equal(assessment_decode("garbage", &b), KERR_CRYPTO);
    assert_int_equal(assessment_encode(&a, text, 20), KERR_NOMEM);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_file(void **state)
{
    (void)state;
    char path[] = "/tmp/test_assessment_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    struct assessment a;
    /* all 26 items by code */
    char text[2048] = "# assessor's form\n";
    for (int i = 0; i < ASSESS_ITEMS; i++) {
        char line[32];
        snprintf(line, sizeof line, "%s = %d\n", assessment_item_code(i), assessment_item_max(i) / 2);
        strcat(text, line);
    }
    strcat(text, "dementia=yes\nrisk_events=1\ndiagnoses=高血压\n");
    write_file(path, text);
    assert_int_equal(assessment_parse_file(path, &a), 0);
    assert_true(a.dementia);
    assert_int_equal(a.risk_events_30d, 1);
    assert_string_equal(a.diagnoses, "高血压");
    assert_int_equal(a.score[11], 1);
    /* the compact form */
    write_file(path, "scores=4,4,4,4,4,4,4,4,4,4,4,3,4,4,4,4,4,4,1,1,2,2,2,4,3,4\ncoma=no\n");
    assert_int_equal(assessment_parse_file(path, &a), 0);
    assert_int_equal(assessment_score(&a, BANDS), 0);
    assert_int_equal(a.total, 90);
    /* errors name the file and line */
    write_file(path, "scores=4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,1,1,2,2,2,4,3,4\n");
    assert_int_equal(assessment_parse_file(path, &a), KERR_INPUT);
    assert_non_null(strstr(kerr_detail(), ":1:"));
    write_file(path, "B1.1=4\n");
    assert_int_equal(assessment_parse_file(path, &a), KERR_INPUT);
    assert_non_null(strstr(kerr_detail(), "B1.2"));
    write_file(path, "B1.1=4\nfoo=1\n");
    assert_int_equal(assessment_parse_file(path, &a), KERR_INPUT);
    assert_non_null(strstr(kerr_detail(), ":2: foo"));
    write_file(path, "dementia=maybe\n");
    assert_int_equal(assessment_parse_file(path, &a), KERR_INPUT);
    unlink(path);
    assert_int_equal(assessment_parse_file(path, &a), KERR_IO);
}

/* The assessor's file's errors in the console's language (kerr_detail_local,
 * issue 14): the sentence and the item's name in Chinese; kerr_detail()
 * stays English for kioskctl and scripts. */
static void test_file_errors_in_chinese(void **state)
{
    (void)state;
    char path[] = "/tmp/test_assessment_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    struct assessment a;
    write_file(path, "B1.1=4\n");
    i18n_set_lang("zh");
    assert_int_equal(assessment_parse_file(path, &a), KERR_INPUT);
    i18n_set_lang("en");
    assert_non_null(strstr(kerr_detail(), "B1.2 (grooming) is missing"));
    if (!strstr(kerr_detail_local(), "：缺少 B1.2（修饰）"))
        fail_msg("Chinese detail: %s", kerr_detail_local());
    write_file(path, "dementia=maybe\n");
    i18n_set_lang("zh");
    assert_int_equal(assessment_parse_file(path, &a), KERR_INPUT);
    i18n_set_lang("en");
    if (!strstr(kerr_detail_local(), ":1：dementia：应为 yes 或 no"))
        fail_msg("Chinese detail: %s", kerr_detail_local());
    write_file(path, "B1.1=9\n");
    i18n_set_lang("zh");
    assert_int_equal(assessment_parse_file(path, &a), KERR_INPUT);
    i18n_set_lang("en");
    if (!strstr(kerr_detail_local(), ":1：B1.1：应为 0..4"))
        fail_msg("Chinese detail: %s", kerr_detail_local());
    unlink(path);
}

int main(void)
{
    unit_lang_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_item_table),   cmocka_unit_test(test_band_edges),
        cmocka_unit_test(test_dimension_totals), cmocka_unit_test(test_upgrades),
        cmocka_unit_test(test_bad_input),    cmocka_unit_test(test_encode_decode),
        cmocka_unit_test(test_file),         cmocka_unit_test(test_file_errors_in_chinese),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
