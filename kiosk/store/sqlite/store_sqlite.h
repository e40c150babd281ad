/* store_sqlite.h — internals shared by the SQLite backend's files
 * (store_sqlite.c: connection, migrations, transactions; store_sqlite_exec.c:
 * the SQL executor the shared engines run on; store_sqlite_queue.c: the
 * queue's one SQLite-specific hook).  Not for callers of the store. */
#ifndef KIOSK_STORE_SQLITE_H
#define KIOSK_STORE_SQLITE_H

#include <sqlite3.h>
#include <stdbool.h>

#include "kiosk/store/sql_exec.h"
#include "kiosk/store/store.h"

#define SQ_CACHE_MAX 200

/* Open with an enum store_open_mode (store.h); store_sqlite_open is RW/CREATE. */
int store_sqlite_open_mode(const char *path, int mode, struct store **out);

struct sqlite_store;

/* A statement as the SQL executor (sql_exec.h) hands it out. */
struct sql_stmt {
    struct sqlite_store *s;
    sqlite3_stmt *stmt;
    long long changes;          /* sqlite3_changes() when the statement finished */
};

struct sqlite_store {
    struct store base;          /* first: a struct store * points here */
    sqlite3 *db;
    char path[512];
    double busy_since;          /* when the current wait for the write lock began */
    bool busy_noticed;          /* store_write_wait_notice called for it */
    int n_cache;
    struct {
        const char *sql;        /* the static string the statement came from */
        struct sql_stmt q;      /* q.stmt: prepared from sql ($n::type → ?n) */
    } cache[SQ_CACHE_MAX];
};

static inline struct sqlite_store *sq(struct store *st) { return (struct sqlite_store *)st; }

/* A prepared statement for a static SQL string, cached for the life of the
 * connection and reset and unbound before it is handed out.  NULL on error
 * (the detail is set). */
struct sql_stmt *sq_cached(struct sqlite_store *s, const char *sql);

/* Turn the connection's last error into a kiosk_err with a detail line
 * naming what was being done.  SQLITE_BUSY → KERR_BUSY. */
int sq_fail(struct sqlite_store *s, const char *what);

/* Run a statement without results; returns 0 or an error. */
int sq_exec(struct sqlite_store *s, const char *sql);

/* store_sqlite_backup.c: the backup, restore and digest ops (store.h). */
int sqlite_backup(struct store *st, const char *path, int force);
int sqlite_restore(struct store *st, struct store *src);
int sqlite_digest(struct store *st, unsigned char out[32]);

/* Copy a text column into a fixed buffer (NUL-terminated, truncated). */
void sq_text(sqlite3_stmt *stmt, int col, char *out, size_t cap);

/* The SQL executor over SQLite (store_sqlite_exec.c). */
extern const struct sql_exec_ops sqlite_exec_ops;

/* The queue engine's hooks on SQLite (store_sqlite_queue.c). */
extern const struct queue_backend sqlite_queue_backend;

#endif
