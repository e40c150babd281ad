/* fu_limit.c — per-address wrong-code counting (see fu_limit.h). */
#include "kiosk/web/fu_limit.h"

#include <stdlib.h>
#include <string.h>

#include "kiosk/err.h"

#define WINDOW 60
#define PROBE 8     /* slots looked at per address: bounded work per request */

struct slot {
    unsigned char addr[16];
    unsigned char len;       /* 0: free */
    int count;
    int64_t start;           /* window start (first wrong code) */
};

struct fu_limit {
    int per_minute;
    size_t mask;
    struct slot *s;
};

int fu_limit_new(int per_minute, size_t slots, struct fu_limit **out)
{
    *out = NULL;
    size_t n = 16;
    while (n < slots)
        n *= 2;
    struct fu_limit *l = calloc(1, sizeof *l);
    if (!l || !(l->s = calloc(n, sizeof *l->s))) {
        free(l);
        return KERR_NOMEM;
    }
    l->per_minute = per_minute;
    l->mask = n - 1;
    *out = l;
    return 0;
}

void fu_limit_free(struct fu_limit **lim)
{
    if (*lim) {
        free((*lim)->s);
        free(*lim);
    }
    *lim = NULL;
}

/* FNV-1a over the address bytes. */
static size_t hash(const unsigned char *a, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ a[i]) * 16777619u;
    return h;
}

/* The slot of addr, or NULL; with claim, a free, expired or the oldest slot
 * of its probe run is taken for it. */
static struct slot *find(struct fu_limit *l, const unsigned char *a, size_t len, int64_t now,
                         bool claim)
{
    if (len > 16)
        len = 16;
    size_t h = hash(a, len);
    struct slot *victim = NULL;
    bool victim_free = false;
    for (size_t i = 0; i < PROBE; i++) {
        struct slot *s = &l->s[(h + i) & l->mask];
        if (s->len == len && memcmp(s->addr, a, len) == 0) {
            if (now - s->start >= WINDOW) {   /* window over: start afresh */
                s->count = 0;
                s->start = now;
            }
            return s;
        }
        bool reusable = s->len == 0 || now - s->start >= WINDOW;
        if (reusable) {
            if (!victim_free) {
                victim = s;
                victim_free = true;
            }
        } else if (!victim || (!victim_free && s->start < victim->start)) {
            victim = s;
        }
    }
    if (!claim)
        return NULL;
    memset(victim, 0, sizeof *victim);
    memcpy(victim->addr, a, len);
    victim->len = (unsigned char)len;
    victim->start = now;
    return victim;
}

bool fu_limit_blocked(struct fu_limit *l, const void *addr, size_t len, int64_t now)
{
    struct slot *s = find(l, addr, len, now, false);
    return s && s->count > l->per_minute;
}

bool fu_limit_fail(struct fu_limit *l, const void *addr, size_t len, int64_t now)
{
    struct slot *s = find(l, addr, len, now, true);
    s->count++;
    return s->count > l->per_minute;
}
