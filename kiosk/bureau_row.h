/* bureau_row.h — the columns of the housing bureau's list (SPEC §4) and the
 * validation of one row.  Pure: no database, no I/O besides the error sink.
 *
 * Dates are held as days since 1970-01-01 (DATE_NONE when empty); integers
 * that may be empty use -1 for "none".  Every problem found is reported
 * through the sink as "column: what is wrong" (the caller prefixes
 * FILE:LINE), and ALL problems of a row are reported, not only the first. */
#ifndef KIOSK_BUREAU_ROW_H
#define KIOSK_BUREAU_ROW_H

#include <stdbool.h>
#include <stdint.h>

#include "kiosk/csv.h"
#include "kiosk/idnum.h"

#define DATE_NONE INT32_MIN

enum bureau_col {
    BCOL_RECEIPT_NO, BCOL_ID_NUMBER, BCOL_NAME, BCOL_HOUSEHOLD_SIZE,
    BCOL_HUKOU_DISTRICT, BCOL_TIER, BCOL_WAIT_SINCE, BCOL_INSURED_SINCE,
    BCOL_HUKOU_SINCE, BCOL_LOTTERY_NO, BCOL_STATUS, BCOL__COUNT
};

/* Column names exactly as SPEC §4 spells them, indexed by enum bureau_col. */
extern const char *const bureau_col_name[BCOL__COUNT];

struct bureau_header {
    int index[BCOL__COUNT];   /* field index in the record, or -1 when absent */
    int n_fields;             /* fields the header had */
};

struct bureau_row {
    char receipt_no[33];
    char id_number[IDNUM_LEN + 1];   /* normalised, upper-case X */
    char name[257];                  /* UTF-8, 1–64 characters */
    int household_size;              /* 1–20 */
    char hukou_district[129];        /* "" when absent */
    int64_t tier;                    /* ≥ 0, default 0 */
    int32_t wait_since, insured_since, hukou_since;  /* days since epoch or DATE_NONE */
    int64_t lottery_no;              /* ≥ 0, or -1 when empty */
    int status;                      /* enum entry_status (queue_types.h), default waiting */
};

/* Called once per problem: line is the record's line, col the column name
 * (or "header"), msg what is wrong. */
typedef void (*bureau_error_fn)(void *ctx, long line, const char *col, const char *msg);

/* Check the header: every required column present, no unknown column, no
 * column twice.  Returns 0 or KERR_INPUT (after reporting each problem). */
int bureau_header_parse(const struct csv_record *rec, struct bureau_header *h,
                        bureau_error_fn err, void *ctx);

/* Validate and convert one data record.  Returns 0 or KERR_INPUT after
 * reporting every problem found in it (wrong field count included). */
int bureau_row_parse(const struct bureau_header *h, const struct csv_record *rec,
                     struct bureau_row *out, bureau_error_fn err, void *ctx);

/* "YYYY-MM-DD" ↔ days since 1970-01-01.  date_parse returns 0 and sets *days
 * for a real calendar date (years 1900–2199), else KERR_INPUT. */
int date_parse(const char *s, int32_t *days);
void date_format(int32_t days, char out[11]);

#endif
