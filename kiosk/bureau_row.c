/* bureau_row.c — the header and the rows of the housing bureau's list
 * (SPEC §4): which columns exist, and the validation and conversion of one
 * CSV record into a struct bureau_row.  Also the YYYY-MM-DD date codec.
 *
 * Every problem is reported through the caller's sink, all of them, so that
 * a street office fixing a rejected file sees everything wrong with a row in
 * one pass instead of one error per attempt.  Messages quote the offending
 * value, except for the ID number and the name: those are personal data and
 * must not end up in a log (DOMAIN.md §3). */
#include "kiosk/bureau_row.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/queue_types.h"

const char *const bureau_col_name[BCOL__COUNT] = {
    [BCOL_RECEIPT_NO] = "receipt_no",       [BCOL_ID_NUMBER] = "id_number",
    [BCOL_NAME] = "name",                   [BCOL_HOUSEHOLD_SIZE] = "household_size",
    [BCOL_HUKOU_DISTRICT] = "hukou_district", [BCOL_TIER] = "tier",
    [BCOL_WAIT_SINCE] = "wait_since",       [BCOL_INSURED_SINCE] = "insured_since",
    [BCOL_HUKOU_SINCE] = "hukou_since",     [BCOL_LOTTERY_NO] = "lottery_no",
    [BCOL_STATUS] = "status",
};

static bool bureau_col_required(int c) { return c <= BCOL_HOUSEHOLD_SIZE; }

#define NAME_MAX_CHARS 64
#define RECEIPT_MAX 32
#define DISTRICT_MAX_BYTES 128
#define QUOTE_MAX 40            /* bytes of a bad value quoted back in a message */

/* ---- dates ---------------------------------------------------------------- */

#define DATE_MIN_YEAR 1900
#define DATE_MAX_YEAR 2199

static bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m)
{
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return mdays[m - 1] + (m == 2 && is_leap(y));
}

/* Leap years in [1, y): every 4th, not every 100th, every 400th. */
static int leaps_before(int y) { return (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400; }

/* Days from 1970-01-01 to the first of January of y (negative before). */
static int32_t days_to_year(int y)
{
    return (int32_t)((y - 1970) * 365 + leaps_before(y) - leaps_before(1970));
}

static int32_t days_from_date(int y, int m, int d)
{
    int32_t days = days_to_year(y);
    for (int i = 1; i < m; i++)
        days += days_in_month(y, i);
    return days + d - 1;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

int date_parse(const char *s, int32_t *days)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return KERR_INPUT;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !is_digit(s[i]))
            return KERR_INPUT;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return KERR_INPUT;
    *days = days_from_date(y, m, d);
    return 0;
}

void date_format(int32_t days, char out[11])
{
    /* Outside the years date_parse accepts (DATE_NONE included) there is no
     * date to show: an empty string, never a misleading one. */
    if (days < days_to_year(DATE_MIN_YEAR) || days >= days_to_year(DATE_MAX_YEAR + 1)) {
        out[0] = '\0';
        return;
    }
    /* An estimate within a year or so, then walk to the right year. */
    int y = 1970 + (int)(days / 366);
    while (days_to_year(y) > days)
        y--;
    while (days_to_year(y + 1) <= days)
        y++;
    int rest = (int)(days - days_to_year(y));
    int m = 1;
    while (rest >= days_in_month(y, m))
        rest -= days_in_month(y, m++);
    int d = rest + 1;
    /* Digits by hand: y, m, d are in range here, and snprintf's %d would
     * make the compiler worry about widths it cannot see are bounded. */
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

/* ---- helpers ---------------------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at s (n bytes available) and its
 * code point, or 0 when those bytes are not one (overlong, surrogate, above
 * U+10FFFF, truncated, stray continuation byte). */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    unsigned lo = 0x80, hi = 0xbf;   /* allowed range of the second byte */
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        c &= 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        if (c == 0xe0) lo = 0xa0;
        if (c == 0xed) hi = 0x9f;
        c &= 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        if (c == 0xf0) lo = 0x90;
        if (c == 0xf4) hi = 0x8f;
        c &= 0x07;
    } else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    *cp = c;
    return len;
}

enum text_check { TEXT_OK, TEXT_BAD_UTF8, TEXT_CONTROL, TEXT_INVISIBLE };

/* Characters that change what a name looks like without being seen: the
 * bidirectional overrides, embeddings and isolates (a name that displays
 * reversed), the marks, and the zero-width ones (two names that look the
 * same but are not; a byte-for-byte match that is not a visual one). */
static bool invisible(unsigned cp)
{
    return (cp >= 0x200b && cp <= 0x200f) ||   /* ZWSP ZWNJ ZWJ LRM RLM */
           (cp >= 0x202a && cp <= 0x202e) ||   /* LRE RLE PDF LRO RLO */
           (cp >= 0x2060 && cp <= 0x2069) ||   /* word joiner … isolates */
           cp == 0x061c || cp == 0x180e || cp == 0xfeff || cp == 0x00ad;
}

/* Check s is valid UTF-8 without control characters (C0, DEL, C1) or
 * invisible ones, and count its characters. */
static enum text_check text_check(const char *s, size_t n, size_t *chars)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t count = 0;
    enum text_check rc = TEXT_OK;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t l = utf8_decode(u + i, n - i, &cp);
        if (l == 0)
            return TEXT_BAD_UTF8;      /* worse than a control char: report this */
        if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
            rc = TEXT_CONTROL;
        else if (invisible(cp) && rc == TEXT_OK)
            rc = TEXT_INVISIBLE;
        count++;
        i += l;
    }
    *chars = count;
    return rc;
}

/* Quote a bad value back for a message: at most QUOTE_MAX bytes (cut at a
 * character boundary, "…" marks the cut), control characters and bytes of
 * broken UTF-8 shown as \xNN so a message can never upset a terminal. */
static void quote_value(char *dst, size_t cap, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t k = 0;
    dst[k++] = '"';
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t l = utf8_decode(u + i, n - i, &cp);
        bool esc = l == 0 || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == '"' || cp == '\\';
        size_t w = esc ? (l == 0 ? 4 : (cp == '"' || cp == '\\' ? 2 : 4 * l)) : l;
        if (i + (l ? l : 1) > QUOTE_MAX || k + w + 5 >= cap) {
            memcpy(dst + k, "\xE2\x80\xA6", 3);          /* … */
            k += 3;
            break;
        }
        if (!esc) {
            memcpy(dst + k, s + i, l);
        } else if (cp == '"' || cp == '\\') {
            dst[k] = '\\';
            dst[k + 1] = (char)cp;
        } else {
            for (size_t j = 0; j < (l ? l : 1); j++)
                snprintf(dst + k + 4 * j, 5, "\\x%02X", u[i + j]);
        }
        k += w;
        i += l ? l : 1;
    }
    dst[k++] = '"';
    dst[k] = '\0';
}

enum uint_parse { UINT_OK, UINT_NOT_DIGITS, UINT_TOO_BIG };

/* A non-negative decimal integer: digits only (no sign, no blanks, not
 * empty), not above max. */
static enum uint_parse parse_uint(const char *s, size_t n, int64_t max, int64_t *out)
{
    if (n == 0)
        return UINT_NOT_DIGITS;
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return UINT_NOT_DIGITS;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        int dig = s[i] - '0';
        if (v > (max - dig) / 10)
            return UINT_TOO_BIG;
        v = v * 10 + dig;
    }
    *out = v;
    return UINT_OK;
}

/* The state of checking one row: where problems go, and whether any came. */
struct row_check {
    const struct bureau_header *h;
    const struct csv_record *rec;
    bureau_error_fn err;
    void *ctx;
    int bad;
};

__attribute__((format(printf, 3, 4)))
static void row_problem(struct row_check *rc, int col, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    /* in the reader's language (kioskctl --lang zh): every format is a
     * message id, translated with the same conversions (msgfmt -c checks) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    vsnprintf(msg, sizeof msg, _(fmt), ap);
#pragma GCC diagnostic pop
    va_end(ap);
    rc->bad++;
    if (rc->err)
        rc->err(rc->ctx, rc->rec->line, bureau_col_name[col], msg);
}

/* The field of column col, or "" when the file has no such column. */
static const char *row_field(const struct row_check *rc, int col, size_t *len)
{
    int i = rc->h->index[col];
    if (i < 0 || i >= rc->rec->n) {
        *len = 0;
        return "";
    }
    *len = rc->rec->len[i];
    return rc->rec->field[i];
}

/* ---- header ------------------------------------------------------------------ */

int bureau_header_parse(const struct csv_record *rec, struct bureau_header *h,
                        bureau_error_fn err, void *ctx)
{
    int bad = 0;
    char q[64], msg[128];
    for (int c = 0; c < BCOL__COUNT; c++)
        h->index[c] = -1;
    h->n_fields = rec->n;

    for (int i = 0; i < rec->n; i++) {
        int c = 0;
        while (c < BCOL__COUNT && !(strlen(bureau_col_name[c]) == rec->len[i] &&
                                    memcmp(bureau_col_name[c], rec->field[i], rec->len[i]) == 0))
            c++;
        if (c == BCOL__COUNT) {
            quote_value(q, sizeof q, rec->field[i], rec->len[i]);
            snprintf(msg, sizeof msg, _("unknown column %s"), q);
        } else if (h->index[c] >= 0) {
            snprintf(msg, sizeof msg, _("column \"%s\" appears more than once"), bureau_col_name[c]);
        } else {
            h->index[c] = i;
            continue;
        }
        bad++;
        if (err)
            err(ctx, rec->line, "header", msg);
    }
    for (int c = 0; c < BCOL__COUNT; c++)
        if (bureau_col_required(c) && h->index[c] < 0) {
            snprintf(msg, sizeof msg, _("required column \"%s\" is missing"), bureau_col_name[c]);
            bad++;
            if (err)
                err(ctx, rec->line, "header", msg);
        }
    if (!bad)
        return 0;
    return kerr(KERR_INPUT, bad == 1 ? "%ld: header: %d problem" : "%ld: header: %d problems", rec->line, bad);
}

/* ---- rows ------------------------------------------------------------------- */

static void check_receipt(struct row_check *rc, struct bureau_row *out)
{
    size_t n;
    const char *s = row_field(rc, BCOL_RECEIPT_NO, &n);
    bool ok = n >= 1 && n <= RECEIPT_MAX;
    /* Visible ASCII only: a receipt number is typed at the kiosk keypad and
     * printed on paper, where a blank or a look-alike letter cannot be told. */
    for (size_t i = 0; ok && i < n; i++)
        ok = s[i] > 0x20 && s[i] < 0x7f;
    if (!ok) {
        row_problem(rc, BCOL_RECEIPT_NO, "must be 1–%d printable ASCII characters", RECEIPT_MAX);
        return;
    }
    if (csv_formula_leading(s)) {
        row_problem(rc, BCOL_RECEIPT_NO, "must not start with = + - @ (a spreadsheet formula)");
        return;
    }
    memcpy(out->receipt_no, s, n);
    out->receipt_no[n] = '\0';
}

static void check_id(struct row_check *rc, struct bureau_row *out)
{
    size_t n;
    const char *s = row_field(rc, BCOL_ID_NUMBER, &n);
    const char *why = NULL;
    /* The value is never quoted back: it is personal data. */
    if (idnum_normalise(s, out->id_number, &why) != 0)
        row_problem(rc, BCOL_ID_NUMBER, "%s", _(why));   /* idnum.c's sentences are message ids */
}

static void check_name(struct row_check *rc, struct bureau_row *out)
{
    size_t n, chars = 0;
    const char *s = row_field(rc, BCOL_NAME, &n);
    switch (text_check(s, n, &chars)) {
    case TEXT_BAD_UTF8:
        row_problem(rc, BCOL_NAME, "is not valid UTF-8");
        return;
    case TEXT_CONTROL:
        row_problem(rc, BCOL_NAME, "must not contain control characters");
        return;
    case TEXT_INVISIBLE:
        row_problem(rc, BCOL_NAME, "must not contain invisible or direction-changing characters "
                    "(zero-width, bidi override)");
        return;
    case TEXT_OK:
        break;
    }
    if (csv_formula_leading(s)) {
        row_problem(rc, BCOL_NAME, "must not start with = + - @ (a spreadsheet formula)");
        return;
    }
    if (chars < 1 || chars > NAME_MAX_CHARS) {
        row_problem(rc, BCOL_NAME, "must be 1–%d characters", NAME_MAX_CHARS);
        return;
    }
    memcpy(out->name, s, n);   /* ≤ 64 × 4 bytes: fits name[257] */
    out->name[n] = '\0';
}

static void check_household(struct row_check *rc, struct bureau_row *out)
{
    size_t n;
    const char *s = row_field(rc, BCOL_HOUSEHOLD_SIZE, &n);
    int64_t v;
    if (parse_uint(s, n, 20, &v) != UINT_OK || v < 1) {
        char q[64];
        quote_value(q, sizeof q, s, n);
        row_problem(rc, BCOL_HOUSEHOLD_SIZE, "must be an integer from 1 to 20 (got %s)", q);
        return;
    }
    out->household_size = (int)v;
}

static void check_district(struct row_check *rc, struct bureau_row *out)
{
    size_t n, chars = 0;
    const char *s = row_field(rc, BCOL_HUKOU_DISTRICT, &n);
    switch (text_check(s, n, &chars)) {
    case TEXT_BAD_UTF8:
        row_problem(rc, BCOL_HUKOU_DISTRICT, "is not valid UTF-8");
        return;
    case TEXT_CONTROL:
        row_problem(rc, BCOL_HUKOU_DISTRICT, "must not contain control characters");
        return;
    case TEXT_INVISIBLE:
        row_problem(rc, BCOL_HUKOU_DISTRICT, "must not contain invisible or direction-changing characters "
                    "(zero-width, bidi override)");
        return;
    case TEXT_OK:
        break;
    }
    if (csv_formula_leading(s)) {
        row_problem(rc, BCOL_HUKOU_DISTRICT, "must not start with = + - @ (a spreadsheet formula)");
        return;
    }
    if (n > DISTRICT_MAX_BYTES) {
        row_problem(rc, BCOL_HUKOU_DISTRICT, "must be at most %d bytes (got %zu)", DISTRICT_MAX_BYTES, n);
        return;
    }
    memcpy(out->hukou_district, s, n);
    out->hukou_district[n] = '\0';
}

/* tier and lottery_no: empty means the default, otherwise 0..INT64_MAX. */
static void check_count(struct row_check *rc, int col, int64_t *out)
{
    size_t n;
    const char *s = row_field(rc, col, &n);
    int64_t v;
    if (n == 0)
        return;                /* keep the default set by the caller */
    enum uint_parse pr = parse_uint(s, n, INT64_MAX, &v);
    if (pr != UINT_OK) {
        char q[64];
        quote_value(q, sizeof q, s, n);
        if (pr == UINT_TOO_BIG)
            row_problem(rc, col, "is too large (at most %lld, got %s)", (long long)INT64_MAX, q);
        else
            row_problem(rc, col, "must be an integer ≥ 0, digits only (got %s)", q);
        return;
    }
    *out = v;
}

static void check_date(struct row_check *rc, int col, int32_t *out)
{
    size_t n;
    const char *s = row_field(rc, col, &n);
    if (n == 0)
        return;                /* DATE_NONE */
    if (date_parse(s, out) != 0) {
        char q[64];
        quote_value(q, sizeof q, s, n);
        *out = DATE_NONE;
        row_problem(rc, col, "%s is not a real date (YYYY-MM-DD)", q);
    }
}

static void check_status(struct row_check *rc, struct bureau_row *out)
{
    size_t n;
    const char *s = row_field(rc, BCOL_STATUS, &n);
    if (n == 0)
        return;                /* waiting */
    if (entry_status_parse(s, &out->status) != 0) {
        char q[64], list[128];
        size_t k = 0;
        quote_value(q, sizeof q, s, n);
        list[0] = '\0';
        for (int st = 0; st < ST__COUNT; st++)
            k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", st ? ", " : "", entry_status_name(st));
        out->status = ST_WAITING;
        row_problem(rc, BCOL_STATUS, "unknown status %s (%s)", q, list);
    }
}

int bureau_row_parse(const struct bureau_header *h, const struct csv_record *rec,
                     struct bureau_row *out, bureau_error_fn err, void *ctx)
{
    struct row_check rc = { .h = h, .rec = rec, .err = err, .ctx = ctx, .bad = 0 };

    memset(out, 0, sizeof *out);
    out->tier = 0;
    out->wait_since = out->insured_since = out->hukou_since = DATE_NONE;
    out->lottery_no = -1;
    out->status = ST_WAITING;

    if (rec->n != h->n_fields) {
        /* With a field too many or too few, which value belongs to which
         * column is anyone's guess: per-column complaints would mostly be
         * wrong and bury the one real problem, so report only this. */
        char msg[96];
        snprintf(msg, sizeof msg, "has %d field%s, the header has %d", rec->n,
                 rec->n == 1 ? "" : "s", h->n_fields);
        if (err)
            err(ctx, rec->line, "row", msg);
        return kerr(KERR_INPUT, "%ld: row: %s", rec->line, msg);
    }

    check_receipt(&rc, out);
    check_id(&rc, out);
    check_name(&rc, out);
    check_household(&rc, out);
    check_district(&rc, out);
    check_count(&rc, BCOL_TIER, &out->tier);
    check_date(&rc, BCOL_WAIT_SINCE, &out->wait_since);
    check_date(&rc, BCOL_INSURED_SINCE, &out->insured_since);
    check_date(&rc, BCOL_HUKOU_SINCE, &out->hukou_since);
    check_count(&rc, BCOL_LOTTERY_NO, &out->lottery_no);
    check_status(&rc, out);

    if (rc.bad)
        return kerr(KERR_INPUT, rc.bad == 1 ? "%ld: %d problem in the row" : "%ld: %d problems in the row",
                    rec->line, rc.bad);
    return 0;
}
