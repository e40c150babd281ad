/* store_engine.h — the parts of the store written once for every backend
 * over the SQL executor (sql_exec.h), besides the queue (queue_engine.h):
 * home-care-bed applications (bed_engine.c), staff accounts and
 * organisations (user_engine.c), kiosks' device states (status_engine.c),
 * the metadata table (meta_engine.c), the audit trail (audit_engine.c) and
 * the common part of migrating (migrate_engine.c); and STORE_OPS, which assembles a backend's store_ops from them and the
 * backend's own functions.  For the backends, not for callers of the store. */
#ifndef KIOSK_STORE_ENGINE_H
#define KIOSK_STORE_ENGINE_H

#include <stddef.h>

#include "kiosk/store/queue_engine.h"
#include "kiosk/store/sql_exec.h"
#include "kiosk/store/store.h"

extern const struct bed_store_ops bed_engine_ops;        /* bed_engine.c */
extern const struct user_store_ops user_engine_ops;      /* user_engine.c */
extern const struct status_store_ops status_engine_ops;  /* status_engine.c */

/* store_ops.meta_get, meta_set (meta_engine.c) */
int meta_engine_get(struct store *st, const char *key, char *out, size_t cap);
int meta_engine_set(struct store *st, const char *key, const char *value);

/* store_ops.audit_append, audit_last, audit_each, audit_lane_last,
 * audit_walk (audit_engine.c) */
int audit_engine_append(struct store *st, const struct audit_rec *rec);
int audit_engine_last(struct store *st, struct audit_rec *rec);
int audit_engine_each(struct store *st, long long from_seq,
                      int (*cb)(void *ctx, const struct audit_rec *rec), void *ctx);
int audit_engine_lane_last(struct store *st, int lane, struct audit_rec *rec);
int audit_engine_walk(struct store *st, int (*cb)(void *ctx, const struct audit_rec *rec),
                      void *ctx);
/* An audit record's columns, in the order audit_engine_read_rec reads them
 * (the audit browser's filtered pages, report_engine.c, select them too). */
#define AUDIT_ENGINE_COLS "seq, at, actor, action, object, detail, hash, lane, lane_seq"
/* Bind a record as $1 … $9 in AUDIT_ENGINE_COLS' order (the append; a
 * backend's own statement that appends, store_pg.c pg_audit_put). */
void audit_engine_bind(const struct sql_exec_ops *x, struct sql_stmt *q, const struct audit_rec *r);
/* One row of AUDIT_ENGINE_COLS into the struct audit_rec at row (sql_rows' reader). */
void audit_engine_read_rec(const struct sql_exec_ops *x, struct sql_stmt *q, void *row);

/* Migrations (migrate_engine.c).  steps: a backend's NULL-terminated list
 * of schema steps, step i bringing version i to i + 1. */
int migrate_latest(const char *const *steps);
/* KERR_SCHEMA (naming `where`) when version is newer than latest. */
int migrate_check(const char *where, int version, int latest);
/* Apply steps[version … latest-1] in the caller's transaction, then the
 * data upgrades that some steps need (005: queue_engine_upgrade). */
int migrate_apply(struct store *st, const char *const *steps, int version, int latest);

/* A backend's ops table: what differs comes from the functions named
 * PREFIX##close, PREFIX##migrate, … and the tables PREFIX##exec_ops (its
 * SQL executor) and PREFIX##queue_backend (its queue hooks); the rest is the
 * engines'.  One list, so a new store_ops field is filled in one place. */
#define STORE_OPS(P, NAME) {STORE_OPS_FIELDS(P, NAME)}
/* The same fields, for a backend that adds ops of its own (SQLite's restore, digest). */
#define STORE_OPS_FIELDS(P, NAME)                                                             \
        .name = NAME, .close = P##close, .migrate = P##migrate,                               \
        .schema_version = P##schema_version, .begin = P##begin, .begin_read = P##begin_read,  \
        .commit = P##commit, .rollback = P##rollback, .integrity = P##integrity,              \
        .backup = P##backup, .sql = &P##exec_ops, .queue_backend = &P##queue_backend,         \
        .meta_get = meta_engine_get, .meta_set = meta_engine_set,                             \
        .audit_append = audit_engine_append, .audit_last = audit_engine_last,                 \
        .audit_each = audit_engine_each, .audit_lane_last = audit_engine_lane_last,           \
        .audit_walk = audit_engine_walk, .queue = &queue_engine_ops, .bed = &bed_engine_ops,  \
        .user = &user_engine_ops, .status = &status_engine_ops

#endif
