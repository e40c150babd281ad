/* bench_lookup.c — the full resident look-up (queue_lookup_id: the card
 * holder's entries, each with position, change since the last published
 * list and wait estimate — what `kioskctl position` and the kiosk pay) at
 * 1M in the three states of issue 8:
 *   nopub     the imported list, never published
 *   actions   published, then 1,000 staff actions on random waiting entries
 *             (offers, freezes, and offer + acceptance = housed), one
 *             transaction each, like a clerk's
 *   reimport  published, then a re-import of the bureau file with 10% of
 *             its rows changed (half re-keyed, half replaced by new
 *             households: removed + added) — on a copy of the nopub file
 * Each: ≥ 1,000 look-ups of random residents of the current list (after 50
 * unmeasured ones), median and p99, target ≤ 200 µs / ≤ 1 ms.  Reference,
 * measured interleaved on the same residents: the bare fetch the look-up
 * cannot avoid (keyed hash of the ID number, entries_by_hash).
 * A state whose look-ups are slow stops after BENCH_LOOKUP_BUDGET_S seconds
 * (default 30) with fewer samples and says so: at 0.3–0.6 s a look-up, 1,000
 * of them would take ten minutes, and a capped run can only be a FAIL (the
 * cap is reached only above 30 ms a look-up).
 * Only public core calls: importer.h, queue.h, store.h (open/close and the
 * queue ops' entries_by_hash), secret.h. */
#include "tests/bench/bench_lookup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/err.h"
#include "kiosk/importer.h"
#include "kiosk/queue.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"
#include "tests/bench/bench_data.h"
#include "tests/bench/bench_line.h"

#define LOOKUPS 1000
#define WARMUP 50
#define ACTIONS 1000
#define CHANGED_PERMILLE 100

static const struct actor bench_admin = {.name = "bench", .roles = ROLE__ALL};

static int copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY), out = -1, rc = -1;
    if (in < 0)
        goto done;
    if ((out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
        goto done;
    static char buf[1 << 20];
    ssize_t r;
    while ((r = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)r) != r)
            goto done;
    rc = r == 0 ? 0 : -1;
done:
    if (rc)
        fprintf(stderr, "bench_lookup: copy %s -> %s: %s\n", from, to, strerror(errno));
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out))
        rc = -1;
    return rc;
}

static int count_row(void *ctx, const struct entry_row *e)
{
    (void)e;
    ++*(int *)ctx;
    return 0;
}

/* Look up random residents; prints the two lines.  want_pub: whether the
 * views must show a publication (a check that the state is the one named). */
static int measure(struct store *st, const struct secret *sec, long long n, int changed,
                   const char *state, bool want_pub)
{
    static double t[LOOKUPS], r[LOOKUPS];
    static struct queue_view v[4];
    double budget = getenv("BENCH_LOOKUP_BUDGET_S") ? atof(getenv("BENCH_LOOKUP_BUDGET_S")) : 30;
    uint64_t s = 0x5eed ^ (uint64_t)n;
    int k = 0, done = 0, with_pub = 0;
    double start = bench_now_us();
    for (int i = -WARMUP; i < LOOKUPS; i++) {
        if (i >= 20 && bench_now_us() - start > budget * 1e6)
            break;   /* the cap: see the header */
        char id[19];
        bench_id(bench_who((long long)(demo_rand(&s) % (uint64_t)n), n, changed), id);
        int nv = 0, nr = 0;
        double a = bench_now_us();
        int err = queue_lookup_id(st, sec, id, NULL, v, 4, &nv);
        double b = bench_now_us();
        if (err || nv < 1) {
            fprintf(stderr, "bench_lookup %s: look-up of %s failed: %s\n", state, id,
                    err ? kerr_detail() : "no entry");
            return 1;
        }
        with_pub += v[0].has_publication;
        done++;
        queue_view_wipe(v, nv);
        unsigned char h[SECRET_HASH_BYTES];
        double c = bench_now_us();
        secret_lookup_hash(sec, id, h);
        err = store_queue(st)->entries_by_hash(st, h, count_row, &nr);
        double d = bench_now_us();
        if (err || nr != nv) {
            fprintf(stderr, "bench_lookup %s: bare fetch found %d entries, the look-up %d\n", state,
                    nr, nv);
            return 1;
        }
        if (i < 0) {
            start = bench_now_us();   /* the budget counts measured look-ups only */
            continue;
        }
        t[k] = b - a;
        r[k] = d - c;
        k++;
    }
    if (with_pub != (want_pub ? done : 0)) {
        fprintf(stderr, "bench_lookup %s: %d of %d views show a publication; expected %s\n", state,
                with_pub, done, want_pub ? "all" : "none");
        return 1;
    }
    char name[64], note[96] = "";
    if (k < LOOKUPS)
        snprintf(note, sizeof note, "%d look-ups: time cap of %.0f s reached", k, budget);
    else
        snprintf(note, sizeof note, "%d look-ups", k);
    double rm = bench_median(r, k), rp = bench_pct(r, k, 0.99);
    double tm = bench_median(t, k), tp = bench_pct(t, k, 0.99);
    snprintf(name, sizeof name, "lookup %s median n=%lld", state, n);
    bench_line(name, tm, "us", rm, 200, true, "%s", note);
    snprintf(name, sizeof name, "lookup %s p99 n=%lld", state, n);
    bench_line(name, tp, "us", rp, 1000, true, "%s", note);
    return 0;
}

static int open_store(const char *db, struct store **st)
{
    int err = store_open(db, 0, st);
    if (err)
        kerr_print("bench_lookup", err);
    return err;
}

static int publish(struct store *st, const struct secret *sec)
{
    long long total = 0;
    int err = queue_publish(st, sec, &bench_admin, "prh", &total);
    if (err)
        kerr_print("bench_lookup: publish", err);
    return err;
}

/* ACTIONS distinct random entries: offered, frozen, or housed (offer then accept). */
static int staff_actions(struct store *st, const struct secret *sec, long long n)
{
    unsigned char *used = calloc((size_t)n, 1);
    uint64_t s = 0xac7 ^ (uint64_t)n;
    double t0 = bench_now_us();
    int err = used ? 0 : KERR_NOMEM;
    for (int k = 0; k < ACTIONS && !err; k++) {
        long long i;
        do
            i = (long long)(demo_rand(&s) % (uint64_t)n);
        while (used[i]);
        used[i] = 1;
        char receipt[24];
        snprintf(receipt, sizeof receipt, "BHJ%08lld", i);
        int to;
        int first = k % 3 == 1 ? QA_FREEZE : QA_OFFER;
        err = queue_staff_action(st, sec, &bench_admin, "prh", receipt, first, "bench", &to);
        if (!err && k % 3 == 2)
            err = queue_staff_action(st, sec, &bench_admin, "prh", receipt, QA_ACCEPT, "bench", &to);
        if (err)
            kerr_print("bench_lookup: staff action", err);
    }
    free(used);
    fprintf(stderr, "bench_lookup: %d staff actions in %.1f s\n", ACTIONS,
            (bench_now_us() - t0) / 1e6);
    return err;
}

int bench_lookup_states(const char *dir, const char *db, const struct secret *sec, long long n,
                        uint64_t list_seed)
{
    char copy[512], csv[512];
    snprintf(copy, sizeof copy, "%s/reimport.db", dir);
    snprintf(csv, sizeof csv, "%s/list-changed.csv", dir);
    if (access(copy, F_OK) == 0 || copy_file(db, copy))
        return 1;
    struct store *st = NULL;
    int rc = 1;

    /* 1. never published */
    if (open_store(db, &st) || measure(st, sec, n, 0, "nopub", false))
        goto out;
    /* 2. published, then 1,000 staff actions */
    if (publish(st, sec) || staff_actions(st, sec, n) || measure(st, sec, n, 0, "actions", true))
        goto out;
    store_close(&st);

    /* 3. published, then a 10%-changed re-import (on the copy) */
    if (open_store(copy, &st) || publish(st, sec))
        goto out;
    if (bench_write_csv_changed(csv, n, list_seed, CHANGED_PERMILLE)) {
        perror(csv);
        goto out;
    }
    struct import_result res;
    double t0 = bench_now_us();
    int err = import_queue(st, sec, &bench_admin, "prh", csv, false, stderr, NULL, &res);
    if (err) {
        kerr_print("bench_lookup: re-import", err);
        goto out;
    }
    fprintf(stderr, "bench_lookup: re-import of %lld rows in %.1f s: %lld added, %lld updated, "
            "%lld removed, %lld unchanged\n", res.rows, (bench_now_us() - t0) / 1e6, res.added,
            res.updated, res.removed, res.unchanged);
    if (res.added + res.updated + res.removed < n * CHANGED_PERMILLE / 1000) {
        fprintf(stderr, "bench_lookup: the re-import changed too few rows\n");
        goto out;
    }
    if (measure(st, sec, n, CHANGED_PERMILLE, "reimport", true))
        goto out;
    rc = 0;
out:
    store_close(&st);
    unlink(csv);
    unlink(copy);
    char side[600];
    snprintf(side, sizeof side, "%s-wal", copy);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", copy);
    unlink(side);
    return rc;
}
