/* err.c — the one table of error messages and exit codes, and detail lines. */
#include "kiosk/err.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/fmt_conv.h"
#include "kiosk/i18n.h"

static _Thread_local char detail[512];
static _Thread_local int detail_err;   /* the code kerr() returned with it */
static _Thread_local char detail_local[512];

const char *kiosk_strerror(int err)
{
    switch (err) {
#define KIOSK_ERR_MSG(name, value, exitc, msg) case value: return msg;
        KIOSK_ERR_TABLE(KIOSK_ERR_MSG)
#undef KIOSK_ERR_MSG
    }
    return "unknown error";
}

int kiosk_exit_code(int err)
{
    switch (err) {
#define KIOSK_ERR_EXIT(name, value, exitc, msg) case value: return exitc;
        KIOSK_ERR_TABLE(KIOSK_ERR_EXIT)
#undef KIOSK_ERR_EXIT
    }
    return 1;
}

const char *kiosk_strerror_local(int err) { return _(kiosk_strerror(err)); }

/* ---- the detail in the screen's language ------------------------------------------ */

/* Format fmt with ap, translating %s arguments that are message ids.  Each
 * piece is printed with the one conversion fmt_conv_parse took apart and checked
 * (and whose argument type it read): a run-time format by design. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void format_local(char *out, size_t cap, const char *fmt, va_list ap)
{
    size_t o = 0;
    out[0] = '\0';
    for (const char *p = fmt; *p && o + 1 < cap;) {
        if (*p != '%') {
            out[o++] = *p++;
            continue;
        }
        p++;
        struct fmt_conv c;
        if (!fmt_conv_parse(&p, &c))
            break;
        int star[2] = {0, 0};
        for (int i = 0; i < c.stars; i++)
            star[i] = va_arg(ap, int);
        char piece[512];
        int n = 0;
#define PIECE(v) (c.stars == 2 ? snprintf(piece, sizeof piece, c.spec, star[0], star[1], v) \
                  : c.stars == 1 ? snprintf(piece, sizeof piece, c.spec, star[0], v)      \
                                 : snprintf(piece, sizeof piece, c.spec, v))
        switch (c.letter) {
        case '%': piece[0] = '%', piece[1] = '\0', n = 1; break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            n = PIECE(s && *s ? _(s) : s ? s : "(null)");
            break;
        }
        case 'c': n = PIECE(va_arg(ap, int)); break;
        case 'p': n = PIECE(va_arg(ap, void *)); break;
        case 'f': case 'g': case 'e': case 'E': case 'G': n = PIECE(va_arg(ap, double)); break;
        default: {
            bool sgn = c.letter == 'd' || c.letter == 'i';
            if (!strcmp(c.len, "ll"))
                n = sgn ? PIECE(va_arg(ap, long long)) : PIECE(va_arg(ap, unsigned long long));
            else if (!strcmp(c.len, "l"))
                n = sgn ? PIECE(va_arg(ap, long)) : PIECE(va_arg(ap, unsigned long));
            else if (!strcmp(c.len, "z"))
                n = PIECE(va_arg(ap, size_t));
            else
                n = sgn ? PIECE(va_arg(ap, int)) : PIECE(va_arg(ap, unsigned));
        }
        }
#undef PIECE
        if (n < 0)
            break;
        size_t k = strlen(piece);
        if (k > cap - 1 - o)
            k = cap - 1 - o;
        memcpy(out + o, piece, k);
        o += k;
    }
    out[o] = '\0';
}
#pragma GCC diagnostic pop

/* fmt with ap into text (English) and local (the language in force): the
 * same conversions in the same order in the translation, or the English
 * format with its %s words translated. */
static void format_pair(char *text, size_t tcap, char *local, size_t lcap, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));
static void format_pair(char *text, size_t tcap, char *local, size_t lcap, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    vsnprintf(text, tcap, fmt, ap);
    const char *lf = _(fmt);
    char s1[128], s2[128];
    if (lf != fmt && fmt_signature(fmt, s1, sizeof s1) && fmt_signature(lf, s2, sizeof s2) && !strcmp(s1, s2))
        format_local(local, lcap, lf, ap2);
    else if (fmt_signature(fmt, s1, sizeof s1))
        format_local(local, lcap, fmt, ap2);   /* its %s words may translate */
    else
        snprintf(local, lcap, "%s", text);
    va_end(ap2);
}

int kerr(int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    format_pair(detail, sizeof detail, detail_local, sizeof detail_local, fmt, ap);
    va_end(ap);
    detail_err = err;
    return err;
}

void kerr_why(struct kerr_why *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    format_pair(w->text, sizeof w->text, w->local, sizeof w->local, fmt, ap);
    va_end(ap);
}

/* a then b into dst (cap bytes), cut where it is full */
static void join(char *dst, size_t cap, const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > cap - 1)
        n = cap - 1;
    if (m > cap - 1 - n)
        m = cap - 1 - n;
    memmove(dst, a, n);
    memmove(dst + n, b, m);
    dst[n + m] = '\0';
}

int kerr_with(int err, const struct kerr_why *w, const char *fmt, ...)
{
    char where[sizeof detail];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(where, sizeof where, fmt, ap);
    va_end(ap);
    join(detail, sizeof detail, where, w->text);
    join(detail_local, sizeof detail_local, where, w->local);
    detail_err = err;
    return err;
}

static void put_prefix(char *dst, size_t cap, const char *prefix)
{
    char text[512];
    size_t t = strlen(dst), p = strlen(prefix);
    memcpy(text, dst, t + 1);
    size_t k = p + 2 < cap ? p + 2 : cap - 1;
    memcpy(dst, prefix, k < p ? k : p);
    if (k > p)
        memcpy(dst + p, ": ", k - p);
    if (t > cap - 1 - k)
        t = cap - 1 - k;
    memcpy(dst + k, text, t);
    dst[k + t] = '\0';
}

int kerr_recode(int err, const char *prefix)
{
    if (prefix) {
        if (!detail_local[0])
            memcpy(detail_local, detail, sizeof detail);
        put_prefix(detail, sizeof detail, prefix);
        put_prefix(detail_local, sizeof detail_local, prefix);
    }
    detail_err = err;
    return err;
}

const char *kerr_detail(void) { return detail; }
const char *kerr_detail_local(void) { return detail_local[0] ? detail_local : detail; }

void kerr_clear(void)
{
    detail[0] = detail_local[0] = '\0';
    detail_err = 0;
}

int kerr_is_offline(int err)
{
    return err == KERR_OFFLINE || (err == KERR_DB && detail_err == KERR_OFFLINE);
}

void kerr_print(const char *prog, int err)
{
    if (detail[0])
        fprintf(stderr, "%s: %s\n", prog, detail);
    else
        fprintf(stderr, "%s: %s\n", prog, kiosk_strerror(err));
}
