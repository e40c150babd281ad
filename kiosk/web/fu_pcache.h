/* fu_pcache.h — the follow-up server's page cache: the HTML of pages already
 * answered, per (REF, language), kept only while the database has not
 * changed.
 *
 * A look-up costs ~0.3 ms of CPU at a million households (the exact position
 * and the change breakdown are most of it); a receipt's page is asked for
 * again and again (the resident, the family, the QR scanned twice) and does
 * not change until a writer commits.  The cache is exact: every entry is
 * valid under one token — SQLite's `PRAGMA data_version` of the thread's
 * connection, which moves whenever another connection commits, plus today's
 * date (the estimate counts whole months, a reassessment falls due on a
 * day) — and a look-up under another token empties the cache first.  Only
 * pages whose CODE was verified are stored or served, and only after the
 * CODE is verified again for the request.  The one moving part of a page,
 * its "As of" time, is written into the copy served.
 *
 * One cache per server thread (its own connection, its own token): no
 * locking.  Entries hold masked personal data: wiped when replaced, emptied
 * and freed. */
#ifndef KIOSK_WEB_FU_PCACHE_H
#define KIOSK_WEB_FU_PCACHE_H

#include <stddef.h>

struct fu_pcache;

/* slots: pages kept (fewer than 4: a cache that keeps nothing).  KERR_NOMEM. */
int fu_pcache_new(int slots, struct fu_pcache **out);
void fu_pcache_free(struct fu_pcache **pc);

/* Make token the current one; entries made under another are wiped. */
void fu_pcache_validate(struct fu_pcache *pc, const char *token);

/* A copy of the cached page for (ref, lang) with the 16-byte stamp
 * ("YYYY-MM-DD HH:MM") written in, as malloc'ed memory in *html (*len
 * bytes); 1 when found, 0 when not, KERR_NOMEM. */
int fu_pcache_get(struct fu_pcache *pc, const char *ref, const char *lang, const char *stamp,
                  char **html, size_t *len);

/* Keep a page; stamp_at is the offset of its 16-byte stamp.  0 or KERR_NOMEM
 * (nothing kept then; the page was answered anyway). */
int fu_pcache_put(struct fu_pcache *pc, const char *ref, const char *lang, const char *html,
                  size_t len, size_t stamp_at);

/* Pages served from the cache and look-ups that missed (for the tests). */
void fu_pcache_stats(const struct fu_pcache *pc, long long *hits, long long *misses);

#endif
