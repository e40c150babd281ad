/* bench_position.c — the queue figures of PERF.md, each measured beside its
 * reference in the same run:
 *   position       exact position (rank blocks + Fenwick) vs COUNT of those
 *                  ahead over a covering index, at 10k, 100k and 1M waiting
 *   lookup         the whole resident look-up (hash → entries → view with
 *                  decrypt, position, change breakdown, estimate)
 *   status_change  write work of one status change reflected in every position
 *                  (inside a transaction, before the fsync of COMMIT)
 *   import         a 1M-row bureau file (parse, validate, hash, encrypt, sort,
 *                  store, ranks) vs the bare INSERT of the same final rows plus
 *                  their indexes into an empty database
 * Output: one line per figure: name value reference ratio target PASS|FAIL.
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
    int i = (int)(p * (n - 1) + 0.5);
    return v[i];
}

static void line(const char *name, double value, const char *unit, double ref, double target,
                 int lower_is_better)
{
    int pass = lower_is_better ? value <= target : value >= target;
    printf("%-34s %10.2f %-3s ref %10.2f %-3s ratio %8.2f  target %s%.2f %-3s %s\n", name, value,
           unit, ref, unit, ref > 0 ? value / ref : 0, lower_is_better ? "<=" : ">=", target, unit,
           pass ? "PASS" : "FAIL");
    fflush(stdout);
}

struct ctx {
    char dir[64], db[96], key[112];
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
    int err = import_queue(c->st, c->sec, &admin, "prh", csv, false, stderr, &res);
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
    for (int rep = 0; rep < 2; rep++)
        for (long long k = 0; k < g.n; k++) {
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

    if (last) {
        /* bare floor: the same final rows and indexes inserted into an empty db */
        struct ctx f = *c;
        f.st = NULL;
        if (open_db(&f, "floor"))
            return 1;
        sqlite3 *src, *dst;
        sqlite3_open(c->db, &src);
        sqlite3_open(f.db, &dst);
        /* the same durability settings and page cache as the importer's bulk write */
        sqlite3_exec(dst, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                          "PRAGMA cache_size=-262144", 0, 0, 0);
        sqlite3_stmt *rd, *ins;
        sqlite3_prepare_v2(src, "SELECT program_id, receipt_no, id_hash, sealed, household_size, "
                                "hukou_district, tier, wait_since, insured_since, hukou_since, "
                                "lottery_no, status, skey, slot, changed_seq FROM entry ORDER BY id",
                           -1, &rd, NULL);
        /* materialise first so the floor times only the inserts */
        struct arena a;
        arena_init(&a, 8 << 20);
        long long nrows = 0;
        sqlite3_value ***vals = malloc(sizeof *vals * (size_t)(n + 1));
        (void)vals;
        typedef struct { const void *p[15]; int len[15]; long long iv[15]; int type[15]; } rowv;
        rowv *rows = malloc(sizeof *rows * (size_t)(n + 1));
        while (sqlite3_step(rd) == SQLITE_ROW && nrows < n) {
            rowv *rv = &rows[nrows++];
            for (int k = 0; k < 15; k++) {
                rv->type[k] = sqlite3_column_type(rd, k);
                if (rv->type[k] == SQLITE_INTEGER)
                    rv->iv[k] = sqlite3_column_int64(rd, k);
                else if (rv->type[k] != SQLITE_NULL) {
                    rv->len[k] = sqlite3_column_bytes(rd, k);
                    rv->p[k] = arena_dup(&a, sqlite3_column_blob(rd, k), (size_t)rv->len[k]);
                }
            }
        }
        sqlite3_finalize(rd);
        sqlite3_prepare_v2(dst, "INSERT INTO entry(program_id, receipt_no, id_hash, sealed, "
                                "household_size, hukou_district, tier, wait_since, insured_since, "
                                "hukou_since, lottery_no, status, skey, slot, changed_seq) VALUES "
                                "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)", -1, &ins, NULL);
        double b0 = now_us();
        sqlite3_exec(dst, "BEGIN IMMEDIATE", 0, 0, 0);
        for (long long i = 0; i < nrows; i++) {
            for (int k = 0; k < 15; k++) {
                if (rows[i].type[k] == SQLITE_INTEGER)
                    sqlite3_bind_int64(ins, k + 1, rows[i].iv[k]);
                else if (rows[i].type[k] == SQLITE_NULL)
                    sqlite3_bind_null(ins, k + 1);
                else if (rows[i].type[k] == SQLITE_TEXT)
                    sqlite3_bind_text(ins, k + 1, rows[i].p[k], rows[i].len[k], SQLITE_STATIC);
                else
                    sqlite3_bind_blob(ins, k + 1, rows[i].p[k], rows[i].len[k], SQLITE_STATIC);
            }
            sqlite3_step(ins);
            sqlite3_reset(ins);
        }
        sqlite3_exec(dst, "COMMIT", 0, 0, 0);
        double floor_us = now_us() - b0;
        sqlite3_finalize(ins);
        sqlite3_close(dst);
        sqlite3_close(src);
        free(rows);
        free(vals);
        arena_release(&a);
        store_close(&f.st);
        snprintf(label, sizeof label, "import n=%lld (seconds)", n);
        line(label, import_us / 1e6, "s", floor_us / 1e6, 2 * floor_us / 1e6, 1);
        printf("%-34s %10.2f s   (parse+validate+hash+encrypt %.2f s, write %.2f s)\n",
               "import breakdown", import_us / 1e6, res.parse_seconds, res.write_seconds);
    }
    printf("(checksum %lld)\n", sink % 7);
    free(g.rows);
    free(t);
    free(r);
    free(w);
    store_close(&c->st);
    unlink(csv);
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
