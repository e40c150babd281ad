/* fu_cache.h — the follow-up server's one cache: housed-per-month counts.
 *
 * A queue entry's wait estimate counts the programme's housed events in each
 * of the 12 full months before this one (store queue op housed_by_month):
 * at a million households that is ~20,000 index rows grouped per look-up,
 * most of a request's time.  Those months are past, so the counts only
 * change when an event is added: the cache keeps them per (programme, first
 * month) together with the highest entry_event id when they were counted,
 * and a look-up first reads that id (O(1)), recounting whenever it moved.
 * The page therefore stays exact for every committed state.
 *
 * fu_cache_wrap swaps a store's ops table for a copy, owned by the cache,
 * whose queue ops call the cache for housed_by_month and the backend for
 * everything else; the cache is found again from the store's ops pointer, so
 * each server thread's store has its own (no locking: one store, one thread). */
#ifndef KIOSK_WEB_FU_CACHE_H
#define KIOSK_WEB_FU_CACHE_H

struct store;

/* Returns 0, KERR_EXISTS when this store is already wrapped, or KERR_NOMEM. */
int fu_cache_wrap(struct store *st);
/* Put the store's own ops back and free its cache (before store_close). */
void fu_cache_unwrap(struct store *st);

/* Hits and recounts of this store's cache (0, 0 when not wrapped). */
void fu_cache_stats(const struct store *st, long long *hits, long long *misses);

#endif
