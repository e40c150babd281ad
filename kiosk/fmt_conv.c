/* fmt_conv.c — printf conversions taken apart (fmt_conv.h). */
#include "kiosk/fmt_conv.h"

#include <stdio.h>
#include <string.h>

bool fmt_conv_parse(const char **pp, struct fmt_conv *c)
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

bool fmt_signature(const char *fmt, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *p = fmt; (p = strchr(p, '%'));) {
        p++;
        struct fmt_conv c;
        if (!fmt_conv_parse(&p, &c))
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
