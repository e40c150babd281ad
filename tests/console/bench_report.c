/* bench_report.c — the staff reports and the audit browser (issue 14 item
 * 6: a report ≤ 200 ms at 1M households) on the demo database
 * (kioskctl demo --households 1000000 --seed 1), read only:
 *
 *   report NAME            report_run (kiosk/report.h): the store's read and
 *        the rows built, each of the six reports REPS times; median and worst.
 *   audit page …           one page of 40 of the audit browser
 *        (report_store_audit): unfiltered, by actor, by action, by a date
 *        range, by an entry; median and worst.
 *   audit page … in Chinese   the same page with each record's detail read
 *        back in Chinese (audit_detail_local, what the full record and `/`
 *        do): the reading's cost beside the read.
 *
 * usage: bench_report DEMO_DB */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/audit_detail.h"
#include "kiosk/config.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/report.h"
#include "kiosk/store/report_store.h"
#include "kiosk/store/store.h"
#include "tests/bench/bench_line.h"

#define REPS 7
#define AUDIT_REPS 50

static int count(void *ctx, const struct audit_rec *r)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

/* Run report id REPS times into r, each time in ms into t; non-zero on failure (said). */
static int time_report(struct store *st, int id, const struct report_opts *o, struct report *r,
                       double *t)
{
    for (int i = 0; i < REPS; i++) {
        double t0 = bench_now_us();
        int err = report_run(st, id, o, r);
        if (err) {
            kerr_print("bench_report", err);
            return 1;
        }
        t[i] = (bench_now_us() - t0) / 1000;
    }
    return 0;
}

/* the record counted, its detail read back in the language in force */
static int count_local(void *ctx, const struct audit_rec *r)
{
    char out[sizeof r->detail * 3];
    audit_detail_local(r->action, r->detail, out, sizeof out);
    (*(int *)ctx) += out[0] != '\0' || !r->detail[0];
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_report DEMO_DB\n");
        return 2;
    }
    struct store *st;
    int err = store_open_readonly(argv[1], &st);
    if (err) {
        kerr_print("bench_report", err);
        return 1;
    }
    struct kiosk_config cfg;
    config_defaults(&cfg);
    char today[32];
    store_now(today);
    static struct report r;
    int failures = 0;
    for (int id = 0; id < REP__COUNT; id++) {
        double t[REPS];
        struct report_opts o = {.today = today, .months = 12, .min_count = 0,
                                .deadline_days = cfg.stage_deadline_days};
        if (time_report(st, id, &o, &r, t))
            return 1;
        char name[64];
        snprintf(name, sizeof name, "report %s median", report_name(id));
        double worst = bench_max(t, REPS);
        failures += !bench_line(name, bench_median(t, REPS), "ms", 0, 200, true, "%d rows, worst %.1f ms",
                                r.n, worst);
    }
    /* a street office's view (issue 14): the overdue report of one street
     * (the demo's 东门街道), the walk of bed_app_street */
    {
        double t[REPS];
        struct report_opts o = {.today = today, .months = 12, .min_count = 0,
                                .deadline_days = cfg.stage_deadline_days, .street = "东门街道"};
        if (time_report(st, REP_OVERDUE, &o, &r, t))
            return 1;
        failures += !bench_line("report overdue, one street median", bench_median(t, REPS), "ms", 0,
                                200, true, "%d rows", r.n);
        bench_line("report overdue, one street p99", bench_pct(t, REPS, 0.99), "ms", 0, 200, true,
                   NULL);
    }
    static const char *const what[] = {"all", "actor", "action", "dates", "entry"};
    if (!getenv("KIOSK_LOCALEDIR"))
        setenv("KIOSK_LOCALEDIR", "build/locale", 1);
    i18n_init(argv[0]);
    i18n_set_lang("zh");
    for (int k = 0; k < 6; k++) {
        bool zh = k == 5;   /* the unfiltered page again, its details in Chinese */
        struct audit_filter f;
        memset(&f, 0, sizeof f);
        if (k == 1)
            snprintf(f.actor, sizeof f.actor, "demo-street");
        if (k == 2)
            snprintf(f.action, sizeof f.action, "bed-advance");
        if (k == 3) {
            snprintf(f.since, sizeof f.since, "2024-01-01");
            snprintf(f.until, sizeof f.until, "2024-03-31");
        }
        if (k == 4 && (err = audit_filter_object(st, "BHJ0000031", &f))) {
            kerr_print("bench_report", err);
            return 1;
        }
        double t[AUDIT_REPS];
        int n = 0;
        for (int i = 0; i < AUDIT_REPS; i++) {
            n = 0;
            double t0 = bench_now_us();
            if ((err = report_store_audit(st, &f, NULL, 40, zh ? count_local : count, &n))) {
                kerr_print("bench_report", err);
                return 1;
            }
            t[i] = (bench_now_us() - t0) / 1000;
        }
        char name[64];
        if (zh)
            snprintf(name, sizeof name, "audit page of 40, details in Chinese, median");
        else
            snprintf(name, sizeof name, "audit page of 40 by %s median", what[k]);
        double worst = bench_max(t, AUDIT_REPS);
        failures += !bench_line(name, bench_median(t, AUDIT_REPS), "ms", 0, 200, true,
                                "%d records, worst %.2f ms", n, worst);
    }
    store_close(&st);
    return failures ? 1 : 0;
}
