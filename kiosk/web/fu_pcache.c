/* fu_pcache.c — the page cache (fu_pcache.h): a 4-way set-associative table
 * of rendered pages, keyed by (REF, language), all valid under one token.
 * Four ways, least recently used replaced: with one way, two receipts whose
 * keys fell in the same slot pushed each other out on every request. */
#include "kiosk/web/fu_pcache.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/secret.h"

#define STAMP_LEN 16

#define WAYS 4

struct slot {
    char key[40];       /* "REF lang" */
    char *html;
    size_t len, stamp_at;
    unsigned long long used;   /* the cache's clock when last used (LRU in the set) */
};

struct fu_pcache {
    int n;
    struct slot *slot;
    char token[96];
    long long hits, misses;
    unsigned long long clock;
};

static void drop(struct slot *s)
{
    if (s->html) {
        secure_wipe(s->html, s->len);
        free(s->html);
    }
    memset(s, 0, sizeof *s);
}

int fu_pcache_new(int slots, struct fu_pcache **out)
{
    *out = NULL;
    struct fu_pcache *pc = calloc(1, sizeof *pc);
    if (!pc || (slots > 0 && !(pc->slot = calloc((size_t)slots, sizeof *pc->slot)))) {
        free(pc);
        return KERR_NOMEM;
    }
    pc->n = slots > 0 ? slots : 0;   /* sets of WAYS: the last n % WAYS slots unused */
    *out = pc;
    return 0;
}

void fu_pcache_free(struct fu_pcache **pc)
{
    if (!pc || !*pc)
        return;
    for (int i = 0; i < (*pc)->n; i++)
        drop(&(*pc)->slot[i]);
    free((*pc)->slot);
    free(*pc);
    *pc = NULL;
}

void fu_pcache_validate(struct fu_pcache *pc, const char *token)
{
    if (!strcmp(pc->token, token))
        return;
    for (int i = 0; i < pc->n; i++)
        drop(&pc->slot[i]);
    snprintf(pc->token, sizeof pc->token, "%s", token);
}

/* The set of the key (FNV-1a), WAYS slots from *first; NULL when there is no whole set. */
static struct slot *set_of(struct fu_pcache *pc, const char *key)
{
    uint64_t sets = (uint64_t)(pc->n / WAYS);
    if (!sets)
        return NULL;
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return &pc->slot[(h % sets) * WAYS];
}

static int make_key(char key[40], const char *ref, const char *lang)
{
    return snprintf(key, 40, "%s %s", ref, lang) < 40;
}

int fu_pcache_get(struct fu_pcache *pc, const char *ref, const char *lang, const char *stamp,
                  char **html, size_t *len)
{
    *html = NULL;
    *len = 0;
    char key[40];
    if (pc->n == 0 || !make_key(key, ref, lang) || strlen(stamp) < STAMP_LEN) {
        pc->misses++;
        return 0;
    }
    struct slot *set = set_of(pc, key), *s = NULL;
    for (int w = 0; set && w < WAYS && !s; w++)
        if (set[w].html && !strcmp(set[w].key, key))
            s = &set[w];
    if (!s) {
        pc->misses++;
        return 0;
    }
    s->used = ++pc->clock;
    char *copy = malloc(s->len + 1);
    if (!copy)
        return KERR_NOMEM;
    memcpy(copy, s->html, s->len + 1);
    memcpy(copy + s->stamp_at, stamp, STAMP_LEN);
    *html = copy;
    *len = s->len;
    pc->hits++;
    return 1;
}

int fu_pcache_put(struct fu_pcache *pc, const char *ref, const char *lang, const char *html,
                  size_t len, size_t stamp_at)
{
    char key[40];
    if (pc->n == 0 || !make_key(key, ref, lang) || stamp_at + STAMP_LEN > len)
        return 0;
    struct slot *set = set_of(pc, key), *s = NULL;
    if (!set)
        return 0;
    /* the same key, else an empty way, else the least recently used */
    for (int w = 0; w < WAYS && !s; w++)
        if (set[w].html && !strcmp(set[w].key, key))
            s = &set[w];
    for (int w = 0; w < WAYS && !s; w++)
        if (!set[w].html)
            s = &set[w];
    if (!s) {
        s = &set[0];
        for (int w = 1; w < WAYS; w++)
            if (set[w].used < s->used)
                s = &set[w];
    }
    drop(s);
    if (!(s->html = malloc(len + 1)))
        return KERR_NOMEM;
    memcpy(s->html, html, len);
    s->html[len] = '\0';
    s->len = len;
    s->stamp_at = stamp_at;
    memcpy(s->key, key, sizeof key);
    s->used = ++pc->clock;
    return 0;
}

void fu_pcache_stats(const struct fu_pcache *pc, long long *hits, long long *misses)
{
    *hits = pc ? pc->hits : 0;
    *misses = pc ? pc->misses : 0;
}
