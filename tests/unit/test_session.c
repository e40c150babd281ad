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
#include "kiosk/kiosk_status.h"
#include "kiosk/notice.h"
#include "kiosk/queue.h"
#include "kiosk/secret.h"
#include "kiosk/session/session.h"
#include "kiosk/store/bed_store.h"
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
    /* the card is still on the reader: the idle limit (30 s) doubles to 60 s */
    assert_int_equal(session_tick(s, t0 + 59000) & SR_WIPE, 0);
    assert_int_equal(session_view(s)->countdown, 0);
    int wait = session_next_timeout_ms(s, t0 + 59000);
    assert_true(wait >= 0 && wait <= 1000);
    /* the warning: 20 s, "press any key for more time", and a text to speak */
    assert_true(session_tick(s, t0 + 60000) & SR_REDRAW);
    assert_int_equal(session_view(s)->countdown, 20);
    assert_true(strstr(session_view(s)->countdown_text, "20") != NULL);
    assert_true(strstr(session_view(s)->countdown_text, "Press any key for more time") != NULL);
    assert_true(strstr(session_view(s)->countdown_speak, "Press any key for more time") != NULL);
    assert_null(strstr(session_view(s)->countdown_speak, "20"));
    now = t0 + 61000;
    session_action(s, ACT_ANY, now);
    assert_int_equal(session_view(s)->countdown, 0);
    assert_int_equal(session_view(s)->screen, SS_SUMMARY);
    assert_true(view_has(s, masked));
    /* then idle again, through the whole 20-second warning */
    session_tick(s, now + 60000);
    assert_int_equal(session_view(s)->countdown, 20);
    session_tick(s, now + 70000);
    assert_int_equal(session_view(s)->countdown, 10);
    assert_int_equal(session_tick(s, now + 79500) & SR_WIPE, 0);
    unsigned r = session_tick(s, now + 80000);
    assert_true(r & SR_WIPE);
    assert_int_equal(session_view(s)->screen, SS_ATTRACT);
    assert_false(session_holds_personal(s));
    assert_false(view_has(s, masked));
    assert_false(view_has(s, "4403**"));
    /* on an empty attract screen the idle timer has nothing to do: the only wake-up
     * left is the next fleet heartbeat (issue 12), within [fleet] heartbeat seconds */
    int t = session_next_timeout_ms(s, now + 80000);
    assert_true(t > 0 && t <= cfg.fleet_heartbeat * 1000);
    session_free(&s);
}

/* A typed look-up has no card on the reader: the plain idle limit. */
static void test_idle_typed_not_doubled(void **state)
{
    (void)state;
    struct session *s = new_session();
    char id[19], name[256];
    demo_resident(SEED, 3, id, name, sizeof name);
    struct queue_view qv[8];
    int n = 0;
    assert_int_equal(queue_lookup_id(st, sec, id, NULL, qv, 8, &n), 0);
    assert_true(n > 0);
    type(s, qv[0].receipt_no);
    act(s, ACT_ENTER);
    type(s, id + 12);
    act(s, ACT_ENTER);
    assert_int_equal(session_view(s)->screen, SS_SUMMARY);
    int64_t t0 = now;
    assert_true(session_tick(s, t0 + 30000) & SR_REDRAW);
    assert_int_equal(session_view(s)->countdown, 20);
    session_free(&s);
}

/* The card taken away half way through an application: the warning, not a wipe. */
static void test_apply_card_removed_warns(void **state)
{
    (void)state;
    struct session *s = new_session();
    char aid[19], aname[256];
    insert(s, 250, aid, aname, sizeof aname);
    act(s, ACT_UP);
    act(s, ACT_ENTER);
    assert_int_equal(session_view(s)->screen, SS_APPLY_WHO);
    act(s, ACT_DIGIT_2);
    assert_int_equal(session_view(s)->screen, SS_APPLY_PHONE);
    type(s, "139123");
    struct card_event ev = {.type = CARD_EV_REMOVE};
    unsigned r = session_card(s, &ev, now += 10);
    assert_int_equal(r & SR_WIPE, 0);
    assert_int_equal(session_view(s)->screen, SS_APPLY_PHONE);
    assert_int_equal(session_view(s)->countdown, 20);
    assert_true(strstr(session_view(s)->countdown_text, "Press any key for more time") != NULL);
    assert_true(session_holds_personal(s));
    /* a key: the application goes on */
    act(s, ACT_ANY);
    assert_int_equal(session_view(s)->countdown, 0);
    type(s, "45678");
    assert_int_equal(session_view(s)->screen, SS_APPLY_PHONE);
    /* no card now: the plain limit, then the warning, then the wipe */
    int64_t t0 = now;
    session_tick(s, t0 + 30000);
    assert_int_equal(session_view(s)->countdown, 20);
    r = session_tick(s, t0 + 50000);
    assert_true(r & SR_WIPE);
    assert_false(session_holds_personal(s));
    session_free(&s);
}

/* Type text on a keypad of digits, Enter and Cancel only: letters through the
 * picker (Enter on the empty receipt field, 2–9 the group, 1–4 the letter,
 * Enter to close); X at the end of an ID ending through Enter after five. */
static void keypad_type(struct session *s, const char *text, bool id_field)
{
    static const char *const grp[8] = {"ABC", "DEF", "GHI", "JKL", "MNO", "PQRS", "TUV", "WXYZ"};
    bool picking = false;
    for (const char *p = text; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (picking) {
                act(s, ACT_ENTER);
                picking = false;
            }
            act(s, (enum kiosk_action)(ACT_DIGIT_0 + (*p - '0')));
            continue;
        }
        if (id_field) {              /* the X of an ID ending */
            act(s, ACT_ENTER);
            act(s, ACT_DIGIT_1);
            continue;
        }
        if (!picking) {
            assert_int_equal(session_view(s)->field[0].value[0], 0);   /* letters come first */
            act(s, ACT_ENTER);
            picking = true;
        }
        for (int g = 0; g < 8; g++) {
            const char *at = strchr(grp[g], *p);
            if (at) {
                act(s, (enum kiosk_action)(ACT_DIGIT_0 + g + 2));
                act(s, (enum kiosk_action)(ACT_DIGIT_0 + (int)(at - grp[g]) + 1));
            }
        }
    }
    if (picking)
        act(s, ACT_ENTER);
}

/* Every receipt number of the demo data can be typed on a digits + Enter +
 * Cancel keypad, and so can an ID ending in X; the look-up then finds it. */
static void test_keypad_every_receipt(void **state)
{
    (void)state;
    struct session *s = new_session();
    int typed = 0, found = 0;
    for (long long i = 0; i < 300; i++) {
        char id[19], name[256];
        demo_resident(SEED, i, id, name, sizeof name);
        struct queue_view qv[8];
        int n = 0;
        if (queue_lookup_id(st, sec, id, NULL, qv, 8, &n) != 0)
            continue;
        for (int j = 0; j < n; j++) {
            assert_int_equal(session_view(s)->screen, SS_ATTRACT);
            keypad_type(s, qv[j].receipt_no, false);
            assert_string_equal(session_view(s)->field[0].value, qv[j].receipt_no);
            assert_int_equal(session_view(s)->n_pick, 0);
            typed++;
            if (j == 0 && found < 3) {
                /* the whole look-up, a few times (the rate limit counts misses only) */
                act(s, ACT_ENTER);
                keypad_type(s, id + 12, true);
                assert_string_equal(session_view(s)->field[1].value, id + 12);
                act(s, ACT_ENTER);
                assert_int_equal(session_view(s)->screen, SS_SUMMARY);
                act(s, ACT_ESCAPE);
                act(s, ACT_ENTER);
                found++;
            }
            act(s, ACT_ESCAPE);   /* Cancel clears the fields */
            assert_int_equal(session_view(s)->field[0].value[0], 0);
        }
    }
    assert_true(typed >= 300);
    assert_int_equal(found, 3);
    /* an ID ending in X, on the keypad */
    act(s, ACT_DIGIT_1);
    act(s, ACT_ENTER);
    keypad_type(s, "12345X", true);
    assert_string_equal(session_view(s)->field[1].value, "12345X");
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

/* A clerk's offer (deadline, place, contact) and a freeze reason picked for
 * the resident reach the detail screen and the receipt; the refusal count
 * and its consequence are said; the language goes back to the default
 * when the resident leaves; a typed look-up is never told about a card. */
static void test_next_steps_reach_screen_and_receipt(void **state)
{
    (void)state;
    char id[19], name[256];
    demo_resident(SEED, 7, id, name, sizeof name);
    struct queue_view qv[8];
    int n = 0;
    assert_int_equal(queue_lookup_id(st, sec, id, NULL, qv, 8, &n), 0);
    int i = 0;
    while (i < n && qv[i].status != ST_WAITING)
        i++;
    assert_true(i < n);
    struct actor clerk = {.name = "clerk", .roles = ROLE_HOUSING};
    int now_status;
    assert_int_equal(queue_staff_action(st, sec, &clerk, qv[i].program, qv[i].receipt_no, QA_OFFER,
                                        "flat 3-1201 phoned", &now_status), 0);
    assert_int_equal(queue_staff_action(st, sec, &clerk, qv[i].program, qv[i].receipt_no, QA_REFUSE,
                                        "too far", &now_status), 0);
    assert_int_equal(queue_staff_action(st, sec, &clerk, qv[i].program, qv[i].receipt_no, QA_OFFER,
                                        "flat 5-0802", &now_status), 0);
    char ref[64];
    notice_entry_ref(qv[i].program, qv[i].receipt_no, ref, sizeof ref);
    struct notice nt = {.status = ST_OFFERED};
    snprintf(nt.offer_deadline, sizeof nt.offer_deadline, "2030-06-30");
    snprintf(nt.offer_place, sizeof nt.offer_place, "Building 5, flat 0802");
    snprintf(nt.offer_contact, sizeof nt.offer_contact, "Mr Wang 0755-2222-0001");
    assert_int_equal(notice_set(st, NOTICE_ENTRY, ref, &nt), 0);

    struct session *s = new_session();
    insert(s, 7, id, name, sizeof name);
    for (int k = 0; k < i; k++)
        act(s, ACT_DOWN);
    act(s, ACT_ENTER);
    assert_int_equal(session_view(s)->screen, SS_QUEUE);
    assert_true(view_text_has(s, "Go to Building 5, flat 0802 by 2030-06-30"));
    assert_true(view_text_has(s, "Who to contact: Mr Wang 0755-2222-0001"));
    assert_true(view_text_has(s, "You have refused 1 of 2 allowed offers; 1 more and you will be removed"));
    assert_false(view_text_has(s, "flat 3-1201 phoned"));   /* the internal note stays inside */
    assert_true(act(s, ACT_PRINT) & SR_PRINT);
    const struct receipt_model *m = session_receipt(s);
    assert_string_equal(m->deadline, "2030-06-30");
    assert_string_equal(m->contact, "Mr Wang 0755-2222-0001");
    assert_non_null(strstr(m->next_step, "Building 5, flat 0802"));
    assert_non_null(strstr(m->status_line, "offered"));
    session_print_result(s, 0, now);
    session_free(&s);

    /* frozen with a reason from the list: reason, deadline and appeal */
    assert_int_equal(queue_staff_action(st, sec, &clerk, qv[i].program, qv[i].receipt_no, QA_FREEZE,
                                        "hukou check", &now_status), 0);
    struct notice fr = {.status = ST_FROZEN};
    snprintf(fr.reason_code, sizeof fr.reason_code, "hukou_changed");
    snprintf(fr.at, sizeof fr.at, "2030-05-01T10:00:00");
    assert_int_equal(notice_set(st, NOTICE_ENTRY, ref, &fr), 0);
    s = new_session();
    act(s, ACT_LANG);                        /* the resident reads Chinese */
    assert_string_equal(session_lang(s), "zh");
    insert(s, 7, id, name, sizeof name);
    for (int k = 0; k < i; k++)
        act(s, ACT_DOWN);
    act(s, ACT_ENTER);
    if (i18n_dir()[0])
        assert_true(view_text_has(s, "状态"));
    assert_true(view_text_has(s, "户籍或居住情况有变化，需要重新核实"));
    assert_true(view_text_has(s, "2030-05-31"));          /* 30 days to bring the papers */
    assert_true(view_text_has(s, "2030-06-30"));          /* 60 days to ask for a review */
    /* the card is taken away: the next resident gets the default language */
    struct card_event ev = {.type = CARD_EV_REMOVE};
    session_card(s, &ev, now += 10);
    assert_string_equal(session_lang(s), "en");
    session_free(&s);

    /* a typed look-up: no "card holder", no "take your card" */
    s = new_session();
    type(s, qv[i].receipt_no);
    act(s, ACT_ENTER);
    type(s, id + 12);
    act(s, ACT_ENTER);
    assert_int_equal(session_view(s)->screen, SS_SUMMARY);
    assert_false(view_text_has(s, "Card holder"));
    assert_true(view_text_has(s, "Name on file"));
    act(s, ACT_ESCAPE);
    assert_int_equal(session_view(s)->screen, SS_END);
    assert_false(view_text_has(s, "card"));
    act(s, ACT_HELP);
    assert_false(view_text_has(s, "ID card"));
    queue_view_wipe(qv, n);
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
    /* issue 12: a reader that is connected but silent is "not answering", never "no card";
     * the heartbeat (written at the next tick) carries the state and the screen's name */
    assert_true(session_devices(s, SDEV_NOT_ANSWERING, SDEV_READY) & SR_REDRAW);
    assert_non_null(strstr(session_view(s)->status, "Card reader: not answering"));
    assert_null(strstr(session_view(s)->status, "no card"));
    assert_true(session_view(s)->device_trouble);
    session_drawn(s, 1700000000);
    session_sam(s, KSAM_OK, "05.01-1-2-3");
    now += 100;
    session_tick(s, now);
    struct kiosk_status_row rows[8];
    int n = 0;
    assert_int_equal(kiosk_status_list(st, rows, 8, &n), 0);
    bool found = false;
    for (int i = 0; i < n; i++)
        if (!strcmp(rows[i].kiosk_id, cfg.kiosk_id)) {
            found = true;
            assert_int_equal(rows[i].reader_state, KDEV_NOT_ANSWERING);
            assert_string_equal(rows[i].screen, "attract");
            assert_int_equal(rows[i].screen_at, 1700000000);
            assert_int_equal(rows[i].sam_state, KSAM_OK);
        }
    assert_true(found);
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
    struct card_event ev = {.type = CARD_EV_REMOVE};
    session_card(s, &ev, now += 10);         /* the agent takes the card away: fine */
    assert_int_equal(session_view(s)->screen, SS_APPLY_ELDER);
    /* an elder under [eldercare] min_age (60) is refused up front, on the card */
    ev = (struct card_event){.type = CARD_EV_INSERT, .kind = CARD_KIND_RESIDENT};
    snprintf(ev.id_number, sizeof ev.id_number, "440303200001010010");   /* born 2000 */
    snprintf(ev.name, sizeof ev.name, "年轻人");
    session_card(s, &ev, now += 10);
    assert_int_equal(session_view(s)->screen, SS_APPLY_ELDER);
    assert_true(session_view(s)->message_warn);
    assert_non_null(strstr(session_view(s)->message, "aged 60 or more"));
    /* the first demo resident from 251 on who may apply (60 or older, no
     * open application); the others are refused with one of the two reasons */
    int k = 251;
    for (; k < 300; k++) {
        demo_resident(SEED, k, eid, ename, sizeof ename);
        ev = (struct card_event){.type = CARD_EV_INSERT, .kind = CARD_KIND_RESIDENT};
        snprintf(ev.id_number, sizeof ev.id_number, "%s", eid);
        snprintf(ev.name, sizeof ev.name, "%s", ename);
        session_card(s, &ev, now += 10);
        if (session_view(s)->screen != SS_APPLY_ELDER)
            break;
        const char *m = session_view(s)->message;
        assert_true(strstr(m, "aged 60 or more") || strstr(m, "already has an open application"));
    }
    assert_true(k < 300);
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
    insert(s, k, eid, ename, sizeof ename);
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
    /* what happens next, whom to contact, and the stages to come as "not yet" */
    assert_true(view_text_has(s, "What this means: Your application has been received"));
    assert_true(view_text_has(s, "Who to contact: Dongmen Street Office"));
    assert_true(view_text_has(s, "What happens next: The street office reviews it (usually takes about 10 days)."));
    assert_true(view_text_has(s, "Not yet: street office review → district approval"));
    /* and the elder cannot apply again for themself while it is open */
    act(s, ACT_ESCAPE);
    v = session_view(s);
    for (int i = items - 1; i > sel; i--)   /* down to the last item: apply */
        act(s, ACT_DOWN);
    act(s, ACT_ENTER);
    assert_int_equal(session_view(s)->screen, SS_APPLY_WHO);
    assert_true(view_text_has(s, "Not for yourself: This elder already has an open application"));
    assert_false(view_text_has(s, "I am the elder"));
    act(s, ACT_DIGIT_1);                     /* not offered: nothing happens */
    assert_int_equal(session_view(s)->screen, SS_APPLY_WHO);
    act(s, ACT_ESCAPE);
    assert_int_equal(session_view(s)->screen, SS_SUMMARY);
    v = session_view(s);
    int at = 0;
    for (int i = 0; i < v->n_lines; i++)
        if (v->line[i].kind == SVL_ITEM && v->selected == i)
            break;
        else if (v->line[i].kind == SVL_ITEM)
            at++;
    for (; at != sel; at = (at + 1) % items)
        act(s, ACT_DOWN);
    act(s, ACT_ENTER);
    assert_int_equal(session_view(s)->screen, SS_BED);
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

/* ---- the key table, help, and what a key costs ---------------------------------- */

/* Open household 0's first queue entry (card → summary → Enter). */
static struct session *open_queue_detail(const struct kiosk_config *c)
{
    struct session *s = NULL;
    struct session_opts o = {.sim = true};
    assert_int_equal(session_new(st, sec, c, &o, &s), 0);
    char id[19], name[256];
    insert(s, 0, id, name, sizeof name);
    assert_int_equal(session_view(s)->screen, SS_SUMMARY);
    act(s, ACT_ENTER);
    assert_int_equal(session_view(s)->screen, SS_QUEUE);
    return s;
}

static bool acts_has(const struct sess_view *v, int a)
{
    for (int i = 0; i < v->n_acts; i++)
        if (v->acts[i] == a)
            return true;
    return false;
}

static void test_default_keys_hint_and_digit_actions(void **state)
{
    (void)state;
    struct session *s = open_queue_detail(&cfg);
    const struct sess_view *v = session_view(s);
    /* the hint is generated from the offered actions and the default keys */
    assert_true(acts_has(v, ACT_SHOW_QR));
    assert_true(acts_has(v, ACT_PRINT));
    assert_false(acts_has(v, ACT_WITHDRAW));   /* a queue entry cannot be withdrawn here */
    assert_non_null(strstr(v->hint, "[0] QR code"));
    assert_non_null(strstr(v->hint, "[F3] Print receipt"));
    assert_non_null(strstr(v->hint, "[F1] Help"));
    assert_null(strstr(v->hint, "[9]"));
    /* the typed "0" is bound to the QR code, which this screen offers */
    act(s, ACT_DIGIT_0);
    assert_int_equal(session_view(s)->screen, SS_QR);
    act(s, ACT_ESCAPE);
    assert_int_equal(session_view(s)->screen, SS_QUEUE);
    /* the named action works the same (the screens layer may send it) */
    act(s, ACT_SHOW_QR);
    assert_int_equal(session_view(s)->screen, SS_QR);
    act(s, ACT_ESCAPE);
    /* a "9" here is typing, and a queue detail has nothing to type */
    assert_int_equal(act(s, ACT_DIGIT_9), SR_NONE);
    assert_int_equal(session_view(s)->screen, SS_QUEUE);
    session_free(&s);

    /* on the attract screen "0" is not an action: it types */
    s = new_session();
    act(s, ACT_DIGIT_0);
    assert_int_equal(session_view(s)->screen, SS_ATTRACT);
    assert_string_equal(session_view(s)->field[0].value, "0");
    assert_false(acts_has(session_view(s), ACT_SHOW_QR));
    /* no screen writes key names by hand any more */
    assert_null(strstr(session_view(s)->hint, "[0-9]"));
    assert_null(strstr(session_view(s)->hint, "↑↓"));
    session_free(&s);
}

static void test_remapped_keys(void **state)
{
    (void)state;
    struct kiosk_config c = cfg;
    assert_int_equal(keytab_bind(&c.keys, "qr", "7"), 0);
    assert_int_equal(keytab_bind(&c.keys, "print", "F8"), 0);
    assert_int_equal(keytab_bind(&c.keys, "help", "h"), 0);
    struct session *s = open_queue_detail(&c);
    const struct sess_view *v = session_view(s);
    assert_non_null(strstr(v->hint, "[7] QR code"));
    assert_null(strstr(v->hint, "[0] QR code"));
    assert_non_null(strstr(v->hint, "[F8] Print receipt"));
    assert_null(strstr(v->hint, "[F3]"));
    assert_non_null(strstr(v->hint, "[h] Help"));
    /* "0" no longer opens the code; "7" does */
    act(s, ACT_DIGIT_0);
    assert_int_equal(session_view(s)->screen, SS_QUEUE);
    act(s, ACT_DIGIT_7);
    assert_int_equal(session_view(s)->screen, SS_QR);
    act(s, ACT_ESCAPE);
    /* a letter key bound to an action runs it where it is offered */
    act(s, ACT_CHAR_A + ('h' - 'a'));
    assert_int_equal(session_view(s)->screen, SS_HELP);
    /* help shows the key as bound */
    const struct sess_view *hv = session_view(s);
    const char *qr_help = keytab_def(KS_RESIDENT, ACT_SHOW_QR)->help[0];
    bool seen = false;
    for (int i = 0; i < hv->n_lines; i++)
        if (strstr(hv->line[i].text, qr_help)) {
            assert_int_equal(strncmp(hv->line[i].text, "  7 ", 4), 0);
            seen = true;
        }
    assert_true(seen);
    session_free(&s);

    /* on the attract screen, where the QR code is not offered, "7" types */
    struct session_opts o = {.sim = true};
    assert_int_equal(session_new(st, sec, &c, &o, &s), 0);
    act(s, ACT_DIGIT_7);
    assert_string_equal(session_view(s)->field[0].value, "7");
    session_free(&s);
}

/* The help lines of a screen's actions, as the key table words them. */
static bool help_lists(const struct session *s, int act_id)
{
    const struct action_def *d = keytab_def(KS_RESIDENT, act_id);
    assert_non_null(d);
    return view_text_has(s, d->help[keytab_lang(session_lang(s))]);
}

static void test_help_lists_the_screen_it_came_from(void **state)
{
    (void)state;
    struct session *s = open_queue_detail(&cfg);
    act(s, ACT_HELP);
    assert_int_equal(session_view(s)->screen, SS_HELP);
    assert_true(help_lists(s, ACT_SHOW_QR));
    assert_true(help_lists(s, ACT_PRINT));
    assert_false(help_lists(s, ACT_BACKSPACE));   /* nothing to delete on a detail */
    assert_false(help_lists(s, ACT_WITHDRAW));
    act(s, ACT_ESCAPE);
    assert_int_equal(session_view(s)->screen, SS_QUEUE);
    session_free(&s);

    s = new_session();
    act(s, ACT_HELP);
    assert_int_equal(session_view(s)->screen, SS_HELP);
    assert_true(help_lists(s, ACT_BACKSPACE));    /* attract: typing a receipt number */
    assert_true(help_lists(s, ACT_PICKER));       /* --sim with demo data */
    assert_false(help_lists(s, ACT_SHOW_QR));
    assert_false(help_lists(s, ACT_PRINT));
    /* and in Chinese, from the same table */
    act(s, ACT_LANG);
    assert_true(help_lists(s, ACT_BACKSPACE));
    act(s, ACT_LANG);
    act(s, ACT_ESCAPE);
    assert_int_equal(session_view(s)->screen, SS_ATTRACT);
    session_free(&s);
}

/* A store wrapper that counts calls: the real store's ops with the calls a
 * resident session can make counted (top level, queue and bed tables). */
static int n_calls;
static const struct store_ops *real_ops;
static struct store_ops count_ops;
static struct queue_store_ops count_queue;
static struct bed_store_ops count_bed;

#define CNT(tbl, fn, params, args)                                                        \
    static int c_##fn params                                                              \
    {                                                                                     \
        n_calls++;                                                                        \
        return tbl->fn args;                                                              \
    }
CNT(real_ops, begin, (struct store *s), (s))
CNT(real_ops, begin_read, (struct store *s), (s))
CNT(real_ops, commit, (struct store *s), (s))
CNT(real_ops, rollback, (struct store *s), (s))
CNT(real_ops, meta_get, (struct store *s, const char *k, char *o, size_t c), (s, k, o, c))
CNT(real_ops->queue, program_get, (struct store *s, const char *c, struct program *o), (s, c, o))
CNT(real_ops->queue, program_by_id, (struct store *s, int id, struct program *o), (s, id, o))
CNT(real_ops->queue, entries_by_hash, (struct store *s, const unsigned char h[32], entry_cb cb, void *x),
    (s, h, cb, x))
CNT(real_ops->queue, entries_by_receipt, (struct store *s, const char *r, entry_cb cb, void *x),
    (s, r, cb, x))
CNT(real_ops->queue, entry_get, (struct store *s, int p, const char *r, struct entry_row *o),
    (s, p, r, o))
CNT(real_ops->queue, facts, (struct store *s, const struct facts_query *q,
    int (*cb)(void *, const struct entry_facts *), void *x), (s, q, cb, x))
CNT(real_ops->queue, position, (struct store *s, const struct entry_row *e, long long *p), (s, e, p))
CNT(real_ops->queue, total, (struct store *s, int p, long long *t), (s, p, t))
CNT(real_ops->queue, housed_by_month, (struct store *s, int p, const char *f, int n, int *c),
    (s, p, f, n, c))
CNT(real_ops->queue, last_publication, (struct store *s, int p, struct publication *o), (s, p, o))
CNT(real_ops->queue, published_position, (struct store *s, long long a, long long b, long long *p),
    (s, a, b, p))
CNT(real_ops->bed, get, (struct store *s, const char *r, struct bed_row *o), (s, r, o))
CNT(real_ops->bed, by_hash, (struct store *s, const unsigned char h[32], bed_row_cb cb, void *x),
    (s, h, cb, x))
#undef CNT

static void count_store_calls(bool on)
{
    if (!on) {
        st->ops = real_ops;
        return;
    }
    real_ops = st->ops;
    count_ops = *real_ops;
    count_ops.begin = c_begin;
    count_ops.begin_read = c_begin_read;
    count_ops.commit = c_commit;
    count_ops.rollback = c_rollback;
    count_ops.meta_get = c_meta_get;
    count_queue = *real_ops->queue;
    count_queue.program_get = c_program_get;
    count_queue.program_by_id = c_program_by_id;
    count_queue.entries_by_hash = c_entries_by_hash;
    count_queue.entries_by_receipt = c_entries_by_receipt;
    count_queue.entry_get = c_entry_get;
    count_queue.facts = c_facts;
    count_queue.position = c_position;
    count_queue.total = c_total;
    count_queue.housed_by_month = c_housed_by_month;
    count_queue.last_publication = c_last_publication;
    count_queue.published_position = c_published_position;
    count_ops.queue = &count_queue;
    count_bed = *real_ops->bed;
    count_bed.get = c_get;
    count_bed.by_hash = c_by_hash;
    count_ops.bed = &count_bed;
    st->ops = &count_ops;
    n_calls = 0;
}

static void test_keys_do_no_store_work(void **state)
{
    (void)state;
    struct session *s = new_session();
    session_tick(s, now);   /* the first fleet heartbeat (a store write) goes out at start */
    count_store_calls(true);
    /* the look-up itself goes through the wrapper: it counts */
    char id[19], name[256];
    insert(s, 0, id, name, sizeof name);
    assert_int_equal(session_view(s)->screen, SS_SUMMARY);
    assert_true(n_calls > 0);
    int items = 0;
    for (int i = 0; i < session_view(s)->n_lines; i++)
        items += session_view(s)->line[i].kind == SVL_ITEM;
    assert_true(items >= 2);   /* an entry and "apply" at least */

    /* moving the cursor, help and back: no store call */
    n_calls = 0;
    int sel0 = session_view(s)->selected;
    act(s, ACT_DOWN);
    assert_int_not_equal(session_view(s)->selected, sel0);
    act(s, ACT_UP);
    act(s, ACT_UP);
    act(s, ACT_DOWN);
    assert_int_equal(session_view(s)->selected, sel0);
    act(s, ACT_HELP);
    act(s, ACT_ESCAPE);
    act(s, ACT_ANY);
    session_tick(s, now + 10);
    assert_int_equal(session_view(s)->screen, SS_SUMMARY);
    assert_int_equal(n_calls, 0);

    /* opening an entry: the look-up read whole views (one statement), so no
     * queue work (the notice of the latest decision is not a queue call) */
    act(s, ACT_ENTER);
    assert_int_equal(session_view(s)->screen, SS_QUEUE);
    assert_int_equal(n_calls, 0);
    /* keys on the detail, help over it and back: none */
    n_calls = 0;
    act(s, ACT_UP);
    act(s, ACT_DIGIT_5);
    act(s, ACT_HELP);
    act(s, ACT_ESCAPE);
    assert_int_equal(session_view(s)->screen, SS_QUEUE);
    /* back to the summary and into the same entry again: loaded already */
    act(s, ACT_ESCAPE);
    act(s, ACT_ENTER);
    assert_int_equal(session_view(s)->screen, SS_QUEUE);
    assert_int_equal(n_calls, 0);
    act(s, ACT_ESCAPE);
    act(s, ACT_ESCAPE);
    session_tick(s, now + 10000);   /* the end screen: back to attract, wiped */
    assert_int_equal(session_view(s)->screen, SS_ATTRACT);

    /* typing on the attract screen: none until the look-up is submitted */
    n_calls = 0;
    type(s, "A12");
    act(s, ACT_UP);
    act(s, ACT_BACKSPACE);
    act(s, ACT_ENTER);
    type(s, "12345");
    assert_int_equal(n_calls, 0);
    type(s, "6");
    act(s, ACT_ENTER);   /* submitted: the typed look-up reads the store */
    assert_true(n_calls > 0);
    count_store_calls(false);
    session_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_card_summary_detail),
        cmocka_unit_test(test_card_remove_wipes),
        cmocka_unit_test(test_idle_countdown_and_wipe),
        cmocka_unit_test(test_idle_typed_not_doubled),
        cmocka_unit_test(test_apply_card_removed_warns),
        cmocka_unit_test(test_keypad_every_receipt),
        cmocka_unit_test(test_typed_lookup_rate_limit),
        cmocka_unit_test(test_letters_by_arrows),
        cmocka_unit_test(test_print_paper_out_reprint),
        cmocka_unit_test(test_device_status_line),
        cmocka_unit_test(test_next_steps_reach_screen_and_receipt),
        cmocka_unit_test(test_language_switch),
        cmocka_unit_test(test_apply_by_agent_then_withdraw),
        cmocka_unit_test(test_picker),
        cmocka_unit_test(test_default_keys_hint_and_digit_actions),
        cmocka_unit_test(test_remapped_keys),
        cmocka_unit_test(test_help_lists_the_screen_it_came_from),
        cmocka_unit_test(test_keys_do_no_store_work),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
