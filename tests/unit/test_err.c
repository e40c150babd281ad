/* test_err.c — kerr_recode: a callee's detail re-raised under another code,
 * with an option's name before it, in English and in the language in force
 * (kioskctl bed advance --to, bed list --stage).  kerr(e, "--to: %s",
 * kerr_detail()) formatted the buffer it read ("--to: --to: n stage …"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/eldercare.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "unit_lang.h"

static void test_recode_prefix(void **state)
{
    (void)state;
    int stage;
    i18n_set_lang("zh");
    assert_int_equal(bed_stage_parse("approved", &stage), KERR_INPUT);
    assert_int_equal(kerr_recode(KERR_USAGE, "--to"), KERR_USAGE);
    assert_string_equal(kerr_detail(), "--to: unknown stage 'approved' (submitted, street_approved, "
                        "district_approved, assessed, provider_assigned, built, accepted, "
                        "in_service, exited, rejected, withdrawn)");
    /* the local detail keeps the callee's translation */
    assert_non_null(strstr(kerr_detail_local(), "--to: 没有“approved”这个环节"));
    i18n_set_lang("en");
}

static void test_recode_code_only(void **state)
{
    (void)state;
    kerr(KERR_INPUT, "unknown stage '%s'", "x");
    assert_int_equal(kerr_recode(KERR_USAGE, NULL), KERR_USAGE);
    assert_string_equal(kerr_detail(), "unknown stage 'x'");
    assert_int_equal(kiosk_exit_code(KERR_USAGE), 2);
}

static void test_recode_long_detail_cut(void **state)
{
    (void)state;
    char long_text[700];
    memset(long_text, 'a', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    kerr(KERR_INPUT, "%s", long_text);
    kerr_recode(KERR_USAGE, "--opt");
    /* cut to the buffer as kerr() cuts, the prefix kept */
    assert_int_equal(strncmp(kerr_detail(), "--opt: aaa", 10), 0);
    assert_int_equal(strlen(kerr_detail()), 511);
}

int main(void)
{
    unit_lang_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recode_prefix),
        cmocka_unit_test(test_recode_code_only),
        cmocka_unit_test(test_recode_long_detail_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
