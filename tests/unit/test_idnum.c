/* test_idnum.c — unit tests for kiosk/idnum.c: GB 11643 check characters,
 * normalisation, and the masking of ID numbers and names (DOMAIN.md §3.3–3.4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kiosk/err.h"
#include "kiosk/idnum.h"

/* An independent reference for the check character: ISO 7064 MOD 11-2 as
 * the standard defines it, weight of position i (1-based) = 2^(18-i) mod 11,
 * and check value (12 - S mod 11) mod 11 with 10 written X.  Deliberately not
 * the lookup tables the implementation uses. */
static char ref_check(const char *d17)
{
    long s = 0;
    for (int i = 1; i <= 17; i++) {
        long w = 1;
        for (int k = 0; k < 18 - i; k++)
            w = (w * 2) % 11;
        s += (d17[i - 1] - '0') * w;
    }
    int c = (int)((12 - s % 11) % 11);
    return c == 10 ? 'X' : (char)('0' + c);
}

/* A small deterministic generator, so a failure is reproducible. */
static uint32_t rng_state = 12345u;
static uint32_t rng(void)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return rng_state >> 8;
}

static void test_vectors_valid(void **state)
{
    (void)state;
    assert_int_equal(idnum_check_char("11010519491231002"), 'X');
    assert_int_equal(idnum_check_char("44052418800101001"), '4');
    assert_true(idnum_valid("11010519491231002X"));
    assert_true(idnum_valid("440524188001010014"));
    assert_true(idnum_valid("440303199001010007"));

    char out[IDNUM_LEN + 1];
    const char *why = "unset";
    assert_int_equal(idnum_normalise("440524188001010014", out, &why), 0);
    assert_string_equal(out, "440524188001010014");
    assert_null(why);
}

/* A syntactically right number for the first 17 digits (issue 11: made-up
 * regions and future births must still be refused). */
static const char *with_check(const char *first17)
{
    static char id[IDNUM_LEN + 1];
    snprintf(id, sizeof id, "%s%c", first17, idnum_check_char(first17));
    return id;
}

static void test_region_and_future_birth(void **state)
{
    (void)state;
    char out[IDNUM_LEN + 1];
    const char *why = NULL;
    assert_int_equal(idnum_normalise(with_check("00000019900101001"), out, &why), KERR_INPUT);
    assert_string_equal(why, "region code is not a real one (no such province)");
    assert_int_equal(idnum_normalise(with_check("99030319900101001"), out, &why), KERR_INPUT);
    assert_string_equal(why, "region code is not a real one (no such province)");
    assert_int_equal(idnum_normalise(with_check("44030321500101001"), out, &why), KERR_INPUT);
    assert_string_equal(why, "birth date is in the future");
    /* Hong Kong, Macao and Taiwan residence permits carry 81/82/83 */
    assert_int_equal(idnum_normalise(with_check("81000019900101001"), out, &why), 0);
    assert_int_equal(idnum_normalise(with_check("83000019900101001"), out, &why), 0);
    assert_int_equal(idnum_normalise(with_check("44030320000101001"), out, &why), 0);
}

static void test_lower_case_x(void **state)
{
    (void)state;
    char out[IDNUM_LEN + 1];
    const char *why = NULL;
    assert_int_equal(idnum_normalise("11010519491231002x", out, &why), 0);
    assert_string_equal(out, "11010519491231002X");
    assert_true(idnum_valid("11010519491231002x"));
    /* why may be NULL */
    assert_int_equal(idnum_normalise("11010519491231002x", out, NULL), 0);
}

/* Every check character but the right one is rejected, with the right one
 * named in the message. */
static void check_every_wrong_char(const char *valid)
{
    static const char cands[] = "0123456789Xx";
    char id[IDNUM_LEN + 1], out[IDNUM_LEN + 1], expect[64];
    char right = valid[17];
    snprintf(expect, sizeof expect, "check character is wrong (expected %c)", right);
    for (const char *c = cands; *c; c++) {
        memcpy(id, valid, IDNUM_LEN + 1);
        id[17] = *c;
        const char *why = NULL;
        int rc = idnum_normalise(id, out, &why);
        bool same = *c == right || (*c == 'x' && right == 'X');
        if (same) {
            assert_int_equal(rc, 0);
            assert_true(idnum_valid(id));
        } else {
            assert_int_equal(rc, KERR_INPUT);
            assert_non_null(why);
            assert_string_equal(why, expect);
            assert_false(idnum_valid(id));
        }
    }
}

static void test_every_wrong_check_char(void **state)
{
    (void)state;
    check_every_wrong_char("11010519491231002X");
    check_every_wrong_char("440524188001010014");
    check_every_wrong_char("440303199001010007");
    /* One valid number for each possible check character. */
    bool seen[11] = { false };
    char id[IDNUM_LEN + 1];
    for (unsigned seq = 0; seq < 1000; seq++) {
        snprintf(id, sizeof id, "44030319900101%03u", seq % 1000);
        char c = ref_check(id);
        int k = c == 'X' ? 10 : c - '0';
        if (seen[k])
            continue;
        seen[k] = true;
        id[17] = c;
        id[18] = '\0';
        check_every_wrong_char(id);
    }
    for (int k = 0; k < 11; k++)
        assert_true(seen[k]);
}

/* The implementation agrees with the reference on many random numbers. */
static void test_check_char_matches_reference(void **state)
{
    (void)state;
    char d[18];
    for (int n = 0; n < 20000; n++) {
        for (int i = 0; i < 17; i++)
            d[i] = (char)('0' + rng() % 10);
        d[17] = '\0';
        assert_int_equal(idnum_check_char(d), ref_check(d));
    }
}

static void expect_bad(const char *id, const char *msg)
{
    char out[IDNUM_LEN + 1];
    const char *why = NULL;
    assert_int_equal(idnum_normalise(id, out, &why), KERR_INPUT);
    assert_non_null(why);
    assert_string_equal(why, msg);
    assert_false(idnum_valid(id));
}

/* Build an otherwise valid number around a birth date. */
static void with_birth(const char *ymd, char id[IDNUM_LEN + 1])
{
    snprintf(id, IDNUM_LEN + 1, "440303%s123", ymd);
    id[17] = ref_check(id);
    id[18] = '\0';
}

static void test_bad_birth_dates(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "19990230", "19990231", "20230229", "19000229", "21000229", "20230431",
        "20230631", "20230931", "20231131", "19990001", "19991301", "19990100",
        "19990132", "00000101", "17991231", "99991231",
    };
    static const char *const good[] = {
        "20000229", "20240229", "19991231", "18800101", "20230131", "20230430", "19900101",
    };
    char id[IDNUM_LEN + 1];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        with_birth(bad[i], id);
        expect_bad(id, "birth date is not a real date");
    }
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        with_birth(good[i], id);
        assert_true(idnum_valid(id));
    }
}

static void test_bad_lengths_and_characters(void **state)
{
    (void)state;
    expect_bad("11010519491231002", "must be 18 characters");       /* 17 digits */
    expect_bad("11010519491231002X1", "must be 18 characters");
    expect_bad("", "must be 18 characters");
    expect_bad(" 11010519491231002X", "must be 18 characters");     /* no trimming */
    expect_bad("11010519491231002X ", "must be 18 characters");
    expect_bad("440303199001010", "must be 18 characters");         /* legacy 15 */
    expect_bad("1101051949123100AX", "must be 17 digits then a digit or X");
    expect_bad("A1010519491231002X", "must be 17 digits then a digit or X");
    expect_bad("11010519491231002Y", "must be 17 digits then a digit or X");
    expect_bad("1101051949123100X2", "must be 17 digits then a digit or X");
    expect_bad("11010519491231 02X", "must be 17 digits then a digit or X");
    expect_bad("11010519491231002-", "must be 17 digits then a digit or X");
    /* 18 bytes with a multi-byte character inside */
    expect_bad("110105194912\xE5\xBC\xA0" "002", "must be 17 digits then a digit or X");
    assert_false(idnum_valid(NULL));
    /* Non-digits have no check character. */
    assert_int_equal(idnum_check_char("1101051949123100A"), '\0');
}

static void test_idnum_mask(void **state)
{
    (void)state;
    char out[IDNUM_MASKED_LEN + 1];
    idnum_mask("440303199001011234", out, sizeof out);
    assert_string_equal(out, "4403**********1234");
    idnum_mask("11010519491231002X", out, sizeof out);
    assert_string_equal(out, "1101**********002X");
    idnum_mask("11010519491231002x", out, sizeof out);
    assert_string_equal(out, "1101**********002x");
    /* Short input reveals nothing. */
    idnum_mask("12345", out, sizeof out);
    assert_string_equal(out, "*****");
    idnum_mask("44030319900101123", out, sizeof out);
    assert_string_equal(out, "*****************");
    idnum_mask("", out, sizeof out);
    assert_string_equal(out, "");
    idnum_mask(NULL, out, sizeof out);
    assert_string_equal(out, "");
    /* Over-long input still gives the fixed shape. */
    idnum_mask("440303199001011234567", out, sizeof out);
    assert_string_equal(out, "4403**********4567");
    /* Non-ASCII and control bytes never pass through the mask. */
    idnum_mask("\xE5\xBC\xA0" "30319900101" "1\x01" "34", out, sizeof out);
    assert_string_equal(out, "***3**********1*34");
    assert_null(strchr(out, '\x01'));
    /* A small buffer is cut but terminated. */
    char small[6];
    memset(small, 'Z', sizeof small);
    idnum_mask("440303199001011234", small, sizeof small);
    assert_string_equal(small, "4403*");
    idnum_mask("440303199001011234", small, 1);
    assert_string_equal(small, "");
}

static void expect_name(const char *name, const char *masked)
{
    char out[300];
    memset(out, 'Z', sizeof out);
    name_mask(name, out, sizeof out);
    assert_string_equal(out, masked);
}

static void test_name_mask(void **state)
{
    (void)state;
    expect_name("张三", "张*");
    expect_name("张三丰", "张*丰");
    expect_name("欧阳娜娜", "欧**娜");
    expect_name("爱新觉罗溥仪", "爱****仪");
    expect_name("李", "*");
    expect_name("L", "*");
    expect_name("Li", "L*");
    expect_name("Li Lei", "L****i");
    expect_name("", "");
    expect_name(NULL, "");
    /* 4-byte characters (CJK extension B) are one character each. */
    expect_name("\xF0\xA0\x80\x80\xF0\xA0\x80\x81\xF0\xA0\x80\x82",
                "\xF0\xA0\x80\x80*\xF0\xA0\x80\x82");
    /* Mixed: 阿依古丽·买买提 is 8 characters. */
    expect_name("阿依古丽·买买提", "阿******提");
}

static void test_name_mask_invalid_utf8(void **state)
{
    (void)state;
    /* Each bad byte is one character, shown as '?' so the output stays UTF-8. */
    expect_name("\xFF", "*");
    expect_name("\xFF\xFE", "?*");
    expect_name("张\xFF", "张*");
    expect_name("\xFF张\xFE", "?*?");
    expect_name("\xE5\xBC", "?*");            /* truncated 张 = 2 bad bytes */
    expect_name("\xC0\xAF" "a", "?*a");       /* overlong '/' */
    expect_name("\xED\xA0\x80", "?*?");       /* a UTF-16 surrogate */
    expect_name("a\x80" "b", "a*b");          /* stray continuation byte */
}

static void test_name_mask_small_buffer(void **state)
{
    (void)state;
    char out[8];
    /* Never a partial character, always terminated. */
    name_mask("张三丰", out, 4);
    assert_string_equal(out, "张");
    name_mask("张三丰", out, 3);
    assert_string_equal(out, "");
    name_mask("张三丰", out, 5);
    assert_string_equal(out, "张*");
    name_mask("张三丰", out, 8);
    assert_string_equal(out, "张*丰");
    name_mask("张三丰", out, 7);
    assert_string_equal(out, "张*");
    name_mask("李", out, 1);
    assert_string_equal(out, "");
    /* A 64-character name fits a generous buffer completely. */
    char name[64 * 3 + 1] = "";
    for (int i = 0; i < 64; i++)
        strcat(name, "娜");
    char big[300];
    name_mask(name, big, sizeof big);
    assert_int_equal(strlen(big), 3 + 62 + 3);
}

static void test_last6(void **state)
{
    (void)state;
    assert_true(idnum_last6_matches("11010519491231002X", "31002X"));
    assert_true(idnum_last6_matches("11010519491231002X", "31002x"));
    assert_true(idnum_last6_matches("11010519491231002x", "31002X"));
    assert_true(idnum_last6_matches("440524188001010014", "010014"));
    assert_false(idnum_last6_matches("440524188001010014", "010015"));
    assert_false(idnum_last6_matches("440524188001010014", "110014"));
    assert_false(idnum_last6_matches("11010519491231002X", "31002Y"));
    assert_false(idnum_last6_matches("11010519491231002X", "310020"));
    assert_false(idnum_last6_matches("440524188001010014", "10014"));
    assert_false(idnum_last6_matches("440524188001010014", "0010014"));
    assert_false(idnum_last6_matches("440524188001010014", ""));
    assert_false(idnum_last6_matches("0014", "000014"));
    assert_false(idnum_last6_matches(NULL, "010014"));
    assert_false(idnum_last6_matches("440524188001010014", NULL));
    /* Only x/X fold: other letters are compared exactly. */
    assert_false(idnum_last6_matches("44052418800101001A", "01001a"));
    /* Every single-position difference is noticed. */
    for (int i = 0; i < 6; i++) {
        char l6[7] = "010014";
        l6[i] = l6[i] == '9' ? '0' : (char)(l6[i] + 1);
        assert_false(idnum_last6_matches("440524188001010014", l6));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors_valid),
        cmocka_unit_test(test_lower_case_x),
        cmocka_unit_test(test_region_and_future_birth),
        cmocka_unit_test(test_every_wrong_check_char),
        cmocka_unit_test(test_check_char_matches_reference),
        cmocka_unit_test(test_bad_birth_dates),
        cmocka_unit_test(test_bad_lengths_and_characters),
        cmocka_unit_test(test_idnum_mask),
        cmocka_unit_test(test_name_mask),
        cmocka_unit_test(test_name_mask_invalid_utf8),
        cmocka_unit_test(test_name_mask_small_buffer),
        cmocka_unit_test(test_last6),
    };
    return cmocka_run_group_tests_name("idnum", tests, NULL, NULL);
}
