/* bench_position.c — the queue figures of PERF.md, each measured beside its
 * reference in the same run:
 *   position       exact position (rank blocks + Fenwick) vs COUNT of those
 *                  ahead over a covering index, at 10k, 100k and 1M waiting
 *   lookup         the whole resident look-up (hash → entries → view with
 *                  decrypt, position, change breakdown, estimate), and at the
 *                  largest size in three states of the list (bench_lookup.c)
 *   status_change  write work of one status change reflected in every position
 *                  (inside a transaction, before the fsync of COMMIT)
 *   import         a 1M-row bureau file (parse, validate, hash, encrypt, sort,
 *                  store, ranks) vs two floors: the same final rows INSERTed
 *                  with the indexes in place, and loaded bare then indexed
 *                  (bench_import.c)
 * Output: one line per figure (tests/bench/bench_line.h).
 * Usage: bench_position [max_n] (default 1000000). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/arena.h"
#include "kiosk/bureau_row.h"
#include "kiosk/demo.h"
#include "kiosk/err.h"
#include "kiosk/idnum.h"
#include "kiosk/importer.h"
#include "kiosk/queue.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"
#include "tests/bench/bench_data.h"
#include "tests/bench/bench_import.h"
#include "tests/bench/bench_line.h"
#include "tests/bench/bench_lookup.h"

#define now_us bench_now_us

static double pct(double *v, int n, double p) { return bench_pct(v, n, p); }

static void line(const char *name, double value, const char *unit, double ref, double target,
                 int lower_is_better)
{
    bench_line(name, value, unit, ref, target, lower_is_better, NULL);
}

struct ctx {
    char dir[64], db[160], key[112];
    struct store *st;
    struct secret *sec;
};

static int open_db(struct ctx *c, const char *name)
{
    snprintf(c->db, sizeof c->db, "%s/%s.db", c->dir, name);
    snprintf(c->key, sizeof c->key, "%s/site.key", c->dir);
    int from, to, err;
    if ((err = secret_create(c->key)) || (!c->sec && (err = secret_load(c->key, &c->sec))) ||
        (err = store_open(c->db, 1, &c->st)) || (err = c->st->ops->migrate(c->st, &from, &to))) {
        kerr_print("bench", err);
        return err;
    }
    return 0;
}

static struct actor admin = {.name = "bench", .roles = ROLE__ALL};

struct grab {
    struct entry_row *rows;
    long long n, cap;
};

/* One queue size: import, then position and status-change timings. */
static int bench_size(struct ctx *c, long long n, int last)
{
    char csv[128], name[32];
    snprintf(csv, sizeof csv, "%s/list-%lld.csv", c->dir, n);
    snprintf(name, sizeof name, "q%lld", n);
    if (bench_write_csv(csv, n, 7 + (uint64_t)n)) {
        perror(csv);
        return 1;
    }
    if (open_db(c, name))
        return 1;
    struct import_result res;
    double t0 = now_us();
    int err = import_queue(c->st, c->sec, &admin, "prh", csv, false, stderr, NULL, &res);
    double import_us = now_us() - t0;
    if (err) {
        kerr_print("bench import", err);
        return 1;
    }
    struct program p;
    const struct queue_store_ops *q = c->st->ops->queue;
    q->program_get(c->st, "prh", &p);

    /* sample entries spread over the queue */
    enum { SAMPLE = 1000 };
    struct grab g = {.rows = calloc(SAMPLE, sizeof(struct entry_row)), .cap = SAMPLE};
    uint64_t s = 99;
    for (int k = 0; k < SAMPLE; k++) {
        struct entry_row e;
        long long pos = 1 + (long long)(demo_rand(&s) % (uint64_t)n);
        if (q->entry_at(c->st, p.id, pos, &e) == 0)
            g.rows[g.n++] = e;
    }
    double *t = calloc(SAMPLE * 2, sizeof *t);
    long long sink = 0;
    for (int rep = 0; rep < 2; rep++)   /* first pass warms the cache */
        for (long long k = 0; k < g.n; k++) {
            long long pos;
            double a = now_us();
            q->position(c->st, &g.rows[k], &pos);
            t[k] = now_us() - a;
            sink += pos;
        }
    double med = pct(t, (int)g.n, 0.5), p99 = pct(t, (int)g.n, 0.99);

    /* reference: COUNT(*) of those ahead over a covering index */
    sqlite3 *db;
    sqlite3_open(c->db, &db);
    sqlite3_exec(db, "CREATE INDEX ref_rank ON entry(program_id, status, skey)", 0, 0, 0);
    sqlite3_stmt *cnt;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM entry WHERE program_id = ?1 AND status = 0 AND "
                           "skey < ?2", -1, &cnt, NULL);
    double *r = calloc(SAMPLE, sizeof *r);
    /* a short first pass warms the new index (a full one cost ~50 s at 1M); the second
     * times every sample and checks each position against the count */
    for (int rep = 0; rep < 2; rep++)
        for (long long k = 0; k < (rep ? g.n : g.n < 100 ? g.n : 100); k++) {
            double a = now_us();
            sqlite3_bind_int(cnt, 1, p.id);
            sqlite3_bind_blob(cnt, 2, g.rows[k].skey, g.rows[k].skey_len, SQLITE_STATIC);
            sqlite3_step(cnt);
            long long ahead = sqlite3_column_int64(cnt, 0);
            sqlite3_reset(cnt);
            r[k] = now_us() - a;
            long long pos;
            q->position(c->st, &g.rows[k], &pos);
            if (pos != ahead + 1) {
                fprintf(stderr, "MISMATCH at %s: %lld vs %lld\n", g.rows[k].receipt_no, pos, ahead + 1);
                return 1;
            }
        }
    sqlite3_finalize(cnt);
    sqlite3_exec(db, "DROP INDEX ref_rank", 0, 0, 0);
    sqlite3_close(db);
    double ref_med = pct(r, (int)g.n, 0.5);
    char label[64];
    snprintf(label, sizeof label, "position median n=%lld", n);
    line(label, med, "us", ref_med, 100, 1);
    snprintf(label, sizeof label, "position p99 n=%lld", n);
    line(label, p99, "us", pct(r, (int)g.n, 0.99), 1000, 1);

    /* the whole resident look-up, as the kiosk does it on a card event */
    for (int k = 0; k < 200; k++) {
        char id[19];
        struct queue_view v[4];
        int nv;
        bench_id((long long)(demo_rand(&s) % (uint64_t)n), id);
        double a = now_us();
        if (queue_lookup_id(c->st, c->sec, id, NULL, v, 4, &nv) != 0 || nv < 1) {
            fprintf(stderr, "lookup of household failed: %s\n", kerr_detail());
            return 1;
        }
        t[k] = now_us() - a;
    }
    snprintf(label, sizeof label, "resident lookup median n=%lld", n);
    line(label, pct(t, 200, 0.5), "us", 0, 5000, 1);

    /* one status change reflected in every position: write work, then commit */
    double *w = calloc(SAMPLE, sizeof *w);
    int changes = g.n < 400 ? (int)g.n : 400;
    store_begin(c->st);
    for (int k = 0; k < changes; k++) {
        struct entry_row e;
        q->entry_get(c->st, p.id, g.rows[k].receipt_no, &e);
        double a = now_us();
        q->set_status(c->st, &e, e.status == ST_WAITING ? ST_FROZEN : ST_WAITING, 0);
        w[k] = now_us() - a;
    }
    store_commit(c->st);
    snprintf(label, sizeof label, "status change write n=%lld", n);
    line(label, pct(w, changes, 0.5), "us", 0, 1000, 1);
    /* and back, checking exactness against COUNT once more on a few */
    store_begin(c->st);
    for (int k = 0; k < changes; k++) {
        struct entry_row e;
        q->entry_get(c->st, p.id, g.rows[k].receipt_no, &e);
        q->set_status(c->st, &e, ST_WAITING, 0);
    }
    store_commit(c->st);

    if (last && bench_import_figures(c->dir, c->db, csv, c->sec, n, import_us / 1e6, &res))
        return 1;
    printf("(checksum %lld)\n", sink % 7);
    free(g.rows);
    free(t);
    free(r);
    free(w);
    store_close(&c->st);
    unlink(csv);
    /* the look-up in three states of the list, on this database (it is left as it is) */
    if (last && bench_lookup_states(c->dir, c->db, c->sec, n, 7 + (uint64_t)n))
        return 1;
    return 0;
}

int main(int argc, char **argv)
{
    long long max_n = argc > 1 ? atoll(argv[1]) : 1000000;
    struct ctx c = {0};
    const char *base = getenv("BENCH_DIR") ? getenv("BENCH_DIR") : "build/bench";
    snprintf(c.dir, sizeof c.dir, "%s/pos-XXXXXX", base);
    if (!mkdtemp(c.dir)) {
        perror(c.dir);
        return 1;
    }
    int rc = 0;
    for (long long n = 10000; n <= max_n && !rc; n *= 10)
        rc = bench_size(&c, n, n * 10 > max_n);
    secret_free(&c.sec);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", c.dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", c.dir);
    return rc;
}
