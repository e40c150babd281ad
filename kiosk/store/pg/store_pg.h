/* store_pg.h — internals shared by the PostgreSQL backend's files
 * (store_pg.c: connection, migrations, transactions, integrity;
 * store_pg_exec.c: the SQL executor the shared engines run on;
 * store_pg_queue.c: the queue's PostgreSQL hooks — COPY, set-based merges).
 * Not for callers of the store: they see only struct store (store.h).
 *
 * Every statement is a static SQL string prepared once per connection
 * (PQprepare, cached by the string's address like sq_cached on SQLite) and
 * run with PQexecPrepared.  Parameters are text for numbers and strings and
 * binary for bytea, so sealed blobs, hashes and sort keys travel unescaped
 * and byte-exact; results come back in binary format, read with the typed
 * helpers below (integers of any width, text, bytea). */
#ifndef KIOSK_STORE_PG_H
#define KIOSK_STORE_PG_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/store/store.h"

#include "kiosk/store/sql_exec.h"

#define PG_CACHE_MAX 200
#define PG_PARAMS_MAX 32

/* Parameters of one statement execution.  Values point into the caller's
 * memory (strings, blobs) or into num[] (numbers formatted here).  The
 * backend's own statements fill them with pgp_*; the executor's statements
 * bind by index (store_pg_exec.c). */
struct pg_params {
    int n;
    const char *val[PG_PARAMS_MAX];
    int len[PG_PARAMS_MAX];
    int fmt[PG_PARAMS_MAX];
    char num[PG_PARAMS_MAX][24];
};

struct pg_store;

/* A statement as the SQL executor (sql_exec.h) hands it out: the prepared
 * statement "k<idx>", its parameters, and once run, its result and the row
 * being read. */
struct sql_stmt {
    struct pg_store *s;
    int idx;
    struct pg_params p;
    PGresult *res;
    int row, n_rows;
    long long changes;
};

struct pg_store {
    struct store base;          /* first: a struct store * points here */
    PGconn *conn;
    char *url;                  /* for reconnecting (wiped at close) */
    char where[160];            /* host/db for messages (never the password) */
    /* store_pg_conn.c: a lost connection is retried at retry_at_ms (monotonic),
     * backing off; 0 = not waiting */
    long long retry_at_ms;
    long long connecting_since_ms;   /* a non-blocking reconnection in progress */
    PostgresPollingStatusType poll_want;   /* what its last poll waits for */
    int backoff_ms;
    int statement_timeout_ms;   /* 0 = none (kioskctl's long imports) */
    bool read_only;             /* store_open_readonly: every transaction read-only */
    long long reconnects;
    bool in_txn;
    int write_mode;             /* enum store_write of the write transaction; -1: none */
    /* the narrow locks this transaction holds (store_lock), so asking again
     * costs no round trip; forgotten at commit, rollback or a lost connection */
    int n_held;
    struct { int kind, key; } held[16];
    int n_cache;
    const char *cache[PG_CACHE_MAX];  /* statement i is prepared as "k<i>" */
    struct sql_stmt q[PG_CACHE_MAX];  /* the executor's view of statement i */
};

static inline struct pg_store *pgs(struct store *st) { return (struct pg_store *)st; }

void pgp_init(struct pg_params *p);
void pgp_int(struct pg_params *p, long long v);
void pgp_text(struct pg_params *p, const char *s);

/* Run the prepared statement for sql (preparing it on first use).  Returns
 * the result (PGRES_TUPLES_OK or PGRES_COMMAND_OK) or NULL with the error
 * set in *err (kerr detail names `what`).  PQclear the result. */
PGresult *pg_run(struct pg_store *s, const char *sql, const struct pg_params *p, const char *what,
                 int *err);

/* Run a statement for its effect only. */
int pg_do(struct pg_store *s, const char *sql, const struct pg_params *p, const char *what);

/* Run unprepared SQL text (several statements allowed): DDL, BEGIN/COMMIT.
 * pg_exec first makes sure the connection is there (pg_ready); pg_exec_raw
 * does not (the connection code itself). */
int pg_exec(struct pg_store *s, const char *sql, const char *what);
int pg_exec_raw(struct pg_store *s, const char *sql, const char *what);

/* The connection (store_pg_conn.c).  pg_connect: the first one, with bounded
 * waits; pg_ready: 0 when connected, else reconnect when the back-off allows
 * (KERR_OFFLINE meanwhile, at once); pg_lost: note a connection just lost;
 * pg_disconnect: close and forget the URL. */
int pg_connect(struct pg_store *s, const char *url);
int pg_ready(struct pg_store *s);
void pg_lost(struct pg_store *s);
void pg_disconnect(struct pg_store *s);
/* store_ops.set_statement_timeout: kept for reconnections too */
int pg_set_statement_timeout(struct store *st, int ms);
int pg_set_read_only(struct store *st);

/* Turn a failed result (or connection) into a kiosk_err: serialization
 * failures, deadlocks and lock timeouts → KERR_BUSY, unique violations →
 * KERR_EXISTS, the rest → KERR_DB.  res may be NULL. */
int pg_fail(struct pg_store *s, const PGresult *res, const char *what);

/* Typed readers for binary-format result columns. */
bool pg_isnull(const PGresult *r, int row, int col);
long long pg_int(const PGresult *r, int row, int col);      /* int2/int4/int8; NULL → 0 */
void pg_str(const PGresult *r, int row, int col, char *out, size_t cap);
int pg_bytes(const PGresult *r, int row, int col, unsigned char *out, int cap);   /* length copied */

/* The number of rows an UPDATE/DELETE/INSERT touched. */
long long pg_changes(const PGresult *r);

/* The transaction ended (or the connection with it): no write mode, no
 * locks held. */
void pg_txn_over(struct pg_store *s);

/* The statement cache index for sql, preparing it on first use; -1 and
 * *err on failure. */
int pg_stmt_index(struct pg_store *s, const char *sql, int *err);

/* The SQL executor over libpq (store_pg_exec.c). */
extern const struct sql_exec_ops pg_exec_ops;

extern const struct queue_backend pg_queue_backend;   /* store_pg_queue.c */

/* The PostgreSQL schema steps, NULL-terminated (store_pg_schema.c). */
extern const char *const store_migrations_pg[];

int store_pg_open(const char *url, int create, struct store **out);

#endif
