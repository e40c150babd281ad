/* row_seal.h — the row seal: a keyed MAC (BLAKE2b, the site secret's row
 * subkey) over the stored fields of every queue entry, staff account and
 * home-care-bed application, kept in the row's `rowmac` column.
 *
 * Why: the audit chain proves what was done, but a direct SQL edit of a
 * status, household size, tier, role, lock-out or stage changes the row
 * without touching the chain.  The seal is written by every write path of
 * the store in the same transaction, with the secret the process loaded
 * (secret_current()); `kioskctl check` recomputes it and names each row
 * whose fields are not what the kiosk wrote, besides replaying each row's
 * history (row_check.h).  Someone without the site secret cannot forge it.
 *
 * One definition of what is sealed per table (the column lists in
 * row_seal.c): the write paths, the bulk import and the check all hash the
 * same byte stream. */
#ifndef KIOSK_ROW_SEAL_H
#define KIOSK_ROW_SEAL_H

#include <stdint.h>

#include "kiosk/store/store.h"

enum row_table { ROW_ENTRY, ROW_STAFF, ROW_BED, ROW__COUNT };

#define ROW_SEAL_BYTES 32

/* Recompute and store the seal of one row from what the row now holds
 * (call after writing it, in the same transaction). */
int row_seal_refresh(struct store *st, enum row_table t, long long id);

/* Seal every row of t whose seal is NULL (entries of one program when
 * program_id > 0): after set-based import statements, and the migration of
 * databases from before the seal (kioskctl init). *n = rows sealed. */
int row_seal_fill(struct store *st, enum row_table t, int program_id, long long *n);

/* The seal of an entry as the bulk import writes it (refusals 0), from the
 * values it binds; program_id and receipt_no name the row. */
void row_seal_bulk_entry(int program_id, const struct bulk_row *r, unsigned char out[32]);

/* ---- for the check (row_check.c) ------------------------------------------ */

/* The columns of a table's seal, as SELECT text ("id, rowmac, …"), and a
 * page of rows after an id. */
struct row_seal_cols {
    const char *table;     /* "entry", "staff", "bed_app" */
    const char *types;     /* one letter per sealed column: i integer, t text, b blob,
                              o text hashed only when not '' (row_seal.c) */
    const char *page_sql;  /* id, rowmac, the sealed columns, extra columns; id > $1 LIMIT $2 */
};
const struct row_seal_cols *row_seal_cols(enum row_table t);

struct sql_stmt;
struct sql_exec_ops;
/* The seal of the current row of a statement whose sealed columns start at
 * column `first`; returns 0, or KERR_SECRET when no secret is loaded. */
int row_seal_of_stmt(enum row_table t, const struct sql_exec_ops *x, struct sql_stmt *q, int first,
                     unsigned char out[32]);

#endif
