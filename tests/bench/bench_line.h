/* bench_line.h — the one output line of `make bench` and the statistics
 * behind it, shared by the benchmark programs so every figure reads alike:
 *
 *   NAME                               VALUE UNIT ref   REFERENCE UNIT ratio  RATIO  target <=T UNIT PASS|FAIL
 *
 * (ratio = value / reference; "-" when there is no reference).  A note in
 * parentheses may follow the verdict (how many samples, a time cap).
 * Header-only (static functions): each benchmark is one program. */
#ifndef TESTS_BENCH_LINE_H
#define TESTS_BENCH_LINE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double bench_now_us(void) __attribute__((unused));
static double bench_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int bench_cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The p-quantile (0..1, nearest rank) of v[0..n); sorts v.  0 when n == 0. */
static double bench_pct(double *v, int n, double p) __attribute__((unused));
static double bench_pct(double *v, int n, double p)
{
    if (n <= 0)
        return 0;
    qsort(v, (size_t)n, sizeof *v, bench_cmp_d);
    return v[(int)(p * (n - 1) + 0.5)];
}

/* The median (the mean of the middle two for even n); sorts v. */
static double bench_median(double *v, int n) __attribute__((unused));
static double bench_median(double *v, int n)
{
    if (n <= 0)
        return 0;
    qsort(v, (size_t)n, sizeof *v, bench_cmp_d);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double bench_max(const double *v, int n) __attribute__((unused));
static double bench_max(const double *v, int n)
{
    double m = 0;
    for (int i = 0; i < n; i++)
        if (v[i] > m)
            m = v[i];
    return m;
}

/* One figure.  ref <= 0: no reference.  lower: lower is better (value <=
 * target passes), else value >= target passes.  note: NULL or printf text
 * shown after the verdict.  Returns whether it passed. */
static bool bench_line(const char *name, double value, const char *unit, double ref, double target,
                       bool lower, const char *note, ...) __attribute__((unused, format(printf, 7, 8)));
static bool bench_line(const char *name, double value, const char *unit, double ref, double target,
                       bool lower, const char *note, ...)
{
    bool pass = lower ? value <= target : value >= target;
    if (ref > 0)
        printf("%-40s %10.3f %-3s ref %10.3f %-3s ratio %8.3f  target %s%.4g %-3s %s", name, value,
               unit, ref, unit, value / ref, lower ? "<=" : ">=", target, unit,
               pass ? "PASS" : "FAIL");
    else
        printf("%-40s %10.3f %-3s ref %10s %-3s ratio %8s  target %s%.4g %-3s %s", name, value, unit,
               "-", "", "-", lower ? "<=" : ">=", target, unit, pass ? "PASS" : "FAIL");
    if (note) {
        va_list ap;
        va_start(ap, note);
        fputs("  (", stdout);
        vprintf(note, ap);
        fputs(")", stdout);
        va_end(ap);
    }
    putchar('\n');
    fflush(stdout);
    return pass;
}

#endif
