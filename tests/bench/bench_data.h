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

/* Write an n-row bureau file like the real ones; 0 or -1. */
static int bench_write_csv(const char *path, long long n, uint64_t seed) __attribute__((unused));
static int bench_write_csv(const char *path, long long n, uint64_t seed)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs("receipt_no,id_number,name,household_size,hukou_district,tier,wait_since,insured_since,"
          "hukou_since,lottery_no,status\n", f);
    uint64_t s = seed;
    for (long long i = 0; i < n; i++) {
        char id[19], ws[11], is[11], hs[11];
        bench_id(i, id);
        int32_t w = 14000 + (int32_t)(demo_rand(&s) % 6000);
        date_format(w, ws);
        date_format(w - (int32_t)(demo_rand(&s) % 2000), is);
        date_format(w - (int32_t)(demo_rand(&s) % 4000), hs);
        fprintf(f, "BHJ%08lld,%s,测试%lld,%d,罗湖区,%d,%s,%s,%s,%d,waiting\n", i, id, i % 997,
                1 + (int)(i % 5), (int)(demo_rand(&s) % 10 == 0 ? 0 : 1), ws, is, hs,
                (int)(demo_rand(&s) % 100000));
    }
    return fclose(f) ? -1 : 0;
}

#endif
