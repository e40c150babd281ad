/* pg_writers.c — a test helper for tests/pg/test_writers.sh: one kind of
 * writer of a district, run as its own process (its own connection), so the
 * script can run several side by side against one PostgreSQL database and
 * check that none lost an update and none waited for a writer it shares
 * nothing with (issue 13).
 *   pg_writers staff KEY URL PROGRAM RECEIPTS   freeze, then unfreeze, each
 *       receipt of the file (one per line) with queue_staff_action
 *   pg_writers bed KEY URL FIRST COUNT          bed applications of elders
 *       FIRST … FIRST+COUNT-1 (bed_submit)
 *   pg_writers beat KEY URL KIOSK COUNT         COUNT device-state reports of
 *       kiosk KIOSK (kiosk_status_report: the kiosk's heartbeat row)
 *   pg_writers audit KEY URL ACTOR COUNT        COUNT audit records, each in a
 *       SHARED write transaction of its own (what the console's search by ID
 *       number, name or phone writes), and the median of BEGIN + audit_append
 *       alone (round trips; the commit's WAL flush left out) and of the whole
 *       transaction: "# audit append median X us, transaction median Y us"
 *       (tests/bench/pg_lanes_bench.sh)
 * Every operation either succeeds or the helper stops with the error (a lock
 * wait past [kiosk] write_wait = 60 s counts as a failure).  Prints one line
 * per operation done ("ok …", references for bed) and ends with
 * "# N done, slowest X ms" on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/audit.h"
#include "kiosk/eldercare.h"
#include "kiosk/err.h"
#include "kiosk/idnum.h"
#include "kiosk/kiosk_status.h"
#include "kiosk/queue.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static double slowest;
static long done;

/* one operation's time (the slowest is what a blocked writer shows) */
static int timed(int err, double t0)
{
    double ms = now_ms() - t0;
    if (ms > slowest)
        slowest = ms;
    if (!err)
        done++;
    return err;
}

static int run_staff(struct store *st, struct secret *sec, const char *program, const char *file)
{
    FILE *f = fopen(file, "r");
    if (!f)
        return kerr(KERR_IO, "%s: cannot read the receipts", file);
    struct actor who = {.name = "clerk-writers", .roles = ROLE_HOUSING, .user_id = 1};
    char line[64];
    int err = 0;
    while (!err && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0])
            continue;
        static const int actions[] = {QA_FREEZE, QA_UNFREEZE};
        for (int k = 0; k < 2 && !err; k++) {
            int to;
            double t0 = now_ms();
            err = timed(queue_staff_action(st, sec, &who, program, line, actions[k],
                                           "concurrent writers test", &to), t0);
            if (!err)
                printf("ok %s %s %d\n", program, line, to);
        }
    }
    fclose(f);
    return err;
}

static int run_bed(struct store *st, struct secret *sec, long first, long count)
{
    struct actor who = {.name = "resident@WRITERS"};
    int err = 0;
    for (long i = first; i < first + count && !err; i++) {
        struct bed_form f;
        memset(&f, 0, sizeof f);
        char d17[32];
        snprintf(d17, sizeof d17, "440303%04ld%02ld%02ld%03ld", 1930 + (i / 336000) % 30,
                 1 + (i / 1000) % 12, 1 + (i / 12000) % 28, i % 1000);
        d17[17] = '\0';
        snprintf(f.elder_id, sizeof f.elder_id, "%.17s%c", d17, idnum_check_char(d17));
        snprintf(f.elder_name, sizeof f.elder_name, "并发%ld", i);
        snprintf(f.address, sizeof f.address, "测试路%ld号", i);
        f.services = BED_SVC_CARE_BED;
        f.consent = true;
        char ref[33];
        double t0 = now_ms();
        if (!(err = timed(bed_submit(st, sec, &who, &f, ref), t0)))
            printf("%s\n", ref);
    }
    return err;
}

static int run_beat(struct store *st, const char *kiosk, long count)
{
    int err = 0;
    for (long i = 0; i < count && !err; i++) {
        double t0 = now_ms();
        if (!(err = timed(kiosk_status_report(st, kiosk, KDEV_READY,
                                              i % 2 ? KDEV_READY : KDEV_PAPER_LOW), t0)))
            printf("ok beat %ld\n", i);
    }
    return err;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int run_audit(struct store *st, struct secret *sec, const char *actor, long count)
{
    double *append = calloc(count > 0 ? (size_t)count : 1, sizeof *append);
    double *whole = calloc(count > 0 ? (size_t)count : 1, sizeof *whole);
    if (!append || !whole) {
        free(append);
        free(whole);
        return KERR_NOMEM;
    }
    int err = 0;
    long n = 0;
    for (; n < count && !err; n++) {
        double t0 = now_ms();
        if (!(err = store_begin_as(st, STORE_WRITE_SHARED)) &&
            !(err = audit_append(st, sec, actor, "find", "person", "bench record %ld", n))) {
            append[n] = now_ms() - t0;
            err = store_commit(st);
        } else {
            store_rollback(st);
        }
        if (!timed(err, t0))
            whole[n] = now_ms() - t0;
    }
    if (!err && count > 0) {
        qsort(append, (size_t)count, sizeof *append, cmp_double);
        qsort(whole, (size_t)count, sizeof *whole, cmp_double);
        fprintf(stderr, "# audit append median %.0f us, transaction median %.0f us\n",
                append[count / 2] * 1e3, whole[count / 2] * 1e3);
    }
    free(append);
    free(whole);
    return err;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: pg_writers staff|bed|beat|audit KEY URL ARG ARG\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct store *st = NULL;
    struct secret *sec = NULL;
    int err;
    store_set_write_wait(60, NULL);
    if ((err = secret_load(argv[2], &sec)) || (err = store_open(argv[3], 0, &st))) {
        kerr_print("pg_writers", err);
        return 1;
    }
    if (!strcmp(argv[1], "staff"))
        err = run_staff(st, sec, argv[4], argv[5]);
    else if (!strcmp(argv[1], "bed"))
        err = run_bed(st, sec, atol(argv[4]), atol(argv[5]));
    else if (!strcmp(argv[1], "beat"))
        err = run_beat(st, argv[4], atol(argv[5]));
    else if (!strcmp(argv[1], "audit"))
        err = run_audit(st, sec, argv[4], atol(argv[5]));
    else
        err = kerr(KERR_USAGE, "unknown writer %s", argv[1]);
    if (err)
        kerr_print("pg_writers", err);
    fprintf(stderr, "# %ld done, slowest %.1f ms\n", done, slowest);
    store_close(&st);
    secret_free(&sec);
    return err ? 1 : 0;
}
