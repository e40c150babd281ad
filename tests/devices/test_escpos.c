/* test_escpos.c — the ESC/POS encoder against golden sequences, and status parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "devices/escpos.h"
#include "kiosk/err.h"
#include "tests/devices/golden.h"

static uint8_t store[4096];

static void expect(const struct escpos_buf *b, const char *golden)
{
    size_t n;
    unsigned char *g = golden_load(golden, &n);
    assert_int_equal(b->err, 0);
    assert_int_equal(b->len, n);
    assert_memory_equal(b->data, g, n);
    free(g);
}

#define CASE(call, golden)                                                                    \
    do {                                                                                      \
        struct escpos_buf b;                                                                  \
        escpos_buf_init(&b, store, sizeof store);                                             \
        call;                                                                                 \
        expect(&b, golden);                                                                   \
        escpos_buf_release(&b);                                                               \
    } while (0)

static void test_simple(void **state)
{
    (void)state;
    CASE(escpos_init(&b), "escpos_init.bin");
    CASE(escpos_align(&b, ESCPOS_CENTER), "escpos_align_center.bin");
    CASE(escpos_size(&b, 2, 2), "escpos_size_2x2.bin");
    CASE(escpos_chinese(&b, true), "escpos_chinese_on.bin");
    CASE(escpos_chinese(&b, false), "escpos_chinese_off.bin");
    CASE(escpos_cut(&b, true), "escpos_cut_partial.bin");
    CASE(escpos_feed(&b, 4), "escpos_feed_4.bin");
    CASE(escpos_status_request(&b, 4), "escpos_status_4.bin");
}

static void test_text(void **state)
{
    (void)state;
    struct escpos_buf b;
    escpos_buf_init(&b, store, sizeof store);
    /* 张三 A€ and an emoji (4 bytes in GB18030 → replaced) */
    assert_int_equal(escpos_text(&b, "张三 A€\xF0\x9F\x98\x80"), 1);
    expect(&b, "escpos_text_zh.bin");
    escpos_buf_release(&b);
    /* control bytes never reach the printer; bad UTF-8 → '?' */
    escpos_buf_init(&b, store, sizeof store);
    assert_int_equal(escpos_text(&b, "a\x1B@b\x1D\x56\x00"), 0);
    assert_int_equal(b.len, 4);            /* ESC and GS dropped; '@' and 'V' are just letters */
    assert_memory_equal(b.data, "a@bV", 4);
    b.len = 0;
    assert_int_equal(escpos_text(&b, "x\xC3(\xED\xA0\x80"), 4);
    assert_memory_equal(b.data, "x?(???", 6);
    escpos_buf_release(&b);
    assert_int_equal(escpos_text_columns("张三 A"), 6);
}

static void test_qr_raster(void **state)
{
    (void)state;
    const char *url = "https://x.cn/q?r=AB&c=CD";
    CASE(escpos_qr(&b, url, strlen(url), 6, ESCPOS_QR_M), "escpos_qr.bin");
    size_t n;
    unsigned char *img = golden_load("escpos_raster_in.bin", &n);
    assert_int_equal(n, 600);
    CASE(escpos_raster(&b, img, 2, 300, 0), "escpos_raster.bin");
    free(img);
}

static void test_overflow(void **state)
{
    (void)state;
    uint8_t small[4];
    struct escpos_buf b;
    escpos_buf_init(&b, small, sizeof small);
    escpos_init(&b);
    escpos_init(&b);
    assert_int_equal(b.err, 0);
    escpos_init(&b);
    assert_int_equal(b.err, KERR_NOMEM);
    assert_int_equal(b.len, 4);
}

static void test_status(void **state)
{
    (void)state;
    struct escpos_status st;
    assert_int_equal(escpos_status_parse(4, 0x12, &st), 0);        /* paper OK */
    assert_false(st.paper_out);
    assert_false(st.near_end);
    assert_int_equal(escpos_status_parse(4, 0x72, &st), 0);        /* no paper */
    assert_true(st.paper_out);
    assert_int_equal(escpos_status_parse(4, 0x1E, &st), 0);        /* low */
    assert_true(st.near_end);
    assert_false(st.paper_out);
    assert_int_equal(escpos_status_parse(2, 0x16, &st), 0);
    assert_true(st.cover_open);
    assert_int_equal(escpos_status_parse(2, 0x32, &st), 0);
    assert_true(st.paper_end_stop);
    assert_int_equal(escpos_status_parse(2, 0x52, &st), 0);
    assert_true(st.error);
    assert_int_equal(escpos_status_parse(1, 0x1A, &st), 0);
    assert_true(st.offline);
    assert_int_equal(escpos_status_parse(4, 0x00, &st), KERR_INPUT);   /* not a reply */
    assert_int_equal(escpos_status_parse(4, 0x93, &st), KERR_INPUT);
}

static void test_profiles(void **state)
{
    (void)state;
    struct printer_profile p;
    escpos_profile(384, false, &p);
    assert_int_equal(p.dots, 384);
    assert_int_equal(p.columns, 32);
    escpos_profile(576, true, &p);
    assert_int_equal(p.dots, 576);
    assert_int_equal(p.columns, 48);
    assert_true(p.native_qr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple),   cmocka_unit_test(test_text),
        cmocka_unit_test(test_qr_raster), cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_status),   cmocka_unit_test(test_profiles),
    };
    return cmocka_run_group_tests_name("escpos", tests, NULL, NULL);
}
