/* bench_work.c — the housing work queue's page at the staff console (issue
 * 14: work-queue page ≤ 2 ms at 1M households), on the demo database
 * (kioskctl demo --households 1000000 --seed 1: about 1% offered, 3% frozen):
 *
 *   console work queue page            console_input(F5) on the work queue:
 *        its whole load — both counts and the overdue counts (entry_open),
 *        the page of 40 at the selection (open_page), decrypt + mask of the
 *        40 rows, the programme codes — and the view built.  On the first
 *        page, oldest first.  300; median and p99.
 *   console work queue page, deep      the same on the LAST page of the
 *        frozen entries, newest first (the largest OFFSET the index walks).
 *   console work queue key             a cursor move inside the page
 *        (formatting only, no store).
 *   console queue by date …            the queue browser (prh) filtered by
 *        status and sorted by date applied (status_page on entry_wait,
 *        keyset): F5 on the waiting list's LAST page newest first, PgDn
 *        through the waiting list oldest first (a new page each time), F5
 *        on the housed entries (their count stops at 1000) and on the
 *        offered entries — each with every status's count (status_count).
 *
 *   console bed work queue, one street   a street office's account with a
 *        street (issue 14): F5 on its bed work queue (the street's
 *        applications read by bed_app_street, sorted, the view), a cursor move.
 *
 * Works on the database given (the caller passes a copy: a staff account is
 * added to log in).
 *
 * usage: bench_work DEMO_DB */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/auth.h"
#include "kiosk/console/console.h"
#include "kiosk/err.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"
#include "tests/bench/bench_line.h"

#define REPS 300
#define BENCH_USER "bench-housing"
#define BENCH_PW "bench-password-1"

static int64_t clock_ms = 1000;
static int failures;

static void type(struct console *c, const char *s)
{
    for (; *s; s++)
        console_input(c, CA_CHAR, (unsigned char)*s, clock_ms += 10);
}

static void measure_as(struct console *c, const char *what, const char *name, enum con_action a,
                       const char *note);
static void measure(struct console *c, const char *name, enum con_action a, const char *note)
{
    measure_as(c, "console work queue", name, a, note);
}

static void measure_as(struct console *c, const char *what, const char *name, enum con_action a,
                       const char *note)
{
    double t[REPS];
    for (int i = 0; i < REPS; i++) {
        double t0 = bench_now_us();
        console_input(c, a, 0, clock_ms += 10);
        t[i] = (bench_now_us() - t0) / 1000;
        if (a == CA_DOWN)   /* back up: the next Down moves again */
            console_input(c, CA_UP, 0, clock_ms += 10);
        if (a == CA_PGDN && i % 50 == 49)   /* PgDn keeps reading new pages; restart now and then */
            console_input(c, CA_HOME, 0, clock_ms += 10);
    }
    const struct con_view *v = console_view(c);
    char line[80];
    snprintf(line, sizeof line, "%s %s median", what, name);
    if (!bench_line(line, bench_median(t, REPS), "ms", 0, 2, true, "%s; %s", note, v->caption))
        failures++;
    snprintf(line, sizeof line, "%s %s p99", what, name);
    bench_line(line, bench_pct(t, REPS, 0.99), "ms", 0, 2, true, NULL);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_work DEMO_DB\n");
        return 2;
    }
    char key[600];
    snprintf(key, sizeof key, "%s.key", argv[1]);
    struct store *st = NULL;
    struct secret *sec = NULL;
    int err = store_open(argv[1], 0, &st);
    if (!err)
        err = secret_load(key, &sec);
    int from, to;
    if (!err)
        err = st->ops->migrate(st, &from, &to);   /* a demo database made before 011 */
    struct actor root = {.name = "bench", .roles = ROLE__ALL};
    long id;
    if (!err && auth_user_add(st, sec, &root, BENCH_USER, ROLE_HOUSING, BENCH_PW, "", "", &id))
        err = auth_user_passwd(st, sec, &root, BENCH_USER, BENCH_PW);
    struct console *c = NULL;
    struct console_opts o = {.idle_seconds = 3600};
    if (!err)
        err = console_new(st, sec, NULL, &o, &c);
    if (err) {
        kerr_print("bench_work", err);
        return 1;
    }
    type(c, BENCH_USER);
    console_input(c, CA_ENTER, 0, clock_ms += 10);
    type(c, BENCH_PW);
    console_input(c, CA_ENTER, 0, clock_ms += 10);
    const struct con_view *v = console_view(c);
    /* the work queue: the last item of a housing account's home menu */
    console_input(c, CA_END, 0, clock_ms += 10);
    console_input(c, CA_ENTER, 0, clock_ms += 10);
    if (v->screen != CS_HOUSING || v->n_rows == 0) {
        fprintf(stderr, "bench_work: no work queue (screen %d, %d rows): %s\n", v->screen, v->n_rows,
                v->message);
        return 1;
    }
    measure(c, "page", CA_REFRESH, "F5: counts, page of 40, decrypt, view");
    /* the frozen entries, newest first, last page */
    console_input(c, CA_FILTER, 'f', clock_ms += 10);
    type(c, "2");
    console_input(c, CA_ENTER, 0, clock_ms += 10);
    console_input(c, CA_SORT, 's', clock_ms += 10);
    console_input(c, CA_END, 0, clock_ms += 10);
    measure(c, "page, deep", CA_REFRESH, "frozen, newest first, last page");
    console_input(c, CA_HOME, 0, clock_ms += 10);
    measure(c, "key", CA_DOWN, "a cursor move inside the page");
    /* the queue browser: home, housing queues (the first item), prh (the first programme) */
    console_input(c, CA_ESCAPE, 0, clock_ms += 10);
    console_input(c, CA_HOME, 0, clock_ms += 10);
    console_input(c, CA_ENTER, 0, clock_ms += 10);
    console_input(c, CA_ENTER, 0, clock_ms += 10);
    if (v->screen != CS_QUEUE || v->n_rows == 0) {
        fprintf(stderr, "bench_work: no queue browser (screen %d): %s\n", v->screen, v->message);
        return 1;
    }
    static const struct {
        const char *filter, *sort, *name, *note;
        enum con_action key, a;
    } q[] = {
        {"1", "3", "waiting, deep", "waiting, newest applied first, last page", CA_END, CA_REFRESH},
        {"1", "2", "waiting, PgDn", "waiting, oldest applied first, the next page by key", CA_HOME, CA_PGDN},
        {"4", "2", "housed", "housed, oldest applied first (count capped)", CA_HOME, CA_REFRESH},
        {"3", "2", "offered", "offered, oldest applied first", CA_HOME, CA_REFRESH},
    };
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        console_input(c, CA_FILTER, 'f', clock_ms += 10);
        type(c, q[i].filter);
        console_input(c, CA_ENTER, 0, clock_ms += 10);
        console_input(c, CA_SORT, 's', clock_ms += 10);
        type(c, q[i].sort);
        console_input(c, CA_ENTER, 0, clock_ms += 10);
        console_input(c, q[i].key, 0, clock_ms += 10);
        measure_as(c, "console queue by date", q[i].name, q[i].a, q[i].note);
    }
    console_free(&c);
    /* a street office's account with a street (issue 14): its bed work queue,
     * read from bed_app_street — F5 on the list and a cursor move */
    if (auth_user_add_street(st, sec, NULL, &root, "bench-street", ROLE_STREET, BENCH_PW, "", "",
                             "东门街道", &id) &&
        (auth_user_passwd(st, sec, &root, "bench-street", BENCH_PW) ||
         auth_user_street(st, sec, NULL, &root, "bench-street", "东门街道"))) {
        kerr_print("bench_work", KERR_DB);
        return 1;
    }
    if ((err = console_new(st, sec, NULL, &o, &c))) {
        kerr_print("bench_work", err);
        return 1;
    }
    v = console_view(c);
    type(c, "bench-street");
    console_input(c, CA_ENTER, 0, clock_ms += 10);
    type(c, BENCH_PW);
    console_input(c, CA_ENTER, 0, clock_ms += 10);
    console_input(c, CA_ENTER, 0, clock_ms += 10);   /* the bed applications: the first item */
    if (v->screen != CS_BEDS || v->n_rows == 0) {
        fprintf(stderr, "bench_work: no bed work queue (screen %d): %s\n", v->screen, v->message);
        return 1;
    }
    measure_as(c, "console bed work queue, one street", "page", CA_REFRESH,
               "F5: the street's applications (bed_app_street), sorted, the view");
    measure_as(c, "console bed work queue, one street", "key", CA_DOWN, "a cursor move");
    console_free(&c);
    store_close(&st);
    secret_free(&sec);
    return failures ? 1 : 0;
}
