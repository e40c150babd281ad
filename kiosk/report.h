/* report.h — the staff reports (issue 14 item 6): aggregates only, built
 * in the core from report_store.h's reads, shown as bars by the console
 * (kiosk/console/report.c → screens/staff_table.c) and written as CSV by the
 * console and by `kioskctl report NAME --csv FILE`.
 *
 * Privacy: every report is a count or a median over groups (programme,
 * month, stage, street); no row names a person, an ID number or a reference.
 * A count below min_count (a configured small number, [reports] min_count,
 * 0 = off) is suppressed — shown and exported as "<N" — so an export that
 * leaves the office cannot single out one or two households.  A median of
 * fewer than min_count stays is suppressed the same way.
 *
 * What the data supports, and how each report says so in its title:
 *   allocations  households housed per month per programme (housed_month)
 *   queue        waiting households at each published list per programme,
 *                and now (publications are the only past snapshots kept)
 *   wait         waiting households by whole years since wait_since (their
 *                registration date on the bureau's list) to today
 *   funnel       bed applications that ever reached each stage (bed_history)
 *   stage-days   median days an application stayed in each stage (finished
 *                stays only: from entering a stage to entering the next)
 *   overdue      open bed applications past their stage's [deadlines], by
 *                the application's street (bed_app.street, 014: the street of
 *                the kiosk it was filed at, or where district moved it); ''
 *                is shown as "no street recorded" (未登记街道)
 * The three bed reports take a street (report_opts.street): a street
 * office's account sees its own street's figures only. */
#ifndef KIOSK_REPORT_H
#define KIOSK_REPORT_H

#include <stdbool.h>
#include <stdio.h>

struct store;

enum report_id { REP_ALLOC = 0, REP_QUEUE, REP_WAIT, REP_FUNNEL, REP_STAGE_DAYS, REP_OVERDUE, REP__COUNT };

#define REPORT_ROWS 240

struct report_row {
    char group[64];         /* programme code or street; "" when the report has none */
    char label[64];         /* month, date, bucket or stage, in the language in force */
    long long value;        /* the count, or the median days */
    long long basis;        /* stage-days: the stays behind the median; else = value */
    bool suppressed;        /* below min_count: show and export "<min_count" */
};

struct report {
    int id;
    int n;
    bool cut;               /* more rows than REPORT_ROWS: the last ones are left out */
    long long max;          /* the largest value shown (bars scale to it) */
    int min_count;
    struct report_row row[REPORT_ROWS];
};

struct report_opts {
    const char *today;          /* "YYYY-MM-DD…" (store_now) */
    int months;                 /* allocations: this many months up to today's (12) */
    int min_count;              /* suppress counts below this (0 = off) */
    const int *deadline_days;   /* [deadlines] per bed stage (kiosk_config.stage_deadline_days) */
    const char *street;         /* funnel, stage-days, overdue of this street only (NULL/"": all) */
};

/* "allocations", "queue", "wait", "funnel", "stage-days", "overdue". */
const char *report_name(int id);
/* 0 and *id, or KERR_INPUT naming the report and listing the known ones. */
int report_find(const char *name, int *id);
/* The report's title and its value column's heading: English message ids
 * (N_), translated by the caller. */
const char *report_title(int id);
const char *report_unit(int id);

/* Run report id into out (its rows in display order). */
int report_run(struct store *st, int id, const struct report_opts *o, struct report *out);

/* Write r as CSV: a header line, then one line per row; every text cell
 * through csv_write_cell (formula-leading text neutralised, kiosk/csv.h). */
int report_write_csv(const struct report *r, FILE *out);

/* Write r as CSV to path (created 0640, replaced atomically: temporary file,
 * fsync, rename).  KERR_IO naming the path on failure. */
int report_save_csv(const struct report *r, const char *path);

/* What a clerk typed as "entry/reference" for the audit browser → the exact
 * object texts it can mean (kiosk/store/report_store.h struct audit_filter):
 * "prh/BHJ1" → "entry prh/BHJ1"; "BHJ1" → "entry CODE/BHJ1" for each
 * programme and "bed BHJ1"; anything else also as typed.  Receipts and
 * references are matched in upper case, as stored. */
struct audit_filter;
int audit_filter_object(struct store *st, const char *typed, struct audit_filter *f);

/* The audit trail in the reader's language (gettext; the stored codes stay
 * as they are — scripts and the filters use them): an action code ("login",
 * "bed-advance") as a label ("登录", "床位申请推进"), or the code itself when
 * unknown; an object ("entry prh/BHJ1", "bed 7K…", "person", "database", a
 * report name) with its kind word translated and the receipt/reference kept,
 * into out; a pseudo-actor ("auth": a login with no such account) likewise. */
const char *audit_action_label(const char *code);
void audit_object_label(const char *object, char *out, size_t cap);
const char *audit_actor_label(const char *actor);

#endif
