/* test_session.c — the resident session state machine (kiosk/session.c)
 * without a terminal: events in, reactions and view models out, on a real
 * demo database.  The clock is driven by the test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kiosk/config.h"
#include "kiosk/demo.h"
#include "kiosk/eldercare.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/idnum.h"
#include "kiosk/queue.h"
#include "kiosk/secret.h"
#include "kiosk/session/session.h"
#include "kiosk/store/store.h"

#define SEED 1
static char dir[64];
static struct store *st;
static struct secret *sec;
static struct kiosk_config cfg;
static int64_t now = 1000000;

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_session.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char db[128], key[128];
    snprintf(db, sizeof db, "%s/t.db", dir);
    snprintf(key, sizeof key, "%s/t.db.key", dir);
    config_defaults(&cfg);
    snprintf(cfg.language, sizeof cfg.language, "en");
    cfg.idle_timeout = 30;
    cfg.lookup_attempts = 3;
    cfg.lookup_pause = 5;
    int from, to;
    struct demo_summary sum;
    if (secret_create(key) || secret_load(key, &sec) || store_open(db, 1, &st) ||
        st->ops->migrate(st, &from, &to) || demo_fill(st, sec, 300, SEED, &sum))
        return -1;
    /* the Chinese catalogue, when the build made one (tests run from the top) */
    if (!getenv("KIOSK_LOCALEDIR"))
        setenv("KIOSK_LOCALEDIR", "build/locale", 1);
    i18n_init(NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(&st);
    secret_free(&sec);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static struct session *new_session(void)
{
    struct session *s = NULL;
    struct session_opts o = {.sim = true};
    assert_int_equal(session_new(st, sec, &cfg, &o, &s), 0);
    return s;
}

static unsigned act(struct session *s, enum kiosk_action a)
{
    now += 100;
    return session_action(s, a, now);
}

/* Insert household i's card and run the look-up the way the loop does. */
static unsigned insert(struct session *s, long long i, char id[19], char *name, size_t cap)
{
    demo_resident(SEED, i, id, name, cap);
    struct card_event ev = {.type = CARD_EV_INSERT, .kind = CARD_KIND_RESIDENT};
    snprintf(ev.id_number, sizeof ev.id_number, "%s", id);
    snprintf(ev.name, sizeof ev.name, "%s", name);
    now += 100;
    unsigned r = session_card(s, &ev, now);
    assert_true(r & SR_WORK);
    assert_int_equal(session_view(s)->screen, SS_READING);
    assert_int_equal(ev.id_number[0], 0);    /* the event was wiped */
    return session_work(s, now);
}

static bool view_has(const struct session *s, const char *needle)
{
    const struct sess_view *v = session_view(s);
    return memmem(v, sizeof *v, needle, strlen(needle)) != NULL;
}

static bool view_text_has(const struct session *s, const char *needle)
{
    const struct sess_view *v = session_view(s);
    if (strstr(v->title, needle) || strstr(v->message, needle) || strstr(v->big_caption, needle))
        return true;
    for (int i = 0; i < v->n_lines; i++)
        if (strstr(v->line[i].text, needle))
            return true;
    return false;
}

static void type(struct session *s, const char *text)
{
    for (; *text; text++) {
        if (*text >= '0' && *text <= '9')
            act(s, (enum kiosk_action)(ACT_DIGIT_0 + (*text - '0')));
        else
            act(s, (enum kiosk_action)(ACT_CHAR_A + (*text - 'A')));
    }
}

static void test_card_summary_detail(void **state)
{
    (void)state;
    struct session *s = new_session();
    assert_int_equal(session_view(s)->screen, SS_ATTRACT);
    assert_false(session_holds_personal(s));
    char id[19], name[256];
    unsigned r = insert(s, 0, id, name, sizeof name);
    assert_true(r & SR_GOTO);
    assert_int_equal(session_view(s)->screen, SS_SUMMARY);

    struct queue_view qv[8];
    int n = 0;
    assert_int_equal(queue_lookup_id(st, sec, id, NULL, qv, 8, &n), 0);
    assert_true(n > 0);
    char want[96];
    snprintf(want, sizeof want, "position %lld of %lld", qv[0].position, qv[0].total);
    assert_true(view_text_has(s, want));
    assert_false(view_has(s, id));
    assert_false(view_has(s, name));
    assert_true(view_has(s, qv[0].name_masked));

    r = act(s, ACT_ENTER);
    const struct sess_view *v = session_view(s);
    assert_int_equal(v->screen, SS_QUEUE);
    char digits[24];
    snprintf(digits, sizeof digits, "%lld", qv[0].position);
    assert_true(v->big);
    assert_string_equal(v->big_digits, digits);
    assert_true(v->chart);
    for (int i = 0; i < SV_CHART; i++)
        assert_int_equal(v->chart_val[i], qv[0].monthly[i]);
    assert_false(view_has(s, id));
    assert_false(view_has(s, name));

    act(s, ACT_ESCAPE);
    assert_int_equal(session_view(s)->screen, SS_SUMMARY);
    act(s, ACT_ESCAPE);
    assert_int_equal(session_view(s)->screen, SS_END);
    /* the end screen goes back by itself and wipes */
    r = session_tick(s, now + 10000);
    assert_true(r & SR_WIPE);
    assert_int_equal(session_view(s)->screen, SS_ATTRACT);
    assert_false(session_holds_personal(s));
    queue_view_wipe(qv, n);
    session_free(&s);
    assert_null(s);
}

static void test_card_remove_wipes(void **state)
{
    (void)state;
    struct session *s = new_session();
    char id[19], name[256], masked[96];
    insert(s, 1, id, name, sizeof name);
    name_mask(name, masked, sizeof masked);
    assert_true(view_has(s, masked));
    struct card_event ev = {.type = CARD_EV_REMOVE};
    unsigned r = session_card(s, &ev, now += 10);
    assert_true(r & SR_WIPE);
    assert_int_equal(session_view(s)->screen, SS_ATTRACT);
    assert_false(session_holds_personal(s));
    assert_false(view_has(s, masked));
    session_free(&s);
}

static void test_idle_countdown_and_wipe(void **state)
{
    (void)state;
    struct session *s = new_session();
    char id[19], name[256], masked[96];
    insert(s, 2, id, name, sizeof name);
    name_mask(name, masked, sizeof masked);
    int64_t t0 = now;
    /* nothing before idle_timeout */
    assert_int_equal(session_tick(s, t0 + 29000) & SR_WIPE, 0);
    assert_int_equal(session_view(s)->countdown, 0);
    int wait = session_next_timeout_ms(s, t0 + 29000);
    assert_true(wait >= 0 && wait <= 1000);
    /* the countdown starts, a key keeps the session */
    assert_true(session_tick(s, t0 + 30000) & SR_REDRAW);
    assert_int_equal(session_view(s)->countdown, 10);
    assert_true(strstr(session_view(s)->countdown_text, "10") != NULL);
    now = t0 + 31000;
    session_action(s, ACT_ANY, now);
    assert_int_equal(session_view(s)->countdown, 0);
    assert_int_equal(session_view(s)->screen, SS_SUMMARY);
    assert_true(view_has(s, masked));
    /* then idle again, through the whole countdown */
    session_tick(s, now + 30000);
    assert_int_equal(session_view(s)->countdown, 10);
    session_tick(s, now + 35000);
    assert_int_equal(session_view(s)->countdown, 5);
    unsigned r = session_tick(s, now + 40000);
    assert_true(r & SR_WIPE);
    assert_int_equal(session_view(s)->screen, SS_ATTRACT);
    assert_false(session_holds_personal(s));
    assert_false(view_has(s, masked));
    assert_false(view_has(s, "4403**"));
    /* on an empty attract screen the idle timer has nothing to do */
    assert_int_equal(session_next_timeout_ms(s, now + 40000), -1);
    session_free(&s);
}

static void test_typed_lookup_rate_limit(void **state)
{
    (void)state;
    struct session *s = new_session();
    char id[19], name[256];
    demo_resident(SEED, 3, id, name, sizeof name);
    struct queue_view qv[8];
    int n = 0;
    assert_int_equal(queue_lookup_id(st, sec, id, NULL, qv, 8, &n), 0);
    for (int i = 0; i < 3; i++) {
        type(s, qv[0].receipt_no);
        act(s, ACT_ENTER);
        type(s, "000000");
        act(s, ACT_ENTER);
        assert_int_equal(session_view(s)->screen, SS_ATTRACT);
    }
    assert_true(strstr(session_view(s)->message, "Please wait 5 seconds") != NULL);
    /* the right one is refused during the pause */
    type(s, qv[0].receipt_no);
    act(s, ACT_ENTER);
    type(s, id + 12);
    act(s, ACT_ENTER);
    assert_int_equal(session_view(s)->screen, SS_ATTRACT);
    /* after the pause it works */
    now += 6000;
    session_tick(s, now);
    act(s, ACT_ESCAPE);
    type(s, qv[0].receipt_no);
    act(s, ACT_ENTER);
    type(s, id + 12);
    act(s, ACT_ENTER);
    assert_int_equal(session_view(s)->screen, SS_SUMMARY);
    assert_false(view_has(s, id));
    queue_view_wipe(qv, n);
    session_free(&s);
}

static void test_letters_by_arrows(void **state)
{
    (void)state;
    struct session *s = new_session();
    act(s, ACT_UP);               /* A */
    act(s, ACT_UP);               /* B */
    act(s, ACT_DIGIT_7);
    act(s, ACT_DOWN);             /* Z appended after a digit */
    assert_string_equal(session_view(s)->field[0].value, "B7Z");
    act(s, ACT_BACKSPACE);
    assert_string_equal(session_view(s)->field[0].value, "B7");
    act(s, ACT_ESCAPE);
    assert_string_equal(session_view(s)->field[0].value, "");
    session_free(&s);
}

static void test_print_paper_out_reprint(void **state)
{
    (void)state;
    struct session *s = new_session();
    char id[19], name[256];
    insert(s, 0, id, name, sizeof name);
    act(s, ACT_ENTER);
    unsigned r = act(s, ACT_PRINT);
    assert_true(r & SR_PRINT);
    const struct receipt_model *m = session_receipt(s);
    assert_true(m->position[0] != '\0');
    assert_true(strstr(m->id_masked, "**") != NULL);
    assert_null(strstr(m->id_masked, id));
    assert_true(strstr(m->followup_url, "?r=") != NULL);
    r = session_print_result(s, KERR_PAPER, now);
    assert_int_equal(session_view(s)->screen, SS_QR);
    assert_true(session_view(s)->qr_url[0] != '\0');
    assert_true(session_view(s)->message_warn);
    /* reprint the kept receipt */
    r = act(s, ACT_PRINT);
    assert_true(r & SR_PRINT);
    assert_true(session_receipt(s)->reference[0] != '\0');
    session_print_result(s, 0, now);
    assert_int_equal(session_view(s)->screen, SS_QUEUE);
    assert_true(strstr(session_view(s)->message, "printed") != NULL);
    session_free(&s);
}

static void test_device_status_line(void **state)
{
    (void)state;
    struct session *s = new_session();
    assert_true(session_devices(s, SDEV_READY, SDEV_PAPER_OUT) & SR_REDRAW);
    assert_true(strstr(session_view(s)->status, "out of paper") != NULL);
    assert_true(session_view(s)->device_trouble);
    session_devices(s, SDEV_ABSENT, SDEV_READY);
    assert_true(strstr(session_view(s)->status, "not connected") != NULL);
    assert_int_equal(session_devices(s, SDEV_ABSENT, SDEV_READY), SR_NONE);
    session_free(&s);
}

static void test_language_switch(void **state)
{
    (void)state;
    struct session *s = new_session();
    char title[160];
    snprintf(title, sizeof title, "%s", session_view(s)->title);
    act(s, ACT_LANG);
    assert_string_equal(session_lang(s), "zh");
    if (i18n_dir()[0])
        assert_string_not_equal(session_view(s)->title, title);
    act(s, ACT_LANG);
    assert_string_equal(session_lang(s), "en");
    assert_string_equal(session_view(s)->title, title);
    session_free(&s);
}

static void test_apply_by_agent_then_withdraw(void **state)
{
    (void)state;
    struct session *s = new_session();
    char aid[19], aname[256], eid[19], ename[256];
    insert(s, 250, aid, aname, sizeof aname);
    /* the apply item is the last one */
    act(s, ACT_UP);
    act(s, ACT_ENTER);
    assert_int_equal(session_view(s)->screen, SS_APPLY_WHO);
    act(s, ACT_DIGIT_2);
    assert_int_equal(session_view(s)->screen, SS_APPLY_PHONE);
    act(s, ACT_ENTER);                       /* no number yet: refused */
    assert_int_equal(session_view(s)->screen, SS_APPLY_PHONE);
    type(s, "13912345678");
    act(s, ACT_ENTER);
    assert_int_equal(session_view(s)->screen, SS_APPLY_ELDER);
    demo_resident(SEED, 251, eid, ename, sizeof ename);
    struct card_event ev = {.type = CARD_EV_REMOVE};
    session_card(s, &ev, now += 10);         /* the agent takes the card away: fine */
    assert_int_equal(session_view(s)->screen, SS_APPLY_ELDER);
    ev = (struct card_event){.type = CARD_EV_INSERT, .kind = CARD_KIND_RESIDENT};
    snprintf(ev.id_number, sizeof ev.id_number, "%s", eid);
    snprintf(ev.name, sizeof ev.name, "%s", ename);
    session_card(s, &ev, now += 10);
    assert_int_equal(session_view(s)->screen, SS_APPLY_CONSENT);
    act(s, ACT_ENTER);
    assert_int_equal(session_view(s)->screen, SS_APPLY_SERVICES);
    act(s, ACT_DIGIT_1);
    act(s, ACT_DIGIT_3);
    act(s, ACT_UP);
    act(s, ACT_UP);
    act(s, ACT_UP);                          /* from item 3 (index 2) up past 1 to "Continue" */
    act(s, ACT_ENTER);
    assert_int_equal(session_view(s)->screen, SS_APPLY_CONFIRM);
    assert_true(view_text_has(s, "139****5678"));
    assert_false(view_has(s, eid));
    assert_false(view_has(s, ename));
    assert_false(view_has(s, aname));
    act(s, ACT_ENTER);
    const struct sess_view *v = session_view(s);
    assert_int_equal(v->screen, SS_APPLY_DONE);
    assert_true(v->qr_url[0] != '\0');

    struct bed_view bv[4];
    int n = 0;
    assert_int_equal(bed_lookup_id(st, sec, eid, "en", bv, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(bv[0].stage, BS_SUBMITTED);
    assert_true(bv[0].by_agent);
    assert_true(view_has(s, bv[0].ref));
    session_free(&s);

    /* the elder sees it and withdraws it */
    s = new_session();
    insert(s, 251, eid, ename, sizeof ename);
    v = session_view(s);
    int sel = -1, items = 0;
    for (int i = 0; i < v->n_lines; i++)
        if (v->line[i].kind == SVL_ITEM) {
            if (strstr(v->line[i].text, bv[0].ref))
                sel = items;
            items++;
        }
    assert_true(sel >= 0);
    for (int i = 0; i < sel; i++)
        act(s, ACT_DOWN);
    act(s, ACT_ENTER);
    assert_int_equal(session_view(s)->screen, SS_BED);
    assert_true(view_text_has(s, "Timeline"));
    act(s, ACT_DIGIT_9);
    assert_int_equal(session_view(s)->screen, SS_WITHDRAW);
    act(s, ACT_ESCAPE);                      /* changed their mind */
    assert_int_equal(session_view(s)->screen, SS_BED);
    act(s, ACT_DIGIT_9);
    act(s, ACT_ENTER);
    assert_int_equal(session_view(s)->screen, SS_BED);
    assert_true(strstr(session_view(s)->message, "withdrawn") != NULL);
    assert_int_equal(bed_lookup_id(st, sec, eid, "en", bv, 4, &n), 0);
    assert_int_equal(bv[0].stage, BS_WITHDRAWN);
    session_free(&s);
}

static void test_picker(void **state)
{
    (void)state;
    struct session *s = new_session();
    act(s, ACT_PICKER);
    assert_int_equal(session_view(s)->screen, SS_PICKER);
    char id[19], name[256];
    demo_resident(SEED, 1, id, name, sizeof name);
    assert_false(view_has(s, id));
    assert_false(view_has(s, name));
    act(s, ACT_DOWN);
    unsigned r = act(s, ACT_ENTER);
    assert_true(r & SR_WORK);
    session_work(s, now);
    assert_int_equal(session_view(s)->screen, SS_SUMMARY);
    char masked[96];
    name_mask(name, masked, sizeof masked);
    assert_true(view_has(s, masked));
    session_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_card_summary_detail),
        cmocka_unit_test(test_card_remove_wipes),
        cmocka_unit_test(test_idle_countdown_and_wipe),
        cmocka_unit_test(test_typed_lookup_rate_limit),
        cmocka_unit_test(test_letters_by_arrows),
        cmocka_unit_test(test_print_paper_out_reprint),
        cmocka_unit_test(test_device_status_line),
        cmocka_unit_test(test_language_switch),
        cmocka_unit_test(test_apply_by_agent_then_withdraw),
        cmocka_unit_test(test_picker),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
