/* idnum.c — GB 11643-1999 citizen ID numbers (check character, normal form)
 * and the masking of ID numbers and names for screens and receipts
 * (DOMAIN.md §3.3–3.4).  Pure functions over strings: no I/O, no allocation. */
#include "kiosk/idnum.h"
#include "kiosk/i18n.h"

#include <string.h>
#include <time.h>

#include "kiosk/err.h"

/* ISO 7064 MOD 11-2 weights for positions 1..17 (2^(18-i) mod 11). */
static const int idnum_weight[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
/* Check character for S mod 11 = 0..10. */
static const char idnum_check_of[11] = { '1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2' };

/* One fixed message per possible check character, so idnum_normalise can hand
 * out a static string without a shared mutable buffer (thread-safe). */
/* message ids (N_): the caller translates *why */
static const char *const idnum_wrong_check[11] = {
    N_("check character is wrong (expected 1)"), N_("check character is wrong (expected 0)"),
    N_("check character is wrong (expected X)"), N_("check character is wrong (expected 9)"),
    N_("check character is wrong (expected 8)"), N_("check character is wrong (expected 7)"),
    N_("check character is wrong (expected 6)"), N_("check character is wrong (expected 5)"),
    N_("check character is wrong (expected 4)"), N_("check character is wrong (expected 3)"),
    N_("check character is wrong (expected 2)"),
};

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* S mod 11 over the first 17 digits; the caller guarantees they are digits. */
static int idnum_sum_mod11(const char *first17)
{
    int s = 0;
    for (int i = 0; i < 17; i++)
        s += (first17[i] - '0') * idnum_weight[i];
    return s % 11;
}

char idnum_check_char(const char *first17)
{
    for (int i = 0; i < 17; i++)
        if (!is_digit(first17[i]))
            return '\0';   /* not a number we can check; no check char matches NUL */
    return idnum_check_of[idnum_sum_mod11(first17)];
}

static int two(const char *s) { return (s[0] - '0') * 10 + (s[1] - '0'); }

/* The 8 digits YYYYMMDD name a real calendar date.  The year is only bounded
 * loosely (1800–2199): the official test vector is born in 1880, and the
 * kiosk has no business guessing at the oldest living resident. */
static bool idnum_birth_ok(const char *ymd)
{
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int y = two(ymd) * 100 + two(ymd + 2), m = two(ymd + 4), d = two(ymd + 6);
    if (y < 1800 || y > 2199 || m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int max = mdays[m - 1] + (m == 2 && leap);
    return d <= max;
}

/* The first two digits name a province-level division of GB/T 2260, or 81,
 * 82, 83 (Hong Kong, Macao, Taiwan residence permits); region 000000 and
 * unknown provinces are made-up numbers. */
static bool idnum_region_ok(const char *s)
{
    static const char *const prov = "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 "
                                     "45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83 ";
    for (const char *p = prov; *p; p += 3)
        if (p[0] == s[0] && p[1] == s[1])
            return true;
    return false;
}

/* Born after today: no real person's number (UTC date; a number issued at
 * midnight in Shenzhen is eight hours early at most, never a day late). */
static bool idnum_birth_future(const char *ymd)
{
    /* today as YYYYMMDD, recomputed only when the day changes (an import
     * checks a million numbers; a kiosk runs for months) */
    static _Thread_local time_t day = -1;
    static _Thread_local long today;
    time_t now = time(NULL);
    if (now / 86400 != day) {
        struct tm tm;
        gmtime_r(&now, &tm);
        day = now / 86400;
        today = (tm.tm_year + 1900L) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday + 1;
    }
    long birth = (two(ymd) * 100L + two(ymd + 2)) * 10000 + two(ymd + 4) * 100 + two(ymd + 6);
    return birth > today;
}

int idnum_normalise(const char *in, char out[IDNUM_LEN + 1], const char **why)
{
    const char *msg = NULL;
    size_t n = in ? strnlen(in, IDNUM_LEN + 1) : 0;
    char buf[IDNUM_LEN + 1];

    if (n != IDNUM_LEN) {
        msg = N_("must be 18 characters");
        goto bad;
    }
    memcpy(buf, in, IDNUM_LEN + 1);
    if (buf[17] == 'x')
        buf[17] = 'X';
    for (int i = 0; i < 17; i++)
        if (!is_digit(buf[i])) {
            msg = N_("must be 17 digits then a digit or X");
            goto bad;
        }
    if (!is_digit(buf[17]) && buf[17] != 'X') {
        msg = N_("must be 17 digits then a digit or X");
        goto bad;
    }
    if (!idnum_region_ok(buf)) {
        msg = N_("region code is not a real one (no such province)");
        goto bad;
    }
    if (!idnum_birth_ok(buf + 6)) {
        msg = N_("birth date is not a real date");
        goto bad;
    }
    if (idnum_birth_future(buf + 6)) {
        msg = N_("birth date is in the future");
        goto bad;
    }
    int y = idnum_sum_mod11(buf);
    if (buf[17] != idnum_check_of[y]) {
        msg = idnum_wrong_check[y];
        goto bad;
    }
    memcpy(out, buf, IDNUM_LEN + 1);
    if (why)
        *why = NULL;
    return 0;
bad:
    if (why)
        *why = msg;
    return KERR_INPUT;
}

bool idnum_valid(const char *s)
{
    char tmp[IDNUM_LEN + 1];
    return s && idnum_normalise(s, tmp, NULL) == 0;
}

/* Only visible ASCII is shown through a mask: the kept characters of a real
 * ID are digits or X, and anything else must not smuggle bytes (half a UTF-8
 * sequence, control codes) onto a screen or a receipt. */
static char mask_keep(char c) { return c > 0x20 && c < 0x7f ? c : '*'; }

void idnum_mask(const char *id, char *out, size_t cap)
{
    if (!out || cap == 0)
        return;
    char tmp[IDNUM_MASKED_LEN + 1];
    size_t n = id ? strlen(id) : 0;
    size_t k = 0;
    if (n >= IDNUM_LEN) {
        /* First 4 (city) and last 4 (sequence + check), always 10 stars
         * between, even for over-long input, so the shape never varies. */
        for (size_t i = 0; i < 4; i++)
            tmp[k++] = mask_keep(id[i]);
        for (size_t i = 0; i < 10; i++)
            tmp[k++] = '*';
        for (size_t i = n - 4; i < n; i++)
            tmp[k++] = mask_keep(id[i]);
    } else {
        /* Too short to be a real number: reveal nothing but the length. */
        for (size_t i = 0; i < n; i++)
            tmp[k++] = '*';
    }
    tmp[k] = '\0';
    if (k >= cap)
        k = cap - 1;
    memcpy(out, tmp, k);
    out[k] = '\0';
}

/* Length of the well-formed UTF-8 sequence at s (n bytes available), or 0
 * when the bytes there are not one (overlong, surrogate, > U+10FFFF,
 * truncated, stray continuation byte). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned lo = 0x80, hi = 0xbf;   /* allowed range of the second byte */
    if (c >= 0xc2 && c <= 0xdf)
        len = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        if (c == 0xe0) lo = 0xa0;          /* no overlong 3-byte forms */
        if (c == 0xed) hi = 0x9f;          /* no UTF-16 surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        if (c == 0xf0) lo = 0x90;          /* no overlong 4-byte forms */
        if (c == 0xf4) hi = 0x8f;          /* nothing above U+10FFFF */
    } else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return len;
}

/* Append the character at s (len bytes, or an invalid byte when len is 0) to
 * out if it fits with room for the NUL; an invalid byte is written as '?' so
 * the masked name is always valid UTF-8.  Returns false when it did not fit. */
static bool put_char(char *out, size_t cap, size_t *k, const char *s, size_t len)
{
    size_t w = len ? len : 1;
    if (*k + w >= cap)
        return false;
    if (len)
        memcpy(out + *k, s, len);
    else
        out[*k] = '?';
    *k += w;
    out[*k] = '\0';
    return true;
}

void name_mask(const char *name, char *out, size_t cap)
{
    if (!out || cap == 0)
        return;
    out[0] = '\0';
    if (!name)
        return;
    const unsigned char *s = (const unsigned char *)name;
    size_t n = strlen(name);

    /* Count characters and remember where the first and last ones are. */
    size_t count = 0, first_len = 0, last_at = 0, last_len = 0;
    for (size_t i = 0; i < n;) {
        size_t l = utf8_seq(s + i, n - i);
        if (count == 0)
            first_len = l;
        last_at = i;
        last_len = l;
        count++;
        i += l ? l : 1;
    }
    if (count == 0)
        return;

    size_t k = 0;
    if (count == 1) {
        put_char(out, cap, &k, "*", 1);
        return;
    }
    if (!put_char(out, cap, &k, name, first_len))
        return;
    /* 2 characters → one star; 3+ → first, n−2 stars, last. */
    size_t stars = count == 2 ? 1 : count - 2;
    for (size_t i = 0; i < stars; i++)
        if (!put_char(out, cap, &k, "*", 1))
            return;
    if (count >= 3)
        put_char(out, cap, &k, name + last_at, last_len);
}

/* 'x' → 'X' without a data-dependent branch, everything else unchanged. */
static unsigned fold_x(unsigned char c) { return c ^ ((unsigned)(c == 'x') << 5); }

bool idnum_last6_matches(const char *id, const char *last6)
{
    if (!id || !last6)
        return false;
    /* Lengths are not secret (an ID is always 18 characters, the factor
     * always 6); only the content is compared in constant time. */
    size_t n = strlen(id);
    if (n < 6 || strlen(last6) != 6)
        return false;
    const unsigned char *a = (const unsigned char *)id + n - 6;
    const unsigned char *b = (const unsigned char *)last6;
    unsigned diff = 0;
    for (int i = 0; i < 6; i++)
        diff |= fold_x(a[i]) ^ fold_x(b[i]);
    return diff == 0;
}
