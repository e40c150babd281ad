/* csv.c — a streaming RFC 4180 reader (and field writer) for the
 * housing-bureau lists (SPEC §4).
 *
 * Design: raw bytes are read with fread in CSV_CHUNK pieces into one fixed
 * buffer that always has room for a whole record (CSV_MAX_RECORD bytes) plus
 * one chunk.  A record is parsed from the buffer into a separate output area
 * (quotes removed, "" unescaped, each field NUL-terminated), so nothing is
 * allocated per record or per field.  When a record runs past the bytes read
 * so far, the unread tail is moved to the front of the buffer, another chunk
 * is read and the record is parsed again from its start: that happens at most
 * once or twice per chunk, so re-parsing costs nothing measurable and the
 * parser needs no state that survives between calls. */
#include "kiosk/csv.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/err.h"

#define CSV_MAX_RECORD 65536            /* bytes of one record, its line end excluded */
#define CSV_CHUNK      32768            /* bytes asked of fread at a time */
/* +2: a record of exactly CSV_MAX_RECORD bytes must still fit its CRLF. */
#define CSV_WINDOW     (CSV_MAX_RECORD + 2)
#define CSV_BUF        (CSV_WINDOW + CSV_CHUNK)

struct csv_reader {
    FILE *in;
    size_t pos, end;        /* unconsumed raw bytes are buf[pos, end) */
    long long base;         /* stream offset of buf[0] */
    long line;              /* physical line buf[pos] is on */
    bool eof;               /* fread has reported end of input */
    bool started;           /* first chunk read (BOM check done) */
    int err;                /* sticky: a malformed file stays malformed */
    char errmsg[160];
    int cur_field;                   /* 0-based field being parsed; -1: the record as a whole */
    int err_field;                   /* cur_field when the sticky error was set */
    char buf[CSV_BUF];
    /* Parsed fields: never longer than the raw record, plus one NUL each. */
    char out[CSV_MAX_RECORD + CSV_MAX_FIELDS + 2];
};

/* Bytes that end the fast copy loops.  Unquoted: separator, line end, a
 * quote (an error there) and NUL (an error anywhere).  Quoted: the quote,
 * LF (to count lines) and NUL. */
static const unsigned char csv_stop_unquoted[256] = {
    [','] = 1, ['"'] = 1, ['\n'] = 1, ['\r'] = 1, ['\0'] = 1,
};
static const unsigned char csv_stop_quoted[256] = {
    ['"'] = 1, ['\n'] = 1, ['\0'] = 1,
};

struct csv_reader *csv_new(FILE *in)
{
    struct csv_reader *r = malloc(sizeof *r);
    if (!r)
        return NULL;
    r->in = in;
    r->pos = r->end = 0;
    r->base = 0;
    r->line = 1;
    r->eof = false;
    r->started = false;
    r->err = 0;
    r->errmsg[0] = '\0';
    r->cur_field = r->err_field = -1;
    return r;
}

void csv_free(struct csv_reader **r)
{
    if (r && *r) {
        free(*r);
        *r = NULL;
    }
}

long long csv_offset(const struct csv_reader *r) { return r->base + (long long)r->pos; }

int csv_error_field(const struct csv_reader *r) { return r->err_field; }

/* Record a sticky error and its detail line, and return it. */
__attribute__((format(printf, 3, 4)))
static int csv_fail(struct csv_reader *r, int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->errmsg, sizeof r->errmsg, fmt, ap);
    va_end(ap);
    r->err = err;
    r->err_field = r->cur_field;
    return kerr(err, "%s", r->errmsg);
}

/* Move the unconsumed bytes to the front and read one more chunk. */
static int csv_fill(struct csv_reader *r)
{
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->end - r->pos);
        r->base += (long long)r->pos;
        r->end -= r->pos;
        r->pos = 0;
    }
    size_t room = CSV_BUF - r->end;
    if (room > CSV_CHUNK)
        room = CSV_CHUNK;
    size_t got = fread(r->buf + r->end, 1, room, r->in);
    r->end += got;
    if (got < room) {
        if (ferror(r->in)) {
            r->cur_field = -1;
            return csv_fail(r, KERR_IO, "%ld: read error", r->line);
        }
        r->eof = true;
    }
    if (!r->started) {
        /* fread only comes back short at the end, so a BOM, if the input
         * has one, is whole in the first chunk. */
        r->started = true;
        if (r->end >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
            r->pos = 3;
    }
    return 0;
}

enum { CSV_MORE = 0, CSV_RECORD = 1, CSV_BLANK = 2 };

/* Parse the record at buf[pos].  Returns CSV_RECORD (rec filled, *used raw
 * bytes including the line end, *nl line feeds inside quotes), CSV_BLANK (an
 * empty line of *used bytes), CSV_MORE (the bytes read so far end inside the
 * record) or a negative error. */
static int csv_parse(struct csv_reader *r, struct csv_record *rec, size_t *used, long *nl_out)
{
    const char *start = r->buf + r->pos;
    size_t avail = r->end - r->pos;
    /* Look at no more than one maximal record: if it has not ended by then,
     * it is too long, whatever follows. */
    bool limited = avail > CSV_WINDOW;
    const char *e = start + (limited ? CSV_WINDOW : avail);
    bool at_eof = r->eof && !limited;
    const char *p = start;
    const char *rec_end;                 /* first byte of the line end */
    char *o = r->out;
    long nl = 0;
    int n = 0;
    bool quoted = false;

    for (;;) {                           /* one field per turn */
        r->cur_field = n;
        if (n == CSV_MAX_FIELDS)
            return csv_fail(r, KERR_INPUT, "%ld: more than %d fields", r->line, CSV_MAX_FIELDS);
        char *fs = o;
        char c;
        quoted = p < e && *p == '"';
        if (quoted) {
            long qline = r->line + nl;
            p++;
            for (;;) {
                while (p < e && !csv_stop_quoted[(unsigned char)*p])
                    *o++ = *p++;
                if (p == e) {
                    if (at_eof)
                        return csv_fail(r, KERR_INPUT, "%ld: unterminated quoted field", qline);
                    goto more;
                }
                c = *p;
                if (c == '\n') {
                    nl++;
                    *o++ = *p++;
                } else if (c == '\0') {
                    return csv_fail(r, KERR_INPUT, "%ld: NUL byte in the data", r->line + nl);
                } else if (p + 1 < e && p[1] == '"') {   /* "" is one quote */
                    *o++ = '"';
                    p += 2;
                } else {
                    /* The closing quote.  If it is the last byte read so far
                     * it may yet be the first of "", but then p == e below
                     * asks for more input and the record is parsed again. */
                    p++;
                    break;
                }
            }
            if (p == e) {
                if (!at_eof)
                    goto more;
                rec_end = p;
                goto field_last;
            }
            c = *p;
            if (c == ',')
                goto field_next;
            if (c == '\n' || (c == '\r' && p + 1 < e && p[1] == '\n'))
                goto field_eol;
            if (c == '\r' && p + 1 == e) {
                if (!at_eof)
                    goto more;
                goto field_eol;                          /* a lone CR at the very end */
            }
            return csv_fail(r, KERR_INPUT, "%ld: text after a closing quote", r->line + nl);
        }
        for (;;) {                                       /* unquoted */
            while (p < e && !csv_stop_unquoted[(unsigned char)*p])
                *o++ = *p++;
            if (p == e) {
                if (!at_eof)
                    goto more;
                rec_end = p;
                goto field_last;
            }
            c = *p;
            if (c == ',')
                goto field_next;
            if (c == '\n')
                goto field_eol;
            if (c == '\r') {
                if (p + 1 == e) {
                    if (!at_eof)
                        goto more;
                    goto field_eol;
                }
                if (p[1] == '\n')
                    goto field_eol;
                *o++ = *p++;     /* a CR not before LF is data, like any byte */
                continue;
            }
            if (c == '"')
                return csv_fail(r, KERR_INPUT, "%ld: quote inside an unquoted field", r->line + nl);
            return csv_fail(r, KERR_INPUT, "%ld: NUL byte in the data", r->line + nl);
        }

    field_next:                                          /* *p == ',' */
        rec->field[n] = fs;
        rec->len[n] = (size_t)(o - fs);
        *o++ = '\0';
        n++;
        p++;
        continue;

    field_eol:                                           /* *p is CR or LF */
        rec_end = p;
        p += *p == '\r' ? (p + 1 < e ? 2 : 1) : 1;
    field_last:
        rec->field[n] = fs;
        rec->len[n] = (size_t)(o - fs);
        *o = '\0';
        n++;
        break;
    }

    r->cur_field = -1;
    if (rec_end - start > CSV_MAX_RECORD)
        return csv_fail(r, KERR_INPUT, "%ld: record longer than %d bytes", r->line, CSV_MAX_RECORD);
    *used = (size_t)(p - start);
    *nl_out = nl;
    if (n == 1 && !quoted && rec_end == start)
        return CSV_BLANK;
    rec->n = n;
    return CSV_RECORD;

more:
    r->cur_field = -1;
    if (limited)
        return csv_fail(r, KERR_INPUT, "%ld: record longer than %d bytes", r->line, CSV_MAX_RECORD);
    return CSV_MORE;
}

int csv_next(struct csv_reader *r, struct csv_record *rec)
{
    if (r->err)
        return kerr(r->err, "%s", r->errmsg);
    for (;;) {
        if (r->pos == r->end) {
            if (r->eof)
                return 0;
            int rc = csv_fill(r);
            if (rc < 0)
                return rc;
            continue;
        }
        size_t used = 0;
        long nl = 0;
        int rc = csv_parse(r, rec, &used, &nl);
        if (rc < 0)
            return rc;
        if (rc == CSV_MORE) {
            rc = csv_fill(r);
            if (rc < 0)
                return rc;
            continue;
        }
        r->pos += used;
        if (rc == CSV_BLANK) {
            r->line++;
            continue;
        }
        rec->line = r->line;
        r->line += nl + 1;
        return 1;
    }
}

void csv_write_field(FILE *out, const char *s)
{
    if (s[strcspn(s, ",\"\r\n")] == '\0') {
        fputs(s, out);
        return;
    }
    putc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            putc('"', out);
        putc(*s, out);
    }
    putc('"', out);
}

int csv_formula_leading(const char *s)
{
    static const char *const wide[] = {"\xef\xbc\x9d", "\xef\xbc\x8b", "\xef\xbc\x8d",
                                       "\xef\xbc\xa0"};   /* ＝ ＋ － ＠ */
    if (*s && strchr("=+-@\t\r", *s))
        return 1;
    for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
        if (strncmp(s, wide[i], 3) == 0)
            return 1;
    return 0;
}

void csv_write_cell(FILE *out, const char *s)
{
    if (!csv_formula_leading(s)) {
        csv_write_field(out, s);
        return;
    }
    /* always quoted: some spreadsheets strip the apostrophe from an
     * unquoted cell before deciding what it is */
    fputs("\"'", out);
    for (; *s; s++) {
        if (*s == '"')
            putc('"', out);
        putc(*s, out);
    }
    putc('"', out);
}
