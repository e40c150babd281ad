/* test_linebreak.c — lines of Chinese and Latin text break where a reader
 * expects: no line begins with closing punctuation or ends with opening
 * punctuation, Latin words stay whole, widths count CJK as two columns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kiosk/linebreak.h"

/* Wrap s at maxcols into lines joined by '|'. */
static void wrap(const char *s, int maxcols, char *out, size_t cap)
{
    size_t o = 0;
    while (*s) {
        int cols;
        size_t n = linebreak_fit(s, maxcols, &cols);
        assert_true(n > 0);
        assert_true(cols <= maxcols || n == strlen(s) || cols > 0);
        if (o)
            out[o++] = '|';
        memcpy(out + o, s, n);
        o += n;
        s += n;
        while (*s == ' ')
            s++;
        /* drop the spaces that ended the line */
        while (o > 0 && out[o - 1] == ' ')
            o--;
    }
    out[o] = '\0';
    assert_true(o < cap);
}

static void test_width(void **state)
{
    (void)state;
    assert_int_equal(linebreak_width("abc"), 3);
    assert_int_equal(linebreak_width("轮候中"), 6);
    assert_int_equal(linebreak_width("第1位，共3户"), 12);
    assert_int_equal(linebreak_width(""), 0);
}

static void test_no_comma_at_line_start(void **state)
{
    (void)state;
    char out[256];
    /* 10 columns: "请保持电话" fits, "，" would begin the next line: 话 goes down with it */
    wrap("请保持电话，有变化时告诉我们。", 10, out, sizeof out);
    assert_string_equal(out, "请保持电|话，有变化|时告诉我|们。");
    for (const char *p = out; (p = strchr(p, '|')); p++)
        assert_true(strncmp(p + 1, "，", 3) && strncmp(p + 1, "。", 3));
    /* opening punctuation stays with what follows */
    wrap("街道办审核（通常10天）", 12, out, sizeof out);
    assert_string_equal(out, "街道办审核|（通常10天）");
}

static void test_latin_words(void **state)
{
    (void)state;
    char out[256];
    wrap("Keep your phone on. Tell the street office.", 16, out, sizeof out);
    assert_string_equal(out, "Keep your phone|on. Tell the|street office.");
    /* a word longer than the line is cut */
    wrap("abcdefghij", 4, out, sizeof out);
    assert_string_equal(out, "abcd|efgh|ij");
    /* mixed: a break between Chinese and Latin is allowed */
    wrap("电话 0755-2222-0000", 8, out, sizeof out);
    assert_string_equal(out, "电话|0755-222|2-0000");
}

/* linebreak_cut: whole characters by display width and by buffer size (a table cell) */
static void test_cut(void **state)
{
    (void)state;
    int cols = -1;
    /* 7 columns of "东门街道": three characters (6), never half of the fourth */
    assert_int_equal(linebreak_cut("东门街道", 7, 64, &cols), 9);
    assert_int_equal(cols, 6);
    assert_int_equal(linebreak_cut("东门街道", 8, 64, &cols), 12);
    assert_int_equal(cols, 8);
    /* a buffer of 8 bytes holds two of them and the NUL (not 2⅓) */
    assert_int_equal(linebreak_cut("东门街道", 100, 8, &cols), 6);
    assert_int_equal(cols, 4);
    /* mixed, and nothing to cut */
    assert_int_equal(linebreak_cut("K-01 正常", 6, 64, &cols), 5);
    assert_int_equal(cols, 5);
    assert_int_equal(linebreak_cut("abc", 100, 64, NULL), 3);
    assert_int_equal(linebreak_cut("", 5, 64, &cols), 0);
    assert_int_equal(cols, 0);
    /* one wide character in one column: nothing fits */
    assert_int_equal(linebreak_cut("街", 1, 64, &cols), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_width),
        cmocka_unit_test(test_no_comma_at_line_start),
        cmocka_unit_test(test_latin_words),
        cmocka_unit_test(test_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
