/* bench_import.c — a 1M-row bureau file imported (parse, validate, hash,
 * encrypt, sort, store, ranks: import_queue into an empty database) against
 * two floors, each timed in the same run and the medians of several runs
 * compared:
 *   indexed   the same final `entry` rows INSERTed in one transaction into
 *             an empty table whose indexes already exist (PERF.md's floor)
 *   bulk      the same rows INSERTed into the bare table, then every index
 *             created (CREATE INDEX after the load, in the same transaction)
 * Both floors copy the `entry` table's columns and indexes from the
 * imported database itself (pragma table_info / index_list / index_info and
 * sqlite_master), so they follow the schema when it changes; the rows are
 * read into memory first, so a floor times only the writing.  Durability
 * and page cache as the importer's bulk write (WAL, synchronous=FULL,
 * 256 MiB cache).  Target: ≤ 2× each floor. */
#include "tests/bench/bench_import.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/arena.h"
#include "kiosk/err.h"
#include "kiosk/importer.h"
#include "kiosk/queue_types.h"
#include "kiosk/store/store.h"
#include "tests/bench/bench_line.h"

#define MAX_COLS 32
#define MAX_IDX 16

struct value {
    int type;            /* SQLITE_INTEGER, _TEXT, _BLOB, _NULL (no floats in entry) */
    int len;
    long long iv;
    const void *p;
};

struct floor_src {
    char create_table[4096];
    char insert[4096];
    char *create_index[MAX_IDX];
    int n_index;
    int n_cols;          /* inserted columns: all but the INTEGER PRIMARY KEY */
    struct value *rows;  /* n_rows × n_cols */
    long long n_rows;
    struct arena arena;
};

/* Append sep then a to buf (bounded): no format strings built at run time. */
static void append(char *buf, size_t cap, const char *sep, const char *a)
{
    size_t l = strlen(buf);
    snprintf(buf + l, cap - l, "%s%s", sep, a);
}

static int sql_fail(sqlite3 *db, const char *what)
{
    fprintf(stderr, "bench_import: %s: %s\n", what, sqlite3_errmsg(db));
    return 1;
}

/* The entry table's shape, and its rows in memory. */
static int floor_read(const char *db_path, struct floor_src *f)
{
    sqlite3 *db;
    sqlite3_stmt *q = NULL;
    char select[4096] = "SELECT ";
    int rc = 1;
    memset(f, 0, sizeof *f);
    arena_init(&f->arena, 8 << 20);
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return sql_fail(db, db_path);
    snprintf(f->create_table, sizeof f->create_table, "CREATE TABLE entry (");
    snprintf(f->insert, sizeof f->insert, "INSERT INTO entry (");
    if (sqlite3_prepare_v2(db, "SELECT name, type, \"notnull\", pk FROM pragma_table_info('entry')",
                           -1, &q, NULL) != SQLITE_OK) {
        sql_fail(db, "table_info");
        goto out;
    }
    int all = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(q, 0);
        const char *type = (const char *)sqlite3_column_text(q, 1);
        bool pk = sqlite3_column_int(q, 3) == 1, nn = sqlite3_column_int(q, 2);
        append(f->create_table, sizeof f->create_table, all ? ", " : "", name);
        append(f->create_table, sizeof f->create_table, " ", type);
        if (pk)
            append(f->create_table, sizeof f->create_table, "", " PRIMARY KEY");
        else if (nn)
            append(f->create_table, sizeof f->create_table, "", " NOT NULL");
        all++;
        if (pk && !strcmp(type, "INTEGER"))
            continue;   /* the rowid: assigned on insert, as the importer's are */
        append(f->insert, sizeof f->insert, f->n_cols ? ", " : "", name);
        append(select, sizeof select, f->n_cols ? ", " : "", name);
        f->n_cols++;
    }
    sqlite3_finalize(q);
    q = NULL;
    append(f->create_table, sizeof f->create_table, "", ")");
    append(f->insert, sizeof f->insert, "", ") VALUES (");
    for (int k = 0; k < f->n_cols; k++) {
        char p[16];
        snprintf(p, sizeof p, "%s?%d", k ? "," : "", k + 1);
        append(f->insert, sizeof f->insert, "", p);
    }
    append(f->insert, sizeof f->insert, "", ")");
    append(select, sizeof select, "", " FROM entry ORDER BY rowid");
    if (f->n_cols == 0 || f->n_cols > MAX_COLS) {
        fprintf(stderr, "bench_import: entry has %d columns\n", f->n_cols);
        goto out;
    }

    /* indexes: the declared ones as written, the constraint ones (autoindexes) rebuilt */
    if (sqlite3_prepare_v2(db, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                               "tbl_name = 'entry'", -1, &q, NULL) != SQLITE_OK) {
        sql_fail(db, "indexes");
        goto out;
    }
    while (sqlite3_step(q) == SQLITE_ROW && f->n_index < MAX_IDX) {
        const char *name = (const char *)sqlite3_column_text(q, 0);
        const char *sql = (const char *)sqlite3_column_text(q, 1);
        char buf[1024];
        if (sql) {
            snprintf(buf, sizeof buf, "%s", sql);
        } else {
            snprintf(buf, sizeof buf, "CREATE UNIQUE INDEX floor_auto_%d ON entry (", f->n_index);
            sqlite3_stmt *ii;
            char iq[256];
            snprintf(iq, sizeof iq, "SELECT name FROM pragma_index_info('%s') ORDER BY seqno", name);
            if (sqlite3_prepare_v2(db, iq, -1, &ii, NULL) != SQLITE_OK) {
                sql_fail(db, "index_info");
                goto out;
            }
            int k = 0;
            while (sqlite3_step(ii) == SQLITE_ROW)
                append(buf, sizeof buf, k++ ? ", " : "", (const char *)sqlite3_column_text(ii, 0));
            sqlite3_finalize(ii);
            append(buf, sizeof buf, "", ")");
        }
        f->create_index[f->n_index++] = strdup(buf);
    }
    sqlite3_finalize(q);
    q = NULL;

    long long cap = 1 << 16;
    f->rows = malloc(sizeof *f->rows * (size_t)cap * (size_t)f->n_cols);
    if (!f->rows || sqlite3_prepare_v2(db, select, -1, &q, NULL) != SQLITE_OK) {
        sql_fail(db, "read rows");
        goto out;
    }
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (f->n_rows == cap) {
            cap *= 2;
            struct value *r = realloc(f->rows, sizeof *r * (size_t)cap * (size_t)f->n_cols);
            if (!r)
                goto out;
            f->rows = r;
        }
        struct value *v = &f->rows[f->n_rows++ * f->n_cols];
        for (int k = 0; k < f->n_cols; k++) {
            v[k].type = sqlite3_column_type(q, k);
            if (v[k].type == SQLITE_INTEGER) {
                v[k].iv = sqlite3_column_int64(q, k);
            } else if (v[k].type == SQLITE_TEXT || v[k].type == SQLITE_BLOB) {
                const void *p = v[k].type == SQLITE_TEXT ? (const void *)sqlite3_column_text(q, k)
                                                         : sqlite3_column_blob(q, k);
                v[k].len = sqlite3_column_bytes(q, k);
                v[k].p = v[k].len ? arena_dup(&f->arena, p, (size_t)v[k].len) : "";
            } else if (v[k].type != SQLITE_NULL) {
                fprintf(stderr, "bench_import: entry column %d holds a float\n", k);
                goto out;
            }
        }
    }
    rc = 0;
out:
    sqlite3_finalize(q);
    sqlite3_close(db);
    return rc;
}

static void floor_free(struct floor_src *f)
{
    for (int i = 0; i < f->n_index; i++)
        free(f->create_index[i]);
    free(f->rows);
    arena_release(&f->arena);
}

static void remove_db(const char *path)
{
    char side[600];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static int exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : sql_fail(db, sql);
}

/* One floor into a fresh file: indexes first (bulk false) or after the rows
 * (bulk true); *seconds gets the time from BEGIN to the end of COMMIT. */
static int floor_run(const struct floor_src *f, const char *path, bool bulk, double *seconds)
{
    sqlite3 *db;
    sqlite3_stmt *ins = NULL;
    int rc = 1;
    remove_db(path);
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return sql_fail(db, path);
    if (exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-262144") ||
        exec(db, f->create_table))
        goto out;
    if (sqlite3_prepare_v2(db, f->insert, -1, &ins, NULL) != SQLITE_OK) {
        sql_fail(db, f->insert);
        goto out;
    }
    double t0 = bench_now_us();
    if (exec(db, "BEGIN IMMEDIATE"))
        goto out;
    for (int i = 0; !bulk && i < f->n_index; i++)
        if (exec(db, f->create_index[i]))
            goto out;
    for (long long r = 0; r < f->n_rows; r++) {
        const struct value *v = &f->rows[r * f->n_cols];
        for (int k = 0; k < f->n_cols; k++) {
            if (v[k].type == SQLITE_INTEGER)
                sqlite3_bind_int64(ins, k + 1, v[k].iv);
            else if (v[k].type == SQLITE_NULL)
                sqlite3_bind_null(ins, k + 1);
            else if (v[k].type == SQLITE_TEXT)
                sqlite3_bind_text(ins, k + 1, v[k].p, v[k].len, SQLITE_STATIC);
            else
                sqlite3_bind_blob(ins, k + 1, v[k].p, v[k].len, SQLITE_STATIC);
        }
        if (sqlite3_step(ins) != SQLITE_DONE) {
            sql_fail(db, "insert");
            goto out;
        }
        sqlite3_reset(ins);
    }
    for (int i = 0; bulk && i < f->n_index; i++)
        if (exec(db, f->create_index[i]))
            goto out;
    if (exec(db, "COMMIT"))
        goto out;
    *seconds = (bench_now_us() - t0) / 1e6;
    rc = 0;
out:
    sqlite3_finalize(ins);
    sqlite3_close(db);
    remove_db(path);
    return rc;
}

/* The import again into a fresh database: seconds, or < 0. */
static double import_again(const char *path, const char *csv, const struct secret *sec,
                           struct import_result *res)
{
    static const struct actor admin = {.name = "bench", .roles = ROLE__ALL};
    struct store *st = NULL;
    int from, to;
    remove_db(path);
    int err = store_open(path, 1, &st);
    if (!err)
        err = st->ops->migrate(st, &from, &to);
    double t0 = bench_now_us();
    if (!err)
        err = import_queue(st, sec, &admin, "prh", csv, false, stderr, NULL, res);
    double s = (bench_now_us() - t0) / 1e6;
    if (err)
        kerr_print("bench_import", err);
    store_close(&st);
    remove_db(path);
    return err ? -1 : s;
}

int bench_import_figures(const char *dir, const char *db, const char *csv,
                         const struct secret *sec, long long n, double first_s,
                         const struct import_result *first)
{
    int runs = getenv("BENCH_IMPORT_RUNS") ? atoi(getenv("BENCH_IMPORT_RUNS")) : 3;
    if (runs < 1 || runs > 20)
        runs = 3;
    double imp[20], parse[20], write[20], fi[20], fb[20];
    imp[0] = first_s;
    parse[0] = first->parse_seconds;
    write[0] = first->write_seconds;
    char scratch[512];
    snprintf(scratch, sizeof scratch, "%s/import-again.db", dir);
    struct floor_src f;
    if (floor_read(db, &f)) {
        floor_free(&f);
        return 1;
    }
    if (f.n_rows != n) {
        fprintf(stderr, "bench_import: %lld rows in entry, expected %lld\n", f.n_rows, n);
        floor_free(&f);
        return 1;
    }
    int rc = 0;
    for (int r = 0; r < runs && !rc; r++) {
        struct import_result res;
        if (r > 0) {
            imp[r] = import_again(scratch, csv, sec, &res);
            parse[r] = res.parse_seconds;
            write[r] = res.write_seconds;
            if (imp[r] < 0)
                rc = 1;
        }
        if (!rc)
            rc = floor_run(&f, scratch, false, &fi[r]) || floor_run(&f, scratch, true, &fb[r]);
    }
    int nidx = f.n_index;
    floor_free(&f);
    if (rc)
        return 1;
    double mi = bench_median(imp, runs), mfi = bench_median(fi, runs), mfb = bench_median(fb, runs);
    char name[64];
    snprintf(name, sizeof name, "import n=%lld vs indexed insert", n);
    bench_line(name, mi, "s", mfi, 2 * mfi, true, "median of %d; target <= 2x the floor", runs);
    snprintf(name, sizeof name, "import n=%lld vs load+CREATE INDEX", n);
    bench_line(name, mi, "s", mfb, 2 * mfb, true, "median of %d; %d indexes; target <= 2x the floor",
               runs, nidx);
    printf("%-40s %10.3f s   (parse+validate+hash+encrypt %.2f s, write %.2f s; medians)\n",
           "import breakdown", mi, bench_median(parse, runs), bench_median(write, runs));
    fflush(stdout);
    return 0;
}
