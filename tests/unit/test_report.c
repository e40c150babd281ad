/* test_report.c — the staff reports (kiosk/report.h) and the audit
 * browser's filtered read (kiosk/store/report_store.h) against known data:
 * exact counts, medians, suppression and CSV.  The data is made through the
 * real paths (an import, a publication, housed events through the store,
 * bed applications filed and moved by staff accounts with the clock set by
 * KIOSK_NOW), so the reports read what production writes.  Runs on SQLite,
 * and on PostgreSQL in the storage contract suite (tests/pg/run_contract.sh,
 * KIOSK_TEST_DB=pg, testdb.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kiosk/auth.h"
#include "kiosk/config.h"
#include "kiosk/eldercare.h"
#include "kiosk/err.h"
#include "kiosk/queue.h"
#include "kiosk/report.h"
#include "kiosk/store/report_store.h"
#include "tests/unit/testdb.h"

#define TODAY "2026-06-15 10:00:00"

static int32_t today_days(void)
{
    int32_t d;
    assert_int_equal(date_parse("2026-06-15", &d), 0);
    return d;
}

/* prh: 4 waiting under a year, 3 for 1–2 years, 3 for over 10 years */
static void fill_prh(long long i, struct bureau_row *r, void *ctx)
{
    (void)ctx;
    testdb_id(i, r->id_number);
    snprintf(r->name, sizeof r->name, "报表%lld", i);
    snprintf(r->receipt_no, sizeof r->receipt_no, "R%07lld", i);
    r->household_size = 2;
    int32_t t = today_days();
    r->wait_since = i < 4 ? t - 100 : i < 7 ? t - 400 : t - 365 * 12;
    r->insured_since = r->hukou_since = DATE_NONE;
    r->lottery_no = -1;
    r->status = ST_WAITING;
}

struct fx {
    struct testdb t;
    struct kiosk_config cfg;
    struct actor street, district, resident;
    char ref[3][33];
};

static void at(const char *when) { setenv("KIOSK_NOW", when, 1); }

static void submit(struct fx *f, int i, const char *street, const char *when)
{
    struct bed_form form;
    memset(&form, 0, sizeof form);
    char first17[24];
    snprintf(first17, sizeof first17, "44030319450%d01%03d", 1 + i, 100 + i);
    memcpy(form.elder_id, first17, 17);
    form.elder_id[17] = idnum_check_char(first17);
    snprintf(form.elder_name, sizeof form.elder_name, "长者%d", i);
    snprintf(form.address, sizeof form.address, "罗湖区报表路%d号", i);
    form.services = BED_SVC_CARE_BED;
    form.consent = true;
    snprintf(form.kiosk_id, sizeof form.kiosk_id, "T1");
    snprintf(form.street, sizeof form.street, "%s", street);   /* the kiosk's [kiosk] street */
    at(when);
    assert_int_equal(bed_submit(f->t.st, f->t.sec, &f->resident, &form, f->ref[i]), 0);
}

static void move(struct fx *f, const struct actor *who, int i, int to, const char *when)
{
    at(when);
    assert_int_equal(eldercare_advance(f->t.st, f->t.sec, &f->cfg, who, f->ref[i], to, "ok", NULL, NULL),
                     0);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    if (!f || testdb_open(&f->t))
        return -1;
    config_defaults(&f->cfg);
    struct actor admin = {.name = "setup", .roles = ROLE_ADMIN};
    long id;
    if (auth_user_add(f->t.st, f->t.sec, &admin, "street1", ROLE_STREET, "password-123", NULL, NULL, &id))
        return -1;
    f->street = (struct actor){.name = "street1", .roles = ROLE_STREET, .user_id = id};
    if (auth_user_add(f->t.st, f->t.sec, &admin, "district1", ROLE_DISTRICT, "password-123", NULL, NULL,
                      &id))
        return -1;
    f->district = (struct actor){.name = "district1", .roles = ROLE_DISTRICT, .user_id = id};
    snprintf(f->resident.name, sizeof f->resident.name, "resident@T1");

    /* the housing queue: 10 waiting on prh, a list published on 1 May, and
     * housed events in March (2) and June (1) */
    at("2026-05-01 09:00:00");
    if (testdb_fill(&f->t, "prh", 10, fill_prh, NULL))
        return -1;
    long long total = 0;
    struct actor sys = {.name = "test", .roles = ROLE__ALL};
    if (queue_publish(f->t.st, f->t.sec, &sys, "prh", &total) || total != 10)
        return -1;
    struct program p;
    struct entry_row e;
    const struct queue_store_ops *q = store_queue(f->t.st);
    if (q->program_get(f->t.st, "prh", &p) || q->entry_get(f->t.st, p.id, "R0000009", &e))
        return -1;
    static const char *const housed[] = {"2026-03-02 10:00:00", "2026-03-30 10:00:00",
                                         "2026-06-01 10:00:00"};
    for (int i = 0; i < 3; i++) {
        struct entry_event ev = {.entry_id = e.id, .program_id = p.id, .from_status = ST_OFFERED,
                                 .to_status = ST_HOUSED};
        snprintf(ev.at, sizeof ev.at, "%s", housed[i]);
        snprintf(ev.actor, sizeof ev.actor, "test");
        snprintf(ev.action, sizeof ev.action, "accept");
        if (store_begin(f->t.st) || q->event_add(f->t.st, &ev) || store_commit(f->t.st))
            return -1;
    }

    /* bed applications: A (东门街道) 10 days submitted, 20 days street-approved, now
     * district-approved since 31 May; B (东门街道) 4 days submitted, street-approved since
     * 5 May (41 days: over its 10); C (street "+T2", formula-leading) submitted 1 June
     * (14 days: over its 5) */
    submit(f, 0, "东门街道", "2026-05-01 09:00:00");
    submit(f, 1, "东门街道", "2026-05-01 09:30:00");
    submit(f, 2, "+T2", "2026-06-01 09:00:00");
    move(f, &f->street, 0, BS_STREET_APPROVED, "2026-05-11 09:00:00");
    move(f, &f->street, 1, BS_STREET_APPROVED, "2026-05-05 09:00:00");
    move(f, &f->district, 0, BS_DISTRICT_APPROVED, "2026-05-31 09:00:00");
    at(TODAY);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    testdb_close(&f->t);
    unsetenv("KIOSK_NOW");
    free(f);
    return 0;
}

static const struct report_row *find(const struct report *r, const char *group, const char *label)
{
    for (int i = 0; i < r->n; i++)
        if (!strcmp(r->row[i].group, group) && !strcmp(r->row[i].label, label))
            return &r->row[i];
    fail_msg("report %s: no row %s / %s", report_name(r->id), group, label);
    return NULL;
}

/* Report id of one street's applications (street NULL: all). */
static void run_street(struct fx *f, int id, int min_count, const char *street, struct report *r)
{
    struct report_opts o = {.today = TODAY, .months = 12, .min_count = min_count,
                            .deadline_days = f->cfg.stage_deadline_days, .street = street};
    assert_int_equal(report_run(f->t.st, id, &o, r), 0);
    assert_false(r->cut);
}

static void run(struct fx *f, int id, int min_count, struct report *r)
{
    run_street(f, id, min_count, NULL, r);
}

static void test_queue_reports(void **state)
{
    struct fx *f = *state;
    static struct report r;
    run(f, REP_ALLOC, 0, &r);
    assert_int_equal(r.n, 36);   /* 3 programmes × 12 months, zeros included */
    assert_int_equal(find(&r, "prh", "2026-03")->value, 2);
    assert_int_equal(find(&r, "prh", "2026-06")->value, 1);
    assert_int_equal(find(&r, "prh", "2026-05")->value, 0);
    assert_int_equal(find(&r, "prh", "2025-07")->value, 0);   /* the first of the 12 months */
    assert_int_equal(find(&r, "ahp", "2026-03")->value, 0);
    assert_int_equal(r.max, 2);

    run(f, REP_QUEUE, 0, &r);
    assert_int_equal(find(&r, "prh", "2026-05-01")->value, 10);
    assert_int_equal(find(&r, "prh", "now")->value, 10);
    assert_int_equal(find(&r, "ahp", "now")->value, 0);
    assert_int_equal(r.n, 4);   /* prh: one publication and now; ahp, talent: now */

    run(f, REP_WAIT, 0, &r);
    assert_int_equal(find(&r, "prh", "under 1 year")->value, 4);
    assert_int_equal(find(&r, "prh", "1 to 2 years")->value, 3);
    assert_int_equal(find(&r, "prh", "2 to 3 years")->value, 0);
    assert_int_equal(find(&r, "prh", "10 years or more")->value, 3);
    assert_int_equal(r.n, 33);   /* 11 buckets × 3 programmes */
}

static void test_bed_reports(void **state)
{
    struct fx *f = *state;
    static struct report r;
    run(f, REP_FUNNEL, 0, &r);
    assert_int_equal(r.n, BS__COUNT);
    assert_int_equal(r.row[BS_SUBMITTED].value, 3);
    assert_int_equal(r.row[BS_STREET_APPROVED].value, 2);
    assert_int_equal(r.row[BS_DISTRICT_APPROVED].value, 1);
    assert_int_equal(r.row[BS_ASSESSED].value, 0);

    run(f, REP_STAGE_DAYS, 0, &r);
    assert_int_equal(r.n, 2);   /* only stages someone has left */
    assert_int_equal(r.row[0].value, 4);    /* submitted: stays 4 and 10, the lower median */
    assert_int_equal(r.row[0].basis, 2);
    assert_int_equal(r.row[1].value, 20);   /* street_approved: A's 20 days */
    assert_int_equal(r.row[1].basis, 1);

    run(f, REP_OVERDUE, 0, &r);
    assert_int_equal(r.n, 2);   /* per street (issue 14) */
    assert_int_equal(find(&r, "东门街道", "")->value, 1);   /* B; A is at its 15 of 15 days */
    assert_int_equal(find(&r, "+T2", "")->value, 1);       /* C */

    /* a street office's view: its street's applications only */
    run_street(f, REP_OVERDUE, 0, "东门街道", &r);
    assert_int_equal(r.n, 1);
    assert_int_equal(find(&r, "东门街道", "")->value, 1);
    run_street(f, REP_FUNNEL, 0, "东门街道", &r);
    assert_int_equal(r.row[BS_SUBMITTED].value, 2);
    assert_int_equal(r.row[BS_STREET_APPROVED].value, 2);
    run_street(f, REP_FUNNEL, 0, "+T2", &r);
    assert_int_equal(r.row[BS_SUBMITTED].value, 1);
    assert_int_equal(r.row[BS_STREET_APPROVED].value, 0);
    run_street(f, REP_STAGE_DAYS, 0, "+T2", &r);
    assert_int_equal(r.n, 0);   /* C has left no stage */
}

static void test_suppression_and_csv(void **state)
{
    struct fx *f = *state;
    static struct report r;
    run(f, REP_FUNNEL, 2, &r);
    assert_false(r.row[BS_SUBMITTED].suppressed);
    assert_false(r.row[BS_STREET_APPROVED].suppressed);
    assert_true(r.row[BS_DISTRICT_APPROVED].suppressed);   /* one application */
    assert_false(r.row[BS_ASSESSED].suppressed);           /* none is not a person */
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    assert_int_equal(report_write_csv(&r, m), 0);
    fclose(m);
    assert_non_null(strstr(buf, "report,group,label,value\r\n"));
    assert_non_null(strstr(buf, ",3\r\n"));
    assert_non_null(strstr(buf, ",<2\r\n"));
    assert_null(strstr(buf, ",1\r\n"));   /* the suppressed count is nowhere */
    free(buf);

    /* a kiosk id that a spreadsheet would run as a formula is neutralised */
    run(f, REP_OVERDUE, 0, &r);
    char path[160];
    snprintf(path, sizeof path, "%s/overdue.csv", f->t.dir);
    assert_int_equal(report_save_csv(&r, path), 0);
    FILE *in = fopen(path, "r");
    assert_non_null(in);
    char line[256], all[1024] = "";
    while (fgets(line, sizeof line, in))
        strncat(all, line, sizeof all - strlen(all) - 1);
    fclose(in);
    assert_non_null(strstr(all, "overdue,\"'+T2\",,1\r\n"));
    assert_non_null(strstr(all, "overdue,东门街道,,1\r\n"));
    /* a directory that is not there: an error naming it */
    assert_int_equal(report_save_csv(&r, "/nonexistent-dir/x.csv"), KERR_IO);
    assert_non_null(strstr(kerr_detail(), "/nonexistent-dir/x.csv"));

    int id;
    assert_int_equal(report_find("stage-days", &id), 0);
    assert_int_equal(id, REP_STAGE_DAYS);
    assert_int_equal(report_find("nope", &id), KERR_INPUT);
}

struct keep {
    struct audit_rec r[64];
    int n;
};

static int keep(void *ctx, const struct audit_rec *r)
{
    struct keep *k = ctx;
    if (k->n < 64)
        k->r[k->n++] = *r;
    return 0;
}

static void test_audit_filters(void **state)
{
    struct fx *f = *state;
    struct audit_filter af;
    struct keep k;

    memset(&af, 0, sizeof af);
    snprintf(af.actor, sizeof af.actor, "street1");
    k.n = 0;
    assert_int_equal(report_store_audit(f->t.st, &af, NULL, 40, keep, &k), 0);
    assert_int_equal(k.n, 2);   /* A's and B's street approvals */
    assert_true(k.r[0].seq > k.r[1].seq);   /* newest first */
    assert_string_equal(k.r[0].action, "bed-advance");

    memset(&af, 0, sizeof af);
    snprintf(af.action, sizeof af.action, "bed-submit");
    k.n = 0;
    assert_int_equal(report_store_audit(f->t.st, &af, NULL, 40, keep, &k), 0);
    assert_int_equal(k.n, 3);

    /* one day, inclusive: only A's street approval on 11 May */
    memset(&af, 0, sizeof af);
    snprintf(af.since, sizeof af.since, "2026-05-11");
    snprintf(af.until, sizeof af.until, "2026-05-11");
    k.n = 0;
    assert_int_equal(report_store_audit(f->t.st, &af, NULL, 40, keep, &k), 0);
    assert_int_equal(k.n, 1);
    assert_string_equal(k.r[0].actor, "street1");
    snprintf(af.until, sizeof af.until, "2026-02-30");
    assert_int_equal(report_store_audit(f->t.st, &af, NULL, 40, keep, &k), KERR_INPUT);

    /* an entry typed as a clerk would, lower case: A's three records */
    memset(&af, 0, sizeof af);
    char typed[40];
    snprintf(typed, sizeof typed, "%s", f->ref[0]);
    for (char *p = typed; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    assert_int_equal(audit_filter_object(f->t.st, typed, &af), 0);
    k.n = 0;
    assert_int_equal(report_store_audit(f->t.st, &af, NULL, 40, keep, &k), 0);
    assert_int_equal(k.n, 3);
    /* a receipt without its programme: the publication-free entry has none; the
     * programme/receipt form finds the same as the bare one */
    memset(&af, 0, sizeof af);
    assert_int_equal(audit_filter_object(f->t.st, "r0000009", &af), 0);
    assert_true(af.n_object >= 3);   /* as typed, bed R…, entry CODE/R… per programme */
    assert_string_equal(af.object[1], "bed R0000009");

    /* paging: one record a page, each page after the last one's bound; by action
     * (the index of action, seq order: the submissions) and by a date range alone
     * (audit_at, time order: B's approval 5 May, A's 11 May, A's district 31 May) */
    static const char *const first[2] = {"2026-06-01 09:00:00", "2026-05-31 09:00:00"};
    static const char *const third[2] = {"2026-05-01 09:00:00", "2026-05-05 09:00:00"};
    for (int by_date = 0; by_date < 2; by_date++) {
        memset(&af, 0, sizeof af);
        if (by_date) {
            snprintf(af.since, sizeof af.since, "2026-05-05");
            snprintf(af.until, sizeof af.until, "2026-05-31");
        } else {
            snprintf(af.action, sizeof af.action, "bed-submit");
        }
        struct audit_bound b;
        int pages = 0;
        char seen[3][32];
        for (;;) {
            k.n = 0;
            assert_int_equal(report_store_audit(f->t.st, &af, pages ? &b : NULL, 1, keep, &k), 0);
            if (!k.n)
                break;
            assert_true(pages < 3);
            b.seq = k.r[0].seq;
            snprintf(b.at, sizeof b.at, "%s", k.r[0].at);
            snprintf(seen[pages++], sizeof seen[0], "%s", k.r[0].at);
        }
        assert_int_equal(pages, 3);
        assert_string_equal(seen[0], first[by_date]);
        assert_string_equal(seen[2], third[by_date]);
    }
    /* a date range alone, on every record: the action filter off, dates on */
    memset(&af, 0, sizeof af);
    snprintf(af.since, sizeof af.since, "2026-05-05");
    snprintf(af.until, sizeof af.until, "2026-05-31");
    k.n = 0;
    assert_int_equal(report_store_audit(f->t.st, &af, NULL, 40, keep, &k), 0);
    assert_int_equal(k.n, 3);   /* B's approval on 5 May, A's on 11 May, A's district on 31 May */
    assert_string_equal(k.r[0].at, "2026-05-31 09:00:00");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_queue_reports, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bed_reports, setup, teardown),
        cmocka_unit_test_setup_teardown(test_suppression_and_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_filters, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
