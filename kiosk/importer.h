/* importer.h — the housing bureau's list in and out (SPEC §4).
 *
 * Import is all or nothing: the whole file is parsed and validated first,
 * streaming (bounded read buffer, compact rows in an arena), every problem
 * reported as FILE:LINE: column: what is wrong; only a clean file reaches
 * the database, in one transaction with its audit record.  Rows absent
 * from the file are marked removed ("absent from import"). */
#ifndef KIOSK_IMPORTER_H
#define KIOSK_IMPORTER_H

#include <stdbool.h>
#include <stdio.h>

#include "kiosk/queue_types.h"
#include "kiosk/store/store.h"

struct secret;

struct import_result {
    long long rows, added, updated, removed, unchanged, errors;
    double parse_seconds, write_seconds;
    /* the removal guard's count, before anything is written: entries of the
     * program still active (not removed or withdrawn), and those of them
     * the file leaves out, by status */
    long long active, absent, absent_by_status[ST__COUNT];
};

/* What an import may remove (issue 11: a truncated or header-only file must
 * not wipe a queue).  The rows absent from the file that would be marked
 * removed are counted first, inside the write transaction; the import is
 * refused (KERR_REFUSED, nothing changed) when they are more than
 * max_share of the program's active entries or include any housed,
 * offered or frozen entry, unless allow_removals covers them all. */
struct import_guard {
    double max_share;          /* [import] max_removal_share (0.05) */
    long long allow_removals;  /* --allow-removals N; -1 when not given */
    bool dry_run;              /* count and report, then roll back */
};

/* Import path ("-" = standard input) as program_code's new list.  Problems
 * are written to errs, one per line; returns KERR_INPUT when there were any
 * (nothing changed).  progress: show progress on errs when it is a terminal. */
int import_queue(struct store *st, const struct secret *sec, const struct actor *who,
                 const char *program_code, const char *path, bool progress, FILE *errs,
                 const struct import_guard *guard, struct import_result *res);

/* Turn validated bureau rows into bulk rows and replace the list: the part
 * of the import after validation, shared with `kioskctl demo`. */
struct bureau_row;
struct arena;
struct import_batch {
    const struct program *program;
    const struct secret *sec;
    struct arena *arena;
    struct bulk_row *rows;
    long long n, cap;
    unsigned char nonce_prefix[16];   /* random per batch; the row counter completes the nonce */
    /* import_queue only: the removal guard and the file's receipt numbers
     * (NULL for demo, which replaces whole synthetic lists) */
    const struct import_guard *guard;
    const void *file_receipts;
};
int import_batch_init(struct import_batch *b, const struct program *p, const struct secret *sec,
                      struct arena *arena);
int import_batch_add(struct import_batch *b, const struct bureau_row *r);
/* Sort, write (one transaction with an audit record), free the rows.  file
 * names the list in the audit record (NULL: the demo list). */
int import_batch_commit(struct store *st, struct import_batch *b, const struct actor *who,
                        const char *file, struct import_result *res);
void import_batch_free(struct import_batch *b);

/* Write a program's list as CSV.  public: the published-notice form
 * (position, receipt_no, household_size, hukou_district; waiting only). */
int export_queue(struct store *st, const struct secret *sec, const char *program_code, bool public_form,
                 FILE *out);

#endif
