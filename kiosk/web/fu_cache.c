/* fu_cache.c — housed-per-month counts cached against the latest event id
 * (see fu_cache.h). */
#include "kiosk/web/fu_cache.h"

#include <stdbool.h>
#include <stdio.h>
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

static struct {
    struct store *st;
    const struct store_ops *orig;
    struct store_ops ops;
    struct queue_store_ops qops;
    struct slot slot[SLOTS];
    int next;                    /* round-robin replacement */
    long long hits, misses;
} cache;

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
    const struct queue_store_ops *orig = cache.orig->queue;
    if (n_months != ESTIMATE_MONTHS || strlen(first_month) >= sizeof cache.slot[0].first_month)
        return orig->housed_by_month(st, program_id, first_month, n_months, counts);
    long long token;
    int err = latest_event(st, &token);
    if (err)
        return err;
    struct slot *s = NULL;
    for (int i = 0; i < SLOTS && !s; i++)
        if (cache.slot[i].used && cache.slot[i].program_id == program_id &&
            !strcmp(cache.slot[i].first_month, first_month))
            s = &cache.slot[i];
    if (s && s->token == token) {
        memcpy(counts, s->counts, sizeof s->counts);
        cache.hits++;
        return 0;
    }
    cache.misses++;
    if ((err = orig->housed_by_month(st, program_id, first_month, n_months, counts)))
        return err;
    if (!s) {
        s = &cache.slot[cache.next];
        cache.next = (cache.next + 1) % SLOTS;
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
    if (cache.st)
        return kerr(KERR_EXISTS, "a store is already wrapped by the follow-up cache");
    memset(&cache, 0, sizeof cache);
    cache.st = st;
    cache.orig = st->ops;
    cache.ops = *st->ops;
    cache.qops = *st->ops->queue;
    cache.qops.housed_by_month = cached_housed_by_month;
    cache.ops.queue = &cache.qops;
    st->ops = &cache.ops;
    return 0;
}

void fu_cache_unwrap(struct store *st)
{
    if (st && cache.st == st)
        st->ops = cache.orig;
    memset(&cache, 0, sizeof cache);
}

void fu_cache_stats(long long *hits, long long *misses)
{
    *hits = cache.hits;
    *misses = cache.misses;
}
