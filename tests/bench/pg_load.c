/* pg_load.c — PERF.md's district load figure on PostgreSQL, and the
 * PostgreSQL import against its bare floor (make bench only; never make check).
 *
 * Driven by tests/bench/pg_load_bench.sh on a throwaway cluster
 * (tests/pg/cluster.sh), the database named by KIOSK_TEST_PG:
 *   pg_load setup  KEY HOUSEHOLDS
 *       site secret KEY (created), schema, `kioskctl demo`'s data (demo_fill,
 *       seed 1) for HOUSEHOLDS households on the three programs.
 *   pg_load load   KEY HOUSEHOLDS CLIENTS SECONDS RATE REFS
 *       first the reference: one client alone on the idle server doing the
 *       same look-ups; then CLIENTS threads, each its own connection
 *       (store_open), each a kiosk/console: queue_lookup_id of a random demo
 *       household (9 in 10) or bed_lookup_id (1 in 10), think time 100–500 ms;
 *       beside them WRITERS threads submit RATE bed applications per second
 *       on an open-loop schedule (submission k due at k/RATE s) with distinct
 *       demo elders that have none (households 40, 41, …).  Every
 *       acknowledged reference (bed_submit returned 0) is appended to REFS
 *       the moment it is acknowledged (flushed: a run cut short keeps them).
 *       PG_LOAD_FAILOVER=1 (tests/pg/test_failover_load.sh): the server is
 *       restarted or failed over during the window, so errors are expected —
 *       every client and writer keeps going on its own store, which
 *       reconnects by itself (store_pg_conn.c: back-off, non-blocking; a
 *       two-host URL with target_session_attrs=read-write finds the new
 *       primary).  No idle-server reference, no statement count; a line
 *       "pg load window open" when the window starts (the script times its
 *       fault from it); then the longest time with no successful look-up
 *       anywhere, the submissions acknowledged and failed, and whether
 *       every client's and writer's last attempt succeeded (recovered
 *       without a restart) — the exit status is 1 when one did not.
 *   pg_load verify KEY REFS
 *       after the script has crashed and restarted the server (pg_ctl -m
 *       immediate restart): every acknowledged reference must still be there
 *       (bed_show, stage submitted); the missing ones are "lost".
 *   pg_load import KEY ROWS
 *       a ROWS-row bureau file through import_queue (parse, validate, hash,
 *       encrypt, sort, COPY, ranks) into a fresh schema, then the bare floor
 *       in the same run: the same final rows (COPY entry TO STDOUT, held in
 *       memory) COPYed FROM STDIN in one transaction into an empty
 *       `LIKE entry INCLUDING ALL` table (same indexes, plus the foreign key).
 * Output: name value reference ratio target PASS|FAIL, like bench_pg. */
#include <errno.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/bureau_row.h"
#include "kiosk/demo.h"
#include "kiosk/eldercare.h"
static const char *nm(const char *what);
#include "kiosk/err.h"
#include "kiosk/idnum.h"
#include "kiosk/importer.h"
#include "kiosk/queue.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"
#include "tests/bench/bench_data.h"
#include "tests/pg/stmt_log.h"

#define SEED 1
#define WRITERS 8
#define N_ERR 32             /* error codes are 0 … -23 */
#define REF_SAMPLES 400      /* look-ups of the idle-server reference */
#define FIRST_FREE_ELDER 40  /* demo households 0..39 have applications */

/* A second load on the same database files its applications for other
 * elders: PG_LOAD_ELDER_OFFSET (0). */
static long long elder_offset(void)
{
    const char *o = getenv("PG_LOAD_ELDER_OFFSET");
    return o ? atoll(o) : 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
    for (int i = 0; i < 1000; i++) {     /* bounded: EINTR retries */
        double d = t - now_s();
        if (d <= 0)
            return;
        struct timespec ts = {.tv_sec = (time_t)d, .tv_nsec = (long)((d - (time_t)d) * 1e9)};
        if (nanosleep(&ts, NULL) == 0)
            return;
    }
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(double *v, long n, double p)
{
    if (n <= 0)
        return 0;
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return v[(long)(p * (double)(n - 1) + 0.5)];
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

static void quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

static PGconn *pg_connect(const char *url)
{
    PGconn *c = PQconnectdb(url);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "pg_load: %s", PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    PQsetNoticeProcessor(c, quiet, NULL);
    return c;
}

static int pg_sql(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        fprintf(stderr, "pg_load: %s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    return ok ? 0 : -1;
}

static long long pg_count(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    long long v = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) ? atoll(PQgetvalue(r, 0, 0)) : -1;
    PQclear(r);
    return v;
}

static const char *base_url(void)
{
    const char *u = getenv("KIOSK_TEST_PG");
    if (!u || !*u) {
        fprintf(stderr, "pg_load: KIOSK_TEST_PG is not set (tests/bench/pg_load_bench.sh starts a cluster)\n");
        return NULL;
    }
    return u;
}

static struct secret *load_key(const char *key, bool create)
{
    struct secret *sec = NULL;
    int err = create ? secret_create(key) : 0;
    if (err || (err = secret_load(key, &sec))) {
        kerr_print("pg_load", err);
        return NULL;
    }
    return sec;
}

/* ---- setup ---------------------------------------------------------------- */

static int cmd_setup(const char *url, const char *key, long long households)
{
    struct secret *sec = load_key(key, true);
    struct store *st = NULL;
    int from, to, err;
    if (!sec)
        return 1;
    if ((err = store_open(url, 1, &st)) || (err = st->ops->migrate(st, &from, &to))) {
        kerr_print("pg_load setup", err);
        return 1;
    }
    struct demo_summary sum;
    double t0 = now_s();
    err = demo_fill(st, sec, households, SEED, &sum);
    if (err) {
        kerr_print("pg_load demo", err);
        store_close(&st);
        secret_free(&sec);
        return 1;
    }
    printf("%-34s %10.2f s   (%lld households, %lld entries, %lld applications; demo_fill seed %d)\n",
           nm("setup"), now_s() - t0, households, sum.entries, sum.applications, SEED);
    store_close(&st);
    secret_free(&sec);
    return 0;
}

/* Transactions committed in the database so far (after waiting out the
 * statistics flush of backends that just exited; bounded). */
/* ---- load ----------------------------------------------------------------- */

struct shared {
    const char *url;             /* writes: the primary (or a pooler in front of it) */
    const char *read_url;        /* look-ups: url, or a hot standby (PG_LOAD_READ_URL) */
    const struct secret *sec;
    long long households;
    double t_start, t_end;       /* the measured window */
    double rate;
    long long n_submit;          /* submissions due in the window */
    int n_writers;
    int think_min_ms, think_max_ms;   /* a client's pause after each answer */
    volatile int go;             /* set once every connection is open (read after the barrier) */
    pthread_barrier_t ready;
    bool failover;               /* PG_LOAD_FAILOVER: the server goes away mid-window */
    FILE *refs;                  /* acknowledged references, one a line, as they come */
    pthread_mutex_t refs_mu;
};

struct client {
    struct shared *sh;
    int idx;
    bool connected;
    double *lat;                 /* seconds, one per look-up */
    long n_lat, cap_lat;
    long queue_lookups, bed_lookups, notfound;
    double *ok_at;               /* when each successful look-up was answered (failover) */
    long n_ok;
    bool last_ok;                /* its last look-up in the window was answered */
    long errs[N_ERR];
    char first_err[256];
};

struct writer {
    struct shared *sh;
    int idx;
    bool connected;
    long n_refs;                 /* acknowledged (each appended to sh->refs at once) */
    bool last_ok;                /* its last submission was acknowledged */
    double *lat;
    long n_lat;
    long late;                   /* started more than 1 s after it was due */
    double t_last;               /* when its last submission was answered */
    long errs[N_ERR];
    char first_err[256];
};

static void count_err(long errs[N_ERR], char first[256], int err)
{
    int k = -err;
    if (k < 0 || k >= N_ERR)
        k = N_ERR - 1;
    errs[k]++;
    if (!first[0])
        snprintf(first, 256, "%s: %s", kiosk_strerror(err), kerr_detail());
}

/* One kiosk/console look-up of a demo household: 9 in 10 the queue, 1 in 10
 * the home-care-bed applications (half of those of the demo elders that
 * have one).  Returns the error (KERR_NOTFOUND is an answer, not a failure). */
static int one_lookup(struct store *st, const struct secret *sec, long long households,
                      uint64_t *rng, struct queue_view *qv, struct bed_view *bv, bool *bed)
{
    char id[19], name[64];
    int n = 0, err;
    *bed = demo_rand(rng) % 10 == 0;
    if (*bed) {
        long long i = demo_rand(rng) % 2 ? (long long)(demo_rand(rng) % FIRST_FREE_ELDER)
                                         : (long long)(demo_rand(rng) % (uint64_t)households);
        demo_resident(SEED, i, id, name, sizeof name);
        err = bed_lookup_id(st, sec, id, "zh", bv, 4, &n);
        bed_view_wipe(bv, n);
    } else {
        long long i = (long long)(demo_rand(rng) % (uint64_t)households);
        demo_resident(SEED, i, id, name, sizeof name);
        err = queue_lookup_id(st, sec, id, NULL, qv, 4, &n);
        queue_view_wipe(qv, n);
    }
    return err;
}

/* The look-ups' connection: the primary's URL as it is; another (a hot
 * standby) read-only, as the kiosk opens [kiosk] database_read. */
static int open_reader(const char *read_url, const char *url, struct store **st)
{
    return strcmp(read_url, url) ? store_open_readonly(read_url, st) : store_open(url, 0, st);
}

static void *client_main(void *arg)
{
    struct client *c = arg;
    struct shared *sh = c->sh;
    struct store *st = NULL;
    uint64_t rng = 0xC11E47ULL * (uint64_t)(c->idx + 1);
    struct queue_view *qv = calloc(4, sizeof *qv);
    struct bed_view *bv = calloc(4, sizeof *bv);
    int err = open_reader(sh->read_url, sh->url, &st);
    if (err)
        count_err(c->errs, c->first_err, err);
    c->connected = !err;
    /* A kiosk keeps its connection (and its prepared statements) for
     * hours: unmeasured look-ups first (a queue one and a bed one, each
     * statement prepared and planned once), so the window measures the
     * steady state and not 200 connections preparing at once. */
    if (!err && qv && bv) {
        char id[19], name[64];
        int n;
        demo_resident(SEED, (long long)(demo_rand(&rng) % (uint64_t)sh->households), id, name,
                      sizeof name);
        queue_lookup_id(st, sh->sec, id, NULL, qv, 4, &n);
        queue_view_wipe(qv, n);
        demo_resident(SEED, (long long)(demo_rand(&rng) % FIRST_FREE_ELDER), id, name,
                      sizeof name);
        bed_lookup_id(st, sh->sec, id, "zh", bv, 4, &n);
        bed_view_wipe(bv, n);
    }
    pthread_barrier_wait(&sh->ready);
    if (err || !qv || !bv || !sh->go)
        goto out;
    /* a random phase over the think time, so 200 clients do not tick together */
    double t = sh->t_start +
               (double)(demo_rand(&rng) % (uint64_t)(sh->think_max_ms + 1)) / 1000.0;
    while (c->n_lat < c->cap_lat) {
        sleep_until(t);
        if (now_s() >= sh->t_end)
            break;
        bool bed;
        double a = now_s();
        err = one_lookup(st, sh->sec, sh->households, &rng, qv, bv, &bed);
        double b = now_s();
        c->lat[c->n_lat++] = b - a;
        if (bed)
            c->bed_lookups++;
        else
            c->queue_lookups++;
        c->last_ok = !err || err == KERR_NOTFOUND;
        if (c->last_ok && c->ok_at)
            c->ok_at[c->n_ok++] = b;
        if (err == KERR_NOTFOUND)
            c->notfound++;
        else if (err)
            count_err(c->errs, c->first_err, err);
        /* think time after the answer: PG_LOAD_THINK_MS="MIN,MAX" (100,500) */
        t = b + (sh->think_min_ms + (double)(demo_rand(&rng) %
                 (uint64_t)(sh->think_max_ms - sh->think_min_ms + 1))) / 1000.0;
    }
out:
    free(qv);
    free(bv);
    store_close(&st);
    return NULL;
}

static void *writer_main(void *arg)
{
    struct writer *w = arg;
    struct shared *sh = w->sh;
    struct store *st = NULL;
    struct bed_form *f = calloc(1, sizeof *f);
    int err = store_open(sh->url, 0, &st);
    if (err)
        count_err(w->errs, w->first_err, err);
    w->connected = !err;
    pthread_barrier_wait(&sh->ready);
    if (err || !f || !sh->go)
        goto out;
    /* submission k is due at t_start + k / rate; this writer takes every
     * n_writers-th.  Behind schedule it submits at once (nothing skipped). */
    for (long long k = w->idx; k < sh->n_submit; k += sh->n_writers) {
        double due = sh->t_start + (double)k / sh->rate;
        sleep_until(due);
        double a = now_s();
        if (a - due > 1.0)
            w->late++;
        memset(f, 0, sizeof *f);
        demo_resident(SEED, FIRST_FREE_ELDER + elder_offset() + k, f->elder_id, f->elder_name,
                      sizeof f->elder_name);
        snprintf(f->address, sizeof f->address, "罗湖区东门街道湖贝路%lld号", 1 + k % 200);
        f->services = BED_SVC_CARE_BED | (k % 2 ? BED_SVC_ALARM : BED_SVC_MEALS);
        f->consent = true;
        snprintf(f->kiosk_id, sizeof f->kiosk_id, "LH-LOAD-%02d", (int)(k % 40));
        struct actor resident = {.roles = 0};
        snprintf(resident.name, sizeof resident.name, "resident@%.50s", f->kiosk_id);
        char ref[33] = "";
        err = bed_submit(st, sh->sec, &resident, f, ref);
        w->t_last = now_s();
        w->lat[w->n_lat++] = w->t_last - a;
        w->last_ok = !err && ref[0];
        if (w->last_ok) {
            w->n_refs++;
            pthread_mutex_lock(&sh->refs_mu);
            fprintf(sh->refs, "%s\n", ref);
            fflush(sh->refs);   /* the script reads what was acknowledged, even after a crash */
            pthread_mutex_unlock(&sh->refs_mu);
        } else {
            count_err(w->errs, w->first_err, err ? err : KERR_DB);
        }
    }
out:
    if (f)
        secure_wipe(f, sizeof *f);
    free(f);
    store_close(&st);
    return NULL;
}

/* Busy and total jiffies of the whole machine (/proc/stat "cpu" line). */
static void cpu_jiffies(unsigned long long *busy, unsigned long long *total)
{
    unsigned long long v[10] = {0};
    *busy = *total = 0;
    FILE *f = fopen("/proc/stat", "r");
    if (!f)
        return;
    if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
               &v[4], &v[5], &v[6], &v[7]) == 8) {
        for (int i = 0; i < 8; i++)
            *total += v[i];
        *busy = *total - v[3] - v[4];   /* minus idle and iowait */
    }
    fclose(f);
}

static double proc_cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

static void print_errs(const char *who, const long errs[N_ERR], const char *first)
{
    long total = 0;
    for (int k = 1; k < N_ERR; k++)
        total += errs[k];
    printf("%-34s %10ld     (", who, total);
    const char *sep = "";
    for (int k = 1; k < N_ERR; k++)
        if (errs[k]) {
            printf("%s%s %ld", sep, kiosk_strerror(-k), errs[k]);
            sep = ", ";
        }
    printf("%s)%s%s\n", total ? "" : "none", first[0] ? " first: " : "", first);
}

/* PG_LOAD_FAILOVER: what the fault cost.  The gap is the longest time in
 * the window with no successful look-up by any client (the fault's, when
 * 20+ clients look up every 100–500 ms); "recovered": every client's and
 * writer's last attempt in the window succeeded on the store it had all
 * along (no restart, no new store).  Failed submissions are allowed — not
 * acknowledged, so a kiosk's outbox keeps them and files them once the
 * database is back (issue 13 item 4) — and counted.  Returns 1 when a
 * client or writer never connected or did not recover. */
static int failover_report(struct client *cl, int n_clients, const struct writer *wr,
                           const struct shared *sh, long acked, const long cerr[N_ERR],
                           const char *cfirst, const long werr[N_ERR], const char *wfirst)
{
    long n_ok = 0, c_conn = 0, c_back = 0, w_conn = 0, w_back = 0, failed = 0;
    for (int i = 0; i < n_clients; i++) {
        n_ok += cl[i].n_ok;
        c_conn += cl[i].connected;
        c_back += cl[i].last_ok;
    }
    for (int i = 0; i < WRITERS; i++) {
        w_conn += wr[i].connected;
        w_back += wr[i].last_ok;
    }
    for (int k = 1; k < N_ERR; k++)
        failed += werr[k];
    double *at = malloc(sizeof *at * (size_t)(n_ok + 2));
    long m = 0;
    at[m++] = sh->t_start;
    for (int i = 0; i < n_clients; i++)
        for (long k = 0; k < cl[i].n_ok; k++)
            at[m++] = cl[i].ok_at[k];
    at[m++] = sh->t_end;
    qsort(at, (size_t)m, sizeof *at, cmp_d);
    double gap = 0, gap_from = 0;
    for (long k = 1; k < m; k++)
        if (at[k] - at[k - 1] > gap) {
            gap = at[k] - at[k - 1];
            gap_from = at[k - 1] - sh->t_start;
        }
    free(at);
    /* each client's own longest wait between two answers (think time included):
     * how long one kiosk could not look anyone up */
    double *own = malloc(sizeof *own * (size_t)(n_clients + 1));
    for (int i = 0; i < n_clients; i++) {
        own[i] = 0;
        for (long k = 1; k < cl[i].n_ok; k++)
            if (cl[i].ok_at[k] - cl[i].ok_at[k - 1] > own[i])
                own[i] = cl[i].ok_at[k] - cl[i].ok_at[k - 1];
    }
    double own_med = pct(own, n_clients, 0.5), own_max = n_clients ? own[n_clients - 1] : 0;
    free(own);
    printf("%-34s %10.2f s   (no successful look-up from %.2f s to %.2f s into the window)\n",
           nm("lookup gap"), gap, gap_from, gap_from + gap);
    printf("%-34s %10.2f s   (one client's longest wait between answers, think time included; "
           "median client %.2f s)\n",
           nm("lookup gap, worst client"), own_max, own_med);
    printf("%-34s %10ld     (of %d; %ld connected at the start; their last look-up answered)\n",
           nm("clients recovered"), c_back, n_clients, c_conn);
    print_errs(nm("lookup errors"), cerr, cfirst);
    printf("%-34s %10ld     (of %lld due; each appended to the refs file when acknowledged)\n",
           nm("submissions acknowledged"), acked, sh->n_submit);
    printf("%-34s %10ld     (not acknowledged: allowed — a kiosk's outbox keeps them)\n",
           nm("submissions failed"), failed);
    print_errs(nm("submission errors"), werr, wfirst);
    printf("%-34s %10ld     (of %d; %ld connected at the start; their last submission acknowledged)\n",
           nm("writers recovered"), w_back, WRITERS, w_conn);
    fflush(stdout);
    for (int i = 0; i < n_clients; i++)
        free(cl[i].ok_at);
    return c_conn == n_clients && c_back == n_clients && w_conn == WRITERS && w_back == WRITERS &&
                   acked > 0
               ? 0
               : 1;
}

/* The reference: the same look-ups by one client alone on the idle server,
 * and how many statements one costs, as the server logged them
 * (tests/pg/stmt_log.h; not xact_commit, which other traffic moves). */
static int reference(const char *read_url, const char *write_url, const struct secret *sec,
                     long long households, double *ref_med, double *ref_p99, int *ref_err,
                     double *stmts, double *bed_stmts)
{
    struct store *st = NULL;
    int err = open_reader(read_url, write_url, &st);
    if (err) {
        kerr_print("pg_load", err);
        return 1;
    }
    struct queue_view *qv = calloc(4, sizeof *qv);
    struct bed_view *bv = calloc(4, sizeof *bv);
    double *ref_lat = calloc(REF_SAMPLES, sizeof *ref_lat);
    uint64_t rng = 0x5EF;
    for (int pass = 0; pass < 2; pass++)   /* the first pass warms caches and statements */
        for (int i = 0; i < REF_SAMPLES; i++) {
            bool bed;
            double a = now_s();
            err = one_lookup(st, sec, households, &rng, qv, bv, &bed);
            ref_lat[i] = now_s() - a;
            if (err && err != KERR_NOTFOUND)
                (*ref_err)++;
        }
    *ref_med = pct(ref_lat, REF_SAMPLES, 0.5);
    *ref_p99 = pct(ref_lat, REF_SAMPLES, 0.99);
    free(ref_lat);
    struct stmt_log sl;
    int n_count = REF_SAMPLES / 4, n;
    if (stmt_log_start(st, "pg_load_queue", &sl) == 0) {
        for (int i = 0; i < n_count; i++) {
            char id[19], name[64];
            demo_resident(SEED, (long long)(demo_rand(&rng) % (uint64_t)households), id, name,
                          sizeof name);
            queue_lookup_id(st, sec, id, NULL, qv, 4, &n);
        }
        int logged = stmt_log_stop(st, &sl);
        *stmts = logged >= 0 ? (double)logged / n_count : -1;
    }
    if (stmt_log_start(st, "pg_load_bed", &sl) == 0) {
        for (int i = 0; i < n_count; i++) {
            char id[19], name[64];
            demo_resident(SEED, (long long)(demo_rand(&rng) % FIRST_FREE_ELDER), id, name,
                          sizeof name);
            bed_lookup_id(st, sec, id, "zh", bv, 4, &n);
        }
        int logged = stmt_log_stop(st, &sl);
        *bed_stmts = logged >= 0 ? (double)logged / n_count : -1;
    }
    store_close(&st);
    free(qv);
    free(bv);
    return 0;
}

static int cmd_load(const char *url, const char *key, long long households, int n_clients,
                    double seconds, double rate, const char *refs_path)
{
    struct secret *sec = load_key(key, false);
    if (!sec)
        return 1;
    /* PG_LOAD_READ_URL: look-ups on a hot standby (issue 13 item 6), or
     * through a pooler; PG_LOAD_WRITE_URL: the submissions through a
     * pooler.  PG_LOAD_READ_PGDATA: the server log that counts the
     * look-up's statements when they run on another server. */
    const char *ru = getenv("PG_LOAD_READ_URL"), *wu = getenv("PG_LOAD_WRITE_URL");
    const char *read_url = ru && *ru ? ru : url, *write_url = wu && *wu ? wu : url;
    const char *rdata = getenv("PG_LOAD_READ_PGDATA");
    if (rdata && *rdata)
        setenv("KIOSK_TEST_PGDATA", rdata, 1);
    const char *fo = getenv("PG_LOAD_FAILOVER");
    bool failover = fo && !strcmp(fo, "1");
    double ref_med = 0, ref_p99 = 0, stmts = -1, bed_stmts = -1;
    int ref_err = 0;
    if (!failover && reference(read_url, write_url, sec, households, &ref_med, &ref_p99, &ref_err,
                               &stmts, &bed_stmts))
        return 1;
    FILE *rf = fopen(refs_path, "w");
    if (!rf) {
        fprintf(stderr, "pg_load: %s: %s\n", refs_path, strerror(errno));
        return 1;
    }
    struct shared sh = {.url = write_url, .read_url = read_url, .sec = sec, .households = households, .rate = rate,
                        .n_writers = WRITERS, .failover = failover, .refs = rf};
    pthread_mutex_init(&sh.refs_mu, NULL);
    sh.n_submit = (long long)(rate * seconds + 0.5);
    int n_threads = n_clients + WRITERS + 1;       /* + this thread */
    pthread_barrier_init(&sh.ready, NULL, (unsigned)n_threads);
    struct client *cl = calloc((size_t)n_clients, sizeof *cl);
    struct writer *wr = calloc(WRITERS, sizeof *wr);
    pthread_t *tid = calloc((size_t)(n_clients + WRITERS), sizeof *tid);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 1 << 20);
    int started = 0;
    double t_conn = now_s();
    for (int i = 0; i < n_clients; i++) {
        cl[i] = (struct client){.sh = &sh, .idx = i, .cap_lat = (long)(seconds / 0.1) + 8};
        cl[i].lat = calloc((size_t)cl[i].cap_lat, sizeof *cl[i].lat);
        if (failover)
            cl[i].ok_at = calloc((size_t)cl[i].cap_lat, sizeof *cl[i].ok_at);
        if (pthread_create(&tid[started], &attr, client_main, &cl[i]) == 0)
            started++;
        else
            break;
    }
    long per_writer = (long)(sh.n_submit / WRITERS) + 2;
    for (int i = 0; i < WRITERS && started == n_clients + i; i++) {
        wr[i] = (struct writer){.sh = &sh, .idx = i};
        wr[i].lat = calloc((size_t)per_writer, sizeof *wr[i].lat);
        if (pthread_create(&tid[started], &attr, writer_main, &wr[i]) == 0)
            started++;
    }
    if (started != n_threads - 1) {
        /* cannot happen short of resource limits; the barrier would never open */
        fprintf(stderr, "pg_load: only %d of %d threads started\n", started, n_threads - 1);
        _exit(1);
    }
    /* every connection open (or failed): start the window together */
    sh.t_start = now_s() + 0.2;
    sh.t_end = sh.t_start + seconds;
    sh.think_min_ms = 100;
    sh.think_max_ms = 500;
    const char *think = getenv("PG_LOAD_THINK_MS");
    if (think && sscanf(think, "%d,%d", &sh.think_min_ms, &sh.think_max_ms) == 2 &&
        (sh.think_min_ms < 0 || sh.think_max_ms < sh.think_min_ms)) {
        sh.think_min_ms = 100;
        sh.think_max_ms = 500;
    }
    sh.go = 1;
    pthread_barrier_wait(&sh.ready);
    double conn_s = now_s() - t_conn;
    if (failover) {
        sleep_until(sh.t_start);
        printf("pg load window open\n");   /* the script's fault is timed from here */
        fflush(stdout);
    }

    unsigned long long b0, j0, b1, j1;
    cpu_jiffies(&b0, &j0);
    double cpu0 = proc_cpu_s();
    /* mid-window: what the server sees */
    sleep_until(sh.t_start + seconds / 2);
    long long backends = -1, waiting_lock = -1;
    PGconn *mon = failover ? NULL : pg_connect(url);   /* (the server may be away mid-window) */
    if (mon) {
        backends = pg_count(mon, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()");
        waiting_lock = pg_count(mon, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'");
        PQfinish(mon);
    }
    sleep_until(sh.t_end);
    cpu_jiffies(&b1, &j1);
    double cpu1 = proc_cpu_s();
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    pthread_barrier_destroy(&sh.ready);
    pthread_attr_destroy(&attr);

    /* gather */
    long total_lat = 0, connected = 0, ql = 0, bl = 0, nf = 0;
    long cerr[N_ERR] = {0}, werr[N_ERR] = {0};
    char cfirst[256] = "", wfirst[256] = "";
    for (int i = 0; i < n_clients; i++) {
        total_lat += cl[i].n_lat;
        connected += cl[i].connected;
        ql += cl[i].queue_lookups;
        bl += cl[i].bed_lookups;
        nf += cl[i].notfound;
        for (int k = 0; k < N_ERR; k++)
            cerr[k] += cl[i].errs[k];
        if (!cfirst[0] && cl[i].first_err[0])
            snprintf(cfirst, sizeof cfirst, "%s", cl[i].first_err);
    }
    double *all = malloc(sizeof *all * (size_t)(total_lat + 1));
    long m = 0;
    for (int i = 0; i < n_clients; i++) {
        memcpy(all + m, cl[i].lat, sizeof *all * (size_t)cl[i].n_lat);
        m += cl[i].n_lat;
    }
    long acked = 0, wl = 0, late = 0, wconn = 0;
    for (int i = 0; i < WRITERS; i++) {
        acked += wr[i].n_refs;
        wl += wr[i].n_lat;
        late += wr[i].late;
        wconn += wr[i].connected;
        for (int k = 0; k < N_ERR; k++)
            werr[k] += wr[i].errs[k];
        if (!wfirst[0] && wr[i].first_err[0])
            snprintf(wfirst, sizeof wfirst, "%s", wr[i].first_err);
    }
    double *wlat = malloc(sizeof *wlat * (size_t)(wl + 1));
    long mw = 0;
    for (int i = 0; i < WRITERS; i++) {
        memcpy(wlat + mw, wr[i].lat, sizeof *wlat * (size_t)wr[i].n_lat);
        mw += wr[i].n_lat;
    }
    /* submissions per second over the window, or longer if they ran late
     * (the writers' own last answer, not the clients' last think time) */
    double t_sub_end = sh.t_start;
    for (int i = 0; i < WRITERS; i++)
        if (wr[i].t_last > t_sub_end)
            t_sub_end = wr[i].t_last;
    double span = t_sub_end - sh.t_start;
    double sub_window = (double)sh.n_submit / rate;
    double sub_span = span > sub_window + 0.5 ? span : sub_window;
    double achieved = (double)acked / sub_span;

    pthread_mutex_destroy(&sh.refs_mu);
    if (fflush(rf) || fsync(fileno(rf)) || fclose(rf)) {
        fprintf(stderr, "pg_load: %s: %s\n", refs_path, strerror(errno));
        return 1;
    }
    int rc = 0;
    if (failover) {
        rc = failover_report(cl, n_clients, wr, &sh, acked, cerr, cfirst, werr, wfirst);
        goto done;
    }

    if (read_url != url || write_url != url)
        printf("%-34s            (look-ups: %s; submissions: %s)\n", nm("servers"),
               ru && *ru ? "PG_LOAD_READ_URL" : "the primary",
               wu && *wu ? "PG_LOAD_WRITE_URL" : "the primary");
    printf("%-34s %10ld     (+%ld writers; %d asked; all open in %.2f s; %lld backends "
           "on the db mid-run, %lld waiting on a lock)\n",
           nm("clients connected"), connected, wconn, n_clients, conn_s, backends, waiting_lock);
    printf("%-34s %10ld     (%ld queue, %ld bed, %ld found nothing; %.0f/s over %.0f s; "
           "ref: %d alone, %d errors)\n",
           nm("lookups"), total_lat, ql, bl, nf, (double)total_lat / seconds, seconds,
           REF_SAMPLES, ref_err);
    printf("%-34s %10.1f     (SQL statements per queue look-up, server log; bed look-up: %.1f)\n",
           nm("statements/lookup"), stmts, bed_stmts);
    double med = pct(all, m, 0.5), p99 = pct(all, m, 0.99), mx = m ? all[m - 1] : 0;
    line(nm("lookup median"), med * 1e3, "ms", ref_med * 1e3, 20.0, 1);
    line(nm("lookup p99"), p99 * 1e3, "ms", ref_p99 * 1e3, 20.0, 1);
    printf("%-34s %10.2f ms  (slowest look-up)\n", nm("lookup max"), mx * 1e3);
    print_errs(nm("lookup errors"), cerr, cfirst);
    line(nm("submissions/s"), achieved, "/s", rate, rate, 0);
    double wmed = pct(wlat, mw, 0.5), wp99 = pct(wlat, mw, 0.99), wmax = mw ? wlat[mw - 1] : 0;
    printf("%-34s %10ld     (%lld due in %.0f s by %d writers; %ld started >1 s late; "
           "latency median %.1f ms, p99 %.1f ms, max %.1f ms)\n",
           nm("submissions acknowledged"), acked, sh.n_submit, sub_window, WRITERS, late,
           wmed * 1e3, wp99 * 1e3, wmax * 1e3);
    print_errs(nm("submission errors"), werr, wfirst);
    double busy = j1 > j0 ? (double)(b1 - b0) / (double)(j1 - j0) : 0;
    printf("%-34s %10.0f %%   (machine, %ld cores; this client process %.0f%% of one core, the "
           "rest is the server and others)\n",
           nm("cpu busy"), busy * 100, sysconf(_SC_NPROCESSORS_ONLN),
           (cpu1 - cpu0) / seconds * 100);
    fflush(stdout);
    for (int k = 1; k < N_ERR; k++)
        rc |= cerr[k] || werr[k];
    rc |= connected != n_clients;
done:
    for (int i = 0; i < n_clients; i++)
        free(cl[i].lat);
    for (int i = 0; i < WRITERS; i++)
        free(wr[i].lat);
    free(all);
    free(wlat);
    free(cl);
    free(wr);
    free(tid);
    secret_free(&sec);
    return rc ? 1 : 0;
}

/* ---- verify: every acknowledged submission is there -------------------- */

static int cmd_verify(const char *url, const char *key, const char *refs_path)
{
    struct secret *sec = load_key(key, false);
    struct store *st = NULL;
    int err;
    if (!sec)
        return 1;
    if ((err = store_open(url, 0, &st))) {
        kerr_print("pg_load verify", err);
        return 1;
    }
    FILE *rf = fopen(refs_path, "r");
    if (!rf) {
        fprintf(stderr, "pg_load: %s: %s\n", refs_path, strerror(errno));
        return 1;
    }
    struct bed_detail *d = calloc(1, sizeof *d);
    char ref[64];
    long checked = 0, lost = 0, wrong_stage = 0;
    char first[128] = "";
    while (d && fgets(ref, sizeof ref, rf) && checked < 10000000) {
        ref[strcspn(ref, "\r\n")] = 0;
        if (!ref[0])
            continue;
        checked++;
        err = bed_show(st, sec, ref, "zh", d);
        if (err) {
            lost++;
            if (!first[0])
                snprintf(first, sizeof first, "%s: %s", ref, kiosk_strerror(err));
        } else if (d->view.stage != BS_SUBMITTED) {
            wrong_stage++;
        }
        bed_view_wipe(&d->view, 1);
    }
    fclose(rf);
    free(d);
    store_close(&st);
    secret_free(&sec);
    char what[64];
    snprintf(what, sizeof what, "lost (of %ld acked)", checked);
    line(nm(what), (double)lost, "", 0, 0, 1);
    printf("%-34s %10ld     (checked with bed_show after an immediate-mode server restart%s%s)\n",
           nm("acked not 'submitted'"), wrong_stage, first[0] ? "; first lost: " : "", first);
    return lost || wrong_stage ? 1 : 0;
}

/* ---- import vs its floor -------------------------------------------------- */

struct chunk {
    char *buf;
    int len;
};

static int cmd_import(const char *base, const char *key, long long n)
{
    struct secret *sec = load_key(key, true);
    if (!sec)
        return 1;
    char dir[] = "/tmp/kiosk-pg-load-XXXXXX", csv[96], url[512];
    if (!mkdtemp(dir))
        return 1;
    snprintf(csv, sizeof csv, "%s/list.csv", dir);
    if (bench_write_csv(csv, n, 7 + (uint64_t)n)) {
        fprintf(stderr, "pg_load: cannot write %s\n", csv);
        return 1;
    }
    PGconn *adm = pg_connect(base);
    if (!adm || pg_sql(adm, "DROP SCHEMA IF EXISTS imp CASCADE; CREATE SCHEMA imp"))
        return 1;
    snprintf(url, sizeof url, "%s?options=-csearch_path%%3Dimp", base);
    struct store *st = NULL;
    int from, to, err;
    if ((err = store_open(url, 1, &st)) || (err = st->ops->migrate(st, &from, &to))) {
        kerr_print("pg_load import", err);
        return 1;
    }
    struct actor admin = {.name = "bench", .roles = ROLE__ALL};
    struct import_result res;
    double t0 = now_s();
    err = import_queue(st, sec, &admin, "prh", csv, false, stderr, NULL, &res);
    double import_s = now_s() - t0;
    store_close(&st);
    unlink(csv);
    rmdir(dir);
    if (err) {
        kerr_print("pg_load import", err);
        return 1;
    }

    /* the floor: the same final rows, held in memory, COPYed into an empty
     * table with the same indexes (and the foreign key) in one transaction */
    PGconn *c = pg_connect(url);
    if (!c || pg_sql(c, "CREATE TABLE entry_floor (LIKE entry INCLUDING ALL); "
                        "ALTER TABLE entry_floor ADD FOREIGN KEY (program_id) REFERENCES program(id)"))
        return 1;
    long cap = 1 << 16, nch = 0;
    long long bytes = 0;
    struct chunk *ch = malloc(sizeof *ch * (size_t)cap);
    PGresult *r = PQexec(c, "COPY entry TO STDOUT");
    if (PQresultStatus(r) != PGRES_COPY_OUT) {
        fprintf(stderr, "pg_load: COPY TO: %s", PQerrorMessage(c));
        return 1;
    }
    PQclear(r);
    for (;;) {
        char *buf = NULL;
        int len = PQgetCopyData(c, &buf, 0);
        if (len < 0)
            break;
        if (nch == cap) {
            cap *= 2;
            ch = realloc(ch, sizeof *ch * (size_t)cap);
        }
        ch[nch++] = (struct chunk){buf, len};
        bytes += len;
    }
    PQclear(PQgetResult(c));
    double f0 = now_s();
    int ok = pg_sql(c, "BEGIN") == 0;
    r = PQexec(c, "COPY entry_floor FROM STDIN");
    ok = ok && PQresultStatus(r) == PGRES_COPY_IN;
    PQclear(r);
    for (long i = 0; i < nch && ok; i++)
        ok = PQputCopyData(c, ch[i].buf, ch[i].len) == 1;
    ok = ok && PQputCopyEnd(c, NULL) == 1;
    r = PQgetResult(c);
    ok = ok && PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    ok = ok && pg_sql(c, "COMMIT") == 0;
    double floor_s = now_s() - f0;
    for (long i = 0; i < nch; i++)
        PQfreemem(ch[i].buf);
    free(ch);
    if (!ok) {
        fprintf(stderr, "pg_load: floor COPY failed: %s", PQerrorMessage(c));
        return 1;
    }
    long long floor_rows = pg_count(c, "SELECT count(*) FROM entry_floor");
    PQfinish(c);
    pg_sql(adm, "DROP SCHEMA imp CASCADE");
    PQfinish(adm);
    secret_free(&sec);
    char label[64];
    snprintf(label, sizeof label, "pg import n=%lld (seconds)", n);
    line(label, import_s, "s", floor_s, 2 * floor_s, 1);
    printf("%-34s %10.2f s   (parse+validate+hash+encrypt %.2f s, write %.2f s; floor: COPY of "
           "%lld rows, %.0f MB text, into LIKE entry INCLUDING ALL + FK, one transaction)\n",
           "pg import breakdown", import_s, res.parse_seconds, res.write_seconds, floor_rows,
           (double)bytes / 1e6);
    return 0;
}

/* Names of the printed figures: "pg load …", or "pg load (LABEL) …" when
 * PG_LOAD_LABEL is set (the script runs a kiosk-pace and a stress load). */
static const char *nm(const char *what)
{
    static char buf[4][96];
    static int k;
    const char *label = getenv("PG_LOAD_LABEL");
    k = (k + 1) % 4;
    if (label && *label)
        snprintf(buf[k], sizeof buf[k], "pg load (%s) %s", label, what);
    else
        snprintf(buf[k], sizeof buf[k], "pg load %s", what);
    return buf[k];
}

int main(int argc, char **argv)
{
    const char *url = base_url();
    if (!url)
        return 1;
    if (argc == 4 && !strcmp(argv[1], "setup"))
        return cmd_setup(url, argv[2], atoll(argv[3]));
    if (argc == 8 && !strcmp(argv[1], "load")) {
        long long h = atoll(argv[3]);
        int clients = atoi(argv[4]);
        double secs = atof(argv[5]), rate = atof(argv[6]);
        if (h < 1000 || clients < 1 || clients > 1000 || secs < 1 || secs > 600 || rate <= 0 ||
            rate > 1000) {
            fprintf(stderr, "pg_load load: households >= 1000, clients 1..1000, seconds 1..600, "
                            "rate 0..1000\n");
            return 2;
        }
        if (FIRST_FREE_ELDER + elder_offset() + (long long)(rate * secs) >= h) {
            fprintf(stderr, "pg_load load: not enough households for %g distinct elders\n", rate * secs);
            return 2;
        }
        return cmd_load(url, argv[2], h, clients, secs, rate, argv[7]);
    }
    if (argc == 4 && !strcmp(argv[1], "verify"))
        return cmd_verify(url, argv[2], argv[3]);
    if (argc == 4 && !strcmp(argv[1], "import"))
        return cmd_import(url, argv[2], atoll(argv[3]));
    fprintf(stderr, "usage: pg_load setup KEY HOUSEHOLDS | load KEY HOUSEHOLDS CLIENTS SECONDS RATE REFS"
                    " | verify KEY REFS | import KEY ROWS\n");
    return 2;
}
