/* queue_engine.h — the housing queue written once (queue_engine*.c) over
 * the SQL executor (sql_exec.h), and the few hooks where a backend does
 * the same work its own, faster way.
 *
 * A backend sets store_ops.queue = &queue_engine_ops and
 * store_ops.queue_backend to its hooks; a NULL hook means the engine's
 * portable version (statement by statement through the executor), which is
 * what SQLite uses: there a statement costs a microsecond.  PostgreSQL pays
 * a network round trip per statement (~30–60 µs over loopback), so it
 * overrides the hooks that would otherwise run one statement per row or
 * per tree node (COPY, set-based merges, one data-modifying CTE). */
#ifndef KIOSK_QUEUE_ENGINE_H
#define KIOSK_QUEUE_ENGINE_H

#include "kiosk/store/rank_layout.h"
#include "kiosk/store/sql_exec.h"
#include "kiosk/store/store.h"

struct queue_backend {
    /* Write a program's list (bulk_replace after slots and the change
     * sequence are assigned): existing == 0 → a new list, insert every row;
     * otherwise merge — update known receipts (changed_seq = seq where
     * status or key changed, an 'import' event per status change), insert
     * new ones, mark absent ones removed (an event each).  counts: added,
     * changed, removed, unchanged.  The engine rebuilds ranks afterwards.
     * NULL: queue_engine_load_rows (a statement per row). */
    int (*bulk_load)(struct store *st, int program_id, const struct bulk_row *rows, long long n,
                     long long seq, long long existing, const char *at, const char *actor,
                     long long counts[4]);
    /* Insert Fenwick nodes of a program (its tree is empty).  NULL: one
     * INSERT per node. */
    int (*tree_insert)(struct store *st, int program_id, const struct rank_node_sum *nodes,
                       long long n);
    /* Set skey (and changed_seq = seq) of the entries ids[i].  NULL: one
     * UPDATE per entry. */
    int (*set_skeys)(struct store *st, int program_id, const long long *ids,
                     const unsigned char *keys, const int *lens, long long n, long long seq);
    /* Add delta to the waiting count of the block at slot (delta_new to
     * its count of waiting entries not on the published list) and to the
     * Fenwick path above it; *n_after = the block's new count; KERR_DB when
     * the block is missing.  NULL: two statements (block, then tree). */
    int (*block_add)(struct store *st, int program_id, long long slot, long long delta,
                     long long delta_new, long long *n_after);
};

extern const struct queue_store_ops queue_engine_ops;

/* The portable bulk_load (see above). */
int queue_engine_load_rows(struct store *st, int program_id, const struct bulk_row *rows,
                           long long n, long long seq, long long existing, const char *at,
                           const char *actor, long long counts[4]);

/* After the schema step that adds the breakdown structure (005): fill it
 * in for every program from its latest publication, in the migration's
 * transaction. */
int queue_engine_upgrade(struct store *st);

/* Shared between the engine's files. */
#define ENTRY_COLS "id, program_id, receipt_no, id_hash, sealed, household_size, hukou_district, " \
                   "tier, wait_since, insured_since, hukou_since, lottery_no, status, refusals, " \
                   "skey, slot, changed_seq"
#define ENTRY_NCOLS 17
/* How many entries in status ST (a literal: 1 frozen, 2 offered) have a
 * known date before CUT, counted up to CAP (CUT and CAP: parameters): the
 * housing work queue's overdue (open_count, open_view, and the home menu's
 * counts, bed_engine.c work_counts).  The index entry_open (migration 011). */
#define QE_OPEN_LATE(ST, CUT, CAP)                                                              \
    "(SELECT count(*) FROM (SELECT 1 FROM entry WHERE status IN (1, 2) AND status = " ST       \
    " AND status_at > '' AND status_at < " CUT " LIMIT " CAP ") AS late)"
#define PROGRAM_COLS "id, code, name_zh, name_en, rule, refusal_limit"
/* a row's ENTRY_COLS / PROGRAM_COLS starting at column 0 / at column `first` */
void qe_read_entry(const struct sql_exec_ops *x, struct sql_stmt *q, struct entry_row *e);
int qe_read_program_at(const struct sql_exec_ops *x, struct sql_stmt *q, int first,
                       struct program *p);
int qe_read_program(const struct sql_exec_ops *x, struct sql_stmt *q, struct program *p);
int qe_facts(struct store *st, const struct facts_query *fq,
             int (*cb)(void *ctx, const struct entry_facts *f), void *ctx);
int qe_pub_tree_rebuild(struct store *st, int program_id);
int qe_pub_move(struct store *st, int program_id, long long pub_pos, int from, int to);
int qe_pub_reset(struct store *st, int program_id, long long pub_id);
int qe_breakdown(struct store *st, const struct entry_row *e, long long position_then,
                 struct change_counts *out);
int qe_next_change_seq(struct store *st, int program_id, long long *seq);
int qe_event_add(struct store *st, const struct entry_event *ev);
int qe_rebuild_rank(struct store *st, int program_id);
int qe_rank_from_entries(struct store *st, int program_id);
int qe_bulk_replace(struct store *st, int program_id, struct bulk_row *rows, long long n,
                    const char *at, const char *actor, long long counts[4]);
int qe_program_save(struct store *st, struct program *p);
int qe_program_by_id(struct store *st, int id, struct program *out);

static inline const struct queue_backend *qe_backend(struct store *st)
{
    return st->ops->queue_backend;
}

#endif
