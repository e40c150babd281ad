/* test_receipt.c — follow-up codes, on-screen QR size, receipt layout budget
 * (bytes and build time), and the rendered receipt's QR read back by zbarimg. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "devices/qr.h"
#include "devices/receipt.h"
#include "devices/receipt_render.h"
#include "kiosk/err.h"
#include "kiosk/followup.h"
#include "kiosk/secret.h"

static struct secret key;   /* followup key = 32 × 0x07 */

static void fill_model(struct receipt_model *m, const char *lang)
{
    memset(m, 0, sizeof *m);
    strcpy(m->program, "公共租赁住房");
    strcpy(m->name_masked, "欧**娜");
    strcpy(m->id_masked, "4403**********1234");
    strcpy(m->position, "128");
    strcpy(m->total, "34012");
    strcpy(m->datetime, "2026-11-29 17:50");
    strcpy(m->kiosk_id, "FT-LIANHUA-01");
    strcpy(m->reference, "7M2KQ9XD4R");
    strcpy(m->language, lang);
    /* the next step as kiosk/next_steps.c words an offer (data/next_steps.ini) */
    strcpy(m->status_line, "已为您安排选房，请在截止日期前答复。");
    strcpy(m->next_label, "您需要做什么");
    strcpy(m->next_step, "请在 2026-12-06 前到3栋1201（东门街道党群服务中心旁）看房并签约，"
                         "签约当天需缴纳押金；不去视为放弃。");
    strcpy(m->deadline, "2026-12-06");
    strcpy(m->contact_label, "联系谁");
    strcpy(m->contact, "王先生 0755-2222-0001");
    assert_int_equal(followup_url(&key, "https://fw.szft.gov.cn/q", m->reference,
                                  m->followup_url, sizeof m->followup_url), 0);
}

static void test_followup(void **state)
{
    (void)state;
    char code[FOLLOWUP_CODE_LEN + 1], url[128];
    /* Expected value computed independently with Python's hmac module. */
    assert_int_equal(followup_code(&key, "7M2KQ9XD4R", code), 0);
    assert_string_equal(code, "6QB3Q8VH");
    assert_true(followup_verify(&key, "7M2KQ9XD4R", "6QB3Q8VH"));
    assert_true(followup_verify(&key, "7M2KQ9XD4R", "6qb3q8vh"));     /* typed in lower case */
    assert_false(followup_verify(&key, "7M2KQ9XD4R", "6QB3Q8VJ"));    /* one digit changed */
    assert_false(followup_verify(&key, "7M2KQ9XD4S", "6QB3Q8VH"));    /* other ref */
    assert_false(followup_verify(&key, "7M2KQ9XD4R", "6QB3Q8V"));
    assert_false(followup_verify(&key, "bad ref!", "6QB3Q8VH"));
    struct secret other;
    memset(&other, 8, sizeof other);
    assert_false(followup_verify(&other, "7M2KQ9XD4R", "6QB3Q8VH"));  /* other site */
    assert_int_equal(followup_url(&key, "https://fw.szft.gov.cn/q", "7M2KQ9XD4R", url, sizeof url), 0);
    assert_string_equal(url, "https://fw.szft.gov.cn/q?r=7M2KQ9XD4R&c=6QB3Q8VH");
    assert_int_equal(followup_url(&key, "https://a.cn/q?x=1", "AB", url, sizeof url), 0);
    assert_non_null(strstr(url, "?x=1&r=AB&c="));
    assert_int_equal(followup_url(&key, "", "AB", url, sizeof url), KERR_INPUT);
    assert_int_equal(followup_url(&key, "https://a.cn", "AB", url, 10), KERR_NOMEM);
    char ref[FOLLOWUP_REF_LEN + 1], ref2[FOLLOWUP_REF_LEN + 1];
    followup_ref_new(ref);
    followup_ref_new(ref2);
    assert_int_equal(strlen(ref), FOLLOWUP_REF_LEN);
    assert_true(followup_ref_valid(ref));
    assert_string_not_equal(ref, ref2);
}

static void test_screen_qr(void **state)
{
    (void)state;
    /* 60 bytes, mixed case: the worst case the spec allows must fit 80×24. */
    const char *url = "https://followup.futian.sz.gov.cn/k?r=7M2KQ9XD4R&c=6QB3Q8VH0";
    assert_int_equal(strlen(url), 60);
    struct qr_text t;
    assert_int_equal(qr_text_for(url, 2, &t), 0);
    assert_true(t.cols <= 41);
    assert_true(t.lines <= 21);
    /* every line is cols columns of half blocks/spaces; quiet rows are blank */
    for (int i = 0; i < t.lines; i++) {
        int cols = 0;
        for (const unsigned char *p = (const unsigned char *)t.line[i]; *p; p++)
            cols += (*p & 0xC0) != 0x80;
        assert_int_equal(cols, t.cols);
    }
    assert_null(strchr(t.line[0] + 0, '\xE2'));                 /* top quiet line: spaces only */
    assert_non_null(strstr(t.line[1], "\u2588"));               /* the finder pattern's █ */
    qr_text_free(&t);
}

static double build_us(const struct receipt_model *m, const struct printer_profile *p,
                       uint8_t *buf, int *len)
{
    double best = 1e9;
    for (int i = 0; i < 200; i++) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        *len = receipt_build(m, p, buf, RECEIPT_MAX_BYTES);
        clock_gettime(CLOCK_MONOTONIC, &b);
        double us = (double)(b.tv_sec - a.tv_sec) * 1e6 + (double)(b.tv_nsec - a.tv_nsec) / 1e3;
        best = us < best ? us : best;
    }
    return best;
}

/* Render to PNG and decode with zbarimg: the output must be exactly the URL. */
static void zbar_roundtrip(const uint8_t *buf, int n, int dots, const char *want)
{
    char png[64], cmd[160], got[512] = "";
    struct render_page pg;
    snprintf(png, sizeof png, "/tmp/kiosk-receipt-%d.png", (int)getpid());
    assert_int_equal(receipt_render(buf, (size_t)n, dots, &pg), 0);
    assert_int_equal(pg.truncated, 0);
    assert_int_equal(pg.unknown_commands, 0);
    assert_int_equal(render_page_write_png(&pg, png), 0);
    render_page_free(&pg);
    snprintf(cmd, sizeof cmd, "zbarimg -q --raw %s 2>/dev/null", png);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    size_t k = fread(got, 1, sizeof got - 1, f);
    pclose(f);
    unlink(png);
    got[k] = '\0';
    if (k && got[k - 1] == '\n')
        got[k - 1] = '\0';
    assert_string_equal(got, want);
}

static void test_receipt_58_raster(void **state)
{
    (void)state;
    static uint8_t buf[RECEIPT_MAX_BYTES];
    struct receipt_model m;
    struct printer_profile p;
    int n;
    fill_model(&m, "zh");
    escpos_profile(384, false, &p);
    double us = build_us(&m, &p, buf, &n);
    printf("# receipt 58mm raster QR: %d bytes, built in %.0f us\n", n, us);
    assert_true(n > 0);
    assert_true(n <= RECEIPT_58_BUDGET);
#ifndef KIOSK_SANITIZED
    assert_true(us <= 1000.0);
#endif
    /* masked strings only: the layout never adds identity */
    assert_null(memmem(buf, (size_t)n, "\x1B\x40\x1B\x40", 4));
    zbar_roundtrip(buf, n, 384, m.followup_url);
}

static void test_receipt_58_worst(void **state)
{
    (void)state;
    static uint8_t buf[RECEIPT_MAX_BYTES];
    struct receipt_model m;
    struct printer_profile p;
    fill_model(&m, "zh");
    /* the longest URL the spec promises, long texts everywhere */
    strcpy(m.followup_url, "https://followup.futian.sz.gov.cn/k?r=7M2KQ9XD4R&c=6QB3Q8VH0");
    strcpy(m.program, "安居型商品房/共有产权住房 Affordable and shared-ownership housing");
    strcpy(m.stage, "区民政审核通过，等待评估机构上门评估 district approved, awaiting assessment");
    strcpy(m.kiosk_id, "FUTIAN-LIANHUA-COMMUNITY-CENTRE-KIOSK-07");
    /* the longest next step data/next_steps.ini makes, and a long contact */
    strcpy(m.next_step, "请在 2026-12-06 前到罗湖区东门街道党群服务中心一楼综合窗口（3栋1201看房）"
                        "看房并签约，签约当天需缴纳押金；不去视为放弃。如有困难请提前打电话说明。");
    strcpy(m.contact, "东门街道办事处住房保障窗口 王先生 0755-2222-0000 转 8001");
    escpos_profile(384, false, &p);
    int n = receipt_build(&m, &p, buf, sizeof buf);
    printf("# receipt 58mm raster QR, worst case: %d bytes\n", n);
    assert_true(n > 0);
    assert_true(n <= RECEIPT_58_BUDGET);
    zbar_roundtrip(buf, n, 384, m.followup_url);
}

/* The next step is printed with its date and contact, wrapped so that no
 * line begins with "，" or "。" (GB18030 A3 AC, A1 A3). */
static void test_receipt_next_steps(void **state)
{
    (void)state;
    static uint8_t buf[RECEIPT_MAX_BYTES];
    struct receipt_model m;
    struct printer_profile p;
    fill_model(&m, "zh");
    escpos_profile(384, false, &p);
    int n = receipt_build(&m, &p, buf, sizeof buf);
    assert_true(n > 0 && n <= RECEIPT_58_BUDGET);
    assert_non_null(memmem(buf, (size_t)n, "2026-12-06", 10));
    assert_non_null(memmem(buf, (size_t)n, "0755-2222-0001", 14));
    assert_non_null(memmem(buf, (size_t)n, "\xBD\xD8\xD6\xB9\xC8\xD5\xC6\xDA", 8));   /* 截止日期 */
    int lines = 0;
    for (int i = 0; i + 2 < n; i++)
        if (buf[i] == '\n') {
            lines++;
            assert_false(buf[i + 1] == 0xA3 && buf[i + 2] == 0xAC);
            assert_false(buf[i + 1] == 0xA1 && buf[i + 2] == 0xA3);
        }
    assert_true(lines > 12);
    /* English too */
    fill_model(&m, "en");
    strcpy(m.next_step, "Go to Building 3, flat 1201 by 2026-12-06 to see the home and sign; the "
                        "deposit is paid on the day. Not going counts as refusing.");
    n = receipt_build(&m, &p, buf, sizeof buf);
    assert_true(n > 0 && n <= RECEIPT_58_BUDGET);
    assert_non_null(memmem(buf, (size_t)n, "By: 2026-12-06", 14));
    zbar_roundtrip(buf, n, 384, m.followup_url);
}

static void test_receipt_58_native(void **state)
{
    (void)state;
    static uint8_t buf[RECEIPT_MAX_BYTES];
    struct receipt_model m;
    struct printer_profile p;
    int n;
    fill_model(&m, "en");
    escpos_profile(384, true, &p);
    double us = build_us(&m, &p, buf, &n);
    printf("# receipt 58mm native QR: %d bytes, built in %.0f us\n", n, us);
    assert_true(n <= 1024);
    assert_non_null(memmem(buf, (size_t)n, m.followup_url, strlen(m.followup_url)));
    assert_non_null(memmem(buf, (size_t)n, "Position: ", 10));
    zbar_roundtrip(buf, n, 384, m.followup_url);
}

static void test_receipt_80(void **state)
{
    (void)state;
    static uint8_t buf[RECEIPT_MAX_BYTES];
    struct receipt_model m;
    struct printer_profile p;
    int n;
    fill_model(&m, "zh");
    m.position[0] = '\0';
    strcpy(m.stage, "区民政审核通过 district_approved");
    escpos_profile(576, false, &p);
    double us = build_us(&m, &p, buf, &n);
    printf("# receipt 80mm raster QR: %d bytes, built in %.0f us\n", n, us);
    zbar_roundtrip(buf, n, 576, m.followup_url);
    n = receipt_build_test(&p, "https://example.cn/t", buf, sizeof buf);
    assert_true(n > 0);
    zbar_roundtrip(buf, n, 576, "https://example.cn/t");
    /* too small a buffer is an error, never a truncated receipt */
    assert_int_equal(receipt_build(&m, &p, buf, 100), KERR_NOMEM);
}

static void test_render_robust(void **state)
{
    (void)state;
    struct render_page pg;
    /* truncated raster header, unknown commands, a huge feed loop */
    static const uint8_t junk[] = {0x1D, 0x76, 0x30, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,
                                   0x1B, 0x7A, 0x1D, 0x7A, 0x41, 0x0A, 0xD5, 0xC5};
    assert_int_equal(receipt_render(junk, sizeof junk, 384, &pg), 0);
    assert_true(pg.height > 0);
    render_page_free(&pg);
    uint8_t feeds[3000];
    for (size_t i = 0; i < sizeof feeds; i += 3) {
        feeds[i] = 0x1B;
        feeds[i + 1] = 'd';
        feeds[i + 2] = 0xFF;
    }
    assert_int_equal(receipt_render(feeds, sizeof feeds, 384, &pg), 0);
    assert_true(pg.truncated);
    assert_true(pg.height <= RENDER_MAX_HEIGHT);
    render_page_free(&pg);
}

int main(void)
{
    memset(&key, 7, sizeof key);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_followup),          cmocka_unit_test(test_screen_qr),
        cmocka_unit_test(test_receipt_58_raster), cmocka_unit_test(test_receipt_58_worst),
        cmocka_unit_test(test_receipt_58_native), cmocka_unit_test(test_receipt_next_steps),
        cmocka_unit_test(test_receipt_80),        cmocka_unit_test(test_render_robust),
    };
    return cmocka_run_group_tests_name("receipt", tests, NULL, NULL);
}
