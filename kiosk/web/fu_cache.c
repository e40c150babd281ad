/* fu_cache.c — housed-per-month counts cached against the latest event id
 * (see fu_cache.h). */
#include "kiosk/web/fu_cache.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/queue.h"
#include "kiosk/store/sql_exec.h"
#include "kiosk/store/store.h"

#define SLOTS 16

struct slot {
    bool used;
    int program_id;
    char first_month[16];
    long long token;             /* max(entry_event.id) when counted */
    int counts[ESTIMATE_MONTHS];
};

/* One wrapped store's cache; st->ops points at .ops while wrapped. */
struct cache {
    unsigned magic;
    const struct store_ops *orig;
    struct store_ops ops;
    struct queue_store_ops qops;
    struct slot slot[SLOTS];
    int next;                    /* round-robin replacement */
    long long hits, misses;
};
#define MAGIC 0x66756361u        /* "fuca" */

static int cached_housed_by_month(struct store *st, int program_id, const char *first_month,
                                  int n_months, int *counts);

/* The cache of a wrapped store, or NULL. */
static struct cache *cache_of(const struct store *st)
{
    if (!st || !st->ops || st->ops->queue == NULL ||
        st->ops->queue->housed_by_month != cached_housed_by_month)
        return NULL;
    struct cache *c = (struct cache *)(void *)((char *)(void *)st->ops - offsetof(struct cache, ops));
    return c->magic == MAGIC ? c : NULL;
}

static int latest_event(struct store *st, long long *token)
{
    const struct sql_exec_ops *x = st->ops->sql;
    struct sql_stmt *q = x->prepare(st, "SELECT max(id) FROM entry_event");
    if (!q)
        return KERR_DB;
    int rc = x->step(q, "reading the latest event");
    *token = rc == SQL_ROW ? x->col_int64(q, 0) : 0;
    x->reset(q);
    return rc < 0 ? rc : 0;
}

static int cached_housed_by_month(struct store *st, int program_id, const char *first_month,
                                  int n_months, int *counts)
{
    struct cache *c = cache_of(st);
    const struct queue_store_ops *orig = c->orig->queue;
    if (n_months != ESTIMATE_MONTHS || strlen(first_month) >= sizeof c->slot[0].first_month)
        return orig->housed_by_month(st, program_id, first_month, n_months, counts);
    long long token;
    int err = latest_event(st, &token);
    if (err)
        return err;
    struct slot *s = NULL;
    for (int i = 0; i < SLOTS && !s; i++)
        if (c->slot[i].used && c->slot[i].program_id == program_id &&
            !strcmp(c->slot[i].first_month, first_month))
            s = &c->slot[i];
    if (s && s->token == token) {
        memcpy(counts, s->counts, sizeof s->counts);
        c->hits++;
        return 0;
    }
    c->misses++;
    if ((err = orig->housed_by_month(st, program_id, first_month, n_months, counts)))
        return err;
    if (!s) {
        s = &c->slot[c->next];
        c->next = (c->next + 1) % SLOTS;
    }
    s->used = true;
    s->program_id = program_id;
    snprintf(s->first_month, sizeof s->first_month, "%s", first_month);
    s->token = token;
    memcpy(s->counts, counts, sizeof s->counts);
    return 0;
}

int fu_cache_wrap(struct store *st)
{
    if (cache_of(st))
        return kerr(KERR_EXISTS, "this store is already wrapped by the follow-up cache");
    struct cache *c = calloc(1, sizeof *c);
    if (!c)
        return KERR_NOMEM;
    c->magic = MAGIC;
    c->orig = st->ops;
    c->ops = *st->ops;
    c->qops = *st->ops->queue;
    c->qops.housed_by_month = cached_housed_by_month;
    c->ops.queue = &c->qops;
    st->ops = &c->ops;
    return 0;
}

void fu_cache_unwrap(struct store *st)
{
    struct cache *c = cache_of(st);
    if (!c)
        return;
    st->ops = c->orig;
    c->magic = 0;
    free(c);
}

void fu_cache_stats(const struct store *st, long long *hits, long long *misses)
{
    const struct cache *c = cache_of(st);
    *hits = c ? c->hits : 0;
    *misses = c ? c->misses : 0;
}
