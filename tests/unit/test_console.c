/* test_console.c — the staff console's state machine (kiosk/console.c) on a
 * real demo database, without a terminal: login and refusals, the queue
 * browser's pages, jumps and searches, entry actions with reasons, bed
 * moves offered by role, masking, the audited reveal, the idle logout and
 * its wipe, and the kiosk-status table; that cursor moves, typing and the
 * help screen never reach the database (every SQL statement is counted),
 * that key hints follow [keys] remaps, and that long lists are paged with
 * a true total instead of being cut. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "kiosk/assessment.h"
#include "kiosk/audit.h"
#include "kiosk/auth.h"
#include "kiosk/bed_rules.h"
#include "kiosk/config.h"
#include "kiosk/console/console.h"
#include "kiosk/console/console_int.h"   /* bed_work_mask */
#include "kiosk/demo.h"
#include "kiosk/eldercare.h"
#include "kiosk/err.h"
#include "kiosk/idnum.h"
#include "kiosk/kiosk_status.h"
#include "kiosk/notice.h"
#include "kiosk/secret.h"
#include "kiosk/queue.h"
#include "kiosk/store/sqlite/store_sqlite.h"
#include "kiosk/store/store.h"

static char dir[64];
static struct store *st;
static struct secret *sec;
static struct kiosk_config cfg;

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_console.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char db[128], key[128];
    snprintf(db, sizeof db, "%s/t.db", dir);
    snprintf(key, sizeof key, "%s/t.db.key", dir);
    config_defaults(&cfg);
    snprintf(cfg.language, sizeof cfg.language, "en");
    int from, to;
    struct demo_summary sum;
    struct actor root = {.name = "test", .roles = ROLE__ALL};
    long id;
    if (secret_create(key) || secret_load(key, &sec) || store_open(db, 1, &st) ||
        st->ops->migrate(st, &from, &to) || demo_fill(st, sec, 300, 1, &sum) ||
        auth_user_add(st, sec, &root, "clerk", ROLE_HOUSING | ROLE_ADMIN, "clerk-password", NULL,
                      NULL, &id) ||
        auth_user_add(st, sec, &root, "viewer", ROLE_STREET, "viewer-password", NULL, NULL, &id))
        return -1;
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

static int64_t clock_ms = 1000;

static unsigned key(struct console *c, enum con_action a)
{
    return console_input(c, a, 0, clock_ms += 10);
}

/* Type UTF-8 text as characters (the key table would send CA_CHAR or a command with its char). */
static void type(struct console *c, const char *s)
{
    while (*s) {
        unsigned char b = (unsigned char)*s;
        uint32_t ch;
        int n = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
        ch = n == 1 ? b : n == 2 ? b & 0x1f : n == 3 ? b & 0x0f : b & 0x07;
        for (int i = 1; i < n; i++)
            ch = ch << 6 | ((unsigned char)s[i] & 0x3f);
        console_input(c, CA_CHAR, ch, clock_ms += 10);
        s += n;
    }
}

static struct console *login(const char *name, const char *pw, bool admin)
{
    struct console *c = NULL;
    struct console_opts o = {.admin = admin, .idle_seconds = 60};
    assert_int_equal(console_new(st, sec, &cfg, &o, &c), 0);
    type(c, name);
    key(c, CA_ENTER);
    type(c, pw);
    key(c, CA_ENTER);
    return c;
}

/* The home item whose label contains s, opened. */
static void open_home(struct console *c, const char *s)
{
    const struct con_view *v = console_view(c);
    assert_int_equal(v->screen, CS_HOME);
    for (int i = 0; i < v->n_rows; i++)
        if (strstr(v->row[i].cell[0], s)) {
            console_input(c, CA_CHAR, (uint32_t)('1' + i), clock_ms += 10);
            return;
        }
    fail_msg("no home item %s", s);
}

static void test_login_refused_and_never_echoed(void **state)
{
    (void)state;
    struct console *c = login("clerk", "wrong-password", false);
    const struct con_view *v = console_view(c);
    assert_int_equal(v->screen, CS_LOGIN);
    assert_false(console_logged_in(c));
    assert_non_null(strstr(v->message, "Wrong user name or password"));
    assert_int_equal(v->login_pw_len, 0);            /* wiped after the attempt */
    assert_null(memmem(v, sizeof *v, "wrong-password", 14));
    type(c, "clerk-password");
    assert_int_equal(v->login_pw_len, 14);
    assert_null(memmem(v, sizeof *v, "clerk-password", 14));
    key(c, CA_ENTER);
    assert_true(console_logged_in(c));
    assert_int_equal(v->screen, CS_HOME);
    assert_non_null(strstr(v->who, "clerk"));
    console_free(&c);
}

static void test_queue_pages_jump_search(void **state)
{
    (void)state;
    struct console *c = login("clerk", "clerk-password", false);
    const struct con_view *v = console_view(c);
    open_home(c, "Housing queues");
    assert_int_equal(v->screen, CS_PROGRAMS);
    key(c, CA_ENTER);
    assert_int_equal(v->screen, CS_QUEUE);
    long long total = 0;
    assert_int_equal(store_queue(st)->total(st, 1, &total), 0);
    assert_true(total > 80);
    assert_int_equal(v->n_rows, CONSOLE_PAGE);
    assert_string_equal(v->row[0].cell[0], "1");
    assert_non_null(strstr(v->row[0].cell[3], "**********"));   /* masked ID in lists */
    key(c, CA_PGDN);
    assert_string_equal(v->row[0].cell[0], "41");
    key(c, CA_PGUP);
    assert_string_equal(v->row[0].cell[0], "1");
    /* Up at the top of page 2 goes to the last row of page 1 */
    key(c, CA_PGDN);
    key(c, CA_UP);
    assert_string_equal(v->row[v->selected].cell[0], "40");
    /* g: jump */
    console_input(c, CA_JUMP, 'g', clock_ms += 10);
    assert_true(v->prompting);
    type(c, "57");
    key(c, CA_ENTER);
    assert_false(v->prompting);
    assert_string_equal(v->row[0].cell[0], "57");
    struct entry_row e;
    assert_int_equal(store_queue(st)->entry_at(st, 1, 57, &e), 0);
    assert_string_equal(v->row[0].cell[1], e.receipt_no);
    /* a jump past the end is refused with a message */
    console_input(c, CA_JUMP, 'g', clock_ms += 10);
    type(c, "99999999");
    key(c, CA_ENTER);
    assert_true(v->message_warn);
    key(c, CA_END);
    char last[32];
    snprintf(last, sizeof last, "%lld", total);
    assert_string_equal(v->row[v->selected].cell[0], last);
    /* /: a receipt on the page: the selection moves to it as it is typed
     * (lower case too), Enter keeps it there, Enter again opens it */
    char on_page[CV_CELL];
    snprintf(on_page, sizeof on_page, "%s", v->row[5].cell[1]);
    console_input(c, CA_SEARCH, '/', clock_ms += 10);
    for (const char *p = on_page; *p; p++)
        console_input(c, CA_CHAR, (uint32_t)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p), clock_ms += 10);
    assert_string_equal(v->row[v->selected].cell[1], on_page);
    key(c, CA_ENTER);
    assert_int_equal(v->screen, CS_QUEUE);
    assert_string_equal(v->row[v->selected].cell[1], on_page);
    key(c, CA_ENTER);
    assert_int_equal(v->screen, CS_ENTRY);
    assert_non_null(strstr(v->title, on_page));
    key(c, CA_ESCAPE);
    assert_int_equal(v->screen, CS_QUEUE);
    /* a receipt not on the page: Enter searches everyone, and the household
     * opens (its one entry, or the list of its entries across programmes) */
    console_input(c, CA_SEARCH, '/', clock_ms += 10);
    type(c, e.receipt_no);
    key(c, CA_ENTER);
    if (v->screen == CS_PERSON) {
        int row = -1;
        for (int i = 0; i < v->n_rows; i++)
            if (!strcmp(v->row[i].cell[2], e.receipt_no))
                row = i;
        assert_true(row >= 0);
        while (v->selected < row)
            key(c, CA_DOWN);
        key(c, CA_ENTER);
    }
    assert_int_equal(v->screen, CS_ENTRY);
    assert_non_null(strstr(v->title, e.receipt_no));
    key(c, CA_ESCAPE);
    if (v->screen == CS_PERSON)
        key(c, CA_ESCAPE);
    assert_int_equal(v->screen, CS_QUEUE);
    console_input(c, CA_SEARCH, '/', clock_ms += 10);
    type(c, "NO-SUCH-1");
    key(c, CA_ENTER);
    assert_int_equal(v->screen, CS_QUEUE);
    assert_non_null(strstr(v->message, "Nobody found by receipt number"));
    console_free(&c);
}

static void test_entry_action_and_reveal(void **state)
{
    (void)state;
    struct console *c = login("clerk", "clerk-password", false);
    const struct con_view *v = console_view(c);
    open_home(c, "Housing queues");
    key(c, CA_ENTER);
    key(c, CA_DOWN);
    key(c, CA_DOWN);
    char receipt[40];
    snprintf(receipt, sizeof receipt, "%s", v->row[v->selected].cell[1]);
    key(c, CA_ENTER);
    assert_int_equal(v->screen, CS_ENTRY);
    assert_true(v->n_items > 0);
    assert_string_equal(v->item[0].label, "Offer a flat");
    /* an empty reason: the core refuses, nothing changes */
    key(c, CA_ENTER);
    key(c, CA_ENTER);
    assert_true(v->message_warn);
    assert_non_null(strstr(v->message, "reason"));
    struct entry_row e;
    assert_int_equal(store_queue(st)->entry_get(st, 1, receipt, &e), 0);
    assert_int_equal(e.status, ST_WAITING);
    /* with a reason (Chinese), then what the resident is told: the deadline
     * (a bad date is asked again), the place and the contact */
    key(c, CA_ENTER);
    type(c, "分配 3-1201");
    key(c, CA_ENTER);
    assert_true(v->prompting);
    type(c, "2030-02-30");
    key(c, CA_ENTER);
    assert_true(v->message_warn);
    assert_true(v->prompting);
    assert_int_equal(store_queue(st)->entry_get(st, 1, receipt, &e), 0);
    assert_int_equal(e.status, ST_WAITING);
    type(c, "2030-06-30");
    key(c, CA_ENTER);
    type(c, "3栋1201");
    key(c, CA_ENTER);
    type(c, "王先生 0755-2222-0001");
    key(c, CA_ENTER);
    assert_false(v->message_warn);
    char ref[64];
    notice_entry_ref("prh", receipt, ref, sizeof ref);
    struct notice nt;
    assert_int_equal(notice_get(st, NOTICE_ENTRY, ref, ST_OFFERED, &nt), 0);
    assert_string_equal(nt.offer_deadline, "2030-06-30");
    assert_string_equal(nt.offer_place, "3栋1201");
    assert_string_equal(nt.offer_contact, "王先生 0755-2222-0001");
    assert_string_equal(nt.reason_code, "");
    assert_int_equal(store_queue(st)->entry_get(st, 1, receipt, &e), 0);
    assert_int_equal(e.status, ST_OFFERED);
    bool seen = false;
    for (int i = 0; i < v->n_lines; i++)
        seen |= strstr(v->line[i].text, "分配 3-1201") != NULL;
    assert_true(seen);
    /* offered now: acceptance is offered, not "offer" */
    assert_string_equal(v->item[0].label, "Record acceptance (housed)");
    /* reveal: a purpose from the list first, then audited with it */
    struct audit_rec before, after;
    assert_int_equal(st->ops->audit_last(st, &before), 0);
    console_input(c, CA_REVEAL, 'r', clock_ms += 10);
    assert_true(v->prompting);
    bool listed = false;
    for (int i = 0; i < v->n_lines; i++)
        listed |= strstr(v->line[i].text, "Calling the household") != NULL;
    assert_true(listed);
    type(c, "7");                                   /* not on the list: refused, nothing shown */
    key(c, CA_ENTER);
    assert_true(v->message_warn);
    assert_int_equal(st->ops->audit_last(st, &after), 0);
    assert_int_equal(after.seq, before.seq);
    console_input(c, CA_REVEAL, 'r', clock_ms += 10);
    type(c, "1");
    key(c, CA_ENTER);
    assert_int_equal(st->ops->audit_last(st, &after), 0);
    assert_int_equal(after.seq, before.seq + 1);
    assert_string_equal(after.action, "reveal");
    assert_non_null(strstr(after.detail, "purpose: Calling the household"));
    bool full = false;
    for (int i = 0; i < v->n_lines; i++)
        full |= strstr(v->line[i].text, "revealed") != NULL;
    assert_true(full);
    console_free(&c);
}

static void test_roles_limit_what_is_offered(void **state)
{
    (void)state;
    struct console *c = login("viewer", "viewer-password", true);
    const struct con_view *v = console_view(c);
    assert_int_equal(v->screen, CS_HOME);
    for (int i = 0; i < v->n_rows; i++) {
        assert_null(strstr(v->row[i].cell[0], "Housing queues"));   /* no housing role */
        assert_null(strstr(v->row[i].cell[0], "admin"));            /* --admin but no admin role */
    }
    open_home(c, "bed");
    assert_int_equal(v->screen, CS_BEDS);
    assert_true(v->n_rows > 0);
    int first_submitted = -1;
    for (int i = 0; i < v->n_rows; i++) {   /* default filter: stages a street clerk acts on */
        int stage = -1;
        assert_int_equal(bed_stage_parse(v->row[i].cell[1], &stage), 0);
        bool can = false;
        for (int to = 0; to < BS__COUNT; to++)
            can |= (bed_rule_roles(stage, to) & ROLE_STREET) != 0;
        assert_true(can);
        if (stage == BS_SUBMITTED && first_submitted < 0)
            first_submitted = i;
    }
    assert_true(first_submitted >= 0);
    for (int i = 0; i < first_submitted; i++)
        key(c, CA_DOWN);
    char ref[CV_CELL];
    snprintf(ref, sizeof ref, "%s", v->row[v->selected].cell[0]);
    key(c, CA_ENTER);
    assert_int_equal(v->screen, CS_BED);
    bool approve = false;
    int idx = -1;
    for (int i = 0; i < v->n_items; i++)
        if (strstr(v->item[i].label, bed_stage_label(BS_STREET_APPROVED, "en"))) {
            approve = true;
            idx = i;
        }
    assert_true(approve);
    for (int i = 0; i < idx; i++)
        key(c, CA_DOWN);
    key(c, CA_ENTER);
    assert_true(v->prompting);
    key(c, CA_ENTER);   /* optional note */
    assert_false(v->message_warn);
    struct bed_detail *d = calloc(1, sizeof *d);
    assert_int_equal(bed_show(st, sec, ref, "en", d), 0);
    assert_int_equal(d->view.stage, BS_STREET_APPROVED);
    free(d);
    /* street_approved: the next move is the district's, not the street clerk's */
    for (int i = 0; i < v->n_items; i++)
        assert_null(strstr(v->item[i].label, "district_approved"));
    console_free(&c);
}

/* A rejection asks the internal reason, then the reason the resident is
 * shown, picked by number from the configured list (+ optional text). */
static void test_reject_reason_for_resident(void **state)
{
    (void)state;
    struct console *c = login("viewer", "viewer-password", true);
    const struct con_view *v = console_view(c);
    open_home(c, "bed");
    int first_submitted = -1;
    for (int i = 0; i < v->n_rows && first_submitted < 0; i++) {
        int stage = -1;
        assert_int_equal(bed_stage_parse(v->row[i].cell[1], &stage), 0);
        if (stage == BS_SUBMITTED)
            first_submitted = i;
    }
    assert_true(first_submitted >= 0);
    for (int i = 0; i < first_submitted; i++)
        key(c, CA_DOWN);
    char ref[CV_CELL];
    snprintf(ref, sizeof ref, "%s", v->row[v->selected].cell[0]);
    key(c, CA_ENTER);
    assert_int_equal(v->screen, CS_BED);
    int idx = -1;
    for (int i = 0; i < v->n_items; i++)
        if (strstr(v->item[i].label, bed_stage_label(BS_REJECTED, "en")))
            idx = i;
    assert_true(idx >= 0);
    for (int i = 0; i < idx; i++)
        key(c, CA_DOWN);
    key(c, CA_ENTER);
    type(c, "payslips 2029 missing");   /* the internal note */
    key(c, CA_ENTER);
    assert_true(v->prompting);
    bool listed = false;
    for (int i = 0; i < v->n_lines; i++)
        listed |= strstr(v->line[i].text, "2  Household income or assets are above the limit") != NULL;
    assert_true(listed);
    type(c, "99");                      /* not on the list: asked again, nothing changes */
    key(c, CA_ENTER);
    assert_true(v->message_warn);
    assert_true(v->prompting);
    struct notice nt;
    assert_int_equal(notice_get(st, NOTICE_BED, ref, BS_REJECTED, &nt), KERR_NOTFOUND);
    type(c, "1 bring the 2029 payslips");
    key(c, CA_ENTER);
    assert_false(v->message_warn);
    assert_int_equal(notice_get(st, NOTICE_BED, ref, BS_REJECTED, &nt), 0);
    assert_string_equal(nt.reason_code, "docs_missing");
    assert_string_equal(nt.reason_text, "bring the 2029 payslips");
    struct bed_detail *d = calloc(1, sizeof *d);
    assert_int_equal(bed_show(st, sec, ref, "en", d), 0);
    assert_int_equal(d->view.stage, BS_REJECTED);
    free(d);
    console_free(&c);
}

static void test_idle_logout_wipes(void **state)
{
    (void)state;
    struct console *c = login("clerk", "clerk-password", true);
    const struct con_view *v = console_view(c);
    open_home(c, "Housing queues");
    key(c, CA_ENTER);
    assert_int_equal(v->n_rows, CONSOLE_PAGE);
    char masked[CV_CELL];
    snprintf(masked, sizeof masked, "%s", v->row[0].cell[2]);
    assert_true(console_next_timeout_ms(c, clock_ms) > 59000);
    assert_int_equal(console_tick(c, clock_ms + 30000), CR_NONE);
    unsigned r = console_tick(c, clock_ms + 60000);
    assert_true(r & CR_WIPE);
    assert_false(console_logged_in(c));
    assert_int_equal(v->screen, CS_LOGIN);
    assert_int_equal(v->n_rows, 0);
    assert_string_equal(v->who, "");
    assert_null(memmem(v, sizeof *v, masked, strlen(masked)));
    assert_non_null(strstr(v->message, "Logged out"));
    assert_int_equal(console_next_timeout_ms(c, clock_ms), -1);
    console_free(&c);
}

static void test_admin_screens(void **state)
{
    (void)state;
    struct console *c = login("clerk", "clerk-password", true);
    const struct con_view *v = console_view(c);
    open_home(c, "Staff accounts");
    assert_int_equal(v->screen, CS_ACCOUNTS);
    int n0 = v->n_rows;
    console_input(c, CA_ADD, 'a', clock_ms += 10);
    type(c, "newbie");
    key(c, CA_ENTER);
    type(c, "street");
    key(c, CA_ENTER);
    assert_true(v->prompting);             /* a street account: its street (issue 14) */
    type(c, "笋岗街道");
    key(c, CA_ENTER);
    type(c, "newbie-password");
    assert_null(memmem(v, sizeof *v, "newbie-password", 15));   /* stars only */
    key(c, CA_ENTER);
    assert_false(v->message_warn);
    assert_int_equal(v->n_rows, n0 + 1);
    key(c, CA_ESCAPE);
    open_home(c, "Audit");
    assert_int_equal(v->screen, CS_AUDIT);
    assert_true(v->n_rows > 0);
    console_input(c, CA_VERIFY, 'v', clock_ms += 10);
    assert_non_null(strstr(v->message, "verified"));
    key(c, CA_ESCAPE);
    open_home(c, "Check");
    assert_int_equal(v->screen, CS_CHECK);
    bool audit_ok = false;
    for (int i = 0; i < v->n_lines; i++)
        audit_ok |= strstr(v->line[i].text, "chain verified") != NULL;
    assert_true(audit_ok);
    console_free(&c);
}

static void backspace(struct console *c, int n)
{
    while (n-- > 0)
        key(c, CA_BACKSPACE);
}

/* A new account keeps what was typed through every refusal (issue 14): a bad
 * name, bad roles, a short password, a name already taken. */
static void test_account_form_keeps_input(void **state)
{
    (void)state;
    struct console *c = login("clerk", "clerk-password", true);
    const struct con_view *v = console_view(c);
    open_home(c, "Staff accounts");
    int n0 = v->n_rows;
    console_input(c, CA_ADD, 'a', clock_ms += 10);
    type(c, "Kept Name");                  /* capitals and a space: refused */
    key(c, CA_ENTER);
    assert_true(v->message_warn);
    assert_true(v->prompting);
    assert_string_equal(v->prompt_value, "Kept Name");
    backspace(c, 9);
    type(c, "clerk");                      /* exists: refused at the end, name kept */
    key(c, CA_ENTER);
    type(c, "street,wizard");
    key(c, CA_ENTER);
    assert_true(v->message_warn);
    assert_true(v->prompting);
    assert_string_equal(v->prompt_value, "street,wizard");
    backspace(c, 7);
    key(c, CA_ENTER);                      /* "street": its street asked next */
    assert_true(v->prompting);
    assert_string_equal(v->prompt_value, "");
    type(c, "莲塘街道");
    key(c, CA_ENTER);
    type(c, "short");
    key(c, CA_ENTER);                      /* too short: the password again, empty */
    assert_true(v->message_warn);
    assert_true(v->prompting);
    assert_string_equal(v->prompt_value, "");
    type(c, "long-enough-password");
    key(c, CA_ENTER);                      /* "clerk" is taken: back to the name, held */
    assert_true(v->message_warn);
    assert_true(v->prompting);
    assert_string_equal(v->prompt_value, "clerk");
    type(c, "2");
    key(c, CA_ENTER);                      /* "clerk2": the roles come back held */
    assert_true(v->prompting);
    assert_string_equal(v->prompt_value, "street");
    key(c, CA_ENTER);                      /* and the street, held */
    assert_true(v->prompting);
    assert_string_equal(v->prompt_value, "莲塘街道");
    key(c, CA_ENTER);
    type(c, "long-enough-password");
    key(c, CA_ENTER);
    assert_false(v->message_warn);
    assert_false(v->prompting);
    assert_int_equal(v->n_rows, n0 + 1);
    struct staff_row u;
    assert_int_equal(st->ops->user->get(st, "clerk2", &u), 0);
    assert_string_equal(u.street, "莲塘街道");
    console_free(&c);
}

static void test_kiosk_status(void **state)
{
    (void)state;
    assert_int_equal(kiosk_status_report(st, "LH-B", KDEV_READY, KDEV_READY), 0);
    assert_int_equal(kiosk_status_report(st, "LH-A", KDEV_READY, KDEV_PAPER_LOW), 0);
    assert_int_equal(kiosk_status_report(st, "LH-C", KDEV_READY, KDEV_PAPER_OUT), 0);
    assert_int_equal(kiosk_status_report(st, "LH-B", KDEV_ABSENT, KDEV_READY), 0);   /* replaced */
    assert_int_equal(kiosk_status_report(st, "", KDEV_READY, KDEV_READY), KERR_INPUT);
    assert_int_equal(kiosk_status_report(st, "LH-D", 9, KDEV_READY), KERR_INPUT);
    struct kiosk_status_row rows[8];
    int n = 0;
    assert_int_equal(kiosk_status_list(st, rows, 8, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(rows[0].kiosk_id, "LH-C");   /* paper out first */
    assert_string_equal(rows[1].kiosk_id, "LH-B");   /* then a missing reader */
    assert_string_equal(rows[2].kiosk_id, "LH-A");   /* then paper low */
    assert_int_equal(rows[1].reader_state, KDEV_ABSENT);

    struct console *c = login("viewer", "viewer-password", false);
    const struct con_view *v = console_view(c);
    open_home(c, "paper");
    assert_int_equal(v->screen, CS_KIOSKS);
    assert_int_equal(v->n_rows, 3);
    /* the states in words, as the fleet panel and kioskctl kiosks say them (not codes) */
    assert_string_equal(v->row[0].cell[1], "out of paper");
    assert_string_equal(v->row[1].cell[2], "not connected");
    assert_string_equal(v->row[2].cell[1], "paper low");
    assert_non_null(strstr(v->caption, "2 of 3"));
    console_free(&c);
}


/* The fleet panel with 30 kiosks that each reported a database outage: a note
 * row (span) under each kiosk's row in kioskctl's words; a page of 24 kiosks
 * keeps both rows of each within the view; the selection is on kiosk rows only
 * and Down skips the note; PgDn shows the rest. */
static void test_fleet_outage_notes(void **state)
{
    (void)state;
    long long now = (long long)time(NULL);
    for (int i = 0; i < 30; i++) {
        struct kiosk_status_row hb = {.reader_state = KDEV_READY, .printer_state = KDEV_READY,
                                      .sam_state = KSAM_OK, .screen_at = now,
                                      .db_lost_from = now - 600, .db_lost_to = now - 300};
        snprintf(hb.kiosk_id, sizeof hb.kiosk_id, "LH-N%02d", i);
        strcpy(hb.screen, "attract");
        strcpy(hb.version, KIOSK_VERSION_STR);
        assert_int_equal(kiosk_heartbeat(st, &hb), 0);
    }
    struct kiosk_status_row all[64];
    int total = 0;
    assert_int_equal(kiosk_status_list(st, all, 64, &total), 0);
    assert_true(total >= 30 && total < 64);
    struct console *c = login("clerk", "clerk-password", true);
    const struct con_view *v = console_view(c);
    open_home(c, "Fleet health");
    assert_int_equal(v->screen, CS_FLEET);
    assert_true(v->n_rows <= CV_ROWS);
    int kiosks = 0, notes = 0, n00 = -1;
    for (int i = 0; i < v->n_rows; i++) {
        if (!v->row[i].span) {
            kiosks++;
            if (!strcmp(v->row[i].cell[0], "LH-N00"))
                n00 = i;
            continue;
        }
        notes++;
        assert_true(i > 0 && !v->row[i - 1].span);   /* under a kiosk's row */
        assert_non_null(strstr(v->row[i].cell[0], "database unreachable "));
        assert_non_null(strstr(v->row[i].cell[0], ", 5 min"));
        assert_non_null(strstr(v->row[i - 1].cell[0], "LH-N"));   /* only those reported one */
    }
    assert_int_equal(kiosks, 24);
    assert_true(notes >= 24 - (total - 30));
    assert_int_equal(v->selected, 0);
    assert_true(n00 >= 0);
    while (v->selected < n00)
        key(c, CA_DOWN);
    assert_int_equal(v->selected, n00);
    key(c, CA_DOWN);                                   /* over the note, to the next kiosk */
    assert_int_equal(v->selected, n00 + 2);
    assert_string_equal(v->row[v->selected].cell[0], "LH-N01");
    key(c, CA_PGDN);
    kiosks = 0;
    for (int i = 0; i < v->n_rows; i++)
        kiosks += !v->row[i].span;
    assert_int_equal(kiosks, total - 24);             /* the rest, on page 2 */
    assert_false(v->row[v->selected].span);
    console_free(&c);
}

/* ---- the database is read by load only ------------------------------------------------ */

/* Every SQL statement the store runs, counted by SQLite itself. */
static long sql_count;

static int count_stmt(unsigned type, void *ctx, void *p, void *x)
{
    (void)type, (void)ctx, (void)p, (void)x;
    sql_count++;
    return 0;
}

static void count_sql(bool on)
{
    sqlite3_trace_v2(sq(st)->db, on ? SQLITE_TRACE_STMT : 0, on ? count_stmt : NULL, NULL);
    sql_count = 0;
}

/* Keys that only move the cursor, type, or open help run no SQL at all. */
static void test_keys_never_touch_the_store(void **state)
{
    (void)state;
    struct console *c = login("clerk", "clerk-password", true);
    const struct con_view *v = console_view(c);
    open_home(c, "Housing queues");
    key(c, CA_ENTER);
    assert_int_equal(v->screen, CS_QUEUE);
    count_sql(true);
    for (int i = 0; i < 10; i++)
        key(c, CA_DOWN);
    key(c, CA_UP);
    assert_string_equal(v->row[v->selected].cell[0], "10");
    console_input(c, CA_HELP, '?', clock_ms += 10);
    assert_int_equal(v->screen, CS_HELP);
    assert_true(v->n_lines > 5);
    key(c, CA_ESCAPE);
    assert_int_equal(v->screen, CS_QUEUE);
    assert_string_equal(v->row[v->selected].cell[0], "10");   /* nothing lost */
    console_input(c, CA_JUMP, 'g', clock_ms += 10);
    type(c, "4x");
    key(c, CA_BACKSPACE);
    type(c, "2");
    assert_string_equal(v->prompt_value, "42");
    assert_int_equal(sql_count, 0);
    key(c, CA_ENTER);                      /* the jump itself reads */
    assert_string_equal(v->row[0].cell[0], "42");
    assert_true(sql_count > 0);            /* …so the counter does count */

    key(c, CA_ENTER);                      /* the entry at 42 */
    assert_int_equal(v->screen, CS_ENTRY);
    count_sql(true);
    key(c, CA_DOWN);
    key(c, CA_UP);
    key(c, CA_ENTER);                      /* the reason prompt */
    assert_true(v->prompting);
    type(c, "分配 3-1201 then changed my mind");
    key(c, CA_BACKSPACE);
    key(c, CA_ESCAPE);
    assert_false(v->prompting);
    assert_int_equal(sql_count, 0);
    key(c, CA_ESCAPE);                     /* back to the page it came from, kept */
    assert_int_equal(v->screen, CS_QUEUE);
    assert_string_equal(v->row[0].cell[0], "42");
    assert_int_equal(sql_count, 0);
    key(c, CA_ESCAPE);
    key(c, CA_ESCAPE);

    open_home(c, "Check");
    assert_int_equal(v->screen, CS_CHECK);
    count_sql(true);
    for (int i = 0; i < 5; i++) {
        key(c, CA_DOWN);
        key(c, CA_PGDN);
    }
    console_input(c, CA_CHAR, 'x', clock_ms += 10);
    assert_int_equal(sql_count, 0);        /* the integrity check runs on open and F5 only */
    key(c, CA_REFRESH);
    assert_true(sql_count > 0);
    count_sql(false);
    console_free(&c);
}

/* ---- hints and help come from the key table, with the bindings in force --------------- */

static void test_hint_follows_key_remap(void **state)
{
    (void)state;
    struct console *c = login("clerk", "clerk-password", false);
    const struct con_view *v = console_view(c);
    open_home(c, "Housing queues");
    assert_non_null(strstr(v->hint, "[F5] Refresh"));
    assert_non_null(strstr(v->hint, "[/] Find"));
    console_free(&c);

    struct kiosk_config *remapped = malloc(sizeof *remapped);
    assert_non_null(remapped);
    *remapped = cfg;
    assert_int_equal(keytab_bind(&remapped->keys, "staff.refresh", "F6"), 0);
    assert_int_equal(keytab_bind(&remapped->keys, "staff.search", "s"), 0);
    struct console_opts o = {.idle_seconds = 60};
    assert_int_equal(console_new(st, sec, remapped, &o, &c), 0);
    v = console_view(c);
    type(c, "clerk");
    key(c, CA_ENTER);
    type(c, "clerk-password");
    key(c, CA_ENTER);
    open_home(c, "Housing queues");
    assert_int_equal(v->screen, CS_PROGRAMS);
    assert_non_null(strstr(v->hint, "[F6] Refresh"));
    assert_null(strstr(v->hint, "F5"));
    assert_non_null(strstr(v->hint, "[s] Find"));
    assert_null(strstr(v->hint, "[/]"));
    bool refresh = false;
    for (int i = 0; i < v->n_acts; i++)
        refresh |= v->acts[i] == CA_REFRESH;
    assert_true(refresh);                  /* touch buttons get the same list */
    /* help lists the remapped keys too */
    key(c, CA_HELP);
    assert_int_equal(v->screen, CS_HELP);
    bool f6 = false;
    for (int i = 0; i < v->n_lines; i++)
        f6 |= strncmp(v->line[i].text, "F6 ", 3) == 0 && strstr(v->line[i].text, "Read the data again");
    assert_true(f6);
    key(c, CA_ESCAPE);
    assert_int_equal(v->screen, CS_PROGRAMS);
    console_free(&c);
    free(remapped);
}

/* No hint names a key by hand: every bracketed key in every hint is bound to
 * an action the view lists as available. */
static void test_hints_only_name_available_actions(void **state)
{
    (void)state;
    struct console *c = login("clerk", "clerk-password", true);
    const struct con_view *v = console_view(c);
    const char *homes[] = {"Housing queues", "paper", "Staff accounts", "Audit", "Check"};
    for (size_t h = 0; h < sizeof homes / sizeof homes[0]; h++) {
        open_home(c, homes[h]);
        assert_true(v->n_acts > 0);
        assert_non_null(strstr(v->hint, "[F1] Help"));
        char expect[480];
        keytab_hint(&cfg.keys, KS_STAFF, v->acts, v->n_acts, "en", expect, sizeof expect);
        /* each hint item appears in the full list of available actions */
        const char *p = v->hint;
        while ((p = strchr(p, '['))) {
            const char *e = strstr(p + 1, "  [");
            size_t n = e ? (size_t)(e - p) : strlen(p);
            char item[96];
            snprintf(item, sizeof item, "%.*s", (int)n, p);
            assert_non_null(strstr(expect, item));
            p += n;
        }
        key(c, CA_ESCAPE);
    }
    console_free(&c);
}

/* ---- long lists page with a true total ------------------------------------------------- */

static void test_long_programme_list_pages(void **state)
{
    (void)state;
    struct program p0;
    int n0 = 0;
    struct program all[8];
    assert_int_equal(store_queue(st)->program_list(st, all, 8, &n0), 0);
    p0 = all[0];
    int want = 45 - n0;   /* past the old cut at 16 and past one page of 40 */
    for (int i = 0; i < want; i++) {
        struct program p = p0;
        p.id = 0;
        snprintf(p.code, sizeof p.code, "x%02d", i % 100);
        snprintf(p.name_en, sizeof p.name_en, "Extra programme %d", i);
        assert_int_equal(store_begin(st), 0);
        assert_int_equal(store_queue(st)->program_save(st, &p), 0);
        assert_int_equal(store_commit(st), 0);
    }
    struct console *c = login("clerk", "clerk-password", false);
    const struct con_view *v = console_view(c);
    open_home(c, "Housing queues");
    assert_int_equal(v->n_rows, CONSOLE_PAGE);
    assert_non_null(strstr(v->caption, "1–40 of 45"));
    key(c, CA_END);
    assert_non_null(strstr(v->caption, "41–45 of 45"));
    assert_int_equal(v->n_rows, 5);
    assert_string_equal(v->row[v->selected].cell[0], "x41");
    key(c, CA_PGUP);
    assert_non_null(strstr(v->caption, "1–40 of 45"));
    console_free(&c);
}

static int count_one(void *ctx, const struct bed_summary *s)
{
    (void)s;
    ++*(int *)ctx;
    return 0;
}

/* Past the old cut (and past one page): every application, a page at a time,
 * with the true total in the caption. */
static void test_long_bed_list_pages(void **state)
{
    (void)state;
    struct actor resident = {.name = "resident@T1"};
    for (int i = 0; i < 50; i++) {
        struct bed_form f;
        memset(&f, 0, sizeof f);
        char first17[32];
        snprintf(first17, sizeof first17, "440304%04d%02d%02d%03d", 1930 + i % 20, 1 + i % 12,
                 1 + i % 28, i);
        snprintf(f.elder_id, sizeof f.elder_id, "%.17s%c", first17, idnum_check_char(first17));
        snprintf(f.elder_name, sizeof f.elder_name, "测试长者%d", i);
        snprintf(f.address, sizeof f.address, "罗湖区测试路%d号", i);
        f.services = BED_SVC_CARE_BED;
        f.consent = true;
        snprintf(f.kiosk_id, sizeof f.kiosk_id, "T1");
        char ref[33];
        assert_int_equal(bed_submit(st, sec, &resident, &f, ref), 0);
    }
    int all = 0;
    assert_int_equal(bed_list(st, -1, count_one, &all), 0);
    assert_true(all > CONSOLE_PAGE + 10);
    struct console *c = login("viewer", "viewer-password", false);
    const struct con_view *v = console_view(c);
    open_home(c, "bed");
    /* f: a pick list of what to show, with counts; 2 = all stages */
    console_input(c, CA_FILTER, 'f', clock_ms += 10);
    assert_true(v->prompting);
    assert_string_equal(v->row[1].cell[1], "all stages");
    assert_int_equal(atoi(v->row[1].cell[2]), all);
    console_input(c, CA_CHAR, '2', clock_ms += 10);
    console_input(c, CA_ENTER, 0, clock_ms += 10);
    assert_non_null(strstr(v->caption, "all stages"));
    char want[64];
    snprintf(want, sizeof want, "1–40 of %d applications", all);
    if (!strstr(v->caption, want))
        fail_msg("caption \"%s\", wanted \"%s\"", v->caption, want);
    assert_int_equal(v->n_rows, CONSOLE_PAGE);
    key(c, CA_END);
    int last_first = (all - 1) / CONSOLE_PAGE * CONSOLE_PAGE + 1;
    snprintf(want, sizeof want, "%d–%d of %d applications", last_first, all, all);
    if (!strstr(v->caption, want))
        fail_msg("caption \"%s\", wanted \"%s\"", v->caption, want);
    assert_int_equal(v->n_rows, all - last_first + 1);
    char last[CV_CELL];
    snprintf(last, sizeof last, "%s", v->row[v->selected].cell[0]);
    key(c, CA_HOME);
    assert_non_null(strstr(v->caption, "1–40 of"));
    assert_string_not_equal(v->row[0].cell[0], last);
    console_free(&c);
}

/* Find anyone (issue 14): by name, full ID number, phone and a lower-case
 * receipt, from the home menu; one person's entries and applications
 * across programmes; every look-up by a personal detail audited. */
static int count_finds(void *ctx, const struct audit_rec *r)
{
    if (!strcmp(r->action, "find"))
        ++*(int *)ctx;
    return 0;
}

static int count_contacts(void *ctx, const struct audit_rec *r)
{
    if (!strcmp(r->action, "contact"))
        ++*(int *)ctx;
    return 0;
}

static void test_find_anyone(void **state)
{
    (void)state;
    char id[19], name[64];
    demo_resident(1, 2, id, name, sizeof name);   /* queue entries and a bed application */
    int finds0 = 0, finds1 = 0;
    assert_int_equal(st->ops->audit_each(st, 0, count_finds, &finds0), 0);
    struct console *c = login("clerk", "clerk-password", false);
    const struct con_view *v = console_view(c);
    assert_int_equal(v->screen, CS_HOME);
    /* by name: every row is this person (masked), entries and the application */
    console_input(c, CA_SEARCH, '/', clock_ms += 10);
    assert_true(v->prompting);
    type(c, name);
    key(c, CA_ENTER);
    assert_int_equal(v->screen, CS_PERSON);
    assert_true(v->n_rows >= 2);
    char masked[24];
    idnum_mask(id, masked, sizeof masked);
    bool bed = false, queue = false;
    for (int i = 0; i < v->n_rows; i++) {
        assert_string_equal(v->row[i].cell[4], masked);
        bed |= !strcmp(v->row[i].cell[0], "Bed");
        queue |= !strcmp(v->row[i].cell[0], "Queue");
    }
    assert_true(bed && queue);
    assert_null(memmem(v, sizeof *v, id, 18));        /* never the full ID in a list */
    int n_name = v->n_rows;
    /* Enter opens the row, Esc comes back, Esc again returns home */
    key(c, CA_ENTER);
    assert_true(v->screen == CS_ENTRY || v->screen == CS_BED);
    key(c, CA_ESCAPE);
    assert_int_equal(v->screen, CS_PERSON);
    key(c, CA_ESCAPE);
    assert_int_equal(v->screen, CS_HOME);
    /* by the full ID number (lower-case x would do too): the same rows */
    console_input(c, CA_SEARCH, '/', clock_ms += 10);
    type(c, id);
    key(c, CA_ENTER);
    assert_int_equal(v->screen, CS_PERSON);
    assert_int_equal(v->n_rows, n_name);
    key(c, CA_ESCAPE);
    /* by the agent's phone, written with spaces and +86 */
    console_input(c, CA_SEARCH, '/', clock_ms += 10);
    type(c, "+86 139 1001 5434");
    key(c, CA_ENTER);
    assert_int_equal(v->screen, CS_PERSON);
    assert_int_equal(v->n_rows, n_name);
    key(c, CA_ESCAPE);
    /* a name nobody has: said so, and nothing else changes */
    console_input(c, CA_SEARCH, '/', clock_ms += 10);
    type(c, "无此人名");
    key(c, CA_ENTER);
    assert_int_equal(v->screen, CS_HOME);
    assert_non_null(strstr(v->message, "Nobody found by name"));
    /* four look-ups by a personal detail: four audit records, none with the text */
    assert_int_equal(st->ops->audit_each(st, 0, count_finds, &finds1), 0);
    assert_int_equal(finds1 - finds0, 4);
    console_free(&c);
}

/* Work queues (issue 14): a street clerk's default bed list holds only the
 * stages the street moves forward, oldest in its stage first, each with its
 * days and deadline; the home menu counts the overdue; `s` re-sorts. */
struct stage_count {
    unsigned mask;
    int n;
};

static int count_in_mask(void *ctx, const struct bed_summary *s)
{
    struct stage_count *k = ctx;
    k->n += (k->mask >> s->stage) & 1;
    return 0;
}

static void test_work_queue(void **state)
{
    (void)state;
    struct stage_count street = {.mask = (1u << BS_SUBMITTED) | (1u << BS_ASSESSED)};
    assert_int_equal(bed_work_mask(ROLE_STREET), street.mask);
    /* demo-street works for 东门街道 (kiosk/eldercare_demo.c): its street's only */
    assert_int_equal(bed_list_street(st, -1, "东门街道", count_in_mask, &street), 0);
    struct stage_count every = {.mask = street.mask};
    assert_int_equal(bed_list(st, -1, count_in_mask, &every), 0);
    assert_true(street.n < every.n);
    struct stage_count all = {.mask = ~0u};
    assert_int_equal(bed_list(st, -1, count_in_mask, &all), 0);
    assert_true(street.n > 0 && street.n < all.n);
    struct console *c = login("demo-street", "demo-password", false);
    const struct con_view *v = console_view(c);
    assert_int_equal(v->screen, CS_HOME);
    open_home(c, "bed");
    assert_int_equal(v->screen, CS_BEDS);
    char want[64];
    snprintf(want, sizeof want, "%d applications", street.n);
    if (!strstr(v->caption, want))
        fail_msg("caption \"%s\", wanted \"%s\"", v->caption, want);
    assert_int_equal(v->n_rows, street.n < CONSOLE_PAGE ? street.n : CONSOLE_PAGE);
    /* oldest in its stage first: days never grow down the list */
    for (int i = 1; i < v->n_rows; i++)
        assert_true(atoi(v->row[i].cell[2]) <= atoi(v->row[i - 1].cell[2]));
    for (int i = 0; i < v->n_rows; i++) {
        assert_true(!strcmp(v->row[i].cell[1], "submitted") || !strcmp(v->row[i].cell[1], "assessed"));
        assert_true(strstr(v->row[i].cell[3], "left") || strstr(v->row[i].cell[3], "overdue"));
    }
    /* the sorted column's header is marked: days in stage, oldest first (falling) */
    assert_string_equal(v->col[2].title, "Days▼");
    /* s: a pick list of the columns; 4 = by days left, most urgent first */
    console_input(c, CA_SORT, 's', clock_ms += 10);
    assert_true(v->prompting);
    assert_int_equal(v->n_rows, 6);
    assert_non_null(strstr(v->row[2].cell[1], "(sorted)"));
    console_input(c, CA_CHAR, '4', clock_ms += 10);
    console_input(c, CA_ENTER, 0, clock_ms += 10);
    assert_non_null(strstr(v->caption, "by days left"));
    assert_string_equal(v->col[3].title, "Deadline▲");
    assert_string_equal(v->col[2].title, "Days");
    /* 1 = by reference, then 1 again: the other way round */
    char first[CV_CELL], last[CV_CELL];
    console_input(c, CA_SORT, 's', clock_ms += 10);
    console_input(c, CA_CHAR, '1', clock_ms += 10);
    console_input(c, CA_ENTER, 0, clock_ms += 10);
    assert_string_equal(v->col[0].title, "Ref▲");
    for (int i = 1; i < v->n_rows; i++)
        assert_true(strcmp(v->row[i].cell[0], v->row[i - 1].cell[0]) > 0);
    snprintf(first, sizeof first, "%s", v->row[0].cell[0]);
    console_input(c, CA_SORT, 's', clock_ms += 10);
    console_input(c, CA_CHAR, '1', clock_ms += 10);
    console_input(c, CA_ENTER, 0, clock_ms += 10);
    assert_string_equal(v->col[0].title, "Ref▼");
    for (int i = 1; i < v->n_rows; i++)
        assert_true(strcmp(v->row[i].cell[0], v->row[i - 1].cell[0]) < 0);
    snprintf(last, sizeof last, "%s", v->row[0].cell[0]);
    assert_string_not_equal(first, last);
    /* a number not on the list: said, and asked again */
    console_input(c, CA_SORT, 's', clock_ms += 10);
    console_input(c, CA_CHAR, '9', clock_ms += 10);
    console_input(c, CA_ENTER, 0, clock_ms += 10);
    assert_true(v->prompting);
    assert_non_null(strstr(v->message, "1–6"));
    console_input(c, CA_ESCAPE, 0, clock_ms += 10);
    console_free(&c);
}

/* The assessment form (issue 14): 26 labelled items one at a time, each
 * checked on its own; a wrong score stays to be corrected and nothing typed
 * is lost, not even by Esc; all 26 give the total and level, then the move. */
static void test_assessment_form(void **state)
{
    (void)state;
    struct console *c = login("demo-assessor", "demo-password", false);
    const struct con_view *v = console_view(c);
    open_home(c, "bed");
    assert_int_equal(v->screen, CS_BEDS);
    assert_true(v->n_rows > 0);
    assert_string_equal(v->row[0].cell[1], "district_approved");
    char ref[CV_CELL];
    snprintf(ref, sizeof ref, "%s", v->row[0].cell[0]);
    key(c, CA_ENTER);
    assert_int_equal(v->screen, CS_BED);
    assert_non_null(strstr(v->item[0].label, "Assessed"));
    key(c, CA_ENTER);
    assert_true(v->prompting);
    assert_non_null(strstr(v->prompt_label, "B1.1"));
    assert_non_null(strstr(v->prompt_label, "item 1 of 26"));
    /* a score out of range: said which item and range; the text stays */
    type(c, "9");
    key(c, CA_ENTER);
    assert_true(v->message_warn);
    assert_non_null(strstr(v->message, "B1.1"));
    assert_non_null(strstr(v->prompt_label, "item 1 of 26"));
    assert_string_equal(v->prompt_value, "9");
    key(c, CA_BACKSPACE);
    type(c, "3");
    key(c, CA_ENTER);
    assert_non_null(strstr(v->prompt_label, "item 2 of 26"));
    type(c, "2");
    key(c, CA_ENTER);
    /* Esc closes the form; opening it again goes on at item 3, 1 and 2 kept */
    key(c, CA_ESCAPE);
    assert_false(v->prompting);
    key(c, CA_ENTER);
    assert_non_null(strstr(v->prompt_label, "item 3 of 26"));
    bool kept = false;
    for (int i = 0; i < v->n_lines; i++)
        kept |= strstr(v->line[i].text, "B1.1") && strstr(v->line[i].text, ": 3");
    assert_true(kept);
    /* Backspace on an empty field: back to item 2, its value ready to edit */
    key(c, CA_BACKSPACE);
    assert_non_null(strstr(v->prompt_label, "item 2 of 26"));
    assert_string_equal(v->prompt_value, "2");
    key(c, CA_ENTER);
    for (int i = 2; i < ASSESS_ITEMS; i++) {
        assert_true(v->prompting);
        type(c, "1");
        key(c, CA_ENTER);
    }
    assert_non_null(strstr(v->message, "Assessment complete: total 29 of 90"));
    assert_true(v->prompting);   /* the note */
    key(c, CA_ENTER);
    assert_non_null(strstr(v->message, "moved to"));
    struct bed_detail *d = calloc(1, sizeof *d);
    assert_non_null(d);
    assert_int_equal(bed_show(st, sec, ref, "en", d), 0);
    assert_int_equal(d->view.stage, BS_ASSESSED);
    free(d);
    console_free(&c);
}

/* The provider is picked from a numbered list of organisations (issue 14). */
static void test_provider_pick_list(void **state)
{
    (void)state;
    struct console *c = login("demo-street", "demo-password", false);
    const struct con_view *v = console_view(c);
    open_home(c, "bed");
    assert_string_equal(v->row[0].cell[1], "assessed");   /* oldest in its stage first */
    char ref[CV_CELL];
    snprintf(ref, sizeof ref, "%s", v->row[0].cell[0]);
    key(c, CA_ENTER);
    assert_non_null(strstr(v->item[0].label, "Provider assigned"));
    key(c, CA_ENTER);
    assert_true(v->prompting);
    assert_non_null(strstr(v->prompt_label, "Provider (1–2)"));
    int listed = 0;
    for (int i = 0; i < v->n_lines; i++)
        listed += strstr(v->line[i].text, "康乐居家养老服务中心") || strstr(v->line[i].text, "颐年护理服务有限公司");
    assert_int_equal(listed, 2);
    type(c, "3");
    key(c, CA_ENTER);
    assert_true(v->message_warn);
    assert_true(v->prompting);
    assert_non_null(strstr(v->prompt_label, "Provider (1–2)"));
    type(c, "2");
    key(c, CA_ENTER);
    assert_non_null(strstr(v->prompt_label, "Note"));
    key(c, CA_ENTER);
    assert_non_null(strstr(v->message, "moved to"));
    struct bed_detail *d = calloc(1, sizeof *d);
    assert_non_null(d);
    assert_int_equal(bed_show(st, sec, ref, "en", d), 0);
    assert_int_equal(d->view.stage, BS_PROVIDER_ASSIGNED);
    assert_string_equal(d->view.provider_name, "颐年护理服务有限公司");
    free(d);
    console_free(&c);
}

/* A provider account sees only its own organisation's clients (issue 14). */
static void test_provider_sees_own_clients(void **state)
{
    (void)state;
    const char *acct[] = {"demo-provider", "demo-provider2"};
    const char *org[] = {"康乐居家养老服务中心", "颐年护理服务有限公司"};
    char other_ref[CV_CELL] = "";
    for (int k = 0; k < 2; k++) {
        struct console *c = login(acct[k], "demo-password", false);
        const struct con_view *v = console_view(c);
        open_home(c, "bed");
        console_input(c, CA_FILTER, 'f', clock_ms += 10);   /* every stage: 2 on the pick list */
        console_input(c, CA_CHAR, '2', clock_ms += 10);
        console_input(c, CA_ENTER, 0, clock_ms += 10);
        assert_non_null(strstr(v->caption, "all stages"));
        assert_true(v->n_rows > 0);
        for (int i = 0; i < v->n_rows; i++)
            assert_string_equal(v->row[i].cell[5], org[k]);
        if (k == 0) {
            snprintf(other_ref, sizeof other_ref, "%s", v->row[0].cell[0]);
        } else {
            /* the other provider's client, by its reference: refused */
            console_input(c, CA_ESCAPE, 0, clock_ms += 10);
            console_input(c, CA_SEARCH, '/', clock_ms += 10);
            type(c, other_ref);
            key(c, CA_ENTER);
            assert_int_not_equal(v->screen, CS_BED);
            assert_true(v->message_warn);
            assert_non_null(strstr(v->message, "not assigned to your organisation"));
        }
        console_free(&c);
    }
}

/* The family member's phone: street and district only, audited first. */
static void test_contact_phone(void **state)
{
    (void)state;
    char id[19], name[64], ref[33] = "", phone[32];
    demo_resident(1, 2, id, name, sizeof name);   /* application 2 was filed by an agent */
    struct bed_view views[4];
    int n = 0;
    assert_int_equal(bed_lookup_id(st, sec, id, "en", views, 4, &n), 0);
    assert_true(n >= 1);
    snprintf(ref, sizeof ref, "%s", views[0].ref);
    struct actor housing = {.name = "clerk", .roles = ROLE_HOUSING | ROLE_ADMIN};
    assert_int_equal(bed_contact_phone(st, sec, &housing, ref, phone, sizeof phone), KERR_REFUSED);
    assert_string_equal(phone, "");
    int before = 0, after = 0;
    assert_int_equal(st->ops->audit_each(st, 0, count_contacts, &before), 0);
    struct actor street = {.name = "demo-street", .roles = ROLE_STREET};
    assert_int_equal(bed_contact_phone(st, sec, &street, ref, phone, sizeof phone), 0);
    assert_string_equal(phone, "13910015434");
    assert_int_equal(st->ops->audit_each(st, 0, count_contacts, &after), 0);
    assert_int_equal(after - before, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_refused_and_never_echoed),
        cmocka_unit_test(test_queue_pages_jump_search),
        cmocka_unit_test(test_entry_action_and_reveal),
        cmocka_unit_test(test_roles_limit_what_is_offered),
        cmocka_unit_test(test_reject_reason_for_resident),
        cmocka_unit_test(test_idle_logout_wipes),
        cmocka_unit_test(test_account_form_keeps_input),
        cmocka_unit_test(test_admin_screens),
        cmocka_unit_test(test_kiosk_status),
        cmocka_unit_test(test_keys_never_touch_the_store),
        cmocka_unit_test(test_hint_follows_key_remap),
        cmocka_unit_test(test_hints_only_name_available_actions),
        cmocka_unit_test(test_long_bed_list_pages),
        cmocka_unit_test(test_find_anyone),
        cmocka_unit_test(test_work_queue),
        cmocka_unit_test(test_contact_phone),
        cmocka_unit_test(test_assessment_form),
        cmocka_unit_test(test_provider_pick_list),
        cmocka_unit_test(test_provider_sees_own_clients),
        cmocka_unit_test(test_fleet_outage_notes),
        cmocka_unit_test(test_long_programme_list_pages),   /* last: adds programmes */
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
