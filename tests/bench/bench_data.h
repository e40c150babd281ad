/* bench_data.h — the synthetic bureau list the benchmarks import (SQLite in
 * bench_position.c, PostgreSQL in pg_load.c), so both measure the same rows.
 * Header-only: one benchmark program each. */
#ifndef TESTS_BENCH_DATA_H
#define TESTS_BENCH_DATA_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/bureau_row.h"
#include "kiosk/demo.h"
#include "kiosk/idnum.h"

/* A valid ID number for household i (unique up to a few million). */
static void bench_id(long long i, char out[19]) __attribute__((unused));
static void bench_id(long long i, char out[19])
{
    char first17[24];
    snprintf(first17, sizeof first17, "4403%02d19%02d%02d%02d%03d", (int)(3 + i / 10000000 % 7),
             (int)(50 + i / 336000 % 50), (int)(1 + i / 1000 % 12), (int)(1 + i / 12000 % 28),
             (int)(i % 1000));
    memcpy(out, first17, 17);
    out[17] = idnum_check_char(first17);
    out[18] = 0;
}

/* Write an n-row bureau file like the real ones, with `changed` rows in
 * every 1000 different from the file seed alone would give: half of those
 * keep their receipt and identity but have new order keys (tier, waiting
 * date, household size: a re-keyed entry), the other half are replaced by a
 * new household (new receipt number and ID, so the old row is absent from
 * the file and is removed, the new one added).  changed = 0 is the plain
 * list; the unchanged rows are byte for byte the same in both files.
 * Which rows change is spread evenly (every row i with i % 1000 < changed
 * after a fixed shuffle), so they sit everywhere in the queue.  0 or -1. */
static int bench_write_csv_changed(const char *path, long long n, uint64_t seed, int changed)
    __attribute__((unused));
static int bench_write_csv_changed(const char *path, long long n, uint64_t seed, int changed)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs("receipt_no,id_number,name,household_size,hukou_district,tier,wait_since,insured_since,"
          "hukou_since,lottery_no,status\n", f);
    uint64_t s = seed, cs = seed ^ 0x9e3779b97f4a7c15ull;
    for (long long i = 0; i < n; i++) {
        char id[19], ws[11], is[11], hs[11];
        /* every row draws the same numbers in both files */
        int32_t w = 14000 + (int32_t)(demo_rand(&s) % 6000);
        int32_t ins = w - (int32_t)(demo_rand(&s) % 2000), hk = w - (int32_t)(demo_rand(&s) % 4000);
        int tier = demo_rand(&s) % 10 == 0 ? 0 : 1;
        int lottery = (int)(demo_rand(&s) % 100000);
        int size = 1 + (int)(i % 5);
        long long who = i;
        long long pick = (long long)((uint64_t)i * 2654435761u % 1000);
        if (pick < changed) {
            w = 14000 + (int32_t)(demo_rand(&cs) % 6000);
            tier = demo_rand(&cs) % 10 == 0 ? 0 : 1;
            size = 1 + (int)(demo_rand(&cs) % 5);
            if (pick % 2)
                who = n + i;   /* a new household in place of this one */
        }
        bench_id(who, id);
        date_format(w, ws);
        date_format(ins, is);
        date_format(hk, hs);
        fprintf(f, "BHJ%08lld,%s,测试%lld,%d,罗湖区,%d,%s,%s,%s,%d,waiting\n", who, id, who % 997,
                size, tier, ws, is, hs, lottery);
    }
    return fclose(f) ? -1 : 0;
}

/* Which household row i of bench_write_csv_changed(…, n, …, changed) holds:
 * i itself, or n + i when the row was replaced by a new household. */
static long long bench_who(long long i, long long n, int changed) __attribute__((unused));
static long long bench_who(long long i, long long n, int changed)
{
    long long pick = (long long)((uint64_t)i * 2654435761u % 1000);
    return pick < changed && pick % 2 ? n + i : i;
}

/* The plain list: n rows from seed. */
static int bench_write_csv(const char *path, long long n, uint64_t seed) __attribute__((unused));
static int bench_write_csv(const char *path, long long n, uint64_t seed)
{
    return bench_write_csv_changed(path, n, seed, 0);
}

#endif
