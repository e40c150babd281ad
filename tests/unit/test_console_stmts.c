/* test_console_stmts.c — the statements each staff console page costs
 * (issue 13 item 1: "staff pages likewise one round trip").  The real
 * console state machine (kiosk/console/) on a real demo database opens the
 * queue browser and its next page, an entry, the bed list, the housing
 * work queue and a search by receipt number (one hit, which opens the
 * entry: two pages; a person's several rows: the search page alone); on
 * PostgreSQL the statements each page load ran are counted from the
 * server's own log (tests/pg/stmt_log.h: log_statement on the store's
 * connection only, between marker statements) and must be one per page
 * (before issue 13's change: 7, 3, 20, 11 and 10).  On SQLite (its own
 * shape, the issue allows it) the same walk checks the pages show what the
 * store holds, so the walk itself is tested on both backends.
 * The find-anyone search by ID number, name and phone (person_find_as) and
 * the home menu's counts (con_home's load, for an account of every role and
 * for a street office's) are counted the same way: one statement each; the
 * console's Enter of such a search is that statement and its audit record's
 * write transaction, nothing else.  The counts are checked against the old
 * reckoning (every application of the street read and tested). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kiosk/audit.h"
#include "kiosk/audit_detail.h"
#include "kiosk/auth.h"
#include "kiosk/config.h"
#include "kiosk/console/console.h"
#include "kiosk/console/console_int.h"
#include "kiosk/demo.h"
#include "kiosk/eldercare.h"
#include "kiosk/idnum.h"
#include "kiosk/person.h"
#include "kiosk/queue.h"
#include "kiosk/secret.h"
#include "kiosk/store/bed_store.h"
#include "kiosk/store/sql_exec.h"
#include "tests/unit/testdb.h"
#include "tests/pg/stmt_log.h"

static struct testdb t;
static struct kiosk_config cfg;
static int64_t clock_ms = 1000;

static int setup(void **state)
{
    (void)state;
    setenv("KIOSK_NOW", "2026-11-20 10:00:00", 1);
    config_defaults(&cfg);
    snprintf(cfg.language, sizeof cfg.language, "en");
    struct demo_summary sum;
    struct actor root = {.name = "test", .roles = ROLE__ALL};
    long id;
    if (testdb_open(&t) || demo_fill(t.st, t.sec, 300, 1, &sum) ||
        auth_user_add(t.st, t.sec, &root, "chief", ROLE__ALL, "chief-password", NULL, NULL, &id))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    testdb_close(&t);
    return 0;
}

static unsigned key(struct console *c, enum con_action a) { return console_input(c, a, 0, clock_ms += 10); }

/* Type s as a keyboard would: one code point a key (names are Chinese). */
static void type(struct console *c, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : 4;
        uint32_t cp = n == 1 ? *p : n == 2 ? *p & 0x1Fu : n == 3 ? *p & 0x0Fu : *p & 0x07u;
        for (int i = 1; i < n && p[i]; i++)
            cp = (cp << 6) | (p[i] & 0x3Fu);
        console_input(c, CA_CHAR, cp, clock_ms += 10);
        p += n;
    }
}

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

/* Counting, on PostgreSQL only: the statements between begin and end. */
static struct stmt_log lg;
static void count_begin(const char *tag)
{
    if (testdb_is_pg())
        assert_int_equal(stmt_log_start(t.st, tag, &lg), 0);
}
static int count_end(const char *page)
{
    if (!testdb_is_pg())
        return 0;
    int n = stmt_log_stop(t.st, &lg);
    print_message("statements for %s: %d\n", page, n);
    return n;
}

struct hits {
    int n;
    bool bed[16];
};
static int hit_entry(void *ctx, const struct entry_row *e, const char *code)
{
    struct hits *h = ctx;
    assert_non_null(e);
    assert_true(code[0] != '\0');
    assert_true(h->n < 16);
    h->bed[h->n++] = false;
    return 0;
}
static int hit_bed(void *ctx, const struct bed_row *b)
{
    struct hits *h = ctx;
    assert_true(b->ref[0] != '\0');
    assert_true(h->n < 16);
    h->bed[h->n++] = true;
    return 0;
}

static void test_pages_one_statement_each(void **state)
{
    (void)state;
    struct console *c = NULL;
    struct console_opts o = {.admin = false, .idle_seconds = 600};
    assert_int_equal(console_new(t.st, t.sec, &cfg, &o, &c), 0);
    type(c, "chief");
    key(c, CA_ENTER);
    type(c, "chief-password");
    key(c, CA_ENTER);
    const struct con_view *v = console_view(c);
    assert_int_equal(v->screen, CS_HOME);
    int n[8];

    /* the queue browser: the first page of programme 1, then the next */
    open_home(c, "Housing queues");
    assert_int_equal(v->screen, CS_PROGRAMS);
    count_begin("queue");
    key(c, CA_ENTER);
    n[0] = count_end("the queue browser's first page");
    assert_int_equal(v->screen, CS_QUEUE);
    long long total = 0;
    assert_int_equal(store_queue(t.st)->total(t.st, 1, &total), 0);
    assert_true(total > CONSOLE_PAGE);
    assert_int_equal(v->n_rows, CONSOLE_PAGE);
    assert_string_equal(v->row[0].cell[0], "1");
    count_begin("queue2");
    key(c, CA_PGDN);
    n[1] = count_end("the queue browser's next page");
    assert_string_equal(v->row[0].cell[0], "41");
    struct entry_row e;
    assert_int_equal(store_queue(t.st)->entry_at(t.st, 1, 41, &e), 0);
    assert_string_equal(v->row[0].cell[1], e.receipt_no);

    /* an entry, opened from the page */
    count_begin("entry");
    key(c, CA_ENTER);
    n[2] = count_end("an entry");
    assert_int_equal(v->screen, CS_ENTRY);
    assert_non_null(strstr(v->title, e.receipt_no));
    bool pos = false;
    for (int i = 0; i < v->n_lines; i++)
        pos |= strstr(v->line[i].text, "position 41 of") != NULL;
    assert_true(pos);
    key(c, CA_ESCAPE);
    key(c, CA_ESCAPE);
    key(c, CA_ESCAPE);
    assert_int_equal(v->screen, CS_HOME);

    /* the bed list */
    count_begin("beds");
    open_home(c, "bed");
    n[3] = count_end("the bed list");
    assert_int_equal(v->screen, CS_BEDS);
    key(c, CA_ESCAPE);
    assert_int_equal(v->screen, CS_HOME);

    /* the housing work queue */
    count_begin("housing");
    open_home(c, "Housing work queue");
    n[4] = count_end("the housing work queue");
    assert_int_equal(v->screen, CS_HOUSING);
    key(c, CA_ESCAPE);
    assert_int_equal(v->screen, CS_HOME);

    /* search by receipt number: one found, opened at once — two pages,
     * the search's statement and the entry page's */
    console_input(c, CA_SEARCH, '/', clock_ms += 10);
    assert_true(v->prompting);
    type(c, e.receipt_no);
    count_begin("receipt");
    key(c, CA_ENTER);
    n[5] = count_end("a search by receipt number that opens the one entry found");
    assert_int_equal(v->screen, CS_ENTRY);
    assert_non_null(strstr(v->title, e.receipt_no));
    key(c, CA_ESCAPE);   /* back to the search's list, then home */
    assert_int_equal(v->screen, CS_PERSON);
    key(c, CA_ESCAPE);
    assert_int_equal(v->screen, CS_HOME);

    /* the receipt of a person with entries and a bed application (demo
     * household 2): the search page lists them all, one statement */
    char id[19], name[64];
    demo_resident(1, 2, id, name, sizeof name);
    struct queue_view qv[4];
    int nv = 0;
    assert_int_equal(queue_lookup_id(t.st, t.sec, id, NULL, qv, 4, &nv), 0);
    assert_true(nv >= 1);
    char lower[sizeof qv[0].receipt_no + 1];
    snprintf(lower, sizeof lower, "%s", qv[0].receipt_no);
    for (char *p = lower; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);   /* any case */
    queue_view_wipe(qv, nv);
    console_input(c, CA_SEARCH, '/', clock_ms += 10);
    type(c, lower);
    count_begin("person");
    key(c, CA_ENTER);
    n[6] = count_end("a search by receipt number listing a person's entries and applications");
    assert_int_equal(v->screen, CS_PERSON);
    assert_int_equal(v->n_rows, nv + 1);   /* every entry and the application */
    bool bed = false;
    for (int i = 0; i < v->n_rows; i++)
        bed |= !strcmp(v->row[i].cell[0], "Bed");
    assert_true(bed);
    /* the same rows as the search by ID number (person_find's several
     * statements; its order puts the receipt's own entry where its
     * programme is, so compared as sets) and by the application's
     * reference typed in lower case */
    static struct con_view by_receipt;
    by_receipt = *v;
    char ref[CV_CELL] = "", lref[CV_CELL];
    for (int i = 0; i < v->n_rows; i++)
        if (!strcmp(v->row[i].cell[0], "Bed"))
            snprintf(ref, sizeof ref, "%s", v->row[i].cell[2]);
    snprintf(lref, sizeof lref, "%s", ref);
    for (char *p = lref; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    key(c, CA_ESCAPE);
    const char *again[2] = {id, lref};
    for (int k = 0; k < 2; k++) {
        console_input(c, CA_SEARCH, '/', clock_ms += 10);
        type(c, again[k]);
        key(c, CA_ENTER);
        assert_int_equal(v->screen, CS_PERSON);
        assert_int_equal(v->n_rows, by_receipt.n_rows);
        for (int i = 0; i < v->n_rows; i++) {
            bool same = false;
            for (int r = 0; r < v->n_rows && !same; r++) {
                same = true;
                for (int j = 0; j < 6; j++)
                    same = same && !strcmp(v->row[i].cell[j], by_receipt.row[r].cell[j]);
            }
            assert_true(same);
        }
        key(c, CA_ESCAPE);
    }
    /* the application's reference through the store (the one-statement
     * search whatever person_query_kind makes of the reference): the
     * application first, then the person's entries */
    struct hits h = {0};
    struct person_seek pq = {.receipt_no = ref, .ref = ref, .entries = true, .beds = true};
    bool unindexed = true;
    count_begin("ref");
    assert_int_equal(t.st->ops->bed->person_search(t.st, &pq, hit_entry, hit_bed, &h, &unindexed), 0);
    n[7] = count_end("the search by an application's reference");
    assert_int_equal(h.n, by_receipt.n_rows);
    assert_true(h.bed[0]);
    for (int i = 1; i < h.n; i++)
        assert_false(h.bed[i]);
    /* a receipt nobody has: nothing, and no widening */
    assert_false(unindexed);
    memset(&h, 0, sizeof h);
    pq.receipt_no = pq.ref = "NOSUCH1";
    assert_int_equal(t.st->ops->bed->person_search(t.st, &pq, hit_entry, hit_bed, &h, &unindexed), 0);
    assert_int_equal(h.n, 0);
    console_free(&c);

    if (testdb_is_pg()) {
        assert_string_equal(t.st->ops->name, "postgresql");
        for (int i = 0; i < 5; i++)
            assert_int_equal(n[i], 1);
        assert_int_equal(n[5], 2);   /* the search, then the entry it opened */
        assert_int_equal(n[6], 1);
        assert_int_equal(n[7], 1);
    }
}

/* ---- the find-anyone search by ID, name and phone; the home menu's counts ---------- */

/* The home menu's counts as they were worked out before they were one
 * statement: every application of the account's street read and each
 * tested against its stage's deadline, and the work queue's two counts. */
struct ref_overdue {
    const struct console *c;
    unsigned mask;
    char today[32];
    int n;
};
static int ref_count(void *ctx, const struct bed_summary *s)
{
    struct ref_overdue *o = ctx;
    int d = bed_deadline_days(o->c, s->stage);
    if ((o->mask & (1u << s->stage)) && d > 0 && bed_age_days(o->today, s->updated_at) > d)
        o->n++;
    return 0;
}
static void home_reference(struct console *c, const struct actor *me, int *overdue,
                           long long late[2])
{
    struct ref_overdue o = {.c = c, .mask = bed_work_mask(me->roles)};
    store_now(o.today);
    assert_int_equal(bed_list_street(t.st, -1, bed_actor_street(me), ref_count, &o), 0);
    *overdue = o.n;
    const int status[2] = {ST_OFFERED, ST_FROZEN};
    for (int k = 0; k < 2; k++) {
        char cut[11];
        long long n;
        housing_cutoff(c, status[k], o.today, cut);
        assert_int_equal(store_queue(t.st)->open_count(t.st, status[k], cut, &n, &late[k]), 0);
    }
}

static int first_street(void *ctx, const struct bed_summary *s)
{
    char *street = ctx;
    if (!street[0] && s->street[0])
        snprintf(street, 64, "%s", s->street);
    return 0;
}

/* Log in as name, refresh the home menu (F5) counting its statements, and
 * check its counts against the reference; the console stays open. */
static struct console *home_checked(const char *name, const char *password, int *n)
{
    struct console *c = NULL;
    struct console_opts o = {.admin = false, .idle_seconds = 600};
    assert_int_equal(console_new(t.st, t.sec, &cfg, &o, &c), 0);
    type(c, name);
    key(c, CA_ENTER);
    type(c, password);
    key(c, CA_ENTER);
    assert_int_equal(console_view(c)->screen, CS_HOME);
    char tag[64];   /* a marker of its own: the log is searched for the first one */
    snprintf(tag, sizeof tag, "home-%s", name);
    count_begin(tag);
    assert_int_equal(con_home.load(c), 0);   /* what login and coming back after a change run */
    *n = count_end("the home menu's counts");
    assert_int_equal(console_view(c)->screen, CS_HOME);
    int overdue;
    long long late[2];
    home_reference(c, &c->me, &overdue, late);
    bool housing = false;   /* the work queue is counted for its menu item only */
    for (int i = 0; i < c->home.n; i++)
        housing |= c->home.item[i] == CS_HOUSING;
    if (!housing)
        late[0] = late[1] = 0;
    print_message("%s: %d applications overdue, %lld offers, %lld freezes\n", name, overdue,
                  late[0], late[1]);
    assert_int_equal(c->home.overdue, overdue);
    assert_int_equal(c->home.offers_late, late[0]);
    assert_int_equal(c->home.frozen_late, late[1]);
    return c;
}

/* The statements of an audit record alone (found.c audit_find: a search by
 * ID number, name or phone is recorded, in a write transaction of its own). */
static int audit_only(void)
{
    count_begin("audit");
    assert_int_equal(store_begin_as(t.st, STORE_WRITE_SHARED), 0);
    assert_int_equal(audit_append(t.st, t.sec, "chief", "find", "person", AD_FIND_ID, 2), 0);
    assert_int_equal(store_commit(t.st), 0);
    return count_end("an audit record alone");
}

/* Search for text: the store's search (person_find_as) counted alone in
 * *store_n, then the console's Enter counted in *enter_n (the search and
 * its audit record); the list of what was found must be open, with queue
 * entries and a bed application in it (widened to the person). */
static void search_counted(struct console *c, const char *text, const char *what, int kind,
                           int *store_n, int *enter_n)
{
    struct person_hit *h = NULL;
    int n = 0, k = 0;
    bool unindexed = true, more = true;
    char tag[64];   /* a marker of its own: the log is searched for the first one */
    snprintf(tag, sizeof tag, "find-%d", kind);
    count_begin(tag);
    assert_int_equal(person_find_as(t.st, t.sec, text, true, true, &c->me, &h, &n, &k, &unindexed,
                                    &more), 0);
    *store_n = count_end(what);
    person_hits_free(&h, n);
    assert_int_equal(k, kind);
    assert_false(unindexed);
    assert_false(more);
    const struct con_view *v = console_view(c);
    console_input(c, CA_SEARCH, '/', clock_ms += 10);
    assert_true(v->prompting);
    type(c, text);
    snprintf(tag, sizeof tag, "enter-%d", kind);
    count_begin(tag);
    key(c, CA_ENTER);
    *enter_n = count_end("the console's Enter (the search and its audit record)");
    if (v->screen != CS_PERSON)
        print_message("%s: screen %d, message: %s\n", what, v->screen, v->message);
    assert_int_equal(v->screen, CS_PERSON);
    assert_int_equal(c->person.kind, kind);
    assert_int_equal(v->n_rows, n);
    bool bed = false, queue = false;
    for (int i = 0; i < v->n_rows; i++) {
        bed |= !strcmp(v->row[i].cell[0], "Bed");
        queue |= !strcmp(v->row[i].cell[0], "Queue");
    }
    assert_true(bed && queue);
    key(c, CA_ESCAPE);
    assert_int_equal(v->screen, CS_HOME);
}

static void test_search_and_home_one_statement_each(void **state)
{
    (void)state;
    int n[6];
    /* offers and freezes, some overdue: offered on 1 September (15 days to
     * answer), frozen on 1 July and 1 November (90 days to review) */
    static const struct {
        int action;
        const char *when;
    } made[] = {{QA_OFFER, "2026-09-01 10:00:00"}, {QA_OFFER, "2026-09-01 10:00:00"},
                {QA_OFFER, "2026-11-19 10:00:00"}, {QA_FREEZE, "2026-07-01 10:00:00"},
                {QA_FREEZE, "2026-11-01 10:00:00"}};
    struct actor clerk = {.name = "clerk", .roles = ROLE__ALL};
    for (size_t i = 0; i < sizeof made / sizeof *made; i++) {
        struct entry_row e;
        int st;
        assert_int_equal(store_queue(t.st)->entry_at(t.st, 1, 100, &e), 0);
        setenv("KIOSK_NOW", made[i].when, 1);
        assert_int_equal(queue_staff_action(t.st, t.sec, &clerk, "prh", e.receipt_no,
                                            made[i].action, "test", &st), 0);
    }
    setenv("KIOSK_NOW", "2026-11-20 10:00:00", 1);
    struct console *c = home_checked("chief", "chief-password", &n[0]);
    assert_int_equal(c->home.offers_late, 2);
    assert_int_equal(c->home.frozen_late, 1);
    assert_true(c->home.overdue > 0);   /* the demo has overdue applications to count */

    /* demo household 2: queue entries, and a bed application filed by an
     * agent whose phone is 139 + 8 digits (eldercare_demo.c) */
    char id[19], name[64];
    demo_resident(1, 2, id, name, sizeof name);
    char phone[16];
    snprintf(phone, sizeof phone, "139%08d", 10000000 + 2 * 7717 % 89999999);
    int enter[3];
    search_counted(c, id, "a search by ID number", PQ_ID, &n[1], &enter[0]);
    search_counted(c, name, "a search by name", PQ_NAME, &n[2], &enter[1]);
    search_counted(c, phone, "a search by phone number", PQ_PHONE, &n[3], &enter[2]);
    int audit_n = audit_only();
    console_free(&c);

    /* a street office's account: its street's applications only */
    char street[64] = "";
    assert_int_equal(bed_list(t.st, -1, first_street, street), 0);
    assert_true(street[0] != '\0');
    struct actor root = {.name = "test", .roles = ROLE__ALL};
    long uid;
    assert_int_equal(auth_user_add_street(t.st, t.sec, NULL, &root, "streeter", ROLE_STREET,
                                          "street-password", NULL, NULL, street, &uid), 0);
    c = home_checked("streeter", "street-password", &n[4]);
    int chief_overdue = 0;
    long long late[2];
    struct actor all = {.roles = ROLE__ALL};
    home_reference(c, &all, &chief_overdue, late);
    assert_true(c->home.overdue < chief_overdue);   /* fewer: one street's */
    console_free(&c);

    if (testdb_is_pg()) {
        /* before (the code of 56208d0, this test run on it): home 5, ID 7, name 8,
         * phone 6, the street account's home 1 (4 + one per 256 applications with
         * the housing item, 1 + one per 256 without: the demo has 40) */
        assert_int_equal(n[0], 1);   /* the home menu's counts */
        assert_int_equal(n[1], 1);   /* by ID number */
        assert_int_equal(n[2], 1);   /* by name */
        assert_int_equal(n[3], 1);   /* by phone number */
        assert_int_equal(n[4], 1);   /* a street account's home menu */
        /* the console's Enter: the search and its audit record, nothing else */
        for (int k = 0; k < 3; k++)
            assert_int_equal(enter[k], 1 + audit_n);
        /* the audit record's transaction: W shared (with BEGIN), the lane with
         * its last record and the seq (kiosk_audit_take), the record with the
         * lane's head (one statement), COMMIT.  Before migration 018: 7 (W
         * shared, the lane, its last record, the seq, the record, the head,
         * COMMIT). */
        assert_int_equal(audit_n, 4);
    }
}

/* Audited writes other than a search's record: a bed submission and a staff
 * action each cost 3 statements fewer on PostgreSQL than before migration
 * 018 (the code of 8db45d9, this test run on it: 15 and 18; now 12 and 15),
 * and the trail they leave verifies, anchor and all, on both backends. */
static void test_audited_writes_statements(void **state)
{
    (void)state;
    struct actor resident = {.name = "resident@T1"}, clerk = {.name = "clerk", .roles = ROLE__ALL};
    struct bed_form f;
    memset(&f, 0, sizeof f);
    char first17[] = "44030419400101777";
    snprintf(f.elder_id, sizeof f.elder_id, "%s%c", first17, idnum_check_char(first17));
    snprintf(f.elder_name, sizeof f.elder_name, "测试长者");
    snprintf(f.address, sizeof f.address, "罗湖区测试路1号");
    f.services = BED_SVC_CARE_BED;
    f.consent = true;
    snprintf(f.kiosk_id, sizeof f.kiosk_id, "T1");
    char ref[33] = "";
    count_begin("bed-submit");
    assert_int_equal(bed_submit(t.st, t.sec, &resident, &f, ref), 0);
    int bed_n = count_end("a bed submission");
    assert_true(ref[0] != '\0');

    struct entry_row e;
    int status = -1;
    assert_int_equal(store_queue(t.st)->entry_at(t.st, 1, 3, &e), 0);
    count_begin("staff-action");
    assert_int_equal(queue_staff_action(t.st, t.sec, &clerk, "prh", e.receipt_no, QA_FREEZE,
                                        "test", &status), 0);
    int staff_n = count_end("a staff action (freeze)");
    assert_int_equal(status, ST_FROZEN);

    long long n = 0, bad = -1;
    assert_int_equal(audit_verify(t.st, t.sec, &n, &bad), 0);
    assert_true(n > 0);
    if (testdb_is_pg()) {
        assert_int_equal(bed_n, 12);
        assert_int_equal(staff_n, 15);
    }
}

/* page_at (one statement) gives what total + page gave, at the edges too:
 * the start, a page boundary, the end, past the end, an empty programme. */
struct rcpts {
    int n;
    char r[CONSOLE_PAGE][sizeof ((struct entry_row *)0)->receipt_no + 1];
};
static int keep(void *ctx, const struct entry_row *e)
{
    struct rcpts *k = ctx;
    assert_true(k->n < CONSOLE_PAGE);
    snprintf(k->r[k->n++], sizeof k->r[0], "%s", e->receipt_no);
    return 0;
}

static void test_page_at_matches_total_and_page(void **state)
{
    (void)state;
    const struct queue_store_ops *q = store_queue(t.st);
    long long total = 0;
    assert_int_equal(q->total(t.st, 1, &total), 0);
    assert_true(total > 2 * CONSOLE_PAGE);
    long long wants[] = {1, 2, CONSOLE_PAGE, CONSOLE_PAGE + 1, total - 5, total, total + 3, 999999};
    for (size_t i = 0; i < sizeof wants / sizeof *wants; i++) {
        long long want = wants[i], expect = want > total ? total - CONSOLE_PAGE + 1 : want;
        if (expect < 1)
            expect = 1;
        struct rcpts a = {0}, b = {0};
        long long t2 = -1, used = -1;
        assert_int_equal(q->page_at(t.st, 1, want, CONSOLE_PAGE, &t2, &used, keep, &a), 0);
        assert_int_equal(t2, total);
        assert_int_equal(used, expect);
        assert_int_equal(q->page(t.st, 1, expect, CONSOLE_PAGE, keep, &b), 0);
        assert_true(a.n > 0);
        assert_int_equal(a.n, b.n);
        for (int k = 0; k < a.n; k++)
            assert_string_equal(a.r[k], b.r[k]);
    }
    /* no such programme: an empty queue, total 0, position 1, no rows */
    struct rcpts a = {0};
    long long t2 = -1, used = -1;
    assert_int_equal(q->page_at(t.st, 9999, 5, CONSOLE_PAGE, &t2, &used, keep, &a), 0);
    assert_int_equal(t2, 0);
    assert_int_equal(used, 1);
    assert_int_equal(a.n, 0);
}

/* store_open_readonly (the kiosk's [kiosk] database_read, the follow-up
 * page): a write is refused by the server, and on PostgreSQL still after
 * the connection was cut and made again — the setting is a session SET the
 * plugin repeats on every connect (not the `options` startup parameter,
 * which pgbouncer refuses). */
static void test_readonly_store_stays_read_only(void **state)
{
    (void)state;
    struct store *ro = NULL;
    assert_int_equal(store_open_readonly(t.path, &ro), 0);
    assert_int_not_equal(ro->ops->meta_set(ro, "ro-test", "x"), 0);
    kerr_clear();
    if (testdb_is_pg()) {
        const struct sql_exec_ops *x = ro->ops->sql;
        long long pid = -1;
        struct sql_stmt *q = x->prepare(ro, "SELECT pg_backend_pid()");
        assert_non_null(q);
        assert_int_equal(sql_int(x, q, -1, &pid, "pid"), 0);
        char sql[96];
        snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%lld)", pid);
        assert_int_equal(testdb_sql(&t, sql), 0);
        usleep(200 * 1000);
        int err, tries = 0;
        while ((err = store_ping(ro)) != 0 && tries++ < 100)
            usleep(100 * 1000);
        assert_int_equal(err, 0);
        q = x->prepare(ro, "SELECT pg_backend_pid()");
        assert_non_null(q);
        long long pid2 = -1;
        assert_int_equal(sql_int(x, q, -1, &pid2, "pid"), 0);
        assert_true(pid2 != pid);   /* a new connection */
        assert_int_not_equal(ro->ops->meta_set(ro, "ro-test", "x"), 0);
        kerr_clear();
    }
    /* the same database read through it */
    long long total = -1;
    assert_int_equal(store_queue(ro)->total(ro, 1, &total), 0);
    assert_true(total > 0);
    store_close(&ro);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages_one_statement_each),
        cmocka_unit_test(test_search_and_home_one_statement_each),
        cmocka_unit_test(test_audited_writes_statements),
        cmocka_unit_test(test_page_at_matches_total_and_page),
        cmocka_unit_test(test_readonly_store_stays_read_only),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
