/* demo.h — deterministic synthetic data for demos, tests and benchmarks.
 *
 * The same (households, seed) always gives the same people, lists and
 * history (dates are relative to store_now(), so set KIOSK_NOW for
 * byte-identical runs).  Household i's identity comes from demo_resident(),
 * so the kiosk's simulated-card picker and the tests can name real people
 * of the demo database without reading it. */
#ifndef KIOSK_DEMO_H
#define KIOSK_DEMO_H

#include <stdint.h>

struct store;
struct secret;

struct demo_summary {
    long long entries, events, applications;
};

/* Replace the three programs' lists with N synthetic households, add 24
 * months of allocations, publish a list dated a month ago, apply recent
 * changes after it, and (through bed_demo_fill) applications in every stage. */
int demo_fill(struct store *st, const struct secret *sec, long long households, uint64_t seed,
              struct demo_summary *sum);

/* The identity of demo household i: a valid ID number and a Chinese name. */
void demo_resident(uint64_t seed, long long i, char id[19], char *name, unsigned long name_cap);

/* Elder-care demo data (kiosk/eldercare_demo.c):
 * applications in every stage for demo households, returns how many. */
int bed_demo_fill(struct store *st, const struct secret *sec, uint64_t seed, long long households,
                  long long *applications);

/* A small deterministic generator (splitmix64). */
uint64_t demo_rand(uint64_t *state);

#endif
