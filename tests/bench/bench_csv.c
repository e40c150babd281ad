/* bench_csv.c — micro benchmark of the CSV reader (not run by make check).
 *
 * Writes a 1,000,000-row bureau-shaped file to a temporary file, then times,
 * in the same run, csv_next over it and a naive reference (getline + split
 * on commas, no quoting at all) as a floor for "just touching the bytes".
 * Medians of 5 runs.  Build and run by hand:
 *   cc -O2 -std=c11 -D_GNU_SOURCE -I. tests/bench/bench_csv.c kiosk/csv.c kiosk/err.c -o build/bench_csv
 *   build/bench_csv [rows] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/csv.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return v[n / 2];
}

/* Parse the whole file with csv_next; returns rows, or -1 on error. */
static long run_csv(FILE *f)
{
    rewind(f);
    struct csv_reader *r = csv_new(f);
    struct csv_record rec;
    long rows = 0, sum = 0;
    int rc;
    while ((rc = csv_next(r, &rec)) == 1) {
        rows++;
        sum += (long)rec.len[0];
    }
    csv_free(&r);
    return rc < 0 || sum == 0 ? -1 : rows;
}

/* The floor: read lines and find the commas, nothing else. */
static long run_naive(FILE *f)
{
    rewind(f);
    char *line = NULL;
    size_t cap = 0;
    long rows = 0, fields = 0;
    while (getline(&line, &cap, f) > 0) {
        rows++;
        for (char *p = line; (p = strchr(p, ',')); p++)
            fields++;
    }
    free(line);
    return fields ? rows : -1;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    FILE *f = tmpfile();
    if (!f)
        return 1;
    fputs("receipt_no,id_number,name,household_size,tier,wait_since,lottery_no,status\n", f);
    for (long i = 0; i < n; i++)
        fprintf(f, "SZ%08ld,4403031990%08ld,\"张%ld\",%ld,%ld,2019-%02ld-%02ld,%ld,waiting\n",
                i, i, i % 1000, 1 + i % 5, i % 3, 1 + i % 12, 1 + i % 28, i);
    fflush(f);
    long bytes = ftell(f);

    enum { RUNS = 5 };
    double tc[RUNS], tn[RUNS];
    for (int k = 0; k < RUNS; k++) {
        double t0 = now();
        long a = run_csv(f);
        double t1 = now();
        long b = run_naive(f);
        double t2 = now();
        if (a != n + 1 || b != n + 1) {
            fprintf(stderr, "bench_csv: row count mismatch (%ld, %ld)\n", a, b);
            return 1;
        }
        tc[k] = t1 - t0;
        tn[k] = t2 - t1;
    }
    double mc = median(tc, RUNS), mn = median(tn, RUNS);
    printf("csv_parse %ld rows (%.1f MB): %.3f s, %.2f M rows/s, %.0f MB/s; "
           "getline+strchr floor %.3f s; ratio %.2f\n",
           n, (double)bytes / 1e6, mc, (double)n / mc / 1e6, (double)bytes / mc / 1e6, mn, mc / mn);

    /* Short rows, the brief's figure: three tiny fields. */
    FILE *g = tmpfile();
    for (long i = 0; i < n; i++)
        fprintf(g, "%ld,a,b\n", i % 100);
    fflush(g);
    double ts[RUNS];
    for (int k = 0; k < RUNS; k++) {
        double t0 = now();
        long a = run_csv(g);
        ts[k] = now() - t0;
        if (a != n)
            return 1;
    }
    double ms = median(ts, RUNS);
    printf("csv_parse %ld short rows: %.3f s, %.2f M rows/s\n", n, ms, (double)n / ms / 1e6);
    fclose(g);
    fclose(f);
    return 0;
}
