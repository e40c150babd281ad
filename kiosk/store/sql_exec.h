/* sql_exec.h — the small SQL executor both backends implement, so the
 * store's logic (the queue engine, queue_engine*.c) is written once over it.
 *
 * Shape (the SQLite C API's, which libpq is fitted to): a statement comes
 * from a static SQL string and is prepared once per connection, cached by
 * the string's ADDRESS (so every SQL text is a static string, never built
 * at run time); it is handed out reset and unbound; parameters are bound by
 * 1-based index; step() yields rows until done; columns are read by 0-based
 * index; reset() releases the rows.
 *
 * One SQL text serves both engines.  It is written with `$n` placeholders
 * in the dialect both accept, plus one PostgreSQL-only spelling the SQLite
 * side removes at prepare time: a cast on a PARAMETER, `$n::type`, becomes
 * a plain `?n` (SQLite has no parameter types; PostgreSQL needs the cast
 * where the context does not fix the type, e.g. `SELECT $1::bigint`).  Other
 * casts are written CAST(x AS type).  Integer results must be integer types
 * on PostgreSQL (sum() of bigint is numeric there: CAST it).
 *
 * Binding on PostgreSQL: numbers and text go as text parameters, blobs as
 * binary (byte-exact, no escaping); results come back in binary format.
 * On PostgreSQL the statement runs at the first step() and the rows are then
 * walked in the client; a statement that may return many rows is paged by
 * the caller (keyset, LIMIT), so no side holds a million rows.
 *
 * A statement stays valid until it is handed out again: code that calls
 * back into the store while stepping (callbacks) must first copy the rows
 * it needs and reset(). */
#ifndef KIOSK_SQL_EXEC_H
#define KIOSK_SQL_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct sql_stmt;   /* the backend's statement (opaque) */

enum { SQL_DONE = 0, SQL_ROW = 1 };   /* step(): these, or a negative kiosk_err */

struct sql_exec_ops {
    /* The cached statement for a static SQL text, reset and unbound; NULL on
     * error (the kerr detail is set). */
    struct sql_stmt *(*prepare)(struct store *st, const char *sql);
    void (*bind_int64)(struct sql_stmt *q, int i, long long v);
    /* text and blobs are not copied: keep them alive until reset() */
    void (*bind_text)(struct sql_stmt *q, int i, const char *s);
    void (*bind_blob)(struct sql_stmt *q, int i, const void *data, int len);
    void (*bind_null)(struct sql_stmt *q, int i);
    /* SQL_ROW, SQL_DONE or an error; `what` names the work for the detail */
    int (*step)(struct sql_stmt *q, const char *what);
    long long (*col_int64)(struct sql_stmt *q, int col);       /* NULL → 0 */
    bool (*col_isnull)(struct sql_stmt *q, int col);
    void (*col_text)(struct sql_stmt *q, int col, char *out, size_t cap);   /* NUL-terminated */
    int (*col_blob)(struct sql_stmt *q, int col, void *out, int cap);       /* bytes copied */
    /* rows touched by the last INSERT/UPDATE/DELETE of q (after it is done) */
    long long (*changes)(struct sql_stmt *q);
    void (*reset)(struct sql_stmt *q);
    /* unprepared SQL, several statements allowed: DDL, BEGIN/COMMIT */
    int (*exec)(struct store *st, const char *sql, const char *what);
};

/* An ops table from functions named PREFIX##prepare, PREFIX##bind_int64, …
 * (each backend names its implementations so; one list, not two). */
#define SQL_EXEC_OPS(P)                                                                  \
    {                                                                                    \
        .prepare = P##prepare, .bind_int64 = P##bind_int64, .bind_text = P##bind_text,   \
        .bind_blob = P##bind_blob, .bind_null = P##bind_null, .step = P##step,           \
        .col_int64 = P##col_int64, .col_isnull = P##col_isnull, .col_text = P##col_text, \
        .col_blob = P##col_blob, .changes = P##changes, .reset = P##reset,               \
        .exec = P##exec,                                                                 \
    }

/* The executor of a store (store_ops.sql). */
const struct sql_exec_ops *sql_of(struct store *st);

/* ---- helpers over the ops (sql_exec.c) -------------------------------------- */

/* An integer that may be empty: NONE_I64 binds NULL; a NULL column reads NONE_I64. */
void sql_bind_key(const struct sql_exec_ops *x, struct sql_stmt *q, int i, int64_t v);
int64_t sql_col_key(const struct sql_exec_ops *x, struct sql_stmt *q, int col);

/* Run q (bound) for its effect; rows, if any, are ignored.  Resets q. */
int sql_done(const struct sql_exec_ops *x, struct sql_stmt *q, const char *what);

/* Run q expecting at most one row with one integer column: *v = that value,
 * or dflt when there is no row.  Resets q. */
int sql_int(const struct sql_exec_ops *x, struct sql_stmt *q, long long dflt, long long *v,
            const char *what);

/* Rows copied out of a statement: r->n rows of r->size bytes at r->rows.
 * The memory is kept from one call to the next (like getline's buffer), so
 * a keyset-paged read reuses one page: start with {.size = sizeof(row)},
 * end with sql_rows_free. */
struct sql_rows {
    size_t size;     /* bytes per row (set by the caller) */
    void *rows;
    int n, cap;
};

/* Run q (bound) and copy every row into r, each filled whole by read() (it
 * must set or clear every field); resets q before it returns, so the caller
 * may then hand the rows to callbacks that use the store.  For short
 * results only (one person's rows, one keyset page).  On error r->n = 0. */
typedef void (*sql_row_reader)(const struct sql_exec_ops *x, struct sql_stmt *q, void *row);
int sql_rows(const struct sql_exec_ops *x, struct sql_stmt *q, sql_row_reader read,
             struct sql_rows *r, const char *what);
/* Wipe (rows may hold password hashes, sealed data) and free r's memory. */
void sql_rows_free(struct sql_rows *r);

#endif
