/* test_sam.c — the SAM codec against golden frames (tests/devices/golden/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "devices/sam.h"
#include "kiosk/err.h"
#include "tests/devices/golden.h"

static void check_cmd(uint16_t cmd, const uint8_t *data, size_t dn, const char *golden)
{
    size_t gn;
    unsigned char *g = golden_load(golden, &gn);
    uint8_t out[64];
    size_t n = sam_encode(cmd, data, dn, out, sizeof out);
    assert_int_equal(n, gn);
    assert_memory_equal(out, g, gn);
    free(g);
}

static void test_commands(void **state)
{
    (void)state;
    static const uint8_t rf = 0x50;
    check_cmd(SAM_CMD_RESET, NULL, 0, "sam_cmd_reset.bin");
    check_cmd(SAM_CMD_STATUS, NULL, 0, "sam_cmd_status.bin");
    check_cmd(SAM_CMD_SAM_ID, NULL, 0, "sam_cmd_sam_id.bin");
    check_cmd(SAM_CMD_FIND, NULL, 0, "sam_cmd_find.bin");
    check_cmd(SAM_CMD_SELECT, NULL, 0, "sam_cmd_select.bin");
    check_cmd(SAM_CMD_READ, NULL, 0, "sam_cmd_read.bin");
    check_cmd(SAM_CMD_READ_ADDR, NULL, 0, "sam_cmd_read_addr.bin");
    check_cmd(SAM_CMD_READ_FP, NULL, 0, "sam_cmd_read_fp.bin");
    check_cmd(SAM_CMD_SET_RF_MAX, &rf, 1, "sam_cmd_rf_max.bin");
    uint8_t small[9];
    assert_int_equal(sam_encode(SAM_CMD_FIND, NULL, 0, small, sizeof small), 0);
}

static void decode_golden(const char *name, struct sam_reply *r, unsigned char **keep)
{
    size_t n;
    *keep = golden_load(name, &n);
    assert_int_equal(sam_decode(*keep, n, r), 0);
}

static void test_short_replies(void **state)
{
    (void)state;
    struct sam_reply r;
    unsigned char *g;
    decode_golden("sam_rep_find_ok.bin", &r, &g);
    assert_int_equal(r.sw3, 0x9F);
    assert_true(sam_sw3_success(r.sw3));
    assert_int_equal(r.data_len, 4);
    free(g);
    decode_golden("sam_rep_no_card.bin", &r, &g);
    assert_int_equal(r.sw3, 0x80);
    assert_false(sam_sw3_success(r.sw3));
    assert_string_equal(sam_sw3_message(r.sw3), "no card on the reader");
    free(g);
    decode_golden("sam_rep_status_ok.bin", &r, &g);
    assert_int_equal(r.sw3, 0x90);
    assert_int_equal(r.data_len, 0);
    free(g);
    decode_golden("sam_rep_select_ok.bin", &r, &g);
    assert_int_equal(r.sw3, 0x90);
    assert_int_equal(r.data_len, 8);
    free(g);
}

static void test_bad_frames(void **state)
{
    (void)state;
    size_t n;
    struct sam_reply r;
    unsigned char *g = golden_load("sam_rep_find_badchk.bin", &n);
    assert_int_equal(sam_decode(g, n, &r), KERR_INPUT);
    assert_non_null(strstr(kerr_detail(), "checksum"));
    free(g);
    g = golden_load("sam_rep_find_ok.bin", &n);
    assert_int_equal(sam_decode(g, n - 1, &r), KERR_INPUT);     /* truncated */
    g[0] = 0xAB;
    assert_int_equal(sam_decode(g, n, &r), KERR_INPUT);         /* preamble */
    g[0] = 0xAA;
    g[5] = 0x20;                                                /* absurd length */
    size_t total;
    assert_int_equal(sam_frame_total(g, n, &total), KERR_INPUT);
    g[5] = 0x00;
    g[6] = 0x02;                                                /* too short for SW+CHK */
    assert_int_equal(sam_frame_total(g, n, &total), KERR_INPUT);
    free(g);
    assert_int_equal(sam_decode((const uint8_t *)"\xAA\xAA", 2, &r), KERR_INPUT);
}

static void test_sw3_table(void **state)
{
    (void)state;
    static const uint8_t codes[] = {0x90, 0x9F, 0x91, 0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32,
                                    0x33, 0x40, 0x41, 0x47, 0x60, 0x66, 0x80, 0x81};
    for (size_t i = 0; i < sizeof codes; i++)
        assert_null(strstr(sam_sw3_message(codes[i]), "unknown SAM status"));
    assert_string_equal(sam_sw3_message(0x42), "unknown SAM status 0x42");
    assert_non_null(strstr(sam_sw3_message(0x31), "authentication"));
    assert_non_null(strstr(sam_sw3_message(0x60), "self-test"));
}

static void read_card(const char *golden, bool fp, struct sam_card *c, int want_rc)
{
    struct sam_reply r;
    unsigned char *g;
    decode_golden(golden, &r, &g);
    assert_int_equal(sam_parse_read(&r, fp, c), want_rc);
    free(g);
}

static void test_resident(void **state)
{
    (void)state;
    struct sam_card c;
    read_card("sam_rep_read_resident.bin", false, &c, 0);
    assert_int_equal(c.kind, CARD_KIND_RESIDENT);
    assert_string_equal(c.name, "张三");
    assert_string_equal(c.sex, "1");
    assert_string_equal(c.nation, "01");
    assert_string_equal(c.birth, "19491231");
    assert_string_equal(c.address, "广东省深圳市福田区福中三路市民中心");
    assert_string_equal(c.id_number, "11010519491231002X");
    assert_string_equal(c.issuer, "深圳市公安局福田分局");
    assert_string_equal(c.valid_from, "20200101");
    assert_string_equal(c.valid_to, "长期");
    read_card("sam_rep_read_fp_resident.bin", true, &c, 0);
    assert_string_equal(c.id_number, "11010519491231002X");
    /* the same reply parsed with the wrong layout must not pass */
    read_card("sam_rep_read_fp_resident.bin", false, &c, KERR_INPUT);
    sam_card_wipe(&c);
    assert_int_equal(c.name[0], 0);
}

static void test_other_cards(void **state)
{
    (void)state;
    struct sam_card c;
    read_card("sam_rep_read_permit_j.bin", false, &c, 0);
    assert_int_equal(c.kind, CARD_KIND_PERMIT_J);
    assert_string_equal(c.name, "陈大文");
    assert_string_equal(c.id_number, "810000198002020019");
    assert_string_equal(c.pass_number, "H12345678");
    assert_string_equal(c.issue_count, "01");
    assert_string_equal(c.nation, "");
    read_card("sam_rep_read_foreign_i.bin", false, &c, 0);
    assert_int_equal(c.kind, CARD_KIND_FOREIGN_I);
    assert_string_equal(c.name_en, "SMITH, JOHN");
    assert_string_equal(c.name, "史密斯");
    assert_string_equal(c.id_number, "USA440080123456");
    assert_string_equal(c.nationality, "USA");
    assert_string_equal(c.birth, "19700101");
    assert_string_equal(c.valid_to, "20270601");
    read_card("sam_rep_read_foreign_y.bin", false, &c, 0);
    assert_int_equal(c.kind, CARD_KIND_FOREIGN_Y);
    assert_string_equal(c.name, "马丁");
    /* part 1 full (35 characters, "…LONGUEV"), continued in part 2 ("ILLE") */
    assert_string_equal(c.name_en, "MARTIN ANNE MARIE ELISABETH LONGUEVILLE");
    assert_string_equal(c.id_number, "944840198505050027");
    assert_string_equal(c.nationality, "FRA");
    assert_string_equal(c.sex, "2");
    read_card("sam_rep_read_unknown_z.bin", false, &c, KERR_INPUT);
    assert_non_null(strstr(kerr_detail(), "'Z'"));
}

/* Issue 12: character 35 of English-name part 1 is the space between two
 * words; trimming part 1's padding must not glue "ALE" to "ANDERSON". */
static void test_y_name_space_at_boundary(void **state)
{
    (void)state;
    struct sam_card c;
    read_card("sam_rep_read_foreign_y_space.bin", false, &c, 0);
    assert_int_equal(c.kind, CARD_KIND_FOREIGN_Y);
    assert_string_equal(c.name_en, "BERGSTROM KARL JOHAN ERIK OLOF ALE ANDERSON");
    assert_non_null(strstr(c.name_en, "ALE ANDERSON"));
    assert_null(strstr(c.name_en, "ALEANDERSON"));
    /* the same block straight from the text golden */
    size_t n;
    unsigned char *t = golden_load("card_foreign_y_space.txt.bin", &n);
    assert_int_equal(n, SAM_TEXT_LEN);
    assert_int_equal(sam_parse_text(t, &c), 0);
    assert_string_equal(c.name_en, "BERGSTROM KARL JOHAN ERIK OLOF ALE ANDERSON");
    /* no part 2: part 1's padding is trimmed, nothing added */
    memset(t + 220, 0, 22);
    assert_int_equal(sam_parse_text(t, &c), 0);
    assert_string_equal(c.name_en, "BERGSTROM KARL JOHAN ERIK OLOF ALE");
    free(t);
    sam_card_wipe(&c);
}

/* Each command accepts only its own replies (issue 12: a stale 9F find reply
 * passed as a select reply, a stale read reply as a find reply). */
static void test_reply_expected(void **state)
{
    (void)state;
    static const struct {
        const char *golden;
        uint16_t cmd;
        bool want;
    } cases[] = {
        {"sam_rep_find_ok.bin", SAM_CMD_FIND, true},
        {"sam_rep_no_card.bin", SAM_CMD_FIND, true},
        {"sam_rep_find_ok.bin", SAM_CMD_SELECT, false},     /* the issue's stale 9F */
        {"sam_rep_find_ok.bin", SAM_CMD_READ, false},
        {"sam_rep_no_card.bin", SAM_CMD_SELECT, false},
        {"sam_rep_select_ok.bin", SAM_CMD_SELECT, true},
        {"sam_rep_select_ok.bin", SAM_CMD_READ, false},
        {"sam_rep_select_ok.bin", SAM_CMD_FIND, false},
        {"sam_rep_read_resident.bin", SAM_CMD_READ, true},
        {"sam_rep_read_resident.bin", SAM_CMD_FIND, false},  /* the late read reply */
        {"sam_rep_read_resident.bin", SAM_CMD_SELECT, false},
        {"sam_rep_read_fp_resident.bin", SAM_CMD_READ_FP, true},
        {"sam_rep_read_fp_resident.bin", SAM_CMD_READ, false},
        {"sam_rep_status_ok.bin", SAM_CMD_STATUS, true},
        {"sam_rep_status_ok.bin", SAM_CMD_SELECT, false},
        {"sam_rep_sam_id.bin", SAM_CMD_SAM_ID, true},
        {"sam_rep_sam_id.bin", SAM_CMD_STATUS, false},
        {"sam_rep_addr.bin", SAM_CMD_READ_ADDR, true},
        {"sam_rep_addr_none.bin", SAM_CMD_READ_ADDR, true},
        {"sam_rep_addr_none.bin", SAM_CMD_READ, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sam_reply r;
        unsigned char *g;
        decode_golden(cases[i].golden, &r, &g);
        if (sam_reply_expected(cases[i].cmd, &r) != cases[i].want)
            fail_msg("%s as the reply to %04X: expected %d", cases[i].golden, cases[i].cmd,
                     cases[i].want);
        free(g);
    }
    /* a generic refusal (41: read failed) answers any command */
    struct sam_reply r = {.sw3 = 0x41};
    assert_true(sam_reply_expected(SAM_CMD_READ, &r));
    assert_true(sam_reply_expected(SAM_CMD_FIND, &r));
    r.sw3 = 0x90;
    assert_false(sam_reply_expected(SAM_CMD_FIND, &r));
}

static void test_addr_samid(void **state)
{
    (void)state;
    struct sam_reply r;
    unsigned char *g;
    char s[128];
    decode_golden("sam_rep_addr.bin", &r, &g);
    assert_int_equal(sam_parse_address(&r, s, sizeof s), 0);
    assert_string_equal(s, "广东省深圳市福田区莲花街道");
    free(g);
    decode_golden("sam_rep_addr_none.bin", &r, &g);
    assert_int_equal(sam_parse_address(&r, s, sizeof s), KERR_NOTFOUND);
    free(g);
    decode_golden("sam_rep_sam_id.bin", &r, &g);
    assert_int_equal(sam_parse_sam_id(&r, s, sizeof s), 0);
    assert_string_equal(s, "05.01-20150101-123456789-000000042");
    free(g);
}

static void test_ucs2(void **state)
{
    (void)state;
    char out[16];
    /* "A", U+4E2D 中, a lone surrogate, ESC (dropped), trailing blanks */
    static const uint8_t in[] = {'A', 0, 0x2D, 0x4E, 0x00, 0xD8, 0x1B, 0, ' ', 0, ' ', 0};
    sam_ucs2_to_utf8(in, sizeof in, out, sizeof out);
    assert_string_equal(out, "A\xE4\xB8\xAD\xEF\xBF\xBD");
    /* never cut a character: room for "A" only */
    sam_ucs2_to_utf8(in, sizeof in, out, 3);
    assert_string_equal(out, "A");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commands),     cmocka_unit_test(test_short_replies),
        cmocka_unit_test(test_bad_frames),   cmocka_unit_test(test_sw3_table),
        cmocka_unit_test(test_resident),     cmocka_unit_test(test_other_cards),
        cmocka_unit_test(test_addr_samid),   cmocka_unit_test(test_ucs2),
        cmocka_unit_test(test_y_name_space_at_boundary),
        cmocka_unit_test(test_reply_expected),
    };
    return cmocka_run_group_tests_name("sam", tests, NULL, NULL);
}
