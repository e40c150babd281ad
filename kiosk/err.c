/* err.c — the one table of error messages and exit codes, and detail lines. */
#include "kiosk/err.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

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

/* One printf conversion at *p (just after '%'): its spec copied to spec
 * (with the '%'), its conversion letter and length modifier returned;
 * false for one this formatter does not take (positional %n$, %n). */
struct conv {
    char spec[24];
    char letter;
    char len[3];
    int stars;           /* '*' width/precision: ints taken first */
};

static bool parse_conv(const char **pp, struct conv *c)
{
    const char *p = *pp, *start = p - 1;
    memset(c, 0, sizeof *c);
    p += strspn(p, "-+ #0");
    if (*p == '*')
        c->stars++, p++;
    else
        p += strspn(p, "0123456789");
    if (*p == '$')
        return false;
    if (*p == '.') {
        p++;
        if (*p == '*')
            c->stars++, p++;
        else
            p += strspn(p, "0123456789");
    }
    size_t ln = strspn(p, "hlzjt");
    if (ln > 2)
        return false;
    memcpy(c->len, p, ln);
    p += ln;
    if (!*p || !strchr("diouxXcspfgeEG%", *p))
        return false;
    c->letter = *p++;
    size_t n = (size_t)(p - start);
    if (n >= sizeof c->spec)
        return false;
    memcpy(c->spec, start, n);
    *pp = p;
    return true;
}

/* The conversions of fmt as one string ("s d lld"): translations must keep them. */
static bool signature(const char *fmt, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *p = fmt; (p = strchr(p, '%'));) {
        p++;
        struct conv c;
        if (!parse_conv(&p, &c))
            return false;
        if (c.letter == '%')
            continue;
        int n = snprintf(out + o, cap - o, "%d%s%c ", c.stars, c.len, c.letter);
        if (n < 0 || (size_t)n >= cap - o)
            return false;
        o += (size_t)n;
    }
    out[o] = '\0';
    return true;
}

/* Format fmt with ap, translating %s arguments that are message ids.  Each
 * piece is printed with the one conversion parse_conv took apart and checked
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
        struct conv c;
        if (!parse_conv(&p, &c))
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

int kerr(int err, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    detail_err = err;
    /* the same conversions in the same order, or the English stays */
    const char *lf = _(fmt);
    char s1[128], s2[128];
    if (lf != fmt && signature(fmt, s1, sizeof s1) && signature(lf, s2, sizeof s2) && !strcmp(s1, s2))
        format_local(detail_local, sizeof detail_local, lf, ap2);
    else if (signature(fmt, s1, sizeof s1))
        format_local(detail_local, sizeof detail_local, fmt, ap2);   /* its %s words may translate */
    else
        snprintf(detail_local, sizeof detail_local, "%s", detail);
    va_end(ap2);
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
