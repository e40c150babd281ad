/* linebreak.c — line breaking for mixed Chinese and Latin text (linebreak.h). */
#include "kiosk/linebreak.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* One UTF-8 character: its code point and length (a bad byte is U+FFFD, 1 byte). */
static int decode(const char *s, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    int n = u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC0 ? 2 : 0;
    if (!n)
        goto bad;
    uint32_t c = u[0] & (0xFFu >> (n + 1));
    for (int i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80)
            goto bad;
        c = c << 6 | (u[i] & 0x3F);
    }
    *cp = c;
    return n;
bad:
    *cp = 0xFFFD;
    return 1;
}

static bool wide(uint32_t c)
{
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
           (c >= 0x3041 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
           (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) ||
           (c >= 0x20000 && c <= 0x3FFFD);
}

/* May not begin a line. */
static bool closing(uint32_t c)
{
    static const uint32_t set[] = {
        0xFF0C /* ， */, 0x3002 /* 。 */, 0x3001 /* 、 */, 0xFF1B /* ； */, 0xFF1A /* ： */,
        0xFF1F /* ？ */, 0xFF01 /* ！ */, 0xFF09 /* ） */, 0x300D /* 」 */, 0x300F /* 』 */,
        0x300B /* 》 */, 0x3009 /* 〉 */, 0x3011 /* 】 */, 0x201D /* ” */, 0x2019 /* ’ */,
        0x2026 /* … */, 0x00B7 /* · */, 0x30FC /* ー */, 0xFF5E /* ～ */, 0x2014 /* — */,
        ',', '.', ';', ':', '?', '!', ')', ']', '}', '%',
    };
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        if (set[i] == c)
            return true;
    return false;
}

/* May not end a line. */
static bool opening(uint32_t c)
{
    static const uint32_t set[] = {
        0xFF08 /* （ */, 0x300C /* 「 */, 0x300E /* 『 */, 0x300A /* 《 */, 0x3008 /* 〈 */,
        0x3010 /* 【 */, 0x201C /* “ */, 0x2018 /* ‘ */, '(', '[', '{',
    };
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        if (set[i] == c)
            return true;
    return false;
}

int linebreak_width(const char *s)
{
    int w = 0;
    while (*s) {
        uint32_t c;
        s += decode(s, &c);
        w += wide(c) ? 2 : 1;
    }
    return w;
}

size_t linebreak_cut(const char *s, int maxcols, size_t cap, int *cols)
{
    size_t at = 0;
    int used = 0;
    while (s[at]) {
        uint32_t c;
        int n = decode(s + at, &c);
        int w = wide(c) ? 2 : 1;
        if (used + w > maxcols || at + (size_t)n + 1 > cap)
            break;
        used += w;
        at += (size_t)n;
    }
    if (cols)
        *cols = used;
    return at;
}

size_t linebreak_fit(const char *s, int maxcols, int *cols)
{
    size_t at = 0, brk = 0;
    int used = 0, brk_used = 0;
    uint32_t prev = 0;
    while (s[at]) {
        uint32_t c;
        int n = decode(s + at, &c);
        int w = wide(c) ? 2 : 1;
        /* a break between prev and c? */
        if (at > 0 && !closing(c) && !opening(prev) &&
            (prev == ' ' || wide(prev) || wide(c)) && c != ' ') {
            brk = at;
            brk_used = used;
        }
        if (used + w > maxcols) {
            if (c == ' ') {
                /* break at the space; the caller skips it */
            } else if (brk > 0) {
                at = brk;
                used = brk_used;
            } else if (at == 0) {   /* one character wider than the line */
                at = (size_t)n;
                used = w;
            }
            if (cols)
                *cols = used;
            return at;
        }
        used += w;
        at += (size_t)n;
        prev = c;
    }
    if (cols)
        *cols = used;
    return at;
}
