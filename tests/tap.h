/* tap.h — TAP output for the C test programs that are not cmocka suites
 * (the terminal tests): ok(cond, "what") prints "ok N - what" or
 * "not ok N - what"; tap_plan(N) prints the plan first when the count is known,
 * else tap_done() prints it at the end; tap_done() gives the exit code.  tests/run.sh
 * fails a program whose plan is missing or differs from what ran.  Header-only: one
 * test program each. */
#ifndef TESTS_TAP_H
#define TESTS_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int tap_n, tap_failed, tap_planned = -1;

static void ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3), unused));
static void ok(bool cond, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    fflush(stdout);
    if (!cond)
        tap_failed++;
}

/* The plan up front: exactly n results will follow. */
static void tap_plan(int n) __attribute__((unused));
static void tap_plan(int n)
{
    tap_planned = n;
    printf("1..%d\n", n);
    fflush(stdout);
}

/* The plan line (unless tap_plan gave it); the exit code for main. */
static int tap_done(void) __attribute__((unused));
static int tap_done(void)
{
    if (tap_planned < 0) {
        printf("1..%d\n", tap_n);
        return tap_failed ? 1 : 0;
    }
    if (tap_n != tap_planned)
        printf("# planned %d, ran %d\n", tap_planned, tap_n);
    return tap_failed || tap_n != tap_planned ? 1 : 0;
}

#endif
