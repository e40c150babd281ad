/* testdb.h — a fresh real SQLite database and site secret in a temp
 * directory for one test, and small helpers to fill a program's list.
 * Header-only (static functions) so each test program includes it. */
#ifndef TESTS_TESTDB_H
#define TESTS_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/arena.h"
#include "kiosk/bureau_row.h"
#include "kiosk/err.h"
#include "kiosk/idnum.h"
#include "kiosk/importer.h"
#include "kiosk/secret.h"
#include "kiosk/store.h"

struct testdb {
    char dir[64];
    char path[96];
    char key[112];
    struct store *st;
    struct secret *sec;
};

static inline int testdb_open(struct testdb *t)
{
    snprintf(t->dir, sizeof t->dir, "/tmp/kiosk-test-XXXXXX");
    if (!mkdtemp(t->dir))
        return -1;
    snprintf(t->path, sizeof t->path, "%s/k.db", t->dir);
    snprintf(t->key, sizeof t->key, "%s/k.db.key", t->dir);
    int from, to;
    if (secret_create(t->key) || secret_load(t->key, &t->sec) || store_open(t->path, 1, &t->st) ||
        t->st->ops->migrate(t->st, &from, &to))
        return -1;
    return 0;
}

static inline void testdb_close(struct testdb *t)
{
    store_close(&t->st);
    secret_free(&t->sec);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", t->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", t->dir);
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
