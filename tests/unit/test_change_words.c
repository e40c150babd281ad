/* test_change_words.c — the change since the published list in plain words
 * (kiosk/change_words.c, issue 10 item 2): a zero part is never shown, one
 * and many read right in English, the Chinese has no "0 户", and nothing
 * changed says so instead of listing zeros. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/change_words.h"
#include "kiosk/i18n.h"

static void words(const char *lang, long long housed, long long gone, long long frozen,
                  long long behind, long long ahead, char *left, char *in)
{
    struct queue_view q = {.left_housed = housed, .left_withdrawn = gone, .left_frozen = frozen,
                           .moved_behind = behind, .entered_ahead = ahead};
    i18n_set_lang(lang);
    change_words(&q, left, in, 240);
}

static void test_english(void **state)
{
    (void)state;
    char l[240], a[240];
    words("en", 3, 0, 1, 0, 0, l, a);
    assert_string_equal(l, "Of those ahead of you then, 3 households were housed or offered a home, "
                           "1 is paused for now.");
    assert_string_equal(a, "");
    words("en", 0, 0, 0, 2, 1, l, a);
    assert_string_equal(l, "Of those ahead of you then, 2 are now behind you because their details changed.");
    assert_string_equal(a, "1 household that was not ahead of you then is now ahead.");
    words("en", 0, 0, 0, 0, 4, l, a);
    assert_string_equal(l, "");
    assert_string_equal(a, "4 households that were not ahead of you then are now ahead.");
    words("en", 0, 0, 0, 0, 0, l, a);
    assert_string_equal(l, "Nobody ahead of you then has left, paused or moved behind you.");
    /* the longest case fits a view line */
    words("en", 123456, 123456, 123456, 123456, 123456, l, a);
    assert_non_null(strstr(l, "changed."));
}

static void test_chinese(void **state)
{
    (void)state;
    char l[240], a[240];
    words("zh", 5, 2, 0, 0, 0, l, a);
    assert_string_equal(l, "当时排在您前面的人中，5 户已分到住房或正在选房，2 户已退出或被取消轮候。");
    assert_string_equal(a, "");
    words("zh", 0, 0, 0, 0, 3, l, a);
    assert_string_equal(a, "另有 3 户现在排到了您前面。");
    for (int mask = 0; mask < 32; mask++) {
        words("zh", mask & 1, mask & 2, mask & 4, mask & 8, mask & 16, l, a);
        assert_null(strstr(l, "0 户"));
        assert_null(strstr(a, "0 户"));
        assert_true(l[0] || a[0]);
        /* never a line that begins with a comma (CJK wrapping, issue item 2) */
        assert_true(strncmp(l, "，", 3) != 0);
        words("en", mask & 1, mask & 2, mask & 4, mask & 8, mask & 16, l, a);
        assert_null(strstr(l, " 0 "));
    }
}

int main(void)
{
    if (!getenv("KIOSK_LOCALEDIR"))
        setenv("KIOSK_LOCALEDIR", "build/locale", 1);
    i18n_init(NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_english),
        cmocka_unit_test(test_chinese),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
