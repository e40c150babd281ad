/* row_check.h — the part of `kioskctl check` that replays what the rows
 * should hold: every entry, staff account and bed application must carry
 * the row seal the programs wrote (row_seal.h), its sealed fields must open
 * on that row (AEAD associated data), each entry's sort key must be what its
 * program's rule makes of its fields, and each entry's status and each
 * application's stage must be what the last event of its history says.
 * One pass over each table, keyset-paged, so it stays linear at 1M rows. */
#ifndef KIOSK_ROW_CHECK_H
#define KIOSK_ROW_CHECK_H

#include "kiosk/secret.h"
#include "kiosk/store/store.h"

struct row_check_result {
    long long rows;       /* rows looked at, all tables */
    long long problems;   /* rows reported */
    long long unsealed;   /* rows with no seal yet (a database from before it: kioskctl init) */
};

/* Check every row; each problem is one line to report(ctx, line), which
 * names the table and the row, in the language in force (i18n_set_lang;
 * kioskctl check --lang zh).  After `limit` lines the rest are only
 * counted.  Returns 0 (problems are in *res) or an error reading. */
int row_check(struct store *st, const struct secret *sec, long long limit,
              void (*report)(void *ctx, const char *line), void *ctx,
              struct row_check_result *res);

#endif
