/* testdb.h — a fresh real database and site secret in a temp directory for
 * one test, and small helpers to fill a program's list.  Header-only
 * (static functions) so each test program includes it.
 *
 * The same tests are the storage contract suite for both backends
 * (SPEC §7): by default the database is a new SQLite file; with
 * KIOSK_TEST_DB=pg it is a new schema in the PostgreSQL database named by
 * KIOSK_TEST_PG (tests/pg/run_contract.sh starts a throwaway cluster and
 * sets both), reached through the URL's search_path option, and dropped
 * again at the end.  A missing or unreachable server fails the test loudly;
 * nothing is ever skipped.
 *
 * Tests that look underneath the store (tamper like an attacker, count
 * rows, grep the disk for plaintext) do it through testdb_sql,
 * testdb_count and testdb_disk_contains, which work on either backend. */
#ifndef TESTS_TESTDB_H
#define TESTS_TESTDB_H

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kiosk/arena.h"
#include "kiosk/bureau_row.h"
#include "kiosk/err.h"
#include "kiosk/idnum.h"
#include "kiosk/importer.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

struct testdb {
    char dir[64];
    char path[256];     /* SQLite file, or postgresql://… with the test's schema */
    char key[112];
    struct store *st;
    struct secret *sec;
};

/* ---- backend-neutral plumbing ---------------------------------------------- */

static inline bool testdb_is_pg(void)
{
    const char *b = getenv("KIOSK_TEST_DB");
    return b && (!strcmp(b, "pg") || !strcmp(b, "postgresql"));
}

static inline bool testdb_url_is_pg(const char *url)
{
    return strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0;
}

static inline void testdb_quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

/* Run sql on the server the tests use (KIOSK_TEST_PG) or on url. */
static inline int testdb_pg_exec(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    int rc = -1;
    PQsetNoticeProcessor(c, testdb_quiet, NULL);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "testdb: cannot connect to %s: %s", url, PQerrorMessage(c));
    } else {
        PGresult *r = PQexec(c, sql);
        ExecStatusType s = PQresultStatus(r);
        if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK)
            rc = 0;
        else
            fprintf(stderr, "testdb: %s: %s", sql, PQerrorMessage(c));
        PQclear(r);
    }
    PQfinish(c);
    return rc;
}

/* A fresh, empty database for one test: dir/k.db, or a new schema
 * t_<pid>_<n> on the test server.  url receives what store_open takes. */
static inline int testdb_create(const char *dir, char *url, size_t cap)
{
    if (!testdb_is_pg()) {
        snprintf(url, cap, "%s/k.db", dir);
        return 0;
    }
    const char *base = getenv("KIOSK_TEST_PG");
    if (!base || !*base) {
        fprintf(stderr, "testdb: KIOSK_TEST_DB=pg but KIOSK_TEST_PG (postgresql://…) is not set\n");
        return -1;
    }
    static int n;
    char schema[32], sql[128];
    snprintf(schema, sizeof schema, "t_%ld_%d", (long)getpid(), ++n);
    snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", schema, schema);
    if (testdb_pg_exec(base, sql))
        return -1;
    /* options=-c search_path=SCHEMA, URL-encoded */
    snprintf(url, cap, "%s%soptions=-csearch_path%%3D%s", base, strchr(base, '?') ? "&" : "?",
             schema);
    return 0;
}

/* Drop what testdb_create made (the SQLite file goes with its directory). */
static inline void testdb_drop(const char *url)
{
    if (!testdb_url_is_pg(url))
        return;
    const char *s = strstr(url, "search_path%3D");
    char sql[96];
    if (s && snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE", s + 14) < (int)sizeof sql)
        testdb_pg_exec(getenv("KIOSK_TEST_PG"), sql);
}

/* Raw SQL on the test's database through a separate connection, as an
 * attacker with write access (but not the site secret) would run it. */
static inline int testdb_sql_url(const char *url, const char *sql)
{
    if (testdb_url_is_pg(url))
        return testdb_pg_exec(url, sql);
    sqlite3 *db;
    char *msg = NULL;
    int rc = -1;
    if (sqlite3_open(url, &db) == SQLITE_OK && sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
        rc = 0;
    else
        fprintf(stderr, "testdb: %s: %s\n", sql, msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    sqlite3_close(db);
    return rc;
}

/* The first column of the first row of a query, as an integer (-1 on error). */
static inline long long testdb_count_url(const char *url, const char *sql)
{
    long long n = -1;
    if (testdb_url_is_pg(url)) {
        PGconn *c = PQconnectdb(url);
        PGresult *r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql) : NULL;
        if (r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0)
            n = atoll(PQgetvalue(r, 0, 0));
        else
            fprintf(stderr, "testdb: %s: %s", sql, PQerrorMessage(c));
        PQclear(r);
        PQfinish(c);
        return n;
    }
    sqlite3 *db;
    sqlite3_stmt *q = NULL;
    if (sqlite3_open(url, &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return n;
}

static inline bool testdb_file_contains(const char *path, const char *needle)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return false;
    size_t cap = 1 << 20, got = 0, k = strlen(needle);
    char *buf = malloc(cap);
    bool found = false;
    /* in overlapping chunks, so a needle across a chunk edge is found too */
    while (buf && !found) {
        size_t n = fread(buf + got, 1, cap - got, fp);
        if (n == 0)
            break;
        got += n;
        found = memmem(buf, got, needle, k) != NULL;
        if (got > k) {
            memmove(buf, buf + got - k, k);
            got = k;
        }
    }
    free(buf);
    fclose(fp);
    return found;
}

/* Whether needle is anywhere in the bytes the database keeps on disk: the
 * SQLite file and its WAL, or — after a CHECKPOINT, so the heap files are
 * current — every file of the test cluster's data directory
 * (KIOSK_TEST_PGDATA), WAL included.  Returns 1, 0, or -1 on error. */
static inline int testdb_disk_contains_url(const char *url, const char *needle)
{
    if (!testdb_url_is_pg(url)) {
        char wal[300];
        snprintf(wal, sizeof wal, "%s-wal", url);
        return testdb_file_contains(url, needle) || testdb_file_contains(wal, needle);
    }
    const char *data = getenv("KIOSK_TEST_PGDATA");
    if (!data || !*data) {
        fprintf(stderr, "testdb: KIOSK_TEST_PGDATA (the cluster's data directory) is not set\n");
        return -1;
    }
    if (testdb_pg_exec(url, "CHECKPOINT"))
        return -1;
    char nfile[160];
    snprintf(nfile, sizeof nfile, "/tmp/kiosk-needle-%ld", (long)getpid());
    FILE *f = fopen(nfile, "w");
    if (!f)
        return -1;
    fputs(needle, f);
    fclose(f);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "grep -r -a -F -q -f %s %s/base %s/global %s/pg_wal", nfile, data,
             data, data);
    /* a WAL segment recycled by the server while grep walks pg_wal (the
     * contract suite runs its programs side by side on one cluster) makes
     * grep exit 2: the walk is tried again, a few times */
    int rc = -1;
    for (int tries = 0; tries < 5; tries++) {
        rc = system(cmd);
        if (!(WIFEXITED(rc) && WEXITSTATUS(rc) == 2))
            break;
    }
    unlink(nfile);
    return rc == 0 ? 1 : WIFEXITED(rc) && WEXITSTATUS(rc) == 1 ? 0 : -1;
}

/* Open the store at url and bring its schema up to date. */
static inline int testdb_store(const char *url, struct store **st)
{
    int from, to, err;
    if ((err = store_open(url, 1, st)) || (err = (*st)->ops->migrate(*st, &from, &to))) {
        kerr_print("testdb", err);
        return -1;
    }
    return 0;
}

/* ---- one test's database ---------------------------------------------------- */

static inline int testdb_open(struct testdb *t)
{
    snprintf(t->dir, sizeof t->dir, "/tmp/kiosk-test-XXXXXX");
    if (!mkdtemp(t->dir))
        return -1;
    snprintf(t->key, sizeof t->key, "%s/k.db.key", t->dir);
    if (testdb_create(t->dir, t->path, sizeof t->path) || secret_create(t->key) ||
        secret_load(t->key, &t->sec) || testdb_store(t->path, &t->st))
        return -1;
    return 0;
}

static inline void testdb_close(struct testdb *t)
{
    store_close(&t->st);
    secret_free(&t->sec);
    testdb_drop(t->path);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", t->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", t->dir);
}

static inline int testdb_sql(struct testdb *t, const char *sql) { return testdb_sql_url(t->path, sql); }
static inline long long testdb_count(struct testdb *t, const char *sql)
{
    return testdb_count_url(t->path, sql);
}
static inline int testdb_disk_contains(struct testdb *t, const char *needle)
{
    return testdb_disk_contains_url(t->path, needle);
}

/* Replace a program's list with rows made by fill(i, row). */
static inline int testdb_fill(struct testdb *t, const char *program, long long n,
                              void (*fill)(long long i, struct bureau_row *r, void *ctx), void *ctx)
{
    struct program p;
    int err = t->st->ops->queue->program_get(t->st, program, &p);
    if (err)
        return err;
    struct arena a;
    arena_init(&a, 1 << 20);
    struct import_batch b;
    import_batch_init(&b, &p, t->sec, &a);
    struct bureau_row r;
    for (long long i = 0; i < n && !err; i++) {
        memset(&r, 0, sizeof r);
        fill(i, &r, ctx);
        err = import_batch_add(&b, &r);
    }
    struct import_result res;
    struct actor sys = {.name = "test", .roles = ROLE__ALL};
    if (!err)
        err = import_batch_commit(t->st, &b, &sys, "test list", &res);
    import_batch_free(&b);
    arena_release(&a);
    return err;
}

/* A valid ID number for household i (area 440303, fixed birth date). */
static inline void testdb_id(long long i, char out[19])
{
    char first17[24];
    snprintf(first17, sizeof first17, "44030319%02d%02d%02d%03d", (int)(50 + (i / 100000) % 50),
             (int)(1 + (i / 1000) % 12), (int)(1 + (i / 12000) % 28), (int)(i % 1000));
    memcpy(out, first17, 17);
    out[17] = idnum_check_char(first17);
    out[18] = '\0';
}

#endif
