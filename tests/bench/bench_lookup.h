/* bench_lookup.h — the full resident look-up in three states of the list
 * (issue 8, "a look-up that stays fast in every state of the list"); run by
 * bench_position on the 1M list it has just imported. */
#ifndef TESTS_BENCH_LOOKUP_H
#define TESTS_BENCH_LOOKUP_H

#include <stdint.h>

struct secret;

/* db: a closed SQLite database holding program "prh" imported from
 * bench_write_csv(n, list_seed) and never published; dir: a scratch
 * directory for the copy and the changed list.  Prints six lines (median
 * and p99 in each state); returns 0, or 1 when the benchmark itself could
 * not run (a failed figure is a FAIL line, not an error). */
int bench_lookup_states(const char *dir, const char *db, const struct secret *sec, long long n,
                        uint64_t list_seed);

#endif
