/* csv.h — a streaming RFC 4180 reader for the housing-bureau lists.
 *
 * Reads one record at a time from a FILE with a bounded buffer, so a
 * 1,000,000-row file never has to fit in memory.  Handles a UTF-8 BOM at the
 * start, quoted fields with "" escapes, commas and newlines (LF or CRLF)
 * inside quotes, CRLF or LF record ends, and a missing final newline.
 * Every record knows the physical line it started on, for error messages. */
#ifndef KIOSK_CSV_H
#define KIOSK_CSV_H

#include <stddef.h>
#include <stdio.h>

#define CSV_MAX_FIELDS 64

struct csv_reader;

struct csv_record {
    long line;                       /* 1-based physical line the record starts on */
    int n;                           /* number of fields */
    const char *field[CSV_MAX_FIELDS]; /* NUL-terminated, valid until the next csv_next */
    size_t len[CSV_MAX_FIELDS];      /* byte length of each field (fields may hold NUL? no: rejected) */
};

/* Wrap an open stream (not closed by csv_free).  Returns NULL on no memory. */
struct csv_reader *csv_new(FILE *in);
void csv_free(struct csv_reader **r);

/* Read the next record.  Returns 1 when a record was read, 0 at end of
 * input, or a negative KERR_INPUT with a detail (kerr) "LINE: what is wrong"
 * for malformed input: an unterminated quote, a quote inside an unquoted
 * field, text after a closing quote, more than CSV_MAX_FIELDS fields, a NUL
 * byte, a record over 64 KiB.  A blank line (no bytes) is skipped. */
int csv_next(struct csv_reader *r, struct csv_record *rec);

/* The 0-based field the last error of csv_next was found in, or -1 when it
 * concerns the record as a whole (too long, a read error), so the importer
 * can name the column ("FILE:LINE: name: unterminated quoted field"). */
int csv_error_field(const struct csv_reader *r);

/* Bytes consumed so far (for a progress display). */
long long csv_offset(const struct csv_reader *r);

/* Write one field to out with RFC 4180 quoting when needed. */
void csv_write_field(FILE *out, const char *s);

/* Whether a spreadsheet would take s as a formula: it starts with = + - @,
 * a tab or a carriage return (OWASP "CSV injection"), or with the
 * full-width ＝ ＋ － ＠ that spreadsheets in Chinese locales also accept. */
int csv_formula_leading(const char *s);

/* Write a text cell for people to open in a spreadsheet: as
 * csv_write_field, but a formula-leading value is neutralised the standard
 * way, with a leading apostrophe inside a quoted field ("'=1+2"), so it
 * shows as the text it is and never runs. */
void csv_write_cell(FILE *out, const char *s);

#endif
