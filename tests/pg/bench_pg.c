/* bench_pg.c — PERF.md's PostgreSQL position figure, measured beside its
 * reference in the same run on the same data: exact position through the
 * rank blocks + Fenwick tree (one prepared statement, kiosk/store_pg_queue.c)
 * vs COUNT of the waiting entries ahead over a covering partial index
 * (program_id, skey), over TCP loopback, at 10k, 100k and 1M waiting (how
 * the cost grows), plus the write work of one status change.  Each size is a
 * fresh schema in the database named by KIOSK_TEST_PG, filled by the real
 * importer through COPY.
 * Output: name value reference ratio target PASS|FAIL, like bench_position.
 * Usage: bench_pg [max_n] (default 1000000). */
#include <libpq-fe.h>
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

#define SAMPLES 1000

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(double *v, int n, double p)
{
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return v[(int)(p * (n - 1) + 0.5)];
}

static void line(const char *name, double value, const char *unit, double ref, double target)
{
    printf("%-34s %10.2f %-3s ref %10.2f %-3s ratio %8.2f  target <=%.2f %-3s %s\n", name, value,
           unit, ref, unit, ref > 0 ? value / ref : 0, target, unit,
           value <= target ? "PASS" : "FAIL");
    fflush(stdout);
}

static void quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

static int pg_sql(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    PQsetNoticeProcessor(c, quiet, NULL);
    PGresult *r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql) : NULL;
    int ok = r && (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK);
    if (!ok)
        fprintf(stderr, "bench_pg: %s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return ok ? 0 : -1;
}

static void fill(long long i, struct bureau_row *r, uint64_t *s)
{
    char first17[24];
    snprintf(first17, sizeof first17, "4403%02d19%02d%02d%02d%03d", (int)(3 + i / 10000000 % 7),
             (int)(50 + i / 336000 % 50), (int)(1 + i / 1000 % 12), (int)(1 + i / 12000 % 28),
             (int)(i % 1000));
    memcpy(r->id_number, first17, 17);
    r->id_number[17] = idnum_check_char(first17);
    r->id_number[18] = 0;
    snprintf(r->name, sizeof r->name, "测试%lld", i % 997);
    snprintf(r->receipt_no, sizeof r->receipt_no, "BHJ%08lld", i);
    snprintf(r->hukou_district, sizeof r->hukou_district, "罗湖区");
    r->household_size = 1 + (int)(i % 5);
    r->tier = demo_rand(s) % 10 == 0 ? 0 : 1;
    r->wait_since = 14000 + (int32_t)(demo_rand(s) % 6000);
    r->insured_since = r->wait_since - (int32_t)(demo_rand(s) % 2000);
    r->hukou_since = r->wait_since - (int32_t)(demo_rand(s) % 4000);
    r->lottery_no = (int)(demo_rand(s) % 100000);
    r->status = ST_WAITING;
}

struct grab {
    struct entry_row *rows;
    int n;
    long long k, every;
};

static int grab_some(void *ctx, const struct entry_row *e)
{
    struct grab *g = ctx;
    if (g->k++ % g->every == 0 && g->n < SAMPLES)
        g->rows[g->n++] = *e;
    return 0;
}

static int bench_size(const char *base, struct secret *sec, long long n)
{
    char schema[32], sql[160], url[400];
    snprintf(schema, sizeof schema, "bench_%lld", n);
    snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", schema, schema);
    if (pg_sql(base, sql))
        return 1;
    snprintf(url, sizeof url, "%s?options=-csearch_path%%3D%s", base, schema);
    struct store *st = NULL;
    int from, to, err;
    if ((err = store_open(url, 1, &st)) || (err = st->ops->migrate(st, &from, &to))) {
        kerr_print("bench_pg", err);
        return 1;
    }
    const struct queue_store_ops *q = st->ops->queue;
    struct program p;
    q->program_get(st, "prh", &p);
    /* the real import path: rows → sealed, hashed, sorted, COPY, ranks */
    struct arena a;
    arena_init(&a, 1 << 24);
    struct import_batch b;
    import_batch_init(&b, &p, sec, &a);
    uint64_t s = 11 + (uint64_t)n;
    struct bureau_row r;
    for (long long i = 0; i < n && !err; i++) {
        memset(&r, 0, sizeof r);
        fill(i, &r, &s);
        err = import_batch_add(&b, &r);
    }
    struct import_result res;
    struct actor sys = {.name = "bench", .roles = ROLE__ALL};
    double t0 = now_us();
    if (!err)
        err = import_batch_commit(st, &b, &sys, "bench", &res);
    double import_s = (now_us() - t0) / 1e6;
    import_batch_free(&b);
    arena_release(&a);
    if (err) {
        kerr_print("bench_pg import", err);
        store_close(&st);
        return 1;
    }
    /* the reference's index, built like any covering index a DBA would add;
     * VACUUM sets the visibility map so both methods get index-only scans */
    snprintf(sql, sizeof sql, "CREATE INDEX ON %s.entry (program_id, skey) WHERE status = 0",
             schema);
    pg_sql(base, sql);
    snprintf(sql, sizeof sql, "VACUUM ANALYZE %s.entry", schema);
    pg_sql(base, sql);

    struct grab g = {.rows = calloc(SAMPLES, sizeof *g.rows), .every = n / SAMPLES + 1};
    q->export_all(st, p.id, grab_some, &g);
    /* shuffle so neither method gets a warm neighbour */
    for (int i = g.n - 1; i > 0; i--) {
        int j = (int)(demo_rand(&s) % (uint64_t)(i + 1));
        struct entry_row t = g.rows[i];
        g.rows[i] = g.rows[j];
        g.rows[j] = t;
    }
    PGconn *ref = PQconnectdb(url);
    PGresult *pr = PQprepare(ref, "ahead", "SELECT count(*) FROM entry WHERE program_id = $1 "
                                           "AND status = 0 AND skey < $2::bytea", 0, NULL);
    PQclear(pr);
    double *t_pos = malloc(sizeof(double) * SAMPLES), *t_ref = malloc(sizeof(double) * SAMPLES);
    int mismatches = 0;
    for (int pass = 0; pass < 2; pass++)   /* the first pass warms caches and plans */
        for (int i = 0; i < g.n; i++) {
            long long pos = 0;
            double a0 = now_us();
            err = q->position(st, &g.rows[i], &pos);
            double a1 = now_us();
            char pid[16];
            snprintf(pid, sizeof pid, "%d", p.id);
            const char *vals[2] = {pid, (const char *)g.rows[i].skey};
            int lens[2] = {0, g.rows[i].skey_len}, fmts[2] = {0, 1};
            PGresult *rr = PQexecPrepared(ref, "ahead", 2, vals, lens, fmts, 0);
            double a2 = now_us();
            long long ahead = PQresultStatus(rr) == PGRES_TUPLES_OK ? atoll(PQgetvalue(rr, 0, 0)) : -1;
            PQclear(rr);
            if (err || pos != ahead + 1)
                mismatches++;
            t_pos[i] = a1 - a0;
            t_ref[i] = a2 - a1;
        }
    char name[64];
    double med_pos = pct(t_pos, g.n, 0.5), med_ref = pct(t_ref, g.n, 0.5);
    snprintf(name, sizeof name, "pg position median n=%lld", n);
    line(name, med_pos / 1000, "ms", med_ref / 1000, 1.0);
    snprintf(name, sizeof name, "pg position p99 n=%lld", n);
    line(name, pct(t_pos, g.n, 0.99) / 1000, "ms", pct(t_ref, g.n, 0.99) / 1000, 5.0);
    printf("%-34s %10d     (exact vs COUNT-ahead over %d samples)\n", "pg position mismatches",
           mismatches, g.n);
    /* one status change reflected in every position: its write work inside
     * the transaction (the COMMIT's fsync is the same for any design) */
    double *t_w = t_pos;
    int nw = g.n < 200 ? g.n : 200;
    for (int i = 0; i < nw; i++) {
        struct entry_row e = g.rows[i];
        store_begin(st);
        double a0 = now_us();
        err = q->set_status(st, &e, ST_FROZEN, 0);
        t_w[i] = now_us() - a0;
        store_rollback(st);
    }
    snprintf(name, sizeof name, "pg status change n=%lld", n);
    line(name, pct(t_w, nw, 0.5) / 1000, "ms", 0, 1.0);
    printf("%-34s %10.2f s   (%lld rows: seal, hash, sort, COPY, ranks)\n", "pg import", import_s,
           n);
    free(t_pos);
    free(t_ref);
    free(g.rows);
    PQfinish(ref);
    store_close(&st);
    snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE", schema);
    pg_sql(base, sql);
    return mismatches ? 1 : 0;
}

int main(int argc, char **argv)
{
    long long max_n = argc > 1 ? atoll(argv[1]) : 1000000;
    const char *base = getenv("KIOSK_TEST_PG");
    if (!base || !*base) {
        fprintf(stderr, "bench_pg: KIOSK_TEST_PG is not set (tests/bench/pg_bench.sh starts a cluster)\n");
        return 1;
    }
    char dir[] = "/tmp/kiosk-bench-pg-XXXXXX", key[64];
    if (!mkdtemp(dir))
        return 1;
    snprintf(key, sizeof key, "%s/site.key", dir);
    struct secret *sec = NULL;
    if (secret_create(key) || secret_load(key, &sec)) {
        kerr_print("bench_pg", KERR_SECRET);
        return 1;
    }
    int fails = 0;
    for (long long n = 10000; n <= max_n; n *= 10)
        fails += bench_size(base, sec, n);
    secret_free(&sec);
    unlink(key);
    rmdir(dir);
    return fails ? 1 : 0;
}
