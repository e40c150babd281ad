/* bench_console.c — the staff console's PERF.md figures, on the core calls
 * the console makes (kiosk/console.c load_page and the jump):
 *   console_page   next page of 40 rows from a random position in a 1M-row
 *                  queue: a read snapshot, the total, store page(40), and the
 *                  decrypt + mask of the 40 identities the list shows
 *   console_jump   jump to position N: entry_at(N) (Fenwick descent), then the
 *                  same page from N
 * Reference, same run: the plain SQL way to page, ORDER BY skey LIMIT 40
 * OFFSET N-1 over the waiting index (grows with N).
 * The list is built through importer.h's import_batch_* (like kioskctl demo).
 * Output: name value reference ratio target PASS|FAIL (medians).
 * usage: bench_console [N] (default 1000000) */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/arena.h"
#include "kiosk/bureau_row.h"
#include "kiosk/err.h"
#include "kiosk/idnum.h"
#include "kiosk/importer.h"
#include "kiosk/queue.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"
#include "kiosk/store/sqlite/store_sqlite.h"

#define REPS 300

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

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return v[n / 2];
}

static void line(const char *name, double value, double ref, double target)
{
    printf("%-28s %10.3f ms ref %10.3f ms ratio %8.3f  target <=%.0f ms %s\n", name, value, ref,
           ref > 0 ? value / ref : 0, target, value <= target ? "PASS" : "FAIL");
    fflush(stdout);
}

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

struct page_ctx {
    const struct secret *sec;
    int n;
};

/* What view_queue does with each row: decrypt, mask, wipe. */
static int show_row(void *ctx, const struct entry_row *e)
{
    struct page_ctx *p = ctx;
    char id[19], name[257], idm[24], nm[96];
    if (queue_unseal(p->sec, e, id, name, sizeof name) == 0) {
        idnum_mask(id, idm, sizeof idm);
        name_mask(name, nm, sizeof nm);
    }
    secure_wipe(id, sizeof id);
    secure_wipe(name, sizeof name);
    p->n++;
    return 0;
}

static int page_at(struct store *st, const struct secret *sec, int pid, long long pos)
{
    const struct queue_store_ops *q = store_queue(st);
    long long total;
    struct page_ctx pc = {sec, 0};
    int err = st->ops->begin_read(st);
    if (!err && !(err = q->total(st, pid, &total)))
        err = q->page(st, pid, pos, 40, show_row, &pc);
    if (err) {
        store_rollback(st);
        return err;
    }
    return store_commit(st) ? -1 : pc.n;
}

int main(int argc, char **argv)
{
    long long n = argc > 1 ? atoll(argv[1]) : 1000000;
    char dir[] = "/tmp/bench_console.XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char db[64], key[64];
    snprintf(db, sizeof db, "%s/b.db", dir);
    snprintf(key, sizeof key, "%s/b.db.key", dir);
    struct store *st = NULL;
    struct secret *sec = NULL;
    int from, to, err;
    struct program p;
    if ((err = secret_create(key)) || (err = secret_load(key, &sec)) ||
        (err = store_open(db, 1, &st)) || (err = st->ops->migrate(st, &from, &to)) ||
        (err = store_queue(st)->program_get(st, "prh", &p))) {
        kerr_print("bench_console", err);
        return 1;
    }
    /* the list, through the importer's batch (validated rows → sealed, keyed, ranked) */
    double t0 = now_us();
    struct arena ar;
    arena_init(&ar, 1 << 20);
    struct import_batch b;
    if ((err = import_batch_init(&b, &p, sec, &ar))) {
        kerr_print("bench_console", err);
        return 1;
    }
    uint64_t s = 42;
    for (long long i = 0; i < n; i++) {
        struct bureau_row r;
        memset(&r, 0, sizeof r);
        snprintf(r.receipt_no, sizeof r.receipt_no, "BHJ%08lld", i);
        char first17[24];
        snprintf(first17, sizeof first17, "4403%02d19%02d%02d%02d%03d", (int)(3 + i / 10000000 % 7),
                 (int)(50 + i / 336000 % 50), (int)(1 + i / 1000 % 12), (int)(1 + i / 12000 % 28),
                 (int)(i % 1000));
        memcpy(r.id_number, first17, 17);
        r.id_number[17] = idnum_check_char(first17);
        snprintf(r.name, sizeof r.name, "测试%lld", i % 997);
        r.household_size = 1 + (int)(i % 5);
        snprintf(r.hukou_district, sizeof r.hukou_district, "罗湖区");
        r.tier = rnd(&s) % 10 == 0 ? 0 : 1;
        r.wait_since = 14000 + (int32_t)(rnd(&s) % 6000);
        r.insured_since = r.hukou_since = DATE_NONE;
        r.lottery_no = (int64_t)(rnd(&s) % 100000);
        r.status = ST_WAITING;
        if ((err = import_batch_add(&b, &r))) {
            kerr_print("bench_console", err);
            return 1;
        }
    }
    struct actor admin = {.name = "bench", .roles = ROLE__ALL};
    struct import_result res;
    if ((err = import_batch_commit(st, &b, &admin, "bench", &res))) {
        kerr_print("bench_console", err);
        return 1;
    }
    import_batch_free(&b);
    arena_release(&ar);
    printf("# %lld waiting entries built in %.1f s\n", n, (now_us() - t0) / 1e6);

    long long total = 0;
    store_queue(st)->total(st, p.id, &total);
    static double pg[REPS], jp[REPS], ref[REPS];
    uint64_t rs = 7;
    struct entry_row e;
    for (int i = 0; i < REPS; i++) {
        long long pos = 1 + (long long)(rnd(&rs) % (uint64_t)(total - 40));
        double a = now_us();
        if (page_at(st, sec, p.id, pos) != 40)
            return 1;
        pg[i] = (now_us() - a) / 1000;
        pos = 1 + (long long)(rnd(&rs) % (uint64_t)(total - 40));
        a = now_us();
        if (store_queue(st)->entry_at(st, p.id, pos, &e) || page_at(st, sec, p.id, pos) != 40)
            return 1;
        jp[i] = (now_us() - a) / 1000;
    }
    /* reference: OFFSET paging over the waiting index (first the same decrypt work) */
    sqlite3 *raw = sq(st)->db;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(raw, "SELECT receipt_no, sealed FROM entry WHERE program_id = ?1 AND "
                                "status = 0 ORDER BY slot, skey LIMIT 40 OFFSET ?2", -1, &q,
                           NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_console: %s\n", sqlite3_errmsg(raw));
        return 1;
    }
    int nref = REPS / 10;
    for (int i = 0; i < nref; i++) {
        long long pos = 1 + (long long)(rnd(&rs) % (uint64_t)(total - 40));
        double a = now_us();
        sqlite3_bind_int(q, 1, p.id);
        sqlite3_bind_int64(q, 2, pos - 1);
        int rows = 0;
        while (sqlite3_step(q) == SQLITE_ROW)
            rows++;
        sqlite3_reset(q);
        ref[i] = (now_us() - a) / 1000;
        if (rows != 40)
            return 1;
    }
    sqlite3_finalize(q);
    double refm = median(ref, nref);
    line("console_page_40_at_random", median(pg, REPS), refm, 2);
    line("console_jump_to_N", median(jp, REPS), refm, 5);
    store_close(&st);
    secret_free(&sec);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : 1;
}
