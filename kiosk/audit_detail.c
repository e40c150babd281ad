/* audit_detail.c — a stored audit detail matched back against the format it
 * was written with, and shown in the reader's language (audit_detail.h). */
#include "kiosk/audit_detail.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/eldercare.h"
#include "kiosk/fmt_conv.h"

static const struct audit_detail_fmt table[AD__COUNT] = {
#define AUDIT_DETAIL_ROW(fmt, actions, kinds) [fmt##_ID] = {#fmt, fmt, actions, kinds},
    AUDIT_DETAIL_TABLE(AUDIT_DETAIL_ROW)
#undef AUDIT_DETAIL_ROW
};

const struct audit_detail_fmt *audit_detail_fmt(int id)
{
    return id >= 0 && id < AD__COUNT ? &table[id] : NULL;
}

/* action is one of the space-separated codes of list */
static bool written_for(const char *list, const char *action)
{
    size_t n = strlen(action);
    for (const char *p = list; *p;) {
        size_t k = strcspn(p, " ");
        if (k == n && !strncmp(p, action, n))
            return true;
        p += k;
        p += strspn(p, " ");
    }
    return false;
}

/* How many bytes at s a number of conversion c can take at most (0: none). */
static size_t number_run(const struct fmt_conv *c, const char *s)
{
    const char *digits = c->letter == 'x' ? "0123456789abcdef"
                         : c->letter == 'X' ? "0123456789ABCDEF"
                                            : "0123456789";
    size_t sign = (c->letter == 'd' || c->letter == 'i') && *s == '-';
    size_t k = strspn(s + sign, digits);
    return k ? sign + k : 0;
}

/* The precision of a "%.Ns" (SIZE_MAX: none, or '*': any length stands). */
static size_t precision(const struct fmt_conv *c)
{
    const char *dot = strchr(c->spec, '.');
    if (!dot || dot[1] == '*')
        return (size_t)-1;
    size_t v = 0;
    for (const char *p = dot + 1; *p >= '0' && *p <= '9'; p++)
        v = v * 10 + (size_t)(*p - '0');
    return v;
}

/* Does s match f from here on?  Backtracking: a %s takes the shortest text
 * that lets the rest match, a number the longest run.  budget bounds the
 * work on a pathological detail (it then shows verbatim). */
static bool match_at(const char *f, const char *s, struct audit_detail_match *m, int *budget)
{
    for (;;) {
        if (--*budget < 0)
            return false;
        if (*f != '%') {
            if (!*f)
                return !*s;
            if (*f++ != *s++)
                return false;
            continue;
        }
        f++;
        struct fmt_conv c;
        if (!fmt_conv_parse(&f, &c))
            return false;
        if (c.letter == '%') {
            if (*s++ != '%')
                return false;
            continue;
        }
        /* a width would pad: the table has none (tests/unit/test_audit_detail.c) */
        if (strspn(c.spec + 1, "-+ #0123456789*") || m->n >= AUDIT_DETAIL_MAXARG)
            return false;
        int i = m->n++;
        m->arg[i].s = s;
        if (c.letter == 's') {
            size_t most = strlen(s), cap = precision(&c);
            if (most > cap)
                most = cap;
            for (size_t len = 0; len <= most; len++) {
                m->arg[i].len = len;
                if (match_at(f, s + len, m, budget))
                    return true;
            }
        } else if (c.letter == 'c') {
            m->arg[i].len = 1;
            if (*s && match_at(f, s + 1, m, budget))
                return true;
        } else if (strchr("diuxX", c.letter)) {
            for (size_t len = number_run(&c, s); len > 0; len--) {
                m->arg[i].len = len;
                if (len == 1 && *s == '-')
                    break;
                if (match_at(f, s + len, m, budget))
                    return true;
            }
        }
        m->n = i;
        return false;
    }
}

int audit_detail_match(const char *action, const char *detail, struct audit_detail_match *m)
{
    memset(m, 0, sizeof *m);
    m->id = -1;
    if (!action || !detail)
        return -1;
    for (int id = 0; id < AD__COUNT; id++) {
        if (!written_for(table[id].actions, action))
            continue;
        int budget = 200000;
        m->n = 0;
        if (match_at(table[id].fmt, detail, m, &budget))
            return m->id = id;
    }
    m->n = 0;
    return -1;
}

/* A format's translation.  Some formats are also words elsewhere with
 * another sense ("account disabled" is the label of the action that disables
 * one); zh.po gives those their audit sense under msgctxt "audit". */
static const char *fmt_local(const char *fmt)
{
    char key[600];
    int n = snprintf(key, sizeof key, "audit%c%s", 4, fmt);
    if (n > 0 && (size_t)n < sizeof key) {
        const char *t = dgettext(I18N_DOMAIN, key);
        if (t != key)
            return t;
    }
    return _(fmt);
}

struct out {
    char *p;
    size_t cap, o;
};

static void put(struct out *w, const char *s, size_t n)
{
    if (n > w->cap - 1 - w->o)
        n = w->cap - 1 - w->o;
    memcpy(w->p + w->o, s, n);
    w->o += n;
    w->p[w->o] = '\0';
}

/* One code in the language in force (its msgid), else as stored. */
static void put_code(struct out *w, const char *s, size_t n)
{
    char code[160];
    if (!n || n >= sizeof code) {
        put(w, s, n);
        return;
    }
    memcpy(code, s, n);
    code[n] = '\0';
    const char *t = _(code);
    put(w, t, strlen(t));
}

/* A bed stage's label in the language in force (English: the code as stored). */
static void put_stage(struct out *w, const char *s, size_t n)
{
    if (strcmp(i18n_lang(), "en"))
        for (int stage = 0; stage < BS__COUNT; stage++) {
            const char *code = bed_stage_name(stage);
            if (strlen(code) == n && !strncmp(code, s, n)) {
                const char *label = bed_stage_label(stage, i18n_lang());
                put(w, label, strlen(label));
                return;
            }
        }
    put(w, s, n);
}

/* A services mask (hex digits as stored) as the services' names; English,
 * or a bit no service has, as stored ("0x" added where the local format,
 * which names services, has none). */
static void put_services(struct out *w, const char *s, size_t n)
{
    char hex[16];
    unsigned mask = 0;
    bool named = strcmp(i18n_lang(), "en") != 0 && n && n < sizeof hex;
    if (named) {
        memcpy(hex, s, n);
        hex[n] = '\0';
        char *end;
        unsigned long v = strtoul(hex, &end, 16);
        mask = (unsigned)v;
        named = *end == '\0' && v && v < (1ul << BED_SVC__COUNT);
    }
    if (!named) {
        if (strcmp(i18n_lang(), "en"))
            put(w, "0x", 2);
        put(w, s, n);
        return;
    }
    char names[200];
    bed_services_text(mask, i18n_lang(), names, sizeof names);
    put(w, names, strlen(names));
}

static void put_value(struct out *w, char kind, const char *s, size_t n)
{
    if (kind == 's') {
        put_services(w, s, n);
    } else if (kind == 'b') {
        put_stage(w, s, n);
    } else if (kind == 'c') {
        put_code(w, s, n);
    } else if (kind == 'l') {   /* "street,district": the separator kept, as the console shows roles */
        for (size_t i = 0; i <= n;) {
            size_t k = 0;
            while (i + k < n && s[i + k] != ',')
                k++;
            put_code(w, s + i, k);
            if (i + k < n)
                put(w, ",", 1);
            i += k + 1;
        }
    } else {
        put(w, s, n);
    }
}

const char *audit_detail_local(const char *action, const char *detail, char *out, size_t cap)
{
    if (!cap)
        return out;
    struct audit_detail_match m;
    int id = audit_detail_match(action, detail, &m);
    if (id < 0) {
        snprintf(out, cap, "%s", detail ? detail : "");
        return out;
    }
    const struct audit_detail_fmt *e = &table[id];
    /* the same conversions in the same order, or the English format stands
     * (its codes still translated), as kerr_detail_local does */
    const char *lf = fmt_local(e->fmt);
    char s1[128], s2[128];
    if (lf != e->fmt && !(fmt_signature(e->fmt, s1, sizeof s1) && fmt_signature(lf, s2, sizeof s2) &&
                          !strcmp(s1, s2)))
        lf = e->fmt;
    struct out w = {out, cap, 0};
    out[0] = '\0';
    int i = 0;
    for (const char *p = lf; *p;) {
        size_t k = strcspn(p, "%");
        put(&w, p, k);
        p += k;
        if (!*p)
            break;
        p++;
        struct fmt_conv c;
        if (!fmt_conv_parse(&p, &c))   /* cannot be: its signature was taken */
            break;
        if (c.letter == '%')
            put(&w, "%", 1);
        else if (i < m.n) {
            put_value(&w, e->kinds[i] ? e->kinds[i] : 't', m.arg[i].s, m.arg[i].len);
            i++;
        }
    }
    return out;
}
