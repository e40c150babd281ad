/* report_store.h — the reads behind the staff reports (kiosk/report.h) and
 * the filtered audit browser, written once for both backends over the SQL
 * executor (report_engine.c).  Every statement returns aggregates or audit
 * records only: nothing here reads a name, an ID number or a sealed blob.
 *
 * Each report query yields rows of the same small shape (struct rep_raw);
 * what the columns mean is listed by query below, so kiosk/report.c turns
 * them into labelled rows without knowing SQL. */
#ifndef KIOSK_REPORT_STORE_H
#define KIOSK_REPORT_STORE_H

#include "kiosk/store/store.h"

enum rep_query {
    RQ_ALLOC = 0,   /* i0 program_id, t1 month "YYYY-MM", v housed; months >= param_t */
    RQ_PUBS,        /* i0 program_id, i1 publication id, t1 at, v waiting then; newest first */
    /* the bed reads: of the applications of street param_t ("" or NULL: all) */
    RQ_FUNNEL,      /* i0 stage, v applications that ever entered it (bed_history) */
    RQ_HISTORY,     /* i0 app_id, i1 stage, t1 at: every stage entry, by app then order */
    RQ_OPEN,        /* i0 stage, t1 street, t2 updated_at: every application, by street */
    RQ__COUNT
};

struct rep_raw {
    long long i0, i1, v;
    char t1[40], t2[40];
};

/* Run query q; cb gets each row after the statement is done (rows copied
 * out in keyset-free one-shot reads: every result here is aggregated, or
 * bounded by the number of bed-application stage changes). */
int report_store_rows(struct store *st, enum rep_query q, long long param_i, const char *param_t,
                      int (*cb)(void *ctx, const struct rep_raw *r), void *ctx);

/* Waiting entries of a programme with lo < wait_since <= hi (days since
 * 1970): one count over the covering index entry_wait (011).  The wait
 * report asks it once per programme and year band, so the walk is a plain
 * index range count — no expression to group by, no sort (a GROUP BY over
 * the computed years took 650–730 ms at 1M; the bands together ~50 ms). */
int report_store_waiting_between(struct store *st, int program_id, long long lo, long long hi,
                                 long long *n);

/* ---- the audit browser --------------------------------------------------------- */

#define AUDIT_OBJ_ALT 6   /* an entry/reference filter matches up to this many object texts */

/* What the audit screen and `kioskctl audit tail` filter by; "" = any.
 * since/until: "YYYY-MM-DD" (until inclusive: the day is whole).
 * object: exact object texts ("entry prh/BHJ0000031", "bed XGV…"); kiosk/report.c
 * expands what a clerk types into them (audit_filter_object). */
struct audit_filter {
    char actor[64];
    char action[48];
    char since[16];
    char until[16];
    int n_object;
    char object[AUDIT_OBJ_ALT][96];
};

/* Where a page ends: its last record's seq and time.  The next page holds
 * the records after it in the page order. */
struct audit_bound {
    long long seq;
    char at[32];
};

/* Up to limit records matching f, newest first, after the bound b (NULL:
 * from the newest).  The SQL text is chosen by the filters set so each
 * walks one index (migration 011): an entry, an actor or an action leads
 * (newest first = highest seq first); a date range alone walks audit_at
 * (at, seq) and is newest first by time, then seq (a record's time is the
 * clock's, and a clock set back puts times out of seq order); nothing set
 * walks seq.  cb gets each record after the statement is done. */
int report_store_audit(struct store *st, const struct audit_filter *f, const struct audit_bound *b,
                       int limit, int (*cb)(void *ctx, const struct audit_rec *r), void *ctx);

#endif
