/* test_next_steps.c — the next-step model over the shipped data/next_steps.ini:
 * every status and stage says something in both languages, offers carry
 * their deadline, place and contact, refusals their count and limit,
 * decisions their reason and appeal date; bad files fail with FILE:LINE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/eldercare.h"
#include "kiosk/err.h"
#include "kiosk/next_steps.h"
#include "kiosk/queue_types.h"

static const struct ns_line *find(const struct next_steps *ns, int kind)
{
    for (int i = 0; i < ns->n; i++)
        if (ns->line[i].kind == kind)
            return &ns->line[i];
    return NULL;
}

static void test_every_status_and_stage(void **state)
{
    (void)state;
    struct ns_config *cfg;
    assert_int_equal(next_steps_load_default(&cfg), 0);
    const char *langs[] = {"zh", "en"};
    for (int l = 0; l < 2; l++) {
        struct ns_facts f = {.lang = langs[l], .since = "2026-11-02", .refusal_limit = 2};
        struct next_steps ns;
        for (int st = 0; st < ST__COUNT; st++) {
            assert_int_equal(next_steps_queue(cfg, st, &f, &ns), 0);
            assert_non_null(find(&ns, NSL_MEANS));
            assert_non_null(find(&ns, NSL_TODO));
            assert_non_null(find(&ns, NSL_NEXT));
            assert_non_null(find(&ns, NSL_CONTACT));
            assert_true(ns.status[0] && ns.contact[0]);
            assert_null(strchr(ns.todo, '{'));   /* every placeholder filled */
        }
        for (int b = 0; b < BS__COUNT; b++) {
            assert_int_equal(next_steps_bed(cfg, b, &f, &ns), 0);
            assert_non_null(find(&ns, NSL_MEANS));
            assert_non_null(find(&ns, NSL_NEXT));
            assert_null(strchr(find(&ns, NSL_NEXT)->text, '{'));
        }
    }
    struct next_steps ns;
    struct ns_facts f = {.lang = "zh"};
    assert_int_equal(next_steps_queue(cfg, ST__COUNT, &f, &ns), KERR_USAGE);
    assert_int_equal(next_steps_bed(cfg, -1, &f, &ns), KERR_USAGE);
    next_steps_free(&cfg);
    assert_null(cfg);
}

static void test_offer_and_refusals(void **state)
{
    (void)state;
    struct ns_config *cfg;
    assert_int_equal(next_steps_load_default(&cfg), 0);
    struct ns_facts f = {.lang = "zh", .since = "2026-11-02", .refusals = 1, .refusal_limit = 2,
                         .offer_deadline = "2026-11-20", .offer_place = "3栋1201",
                         .offer_contact = "王先生 0755-1234"};
    struct next_steps ns;
    assert_int_equal(next_steps_queue(cfg, ST_OFFERED, &f, &ns), 0);
    assert_string_equal(ns.deadline, "2026-11-20");
    assert_non_null(strstr(ns.todo, "2026-11-20"));
    assert_non_null(strstr(ns.todo, "3栋1201"));
    assert_string_equal(find(&ns, NSL_PLACE)->text, "3栋1201");
    assert_string_equal(ns.contact, "王先生 0755-1234");
    const struct ns_line *r = find(&ns, NSL_REFUSALS);
    assert_non_null(r);
    assert_non_null(strstr(r->text, "1 次"));
    assert_non_null(strstr(r->text, "再拒绝 1 次将被取消"));
    /* no offer deadline typed: the status date + [queue.offered] deadline_days (7) */
    f.offer_deadline = NULL;
    assert_int_equal(next_steps_queue(cfg, ST_OFFERED, &f, &ns), 0);
    assert_string_equal(ns.deadline, "2026-11-09");
    /* usual duration is part of "what happens next" */
    assert_non_null(strstr(find(&ns, NSL_NEXT)->text, "通常需要约 30 天"));
    /* waiting with no refusals: no refusal line, no deadline */
    f.refusals = 0;
    assert_int_equal(next_steps_queue(cfg, ST_WAITING, &f, &ns), 0);
    assert_null(find(&ns, NSL_REFUSALS));
    assert_string_equal(ns.deadline, "");
    next_steps_free(&cfg);
}

static void test_reason_and_appeal(void **state)
{
    (void)state;
    struct ns_config *cfg;
    assert_int_equal(next_steps_load_default(&cfg), 0);
    assert_true(next_steps_reason_count(cfg) >= 5);
    assert_string_equal(next_steps_reason_code(cfg, 0), "docs_missing");
    assert_null(next_steps_reason_code(cfg, 999));
    assert_string_equal(next_steps_reason_lookup(cfg, "under_age", "en"),
                        "The elder is younger than the required age");
    struct ns_facts f = {.lang = "en", .since = "2026-12-30T10:00", .reason_code = "docs_missing",
                         .reason_text = "bring the hukou booklet"};
    struct next_steps ns;
    assert_int_equal(next_steps_bed(cfg, BS_REJECTED, &f, &ns), 0);
    const struct ns_line *r = find(&ns, NSL_REASON);
    assert_non_null(r);
    assert_string_equal(r->text, "Some documents are missing and must be handed in: bring the hukou booklet");
    const struct ns_line *a = find(&ns, NSL_APPEAL);
    assert_non_null(a);
    /* 60 days after 2026-12-30, across the year end */
    assert_non_null(strstr(a->text, "2027-02-28"));
    /* frozen: a deadline 30 days on, and an appeal */
    assert_int_equal(next_steps_queue(cfg, ST_FROZEN, &f, &ns), 0);
    assert_string_equal(ns.deadline, "2027-01-29");
    assert_non_null(find(&ns, NSL_APPEAL));
    /* a bed in service names its provider as the contact */
    f.provider_name = "安心护理";
    f.provider_phone = "0755-9999";
    assert_int_equal(next_steps_bed(cfg, BS_IN_SERVICE, &f, &ns), 0);
    assert_string_equal(ns.contact, "安心护理 · 0755-9999");
    assert_null(find(&ns, NSL_APPEAL));
    next_steps_free(&cfg);
}

static void expect_error(const char *text, const char *detail)
{
    struct ns_config *cfg = (struct ns_config *)1;
    assert_int_equal(next_steps_parse("x.ini", text, &cfg), KERR_CONFIG);
    assert_null(cfg);
    if (!strstr(kerr_detail(), detail))
        fail_msg("detail \"%s\" lacks \"%s\"", kerr_detail(), detail);
}

static void test_bad_files(void **state)
{
    (void)state;
    expect_error("[office]\nname.zh = a\n[nonsense]\nx = 1\n", "x.ini:4: unknown section [nonsense]");
    expect_error("[queue.waiting]\ndays = soon\n", "x.ini:2: must be an integer");
    expect_error("[queue.waiting]\ncontact = mayor\n", "x.ini:2: contact must be office");
    expect_error("[office]\nname.zh = a\nname.en = b\n", "x.ini:3: [labels] means.zh is missing");
    char longline[300];
    memset(longline, 'a', sizeof longline - 1);
    longline[sizeof longline - 1] = '\0';
    char text[400];
    snprintf(text, sizeof text, "[office]\nname.zh = %s\n", longline);
    expect_error(text, "x.ini:2: line longer than 198 bytes");
    /* the shipped file loads from disk too; a missing file is an error */
    struct ns_config *cfg;
    assert_int_equal(next_steps_load("data/next_steps.ini", &cfg), 0);
    next_steps_free(&cfg);
    assert_int_equal(next_steps_load("/nonexistent/next_steps.ini", &cfg), KERR_CONFIG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_status_and_stage),
        cmocka_unit_test(test_offer_and_refusals),
        cmocka_unit_test(test_reason_and_appeal),
        cmocka_unit_test(test_bad_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
