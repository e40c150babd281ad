/* test_audit_detail.c — the audit detail formats (kiosk/audit_detail.h, issue 14):
 * every entry of the table is written with sample values by the same printf
 * the writers use, matched back to the same entry with the same values, shown
 * in English exactly as stored and in Chinese with no English word left but
 * the values that stay as they are (texts, numbers).  The code values are
 * every real code of their kind (each queue status, bed stage, role, ordering
 * key).  The variants that split a format of "%s" pieces print byte for byte
 * what the one old format printed: the stored text, inside the hash chain,
 * does not change.  A detail that matches nothing is shown verbatim. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/audit_detail.h"
#include "kiosk/eldercare.h"
#include "kiosk/fmt_conv.h"
#include "kiosk/i18n.h"
#include "kiosk/queue_types.h"

static bool covered[AD__COUNT];
static int cases;

/* printf into a fresh buffer, with the format checked like audit_append's */
static const char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static const char *fmt(const char *f, ...)
{
    static char bufs[4][512];
    static int k;
    char *b = bufs[k++ % 4];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    va_list ap;
    va_start(ap, f);
    vsnprintf(b, sizeof bufs[0], f, ap);
    va_end(ap);
#pragma GCC diagnostic pop
    return b;
}

/* The ASCII words of text (runs of 2+ letters, not inside a token with a digit,
 * '-', '_' or '@': numbers, 0x3, times, codes such as prh), space-separated. */
static int english_words(const char *text, char *out, size_t cap)
{
    int n = 0;
    out[0] = '\0';
    for (const char *p = text; *p;) {
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))) {
            p++;
            continue;
        }
        const char *s = p;
        bool mark = false;
        while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
               *p == '-' || *p == '_' || *p == '@' || *p == '.') {
            mark |= !((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'));
            p++;
        }
        if (mark || p - s < 2)
            continue;
        if (strlen(out) + (size_t)(p - s) + 2 < cap) {
            strncat(out, s, (size_t)(p - s));
            strcat(out, " ");
        }
        n++;
    }
    return n;
}

/* One case: detail (written with entry id's format) must match id for action
 * with the values vals (NULL-terminated), read back in English as stored and in
 * Chinese with no English left once the text values (kind 't') are taken out. */
static void one(int id, const char *action, const char *const *vals, const char *detail)
{
    const struct audit_detail_fmt *e = audit_detail_fmt(id);
    assert_non_null(e);
    cases++;
    covered[id] = true;
    struct audit_detail_match m;
    int got = audit_detail_match(action, detail, &m);
    if (got != id)
        fail_msg("%s \"%s\": matched %s, want %s", action, detail,
                 got >= 0 ? audit_detail_fmt(got)->name : "nothing", e->name);
    int nv = 0;
    while (vals[nv])
        nv++;
    if (m.n != nv)
        fail_msg("%s \"%s\": %d values, want %d", e->name, detail, m.n, nv);
    for (int i = 0; i < nv; i++)
        if (strlen(vals[i]) != m.arg[i].len || strncmp(vals[i], m.arg[i].s, m.arg[i].len))
            fail_msg("%s \"%s\": value %d is \"%.*s\", want \"%s\"", e->name, detail, i + 1,
                     (int)m.arg[i].len, m.arg[i].s, vals[i]);
    char out[600];
    i18n_set_lang("en");
    audit_detail_local(action, detail, out, sizeof out);
    if (strcmp(out, detail))
        fail_msg("%s in English: \"%s\", stored \"%s\"", e->name, out, detail);
    i18n_set_lang("zh");
    audit_detail_local(action, detail, out, sizeof out);
    if (!strcmp(out, detail))
        fail_msg("%s in Chinese: still as stored (\"%s\")", e->name, detail);
    /* the texts stay as typed: blank them, then no English may be left */
    char bare[600];
    snprintf(bare, sizeof bare, "%s", out);
    for (int i = 0; i < nv; i++) {
        if (e->kinds[i] != 't' || !vals[i][0])
            continue;
        char *hit = strstr(bare, vals[i]);
        if (!hit)
            fail_msg("%s in Chinese: the text \"%s\" is not kept (\"%s\")", e->name, vals[i], out);
        memset(hit, ' ', strlen(vals[i]));
    }
    char words[300];
    if (english_words(bare, words, sizeof words))
        fail_msg("%s in Chinese: English words \"%s\" in \"%s\"", e->name, words, out);
    i18n_set_lang("en");
}

#define V(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NONE ((const char *const[]){NULL})

/* Each format's conversions are plain (no width: the reader takes values as
 * printed), one kind letter each, the letter fitting the conversion; each has
 * its actions; each has a Chinese translation that keeps its conversions. */
static void test_table(void **state)
{
    (void)state;
    i18n_set_lang("zh");
    for (int id = 0; id < AD__COUNT; id++) {
        const struct audit_detail_fmt *e = audit_detail_fmt(id);
        assert_non_null(e);
        assert_true(e->actions[0]);
        size_t k = 0;
        for (const char *p = e->fmt; (p = strchr(p, '%'));) {
            p++;
            struct fmt_conv c;
            assert_true(fmt_conv_parse(&p, &c));
            if (c.letter == '%')
                continue;
            if (strspn(c.spec + 1, "-+ #0123456789*"))
                fail_msg("%s: %s has a width", e->name, c.spec);
            char kind = e->kinds[k++];
            if (!kind || (c.letter == 's') != (strchr("tclb", kind) != NULL) ||
                (c.letter != 's' && kind != (c.letter == 'x' && kind == 's' ? 's' : 'n')))
                fail_msg("%s: conversion %zu (%s) has kind '%c'", e->name, k, c.spec, kind ? kind : '0');
        }
        if (strlen(e->kinds) != k)
            fail_msg("%s: %zu kinds for %zu conversions", e->name, strlen(e->kinds), k);
        char s1[128], s2[128];
        const char *zh = _(e->fmt);
        assert_true(fmt_signature(e->fmt, s1, sizeof s1));
        if (zh != e->fmt && (!fmt_signature(zh, s2, sizeof s2) || strcmp(s1, s2)))
            fail_msg("%s: the translation \"%s\" changes the conversions", e->name, zh);
    }
    assert_null(audit_detail_fmt(-1));
    assert_null(audit_detail_fmt(AD__COUNT));
    i18n_set_lang("en");
}

/* Every entry, with every code of its kinds. */
static void test_round_trip(void **state)
{
    (void)state;
    one(AD_IMPORT_FILE_ID, "import", V("/data/bureau 2030-06.csv", "1200", "30", "12", "4", "1154"),
        fmt(AD_IMPORT_FILE, "/data/bureau 2030-06.csv", 1200LL, 30LL, 12LL, 4LL, 1154LL));
    /* a file whose name has the format's own words in it */
    one(AD_IMPORT_FILE_ID, "import", V("x: 3 rows; y.csv", "0", "0", "0", "0", "0"),
        fmt(AD_IMPORT_FILE, "x: 3 rows; y.csv", 0LL, 0LL, 0LL, 0LL, 0LL));
    one(AD_IMPORT_FILE_KEPT_ID, "import", V("名单.csv", "29", "0", "0", "11", "11", "1", "2", "3", "29"),
        fmt(AD_IMPORT_FILE_KEPT, "名单.csv", 29LL, 0LL, 0LL, 11LL, 11LL, 1LL, 2LL, 3LL, 29LL));
    one(AD_IMPORT_DEMO_ID, "import", V("300", "300", "0", "0", "0"),
        fmt(AD_IMPORT_DEMO, 300LL, 300LL, 0LL, 0LL, 0LL));
    one(AD_IMPORT_DEMO_KEPT_ID, "import", V("3", "0", "0", "2", "-1", "1", "0", "0", "3"),
        fmt(AD_IMPORT_DEMO_KEPT, 3LL, 0LL, 0LL, 2LL, -1LL, 1LL, 0LL, 0LL, 3LL));
    static const char *const actions[] = {"offer", "accept", "refuse", "freeze", "unfreeze",
                                          "withdraw", "remove", "reinstate"};
    for (int a = 0; a < ST__COUNT; a++)
        for (int b = 0; b < ST__COUNT; b++) {
            const char *f = entry_status_name(a), *t = entry_status_name(b);
            one(AD_QUEUE_STEP_ID, actions[(a + b) % 8], V(f, t, "household moved away"),
                fmt(AD_QUEUE_STEP, f, t, "household moved away"));
            one(AD_QUEUE_STEP_ID, actions[(a * b) % 8], V(f, t, ""), fmt(AD_QUEUE_STEP, f, t, ""));
        }
    one(AD_PUBLISH_ID, "publish", V("3", "1200"), fmt(AD_PUBLISH, 3LL, 1200LL));
    one(AD_PUBLISH_DEMO_ID, "publish", V("400"), fmt(AD_PUBLISH_DEMO, 400LL));
    one(AD_BED_SUBMIT_ID, "bed-submit", V("3", "2030-06-03 10:00:00"),
        fmt(AD_BED_SUBMIT, 3u, "2030-06-03 10:00:00"));
    one(AD_BED_SUBMIT_AGENT_ID, "bed-submit", V("3f", "2030-06-03 10:00:00"),
        fmt(AD_BED_SUBMIT_AGENT, 0x3fu, "2030-06-03 10:00:00"));
    /* every stage, every role that acts on a bed application */
    static const char *const roles[] = {"street", "district", "assessor", "provider", "housing",
                                        "admin", "resident", "system"};
    for (int a = 0; a < BS__COUNT; a++)
        for (int b = 0; b < BS__COUNT; b++) {
            const char *f = bed_stage_name(a), *t = bed_stage_name(b), *r = roles[(a + b) % 8];
            one(AD_BED_STEP_ID, "bed-advance", V(f, t, r), fmt(AD_BED_STEP, f, t, r));
            one(AD_BED_STEP_WHY_ID, "bed-advance", V(f, t, r, "阳光养老服务中心; 家属同意"),
                fmt(AD_BED_STEP_WHY, f, t, r, "阳光养老服务中心; 家属同意"));
            one(AD_BED_REASSESS_ID, "bed-reassess", V(f, t, r), fmt(AD_BED_REASSESS, f, t, r));
            one(AD_BED_WITHDRAW_ID, "bed-withdraw", V(f, t, r), fmt(AD_BED_WITHDRAW, f, t, r));
        }
    /* a reason typed with the format's own words in it stays a value */
    one(AD_BED_STEP_WHY_ID, "bed-advance", V("assessed", "built", "provider", "done as agreed: a -> b"),
        fmt(AD_BED_STEP_WHY, "assessed", "built", "provider", "done as agreed: a -> b"));
    one(AD_CONTACT_ID, "contact", NONE, fmt(AD_CONTACT));
    one(AD_INIT_ID, "init", V("0", "14"), fmt(AD_INIT, 0, 14));
    one(AD_EXPORT_ID, "export", NONE, fmt(AD_EXPORT));
    char rule[128] = "";
    for (int k = 0; k < OK__COUNT; k++)
        snprintf(rule + strlen(rule), sizeof rule - strlen(rule), "%s%s", k ? "," : "", order_key_name(k));
    one(AD_PROGRAM_ID, "program-add", V("公共租赁住房", "Public rental housing", rule, "2"),
        fmt(AD_PROGRAM, "公共租赁住房", "Public rental housing", rule, 2));
    one(AD_PROGRAM_ID, "program-set", V("人才房", "Talent flats", "tier", "0"),
        fmt(AD_PROGRAM, "人才房", "Talent flats", "tier", 0));
    one(AD_BED_CLEAR_ID, "bed-clear", NONE, fmt(AD_BED_CLEAR));
    one(AD_LOGIN_OK_ID, "login", NONE, fmt(AD_LOGIN_OK));
    one(AD_LOGIN_REHASHED_ID, "login", NONE, fmt(AD_LOGIN_REHASHED));
    one(AD_LOGIN_DISABLED_ID, "login-refused", NONE, fmt(AD_LOGIN_DISABLED));
    one(AD_LOGIN_LOCKED_ID, "login-refused", NONE, fmt(AD_LOGIN_LOCKED));
    one(AD_LOGIN_WRONG_LOCKED_ID, "login-failed", V("5", "5", "2030-06-03 10:15:00"),
        fmt(AD_LOGIN_WRONG_LOCKED, 5, 5, "2030-06-03 10:15:00"));
    one(AD_LOGIN_WRONG_ID, "login-failed", V("2", "5"), fmt(AD_LOGIN_WRONG, 2, 5));
    one(AD_LOGIN_UNKNOWN_ID, "login-failed", NONE, fmt(AD_LOGIN_UNKNOWN));
    char all[128];
    roles_format(ROLE_ADMIN * 2 - 1, all, sizeof all);
    one(AD_USER_ADD_ORG_ID, "user-add", V(all, "阳光养老服务中心"), fmt(AD_USER_ADD_ORG, all, "阳光养老服务中心"));
    one(AD_USER_ADD_ORG_STREET_ID, "user-add", V(all, "阳光养老服务中心", "东门街道"),
        fmt(AD_USER_ADD_ORG_STREET, all, "阳光养老服务中心", "东门街道"));
    one(AD_USER_ADD_STREET_ID, "user-add", V("street", "东门街道"), fmt(AD_USER_ADD_STREET, "street", "东门街道"));
    one(AD_STREET_MOVE_ID, "bed-street", V("东门街道", "黄贝街道"), fmt(AD_STREET_MOVE, "东门街道", "黄贝街道"));
    one(AD_STREET_MOVE_ID, "user-street", V("(none)", "翠竹街道"), fmt(AD_STREET_MOVE, "(none)", "翠竹街道"));
    for (unsigned bit = 1; bit <= ROLE_ADMIN; bit <<= 1)
        one(AD_USER_ADD_ID, "user-add", V(role_name(bit)), fmt(AD_USER_ADD, role_name(bit)));
    one(AD_USER_PASSWD_ID, "user-passwd", NONE, fmt(AD_USER_PASSWD));
    one(AD_USER_ROLES_ID, "user-roles", V("street", all), fmt(AD_USER_ROLES, "street", all));
    one(AD_USER_DISABLED_ID, "user-disable", NONE, fmt(AD_USER_DISABLED));
    one(AD_USER_ENABLED_ID, "user-enable", NONE, fmt(AD_USER_ENABLED));
    one(AD_CARD_LOOKUP_ID, "card_lookup", NONE, fmt(AD_CARD_LOOKUP));
    one(AD_FIND_ID_ID, "find", V("1"), fmt(AD_FIND_ID, 1));
    one(AD_FIND_NAME_ID, "find", V("12"), fmt(AD_FIND_NAME, 12));
    one(AD_FIND_PHONE_ID, "find", V("0"), fmt(AD_FIND_PHONE, 0));
    /* the console's default purposes (kiosk/console/entry.c) */
    static const char *const purposes[] = {"Calling the household", "Checking identity documents at the counter",
                                           "Handling a complaint or appeal", "Correcting a record from the bureau"};
    for (int i = 0; i < 4; i++)
        one(AD_REVEAL_ID, "reveal", V(purposes[i]), fmt(AD_REVEAL, purposes[i]));
    one(AD_REPORT_EXPORT_ID, "report-export", V("17", "/tmp/reports/waiting-by-tier.csv"),
        fmt(AD_REPORT_EXPORT, 17, "/tmp/reports/waiting-by-tier.csv"));
    for (int id = 0; id < AD__COUNT; id++)
        if (!covered[id])
            fail_msg("%s: no case in this test", audit_detail_fmt(id)->name);
    print_message("%d details, %d formats\n", cases, AD__COUNT);
}

/* The variants print what the one format of "%s" pieces printed before them. */
static void test_stored_text_unchanged(void **state)
{
    (void)state;
    const char *old_import = "%s: %lld rows; %lld added, %lld updated, %lld removed as absent%s, %lld unchanged";
    const char *kept = fmt(" (allowed: %lld; %lld housed, %lld offered, %lld frozen)", 11LL, 1LL, 2LL, 3LL);
    char old[512], kept_copy[160];
    snprintf(kept_copy, sizeof kept_copy, "%s", kept);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#define OLD(f, ...) (snprintf(old, sizeof old, f, __VA_ARGS__), old)
    assert_string_equal(OLD(old_import, "file a.csv", 5LL, 1LL, 2LL, 3LL, "", 4LL),
                        fmt(AD_IMPORT_FILE, "a.csv", 5LL, 1LL, 2LL, 3LL, 4LL));
    assert_string_equal(OLD(old_import, "file a.csv", 5LL, 1LL, 2LL, 3LL, kept_copy, 4LL),
                        fmt(AD_IMPORT_FILE_KEPT, "a.csv", 5LL, 1LL, 2LL, 3LL, 11LL, 1LL, 2LL, 3LL, 4LL));
    assert_string_equal(OLD(old_import, "demo list", 5LL, 1LL, 2LL, 3LL, "", 4LL),
                        fmt(AD_IMPORT_DEMO, 5LL, 1LL, 2LL, 3LL, 4LL));
    assert_string_equal(OLD(old_import, "demo list", 5LL, 1LL, 2LL, 3LL, kept_copy, 4LL),
                        fmt(AD_IMPORT_DEMO_KEPT, 5LL, 1LL, 2LL, 3LL, 11LL, 1LL, 2LL, 3LL, 4LL));
    const char *old_submit = "submitted%s, services 0x%x, consent %s";
    assert_string_equal(OLD(old_submit, "", 3u, "T"), fmt(AD_BED_SUBMIT, 3u, "T"));
    assert_string_equal(OLD(old_submit, " by an agent", 3u, "T"), fmt(AD_BED_SUBMIT_AGENT, 3u, "T"));
    const char *old_step = "%s -> %s as %s%s%s";
    assert_string_equal(OLD(old_step, "a", "b", "c", "", ""), fmt(AD_BED_STEP, "a", "b", "c"));
    assert_string_equal(OLD(old_step, "a", "b", "c", ": ", "why"), fmt(AD_BED_STEP_WHY, "a", "b", "c", "why"));
    assert_string_equal(OLD(old_step, "a", "b", "c", ": ", AD_WHY_REASSESS), fmt(AD_BED_REASSESS, "a", "b", "c"));
    assert_string_equal(OLD(old_step, "a", "b", "c", ": ", AD_WHY_WITHDRAW), fmt(AD_BED_WITHDRAW, "a", "b", "c"));
    const char *old_roles = "roles %s%s%s";
    assert_string_equal(OLD(old_roles, "street", "", ""), fmt(AD_USER_ADD, "street"));
    assert_string_equal(OLD(old_roles, "provider", ", organisation ", "阳光"), fmt(AD_USER_ADD_ORG, "provider", "阳光"));
    /* the streets branch wrote "roles %s%s%s%s%s" with ", street " S last */
    const char *old_roles_street = "roles %s%s%s%s%s";
    assert_string_equal(OLD(old_roles_street, "street", "", "", ", street ", "东门街道"),
                        fmt(AD_USER_ADD_STREET, "street", "东门街道"));
    assert_string_equal(OLD(old_roles_street, "provider", ", organisation ", "阳光", ", street ", "东门街道"),
                        fmt(AD_USER_ADD_ORG_STREET, "provider", "阳光", "东门街道"));
    const char *old_find = "by %s: %d found";
    assert_string_equal(OLD(old_find, "id", 1), fmt(AD_FIND_ID, 1));
    assert_string_equal(OLD(old_find, "name", 2), fmt(AD_FIND_NAME, 2));
    assert_string_equal(OLD(old_find, "phone", 3), fmt(AD_FIND_PHONE, 3));
#undef OLD
#pragma GCC diagnostic pop
}

/* What no format matches — another action's detail, an older wording, free
 * text, a number where a number cannot be — is shown as stored. */
static void test_no_match_verbatim(void **state)
{
    (void)state;
    struct audit_detail_match m;
    char out[600];
    i18n_set_lang("zh");
    static const struct {
        const char *action, *detail;
    } odd[] = {
        {"login", "wrong password (2 of 5)"},          /* a login-failed detail under another action */
        {"publish", "publication x: 3 waiting"},        /* not a number */
        {"publish", "publication 3: 1200 waiting!"},    /* more after the format's end */
        {"bed-submit", "submitted, services 0xZZ, consent t"},
        {"find", "by email: 3 found"},                  /* a wording no writer has */
        {"frobnicate", "ok"},                           /* an action no format is written for */
        {"import", ""},
        {"user-roles", "street"},
    };
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        if (audit_detail_match(odd[i].action, odd[i].detail, &m) != -1)
            fail_msg("%s \"%s\" matched %s", odd[i].action, odd[i].detail, audit_detail_fmt(m.id)->name);
        assert_int_equal(m.id, -1);
        assert_string_equal(audit_detail_local(odd[i].action, odd[i].detail, out, sizeof out), odd[i].detail);
    }
    /* a short buffer: cut, still terminated */
    char small[8];
    audit_detail_local("publish", "publication 3: 1200 waiting", small, sizeof small);
    assert_true(strlen(small) < sizeof small);
    i18n_set_lang("en");
}

/* The Chinese of a few details, word for word. */
static void test_chinese(void **state)
{
    (void)state;
    char out[600];
    i18n_set_lang("zh");
    assert_string_equal(audit_detail_local("user-roles", "street -> street,district", out, sizeof out),
                        "街道 → 街道,区民政");
    assert_string_equal(audit_detail_local("publish", "publication 3: 1200 waiting", out, sizeof out),
                        "第 3 次公示：1200 户轮候中");
    assert_string_equal(audit_detail_local("offer", "waiting -> offered: 东区 3 号楼", out, sizeof out),
                        "轮候中 → 已通知选房：东区 3 号楼");
    /* a bed application withdrawn is 已撤回 (the stage's label), a queue entry 已放弃 */
    assert_string_equal(audit_detail_local("bed-withdraw", "submitted -> withdrawn as resident: withdrawn "
                                           "by the applicant at the kiosk", out, sizeof out),
                        "已提交 → 已撤回（以居民身份）：申请人在自助终端撤回");
    assert_string_equal(audit_detail_local("login", "ok", out, sizeof out), "登录成功");
    assert_string_equal(audit_detail_local("login-refused", "account disabled", out, sizeof out), "账号已停用");
    /* a bed application's services by name, not as the stored bit mask */
    assert_string_equal(audit_detail_local("bed-submit", "submitted, services 0x13, consent 2030-06-03 10:00:00",
                                           out, sizeof out),
                        "已提交，服务项目：护理床位、紧急呼叫、助餐，同意时间 2030-06-03 10:00:00");
    assert_string_equal(audit_detail_local("bed-submit", "submitted by an agent, services 0x20, consent T", out,
                                           sizeof out),
                        "由代办人提交，服务项目：适老化改造，同意时间 T");
    /* a bit no service has (a newer kiosk's?): the mask as stored, never a wrong name */
    assert_string_equal(audit_detail_local("bed-submit", "submitted, services 0x41, consent T", out, sizeof out),
                        "已提交，服务项目：0x41，同意时间 T");
    i18n_set_lang("en");
    assert_string_equal(audit_detail_local("bed-submit", "submitted, services 0x13, consent T", out, sizeof out),
                        "submitted, services 0x13, consent T");
}

int main(void)
{
    if (!getenv("KIOSK_LOCALEDIR"))
        setenv("KIOSK_LOCALEDIR", "build/locale", 1);
    i18n_init(NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_stored_text_unchanged),
        cmocka_unit_test(test_no_match_verbatim),
        cmocka_unit_test(test_chinese),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
