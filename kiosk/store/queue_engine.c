/* queue_engine.c — the housing queue with exact positions, written once for
 * every backend over the SQL executor (sql_exec.h).  Bulk work (import,
 * rebuild, re-key) is in queue_engine_bulk.c; what a backend does its own
 * way is behind the hooks of queue_engine.h.
 *
 * The design (why not COUNT or a stored position column): counting the
 * entries ahead over an index costs ~70 ns per entry ahead (5 ms at 1M), and
 * a stored position column must be rewritten for everyone behind a change
 * (seconds).  Instead each program's waiting entries are cut into *rank
 * blocks* of a few hundred consecutive entries in queue order:
 *
 *   rank_block(program, slot, lo_key, n)  — block at an integer slot, holding
 *       the waiting entries whose sort key is ≥ lo_key and < the next
 *       block's lo_key; slots increase with lo_key.
 *   rank_tree(program, node, sum)         — a Fenwick (binary indexed) tree
 *       over slots 1…2^24 holding each block's waiting count; only the
 *       non-zero nodes are stored.
 *   entry.slot + partial index entry_rank(program_id, slot, skey) WHERE
 *       status = 0 (waiting).
 *
 * position = (Fenwick prefix sum of the slots before mine: ≤ 24 primary-key
 *             nodes)
 *          + (waiting entries in my block with a smaller key: ≤ 512 index
 *             entries, 256 on average after a rebuild)
 *          + 1,
 * all in ONE statement (one round trip on PostgreSQL).  A status change
 * touches ≤ 25 tree nodes and one block row; a block that grows past
 * RANK_BLOCK_MAX is split at its median into a free slot between it and its
 * neighbour (after the last block: a fixed step, so daily appends at the
 * tail do not exhaust the slot space); when no slot is free the program's
 * rank structure is rebuilt (rare: O(N)).  Everything happens in the
 * caller's transaction, so positions are exact for every committed state.
 *
 * Long results (export, changes) are read in keyset pages copied out of
 * the statement before the callback runs, so callbacks may use the store
 * and no side holds a million rows. */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/queue.h"
#include "kiosk/secret.h"
#include "kiosk/store/queue_engine.h"
#include "kiosk/store/row_seal.h"

#define PAGE_ROWS 256              /* rows per page of a long result */

#define X(st) sql_of(st)

void qe_read_entry(const struct sql_exec_ops *x, struct sql_stmt *q, struct entry_row *e)
{
    memset(e, 0, sizeof *e);
    e->id = x->col_int64(q, 0);
    e->program_id = (int)x->col_int64(q, 1);
    x->col_text(q, 2, e->receipt_no, sizeof e->receipt_no);
    x->col_blob(q, 3, e->id_hash, sizeof e->id_hash);
    e->sealed_len = x->col_blob(q, 4, e->sealed, sizeof e->sealed);
    e->household_size = (int)x->col_int64(q, 5);
    x->col_text(q, 6, e->hukou_district, sizeof e->hukou_district);
    for (int k = 0; k < OK__COUNT; k++)
        e->key[k] = sql_col_key(x, q, 7 + k);
    e->status = (int)x->col_int64(q, 12);
    e->refusals = (int)x->col_int64(q, 13);
    e->skey_len = x->col_blob(q, 14, e->skey, QUEUE_SKEY_MAX);
    e->slot = x->col_int64(q, 15);
    e->changed_seq = x->col_int64(q, 16);
}

/* Columns after ENTRY_COLS that a statement repeats on every row (a total,
 * the position used: page_at), read into v[0..n-1] from column ENTRY_NCOLS;
 * a row whose first column is NULL carries only them (the LEFT JOIN's row
 * of an empty page) and is no entry. */
struct entry_tail {
    int n;
    long long *v[2];
};

/* Run a bound SELECT of ENTRY_COLS (a short list: one card holder, one
 * receipt, one page) into memory, then call cb per row: the statement is
 * reset before any callback, so callbacks may use the store.  *n_read and
 * *last (may be NULL) report the rows read, for keyset paging; tail (may be
 * NULL): the columns after the entry's. */
static int each_entry_tail(const struct sql_exec_ops *x, struct sql_stmt *q, entry_cb cb, void *ctx,
                           const char *what, int *n_read, struct entry_row *last,
                           const struct entry_tail *tail)
{
    struct entry_row *rows = NULL;
    int n = 0, cap = 0, rc, err = 0;
    while ((rc = x->step(q, what)) == SQL_ROW) {
        if (tail) {
            for (int i = 0; i < tail->n; i++)
                *tail->v[i] = x->col_int64(q, ENTRY_NCOLS + i);
            if (x->col_isnull(q, 0))
                continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            struct entry_row *r = realloc(rows, sizeof *rows * (size_t)cap);
            if (!r) {
                err = KERR_NOMEM;
                break;
            }
            rows = r;
        }
        qe_read_entry(x, q, &rows[n++]);
    }
    x->reset(q);
    if (rc < 0)
        err = rc;
    for (int i = 0; i < n && !err; i++)
        err = cb(ctx, &rows[i]);
    if (n_read)
        *n_read = n;
    if (last && n)
        *last = rows[n - 1];
    if (rows) {
        secure_wipe(rows, sizeof *rows * (size_t)cap);   /* sealed identities */
        free(rows);
    }
    return err;
}

static int each_entry(const struct sql_exec_ops *x, struct sql_stmt *q, entry_cb cb, void *ctx,
                      const char *what, int *n_read, struct entry_row *last)
{
    return each_entry_tail(x, q, cb, ctx, what, n_read, last, NULL);
}

/* ---- programs ------------------------------------------------------------- */

int qe_read_program_at(const struct sql_exec_ops *x, struct sql_stmt *q, int c, struct program *p)
{
    memset(p, 0, sizeof *p);
    p->id = (int)x->col_int64(q, c);
    x->col_text(q, c + 1, p->code, sizeof p->code);
    x->col_text(q, c + 2, p->name_zh, sizeof p->name_zh);
    x->col_text(q, c + 3, p->name_en, sizeof p->name_en);
    p->refusal_limit = (int)x->col_int64(q, c + 5);
    char rule[160];
    x->col_text(q, c + 4, rule, sizeof rule);
    if (queue_rule_parse(rule, p) != 0) {
        char why[256];   /* kerr() writes the buffer kerr_detail() reads: copy it first */
        snprintf(why, sizeof why, "%s", kerr_detail());
        return kerr(KERR_DB, "program %s has a bad ordering rule: %s", p->code, why);
    }
    return 0;
}

int qe_read_program(const struct sql_exec_ops *x, struct sql_stmt *q, struct program *p)
{
    return qe_read_program_at(x, q, 0, p);
}

static int q_program_get(struct store *st, const char *code, struct program *out)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, "SELECT " PROGRAM_COLS " FROM program WHERE code = $1");
    if (!q)
        return KERR_DB;
    x->bind_text(q, 1, code);
    int rc = x->step(q, "reading programs");
    int err = rc == SQL_ROW ? qe_read_program(x, q, out)
            : rc == SQL_DONE ? kerr(KERR_NOTFOUND, "no program '%s'", code) : rc;
    x->reset(q);
    return err;
}

int qe_program_by_id(struct store *st, int id, struct program *out)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, "SELECT " PROGRAM_COLS " FROM program WHERE id = $1");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, id);
    int rc = x->step(q, "reading programs");
    int err = rc == SQL_ROW ? qe_read_program(x, q, out)
            : rc == SQL_DONE ? kerr(KERR_NOTFOUND, "no program #%d", id) : rc;
    x->reset(q);
    return err;
}

static int q_program_list(struct store *st, struct program *out, int cap, int *n)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, "SELECT " PROGRAM_COLS " FROM program ORDER BY id");
    if (!q)
        return KERR_DB;
    int rc, err = 0;
    *n = 0;
    while (!err && *n < cap && (rc = x->step(q, "reading programs")) == SQL_ROW)
        err = qe_read_program(x, q, &out[(*n)++]);
    if (!err && rc < 0)
        err = rc;
    x->reset(q);
    return err;
}

/* ---- entries -------------------------------------------------------------- */

static int q_entries_by_hash(struct store *st, const unsigned char hash[32], entry_cb cb, void *ctx)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, "SELECT " ENTRY_COLS " FROM entry WHERE id_hash = $1 "
                                        "ORDER BY program_id, receipt_no");
    if (!q)
        return KERR_DB;
    x->bind_blob(q, 1, hash, 32);
    return each_entry(x, q, cb, ctx, "looking up a card holder", NULL, NULL);
}

static int q_entries_by_receipt(struct store *st, const char *receipt_no, entry_cb cb, void *ctx)
{
    const struct sql_exec_ops *x = X(st);
    /* upper(): the expression index entry_receipt_ci (migration 7) */
    struct sql_stmt *q = x->prepare(st, "SELECT " ENTRY_COLS " FROM entry "
                                        "WHERE upper(receipt_no) = upper($1::text) "
                                        "ORDER BY program_id, receipt_no");
    if (!q)
        return KERR_DB;
    x->bind_text(q, 1, receipt_no);
    return each_entry(x, q, cb, ctx, "looking up a receipt number", NULL, NULL);
}

/* The rows a name found, kept to be put in (programme, receipt) order. */
static int q_entries_unindexed(struct store *st, long long after_id, int n, entry_cb cb, void *ctx)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, "SELECT " ENTRY_COLS " FROM entry WHERE name_hash IS NULL "
                                        "AND id > $1 ORDER BY id LIMIT $2");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, after_id);
    x->bind_int64(q, 2, n);
    return each_entry(x, q, cb, ctx, "indexing names", NULL, NULL);
}

static int q_set_name_hash(struct store *st, long long entry_id, const unsigned char hash[32])
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, "UPDATE entry SET name_hash = $2 WHERE id = $1");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, entry_id);
    x->bind_blob(q, 2, hash, 32);
    return sql_done(x, q, "indexing names");
}

static int q_entry_get(struct store *st, int program_id, const char *receipt_no,
                       struct entry_row *out)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, "SELECT " ENTRY_COLS " FROM entry "
                                        "WHERE program_id = $1 AND receipt_no = $2");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    x->bind_text(q, 2, receipt_no);
    int rc = x->step(q, "reading an entry");
    if (rc == SQL_ROW)
        qe_read_entry(x, q, out);
    x->reset(q);
    return rc == SQL_ROW ? 0
         : rc == SQL_DONE ? kerr(KERR_NOTFOUND, "no entry with receipt number %s", receipt_no) : rc;
}

/* ---- the Fenwick tree ----------------------------------------------------- */

/* Add delta (and delta_new to the second weight) to the ≤ 25 nodes above
 * slot: one upsert over a VALUES list (unused places bind 0 and are
 * filtered out). */
static int fen_add(struct store *st, int program_id, long long slot, long long delta,
                   long long delta_new)
{
    if (delta == 0 && delta_new == 0)
        return 0;
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st,
        "INSERT INTO rank_tree(program_id, node, sum, sum_new) "
        "SELECT $1::integer, column1, $2::bigint, $28::bigint FROM "
        "(VALUES ($3::bigint),($4::bigint),($5::bigint),($6::bigint),($7::bigint),($8::bigint),"
        "($9::bigint),($10::bigint),($11::bigint),($12::bigint),($13::bigint),($14::bigint),"
        "($15::bigint),($16::bigint),($17::bigint),($18::bigint),($19::bigint),($20::bigint),"
        "($21::bigint),($22::bigint),($23::bigint),($24::bigint),($25::bigint),($26::bigint),"
        "($27::bigint)) AS v WHERE column1 > 0 "
        "ON CONFLICT (program_id, node) DO UPDATE SET sum = rank_tree.sum + excluded.sum, "
        "sum_new = rank_tree.sum_new + excluded.sum_new");
    if (!q)
        return KERR_DB;
    long long path[RANK_FEN_BITS + 1];
    int np = rank_up_path(slot, path);
    x->bind_int64(q, 1, program_id);
    x->bind_int64(q, 2, delta);
    for (int k = 0; k < RANK_FEN_BITS + 1; k++)
        x->bind_int64(q, 3 + k, k < np ? path[k] : 0);
    x->bind_int64(q, 28, delta_new);
    return sql_done(x, q, "updating the rank tree");
}

static int fen_node(struct store *st, int program_id, long long node, long long *sum)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, "SELECT sum FROM rank_tree WHERE program_id = $1 AND node = $2");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    x->bind_int64(q, 2, node);
    return sql_int(x, q, 0, sum, "reading the rank tree");
}

/* ---- positions ------------------------------------------------------------ */

static int q_total(struct store *st, int program_id, long long *total)
{
    return fen_node(st, program_id, RANK_SLOTS, total);   /* the root covers every slot */
}

static int q_position(struct store *st, const struct entry_row *e, long long *position)
{
    if (e->status != ST_WAITING)
        return kerr(KERR_NOTFOUND, "entry %s is not waiting, so it holds no position", e->receipt_no);
    const struct sql_exec_ops *x = X(st);
    /* the tree prefix before my block (≤ 24 nodes; node 0 never exists, so
     * unused places bind 0) + my rank within the block + 1 */
    struct sql_stmt *q = x->prepare(st,
        "SELECT (SELECT CAST(COALESCE(sum(sum), 0) AS bigint) FROM rank_tree WHERE program_id = $1 "
        "        AND node IN ($4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,"
        "$22,$23,$24,$25,$26,$27,$28)) "
        "     + (SELECT count(*) FROM entry WHERE program_id = $1 AND slot = $2 "
        "        AND status = 0 AND skey < $3) + 1");
    if (!q)
        return KERR_DB;
    long long path[RANK_FEN_BITS + 1];
    int np = rank_down_path(e->slot - 1, path);
    x->bind_int64(q, 1, e->program_id);
    x->bind_int64(q, 2, e->slot);
    x->bind_blob(q, 3, e->skey, e->skey_len);
    for (int k = 0; k < RANK_FEN_BITS + 1; k++)
        x->bind_int64(q, 4 + k, k < np ? path[k] : 0);
    return sql_int(x, q, 0, position, "computing a position");
}

/* The slot holding the pos-th waiting entry and pos's offset within it:
 * the Fenwick descent (one node per level) as one recursive query. */
static int fen_find(struct store *st, int program_id, long long pos, long long *slot,
                    long long *offset)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st,
        "WITH RECURSIVE d(idx, rest, bit) AS ("
        "  SELECT CAST(0 AS bigint), $2::bigint, CAST(16777216 AS bigint) "
        "  UNION ALL "
        "  SELECT CASE WHEN d.idx + d.bit <= 16777216 AND COALESCE(t.sum, 0) < d.rest "
        "              THEN d.idx + d.bit ELSE d.idx END, "
        "         CASE WHEN d.idx + d.bit <= 16777216 AND COALESCE(t.sum, 0) < d.rest "
        "              THEN d.rest - COALESCE(t.sum, 0) ELSE d.rest END, "
        "         d.bit / 2 "
        "  FROM d LEFT JOIN rank_tree t ON t.program_id = $1::integer AND t.node = d.idx + d.bit "
        "  WHERE d.bit > 0) "
        "SELECT idx + 1, rest - 1 FROM d WHERE bit = 0");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    x->bind_int64(q, 2, pos);
    int rc = x->step(q, "searching the rank tree");
    if (rc == SQL_ROW) {
        *slot = x->col_int64(q, 0);
        *offset = x->col_int64(q, 1);
    }
    x->reset(q);
    return rc == SQL_ROW ? 0
         : rc == SQL_DONE ? kerr(KERR_DB, "rank tree search of program %d returned nothing",
                                 program_id) : rc;
}

static int q_entry_at(struct store *st, int program_id, long long pos, struct entry_row *out)
{
    const struct sql_exec_ops *x = X(st);
    long long total, slot = 0, offset = 0;
    int err = q_total(st, program_id, &total);
    if (err)
        return err;
    if (pos < 1 || pos > total)
        return kerr(KERR_NOTFOUND, "no position %lld (the queue has %lld)", pos, total);
    if ((err = fen_find(st, program_id, pos, &slot, &offset)))
        return err;
    struct sql_stmt *q = x->prepare(st, "SELECT " ENTRY_COLS " FROM entry WHERE program_id = $1 AND "
                                        "slot = $2 AND status = 0 ORDER BY skey LIMIT 1 OFFSET $3");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    x->bind_int64(q, 2, slot);
    x->bind_int64(q, 3, offset);
    int rc = x->step(q, "reading an entry");
    if (rc == SQL_ROW)
        qe_read_entry(x, q, out);
    x->reset(q);
    return rc == SQL_ROW ? 0
         : rc == SQL_DONE ? kerr(KERR_DB, "rank structure of program %d is inconsistent "
                                 "(run kioskctl check)", program_id) : rc;
}

static int q_page(struct store *st, int program_id, long long pos, int n, entry_cb cb, void *ctx)
{
    const struct sql_exec_ops *x = X(st);
    struct entry_row first;
    int err = q_entry_at(st, program_id, pos, &first);
    if (err)
        return err == KERR_NOTFOUND ? 0 : err;
    struct sql_stmt *q = x->prepare(st, "SELECT " ENTRY_COLS " FROM entry WHERE program_id = $1 AND "
                                        "status = 0 AND (slot, skey) >= ($2::bigint, $3::bytea) "
                                        "ORDER BY slot, skey LIMIT $4");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    x->bind_int64(q, 2, first.slot);
    x->bind_blob(q, 3, first.skey, first.skey_len);
    x->bind_int64(q, 4, n);
    return each_entry(x, q, cb, ctx, "reading a page of the queue", NULL, NULL);
}

/* The console's queue page in ONE statement (issue 13: a staff page is one
 * round trip on PostgreSQL, where q_total + q_page were 5 statements and a
 * transaction round them): the total from the tree's root, the position
 * clamped (past the end: the last n), the Fenwick descent to the slot of
 * that position and its offset inside the slot, and the n waiting entries
 * from there in queue order.  LEFT JOIN: an empty queue still gives one
 * row (NULL entry) carrying the total.  The offset inside a slot is below
 * a block's size, so OFFSET reads at most a block more. */
static int q_page_at(struct store *st, int program_id, long long pos, int n, long long *total,
                     long long *pos_used, entry_cb cb, void *ctx)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st,
        "WITH RECURSIVE tot(total) AS ("
        "  SELECT CAST(COALESCE((SELECT sum FROM rank_tree WHERE program_id = $1::integer "
        "                        AND node = 16777216), 0) AS bigint)), "
        "want(p) AS ("
        "  SELECT CASE WHEN $2::bigint > total THEN total - $3::bigint + 1 ELSE $2::bigint END "
        "  FROM tot), "
        "want1(p) AS (SELECT CASE WHEN p < 1 THEN CAST(1 AS bigint) ELSE p END FROM want), "
        "d(idx, rest, bit) AS ("
        "  SELECT CAST(0 AS bigint), (SELECT p FROM want1), CAST(16777216 AS bigint) "
        "  UNION ALL "
        "  SELECT CASE WHEN d.idx + d.bit <= 16777216 AND COALESCE(t.sum, 0) < d.rest "
        "              THEN d.idx + d.bit ELSE d.idx END, "
        "         CASE WHEN d.idx + d.bit <= 16777216 AND COALESCE(t.sum, 0) < d.rest "
        "              THEN d.rest - COALESCE(t.sum, 0) ELSE d.rest END, "
        "         d.bit / 2 "
        "  FROM d LEFT JOIN rank_tree t ON t.program_id = $1::integer AND t.node = d.idx + d.bit "
        "  WHERE d.bit > 0), "
        "hit(slot, off) AS (SELECT idx + 1, rest - 1 FROM d WHERE bit = 0) "
        "SELECT pg.*, tot.total, want1.p FROM tot CROSS JOIN want1 LEFT JOIN ("
        "  SELECT " ENTRY_COLS " FROM entry WHERE program_id = $1::integer AND status = 0 "
        "  AND slot >= (SELECT slot FROM hit) ORDER BY slot, skey "
        "  LIMIT $3::bigint OFFSET (SELECT off FROM hit)) pg ON 1 = 1 "
        "ORDER BY pg.slot, pg.skey");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    x->bind_int64(q, 2, pos);
    x->bind_int64(q, 3, n);
    const struct entry_tail tail = {2, {total, pos_used}};
    return each_entry_tail(x, q, cb, ctx, "reading a page of the queue", NULL, NULL, &tail);
}

/* ---- blocks --------------------------------------------------------------- */

static int block_for_key(struct store *st, int program_id, const unsigned char *skey, int skey_len,
                         long long *slot)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, "SELECT slot FROM rank_block WHERE program_id = $1 AND "
                                        "lo_key <= $2 ORDER BY lo_key DESC LIMIT 1");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    x->bind_blob(q, 2, skey, skey_len);
    int err = sql_int(x, q, 0, slot, "finding a rank block");
    if (err || *slot)
        return err;
    /* No block at or below the key: there are no blocks (the first block
     * starts at the empty key otherwise).  Create the first block in the
     * middle of the slot space. */
    *slot = RANK_SLOTS / 2;
    q = x->prepare(st, "INSERT INTO rank_block(program_id, slot, lo_key, n) VALUES ($1, $2, $3, 0)");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    x->bind_int64(q, 2, *slot);
    x->bind_blob(q, 3, "", 0);
    return sql_done(x, q, "creating a rank block");
}

static int block_add(struct store *st, int program_id, long long slot, long long delta,
                     long long delta_new, long long *n_after)
{
    const struct queue_backend *b = qe_backend(st);
    if (b && b->block_add)
        return b->block_add(st, program_id, slot, delta, delta_new, n_after);
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, "UPDATE rank_block SET n = n + $3, n_new = n_new + $4 "
                                        "WHERE program_id = $1 AND slot = $2 RETURNING n");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    x->bind_int64(q, 2, slot);
    x->bind_int64(q, 3, delta);
    x->bind_int64(q, 4, delta_new);
    int err = sql_int(x, q, -1, n_after, "updating a rank block");
    if (!err && *n_after < 0)
        err = kerr(KERR_DB, "rank block %lld of program %d is missing (run kioskctl check)", slot,
                   program_id);
    return err ? err : fen_add(st, program_id, slot, delta, delta_new);
}

/* Move the upper half of an overfull block to a new slot. */
static int block_split(struct store *st, int program_id, long long slot, long long n)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, "SELECT min(slot) FROM rank_block WHERE program_id = $1 AND "
                                        "slot > $2");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    x->bind_int64(q, 2, slot);
    long long next;
    int err = sql_int(x, q, RANK_SLOTS + 1, &next, "splitting a rank block");
    if (err)
        return err;
    long long mid_slot = rank_split_slot(slot, next);
    if (mid_slot == 0)
        return qe_rebuild_rank(st, program_id);   /* no free slot: renumber */

    q = x->prepare(st, "SELECT skey FROM entry WHERE program_id = $1 AND slot = $2 AND status = 0 "
                       "ORDER BY skey LIMIT 1 OFFSET $3");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    x->bind_int64(q, 2, slot);
    x->bind_int64(q, 3, n / 2);
    unsigned char mid[QUEUE_SKEY_MAX];
    int mid_len = 0, rc = x->step(q, "splitting a rank block");
    if (rc == SQL_ROW)
        mid_len = x->col_blob(q, 0, mid, sizeof mid);
    x->reset(q);
    if (rc != SQL_ROW)
        return rc < 0 ? rc : kerr(KERR_DB, "rank block %lld of program %d has fewer entries "
                                  "than counted", slot, program_id);

    /* the moved entries that are not on the published list move their
     * second weight with them */
    q = x->prepare(st, "SELECT count(*) FROM entry WHERE program_id = $1 AND slot = $2 AND "
                       "status = 0 AND skey >= $3 AND pub_pos = 0");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    x->bind_int64(q, 2, slot);
    x->bind_blob(q, 3, mid, mid_len);
    long long moved_new;
    if ((err = sql_int(x, q, 0, &moved_new, "splitting a rank block")))
        return err;
    q = x->prepare(st, "UPDATE entry SET slot = $3 WHERE program_id = $1 AND slot = $2 AND "
                       "status = 0 AND skey >= $4");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    x->bind_int64(q, 2, slot);
    x->bind_int64(q, 3, mid_slot);
    x->bind_blob(q, 4, mid, mid_len);
    if ((rc = x->step(q, "splitting a rank block")) < 0) {
        x->reset(q);
        return rc;
    }
    long long moved = x->changes(q), dummy;
    x->reset(q);
    q = x->prepare(st, "INSERT INTO rank_block(program_id, slot, lo_key, n) VALUES ($1, $2, $3, 0)");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    x->bind_int64(q, 2, mid_slot);
    x->bind_blob(q, 3, mid, mid_len);
    if ((err = sql_done(x, q, "splitting a rank block")) ||
        (err = block_add(st, program_id, slot, -moved, -moved_new, &dummy)) ||
        (err = block_add(st, program_id, mid_slot, moved, moved_new, &dummy)))
        return err;
    return 0;
}

/* ---- writes --------------------------------------------------------------- */

int qe_next_change_seq(struct store *st, int program_id, long long *seq)
{
    const struct sql_exec_ops *x = X(st);
    /* In meta (not a sequence): a rolled-back change gives its number back,
     * so the counter only ever names committed states.  One counter per
     * program ('change_seq/<id>'; issue 13): its row is locked until the
     * commit, and one counter for all made staff actions on different
     * programs wait for each other.  Its numbers are only ever compared
     * within the program; a program's counter starts above the one counter
     * the database had before (schema 010 and older), so it is above every
     * number its entries and publications already carry. */
    int err = store_lock(st, STORE_LOCK_PROGRAM, program_id);
    if (err)
        return err;
    struct sql_stmt *q = x->prepare(st,
        "INSERT INTO meta(key, value) VALUES ('change_seq/' || CAST($1 AS text), "
        "CAST(COALESCE((SELECT CAST(value AS bigint) FROM meta WHERE key = 'change_seq'), 0) + 1 "
        "AS text)) "
        "ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS bigint) + 1 AS text) "
        "RETURNING CAST(value AS bigint)");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    return sql_int(x, q, 0, seq, "advancing the change counter");
}

static int q_set_status(struct store *st, struct entry_row *e, int status, int refusals)
{
    const struct sql_exec_ops *x = X(st);
    long long n_after = 0, seq = 0, pub_pos;
    /* the program's ranks, publications and counter are this writer's until
     * it commits (on PostgreSQL a SHARED writer's lock; nothing on SQLite).
     * A caller that read e to decide on the change locked it before that
     * read (queue_staff_action); taking it again costs nothing. */
    int err = store_lock(st, STORE_LOCK_PROGRAM, e->program_id);
    if (err)
        return err;
    /* the breakdown: an entry of the published list changes category in the
     * tree over published positions; any other counts in the rank
     * structure's second weight while it waits */
    struct sql_stmt *q = x->prepare(st, "SELECT pub_pos FROM entry WHERE id = $1");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, e->id);
    err = sql_int(x, q, 0, &pub_pos, "reading an entry");
    if (err || (pub_pos > 0 && (err = qe_pub_move(st, e->program_id, pub_pos, e->status, status))))
        return err;
    long long is_new = pub_pos == 0;
    if (e->status == ST_WAITING && status != ST_WAITING) {
        err = block_add(st, e->program_id, e->slot, -1, -is_new, &n_after);
    } else if (e->status != ST_WAITING && status == ST_WAITING) {
        if ((err = block_for_key(st, e->program_id, e->skey, e->skey_len, &e->slot)) ||
            (err = block_add(st, e->program_id, e->slot, 1, is_new, &n_after)))
            return err;
    }
    if (err || (err = qe_next_change_seq(st, e->program_id, &seq)))
        return err;
    /* status_at: since when, for the housing work queue (only a real change
     * of status restarts the clock: a refusal that keeps… none do today) */
    char now[32];
    store_now(now);
    q = x->prepare(st, "UPDATE entry SET status = $2, refusals = $3, slot = $4, "
                       "changed_seq = $5, "
                       "status_at = CASE WHEN status <> $2 THEN $6 ELSE status_at END WHERE id = $1");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, e->id);
    x->bind_int64(q, 2, status);
    x->bind_int64(q, 3, refusals);
    x->bind_int64(q, 4, e->slot);
    x->bind_int64(q, 5, seq);
    x->bind_text(q, 6, now);
    if ((err = sql_done(x, q, "changing an entry's status")) ||
        (err = row_seal_refresh(st, ROW_ENTRY, e->id)))
        return err;
    int was_waiting = e->status == ST_WAITING;
    e->status = status;
    e->refusals = refusals;
    e->changed_seq = seq;
    if (!was_waiting && status == ST_WAITING && n_after > RANK_BLOCK_MAX) {
        if ((err = block_split(st, e->program_id, e->slot, n_after)))
            return err;
        /* the entry may have moved to the new block */
        q = x->prepare(st, "SELECT slot FROM entry WHERE id = $1");
        if (!q)
            return KERR_DB;
        x->bind_int64(q, 1, e->id);
        return sql_int(x, q, e->slot, &e->slot, "reading an entry");
    }
    return 0;
}

int qe_event_add(struct store *st, const struct entry_event *ev)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, "INSERT INTO entry_event(entry_id, program_id, at, actor, "
                                        "action, from_status, to_status, reason) "
                                        "VALUES ($1,$2,$3,$4,$5,$6,$7,$8)");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, ev->entry_id);
    x->bind_int64(q, 2, ev->program_id);
    x->bind_text(q, 3, ev->at);
    x->bind_text(q, 4, ev->actor);
    x->bind_text(q, 5, ev->action);
    sql_bind_key(x, q, 6, ev->from_status < 0 ? NONE_I64 : ev->from_status);
    sql_bind_key(x, q, 7, ev->to_status < 0 ? NONE_I64 : ev->to_status);
    x->bind_text(q, 8, ev->reason);
    return sql_done(x, q, "recording an entry event");
}

static int q_events(struct store *st, long long entry_id,
                    int (*cb)(void *ctx, const struct entry_event *ev), void *ctx)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, "SELECT entry_id, program_id, at, actor, action, "
                                        "COALESCE(from_status, -1), COALESCE(to_status, -1), reason "
                                        "FROM entry_event WHERE entry_id = $1 ORDER BY id");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, entry_id);
    /* one entry's history is short: read it whole, then call back */
    struct entry_event *evs = NULL;
    int n = 0, cap = 0, rc, err = 0;
    while ((rc = x->step(q, "reading an entry's history")) == SQL_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            struct entry_event *r = realloc(evs, sizeof *evs * (size_t)cap);
            if (!r) {
                err = KERR_NOMEM;
                break;
            }
            evs = r;
        }
        struct entry_event *ev = &evs[n++];
        memset(ev, 0, sizeof *ev);
        ev->entry_id = x->col_int64(q, 0);
        ev->program_id = (int)x->col_int64(q, 1);
        x->col_text(q, 2, ev->at, sizeof ev->at);
        x->col_text(q, 3, ev->actor, sizeof ev->actor);
        x->col_text(q, 4, ev->action, sizeof ev->action);
        ev->from_status = (int)x->col_int64(q, 5);
        ev->to_status = (int)x->col_int64(q, 6);
        x->col_text(q, 7, ev->reason, sizeof ev->reason);
    }
    x->reset(q);
    if (rc < 0)
        err = rc;
    for (int i = 0; i < n && !err; i++)
        err = cb(ctx, &evs[i]);
    free(evs);
    return err;
}

static int q_housed_by_month(struct store *st, int program_id, const char *first_month,
                             int n_months, int *counts)
{
    const struct sql_exec_ops *x = X(st);
    /* first_month "YYYY-MM"; the window ends n_months later */
    int y, m;
    if (sscanf(first_month, "%d-%d", &y, &m) != 2)
        return kerr(KERR_USAGE, "bad month '%s'", first_month);
    int ey = y + (m - 1 + n_months) / 12, em = (m - 1 + n_months) % 12 + 1;
    char from[16], to[16];
    snprintf(from, sizeof from, "%04d-%02d", y, m);
    snprintf(to, sizeof to, "%04d-%02d", ey, em);
    /* housed_month (008): kept by a trigger on entry_event, one row a month */
    struct sql_stmt *q = x->prepare(st, "SELECT month, n FROM housed_month WHERE program_id = $1 "
                                        "AND month >= $2 AND month < $3");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    x->bind_text(q, 2, from);
    x->bind_text(q, 3, to);
    memset(counts, 0, sizeof *counts * (size_t)n_months);
    int rc;
    while ((rc = x->step(q, "reading allocation history")) == SQL_ROW) {
        char month[16];
        int yy, mm;
        x->col_text(q, 0, month, sizeof month);
        if (sscanf(month, "%d-%d", &yy, &mm) == 2) {
            int i = (yy - y) * 12 + (mm - m);
            if (i >= 0 && i < n_months)
                counts[i] = (int)x->col_int64(q, 1);
        }
    }
    x->reset(q);
    return rc < 0 ? rc : 0;
}

static int q_check_allocations(struct store *st, int program_id, long long *bad)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st,
        "SELECT (SELECT count(*) FROM (SELECT substr(at, 1, 7) AS m, count(*) AS c FROM entry_event "
        "        WHERE program_id = $1 AND to_status = 3 GROUP BY substr(at, 1, 7)) r "
        "        LEFT JOIN housed_month h ON h.program_id = $1 AND h.month = r.m "
        "        WHERE h.n IS NULL OR h.n <> r.c) "
        "     + (SELECT count(*) FROM housed_month h WHERE h.program_id = $1 AND NOT EXISTS "
        "        (SELECT 1 FROM entry_event v WHERE v.program_id = $1 AND v.to_status = 3 "
        "         AND substr(v.at, 1, 7) = h.month))");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    return sql_int(x, q, 0, bad, "recounting allocations");
}

static int q_check_kept_counts(struct store *st, int program_id, long long *n_bad, char what[64],
                               long long *kept, long long *counted)
{
    const struct sql_exec_ops *x = X(st);
    *n_bad = 0;
    what[0] = '\0';
    *kept = *counted = 0;
    /* entry_open_n: a missing row is a kept 0 (the triggers insert on the first) */
    struct sql_stmt *q = x->prepare(st,
        "SELECT s.status, COALESCE((SELECT n FROM entry_open_n o WHERE o.program_id = $1 "
        "       AND o.status = s.status), 0), "
        "       (SELECT count(*) FROM entry e WHERE e.status = s.status AND e.program_id = $1) "
        "FROM (SELECT 1 AS status UNION ALL SELECT 2) AS s ORDER BY s.status");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    int rc;
    while ((rc = x->step(q, "recounting offered and frozen entries")) == SQL_ROW) {
        long long k = x->col_int64(q, 1), c = x->col_int64(q, 2);
        if (k == c)
            continue;
        if (!(*n_bad)++) {
            snprintf(what, 64, "entry_open_n status %s", entry_status_name((int)x->col_int64(q, 0)));
            *kept = k;
            *counted = c;
        }
    }
    x->reset(q);
    if (rc < 0)
        return rc;
    /* housed_month: every month with housings or a kept row, kept against the events */
    q = x->prepare(st,
        "SELECT m, kept, counted FROM ("
        " SELECT r.m AS m, COALESCE(h.n, 0) AS kept, r.c AS counted FROM "
        "  (SELECT substr(at, 1, 7) AS m, count(*) AS c FROM entry_event "
        "   WHERE program_id = $1 AND to_status = 3 GROUP BY substr(at, 1, 7)) AS r "
        "  LEFT JOIN housed_month h ON h.program_id = $1 AND h.month = r.m "
        " UNION ALL "
        " SELECT h.month AS m, h.n AS kept, 0 AS counted FROM housed_month h WHERE h.program_id = $1 "
        "  AND NOT EXISTS (SELECT 1 FROM entry_event v WHERE v.program_id = $1 AND v.to_status = 3 "
        "  AND substr(v.at, 1, 7) = h.month)) AS d WHERE kept <> counted ORDER BY m");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    while ((rc = x->step(q, "recounting housings per month")) == SQL_ROW) {
        if (!(*n_bad)++) {
            char m[16];
            x->col_text(q, 0, m, sizeof m);
            snprintf(what, 64, "housed_month %s", m);
            *kept = x->col_int64(q, 1);
            *counted = x->col_int64(q, 2);
        }
    }
    x->reset(q);
    return rc < 0 ? rc : 0;
}

/* ---- publication ---------------------------------------------------------- */

static int q_last_publication(struct store *st, int program_id, struct publication *pub)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, "SELECT id, program_id, at, actor, total, change_seq FROM "
                                        "publication WHERE program_id = $1 ORDER BY id DESC LIMIT 1");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    int rc = x->step(q, "reading publications");
    if (rc == SQL_ROW) {
        pub->id = x->col_int64(q, 0);
        pub->program_id = (int)x->col_int64(q, 1);
        x->col_text(q, 2, pub->at, sizeof pub->at);
        x->col_text(q, 3, pub->actor, sizeof pub->actor);
        pub->total = x->col_int64(q, 4);
        pub->change_seq = x->col_int64(q, 5);
    }
    x->reset(q);
    return rc == SQL_ROW ? 0 : rc == SQL_DONE ? KERR_NOTFOUND : rc;
}

static int q_publish(struct store *st, int program_id, const char *at, const char *actor,
                     struct publication *pub)
{
    const struct sql_exec_ops *x = X(st);
    long long total, seq, pub_id;
    int err;
    if ((err = store_lock(st, STORE_LOCK_PROGRAM, program_id)) ||
        (err = q_total(st, program_id, &total)) || (err = qe_next_change_seq(st, program_id, &seq)))
        return err;
    struct sql_stmt *q = x->prepare(st, "INSERT INTO publication(program_id, at, actor, total, "
                                        "change_seq) VALUES ($1, $2, $3, $4, $5) RETURNING id");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    x->bind_text(q, 2, at);
    x->bind_text(q, 3, actor);
    x->bind_int64(q, 4, total);
    x->bind_int64(q, 5, seq);
    if ((err = sql_int(x, q, 0, &pub_id, "recording a publication")))
        return err;
    /* (slot, skey) order over the partial index is queue order */
    q = x->prepare(st, "INSERT INTO published_position(publication_id, entry_id, position) "
                       "SELECT $1::bigint, id, row_number() OVER (ORDER BY slot, skey) FROM entry "
                       "WHERE program_id = $2 AND status = 0");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, pub_id);
    x->bind_int64(q, 2, program_id);
    if ((err = sql_done(x, q, "snapshotting positions")) ||
        (err = qe_pub_reset(st, program_id, pub_id)))
        return err;
    return q_last_publication(st, program_id, pub);
}

static int q_published_position(struct store *st, long long pub_id, long long entry_id,
                                long long *pos)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, "SELECT position FROM published_position WHERE "
                                        "publication_id = $1 AND entry_id = $2");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, pub_id);
    x->bind_int64(q, 2, entry_id);
    long long v;
    int err = sql_int(x, q, -1, &v, "reading publications");
    if (err)
        return err;
    if (v < 0)
        return KERR_NOTFOUND;
    *pos = v;
    return 0;
}

/* ---- long lists, read in keyset pages ------------------------------------- */

struct changed_page {
    struct entry_row e;
    long long then;
};

/* Entries changed after the publication's change_seq, in (changed_seq, id)
 * order (the entry_changed index), PAGE_ROWS at a time. */
static int q_changed_since(struct store *st, const struct publication *pub,
                           int (*cb)(void *ctx, const struct entry_row *e, long long position_then),
                           void *ctx)
{
    const struct sql_exec_ops *x = X(st);
    struct changed_page *rows = malloc(sizeof *rows * PAGE_ROWS);
    if (!rows)
        return KERR_NOMEM;
    long long after_seq = pub->change_seq, after_id = LLONG_MAX;   /* > change_seq */
    int err = 0;
    for (;;) {
        struct sql_stmt *q = x->prepare(st,
            "SELECT " ENTRY_COLS ", COALESCE(pp.position, 0) FROM entry "
            "LEFT JOIN published_position pp ON pp.publication_id = $5 AND pp.entry_id = entry.id "
            "WHERE program_id = $1 AND (changed_seq, id) > ($2::bigint, $3::bigint) "
            "ORDER BY changed_seq, id LIMIT $4");
        if (!q) {
            err = KERR_DB;
            break;
        }
        x->bind_int64(q, 1, pub->program_id);
        x->bind_int64(q, 2, after_seq);
        x->bind_int64(q, 3, after_id);
        x->bind_int64(q, 4, PAGE_ROWS);
        x->bind_int64(q, 5, pub->id);
        int n = 0, rc;
        while ((rc = x->step(q, "reading changes")) == SQL_ROW) {
            qe_read_entry(x, q, &rows[n].e);
            rows[n++].then = x->col_int64(q, 17);
        }
        x->reset(q);
        if (rc < 0) {
            err = rc;
            break;
        }
        for (int i = 0; i < n && !err; i++)
            err = cb(ctx, &rows[i].e, rows[i].then);
        if (err || n < PAGE_ROWS)
            break;
        after_seq = rows[n - 1].e.changed_seq;
        after_id = rows[n - 1].e.id;
    }
    free(rows);
    return err;
}

/* Waiting entries in queue order ((slot, skey) keyset), then the rest by
 * receipt number. */
static int q_export_all(struct store *st, int program_id, entry_cb cb, void *ctx)
{
    const struct sql_exec_ops *x = X(st);
    struct entry_row *last = calloc(1, sizeof *last);
    int err = last ? 0 : KERR_NOMEM;
    for (int part = 0; part < 2 && !err; part++) {
        bool first = true;
        for (;;) {
            struct sql_stmt *q;
            if (part == 0) {
                q = x->prepare(st, "SELECT " ENTRY_COLS " FROM entry WHERE program_id = $1 AND "
                                   "status = 0 AND (slot, skey) > ($3::bigint, $4::bytea) "
                                   "ORDER BY slot, skey LIMIT $2");
                if (q) {
                    x->bind_int64(q, 3, first ? -1 : last->slot);
                    x->bind_blob(q, 4, last->skey, first ? 0 : last->skey_len);
                }
            } else {
                q = x->prepare(st, "SELECT " ENTRY_COLS " FROM entry WHERE program_id = $1 AND "
                                   "status <> 0 AND ($3::integer = 1 OR receipt_no > $4) "
                                   "ORDER BY receipt_no LIMIT $2");
                if (q) {
                    x->bind_int64(q, 3, first ? 1 : 0);
                    x->bind_text(q, 4, first ? "" : last->receipt_no);
                }
            }
            if (!q) {
                err = KERR_DB;
                break;
            }
            x->bind_int64(q, 1, program_id);
            x->bind_int64(q, 2, PAGE_ROWS);
            int n = 0;
            err = each_entry(x, q, cb, ctx, "exporting", &n, last);
            first = false;
            if (err || n < PAGE_ROWS)
                break;
        }
    }
    free(last);
    return err;
}

static int q_count_waiting(struct store *st, int program_id, long long *n)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, "SELECT count(*) FROM entry WHERE program_id = $1 AND "
                                        "status = 0");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    return sql_int(x, q, 0, n, "counting waiting entries");
}

/* The housing work queue.  The literal "status IN (1, 2)" lets both
 * planners use the partial index entry_open with a bound status; its order
 * (status, status_at, id) is the page's.  A page from a key is read in two
 * index seeks — the rest of the key's own date (status_at = key, id beyond
 * it), then the dates beyond — because SQLite seeks a row value
 * (status_at, id) > (…) on its first column only and would filter every row
 * of a shared date (an import's rows all have '').  So a page costs n index
 * entries and n row reads wherever it is in the list. */
#define OPEN_SEL "SELECT " ENTRY_COLS ", status_at FROM entry WHERE status IN (1, 2) AND status = $1 "
static const char *const open_start_sql[2] = {
    OPEN_SEL "ORDER BY status_at, id LIMIT $2",
    OPEN_SEL "ORDER BY status_at DESC, id DESC LIMIT $2"};
/* [desc][inclusive]: the key's date, ids beyond the key's */
static const char *const open_same_sql[2][2] = {
    {OPEN_SEL "AND status_at = $2 AND id > $3 ORDER BY id LIMIT $4",
     OPEN_SEL "AND status_at = $2 AND id >= $3 ORDER BY id LIMIT $4"},
    {OPEN_SEL "AND status_at = $2 AND id < $3 ORDER BY id DESC LIMIT $4",
     OPEN_SEL "AND status_at = $2 AND id <= $3 ORDER BY id DESC LIMIT $4"}};
/* [desc]: the dates beyond the key's */
static const char *const open_beyond_sql[2] = {
    OPEN_SEL "AND status_at > $2 ORDER BY status_at, id LIMIT $3",
    OPEN_SEL "AND status_at < $2 ORDER BY status_at DESC, id DESC LIMIT $3"};
#undef OPEN_SEL

struct open_row {
    struct entry_row e;
    char since[32];
};

/* Run a bound open_* statement, appending up to cap - *k rows. */
static int open_read(const struct sql_exec_ops *x, struct sql_stmt *q, struct open_row *rows, int cap,
                     int *k)
{
    int rc = SQL_DONE;
    while (*k < cap && (rc = x->step(q, "reading the work queue")) == SQL_ROW) {
        qe_read_entry(x, q, &rows[*k].e);
        x->col_text(q, 17, rows[*k].since, sizeof rows[*k].since);
        (*k)++;
    }
    x->reset(q);
    return rc < 0 ? rc : 0;
}

static int q_open_page(struct store *st, int status, bool desc, const char *from_at, long long from_id,
                       bool inclusive, int n,
                       int (*cb)(void *ctx, const struct entry_row *e, const char *since), void *ctx)
{
    const struct sql_exec_ops *x = X(st);
    if (status != ST_OFFERED && status != ST_FROZEN)
        return kerr(KERR_USAGE, "the work queue lists offered or frozen entries, not status %d", status);
    if (n <= 0)
        return 0;
    /* read the page, reset, then the callbacks (they may use the store) */
    struct open_row *rows = calloc((size_t)n, sizeof *rows);
    if (!rows)
        return KERR_NOMEM;
    int k = 0, err = 0;
    struct sql_stmt *q;
    if (!from_at) {
        if (!(q = x->prepare(st, open_start_sql[desc]))) {
            err = KERR_DB;
            goto done;
        }
        x->bind_int64(q, 1, status);
        x->bind_int64(q, 2, n);
        err = open_read(x, q, rows, n, &k);
    } else {
        if (!(q = x->prepare(st, open_same_sql[desc][inclusive]))) {
            err = KERR_DB;
            goto done;
        }
        x->bind_int64(q, 1, status);
        x->bind_text(q, 2, from_at);
        x->bind_int64(q, 3, from_id);
        x->bind_int64(q, 4, n);
        err = open_read(x, q, rows, n, &k);
        if (!err && k < n) {
            if (!(q = x->prepare(st, open_beyond_sql[desc]))) {
                err = KERR_DB;
                goto done;
            }
            x->bind_int64(q, 1, status);
            x->bind_text(q, 2, from_at);
            x->bind_int64(q, 3, n - k);
            err = open_read(x, q, rows, n, &k);
        }
    }
    for (int i = 0; i < k && !err; i++)
        err = cb(ctx, &rows[i].e, rows[i].since);
done:
    secure_wipe(rows, (size_t)n * sizeof *rows);
    free(rows);
    return err;
}

static int q_open_count(struct store *st, int status, const char *before, long long *n,
                        long long *n_before)
{
    const struct sql_exec_ops *x = X(st);
    /* the total: kept per programme by the triggers of migration 012 */
    struct sql_stmt *q = x->prepare(st, "SELECT CAST(COALESCE(sum(n), 0) AS bigint) "
                                        "FROM entry_open_n WHERE status = $1");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, status);
    int err = sql_int(x, q, 0, n, "counting the work queue");
    if (err)
        return err;
    q = x->prepare(st, "SELECT " QE_OPEN_LATE("$1", "$2", "$3"));
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, status);
    x->bind_text(q, 2, before);
    x->bind_int64(q, 3, OPEN_LATE_CAP);
    return sql_int(x, q, 0, n_before, "counting the work queue");
}

/* The queue browser's status filter (q_status_page): one programme, one
 * status, by wait_since then id.  Rows with no date come first (ascending)
 * and are their own segment — "wait_since IS NULL" — because a comparison
 * with NULL is never true; a page from a key is read, as open_page's, from
 * the rest of the key's own date by id, then the dates beyond.  Each
 * statement is a range of entry_wait (status, program_id, wait_since). */
#define SP_SEL "SELECT " ENTRY_COLS " FROM entry WHERE status = $1 AND program_id = $2 AND "
enum { SP_NULL_ALL, SP_NULL_FROM, SP_DATED_ALL, SP_SAME, SP_BEYOND, SP__N };
static const char *const sp_sql[2][SP__N] = {
    {SP_SEL "wait_since IS NULL ORDER BY id LIMIT $3",
     SP_SEL "wait_since IS NULL AND id > $3 ORDER BY id LIMIT $4",
     SP_SEL "wait_since IS NOT NULL ORDER BY wait_since, id LIMIT $3",
     SP_SEL "wait_since = $3 AND id > $4 ORDER BY id LIMIT $5",
     SP_SEL "wait_since > $3 ORDER BY wait_since, id LIMIT $4"},
    {SP_SEL "wait_since IS NULL ORDER BY id DESC LIMIT $3",
     SP_SEL "wait_since IS NULL AND id < $3 ORDER BY id DESC LIMIT $4",
     SP_SEL "wait_since IS NOT NULL ORDER BY wait_since DESC, id DESC LIMIT $3",
     SP_SEL "wait_since = $3 AND id < $4 ORDER BY id DESC LIMIT $5",
     SP_SEL "wait_since < $3 ORDER BY wait_since DESC, id DESC LIMIT $4"}};
#undef SP_SEL

/* One segment: its statement bound (status, programme, then the key's
 * parts it names), appending up to cap - *k rows. */
static int sp_read(struct store *st, int seg, bool desc, int program_id, int status, int64_t wait,
                   long long id, struct entry_row *rows, int cap, int *k)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q = x->prepare(st, sp_sql[desc][seg]);
    if (!q)
        return KERR_DB;
    int i = 1;
    x->bind_int64(q, i++, status);
    x->bind_int64(q, i++, program_id);
    if (seg == SP_SAME || seg == SP_BEYOND)
        x->bind_int64(q, i++, wait);
    if (seg == SP_NULL_FROM || seg == SP_SAME)
        x->bind_int64(q, i++, id);
    x->bind_int64(q, i, cap - *k);
    int rc = SQL_DONE;
    while (*k < cap && (rc = x->step(q, "reading a queue by status")) == SQL_ROW)
        qe_read_entry(x, q, &rows[(*k)++]);
    x->reset(q);
    return rc < 0 ? rc : 0;
}

static int q_status_page(struct store *st, int program_id, int status, bool desc, bool have_key,
                         int64_t key_wait, long long key_id, bool inclusive, int n, entry_cb cb,
                         void *ctx)
{
    if (status < 0 || status >= ST__COUNT)
        return kerr(KERR_USAGE, "no entry status %d", status);
    if (n <= 0)
        return 0;
    struct entry_row *rows = calloc((size_t)n, sizeof *rows);
    if (!rows)
        return KERR_NOMEM;
    /* ids are whole numbers: "from the key's row" is "after the id before it" */
    if (have_key && inclusive)
        key_id += desc ? 1 : -1;
    bool null_key = have_key && key_wait == NONE_I64;
    /* the segments in reading order: ascending no-date rows, then dated;
     * descending the other way round */
    int seg[3], ns = 0;
    if (!have_key) {
        seg[ns++] = desc ? SP_DATED_ALL : SP_NULL_ALL;
        seg[ns++] = desc ? SP_NULL_ALL : SP_DATED_ALL;
    } else if (null_key) {
        seg[ns++] = SP_NULL_FROM;
        if (!desc)
            seg[ns++] = SP_DATED_ALL;
    } else {
        seg[ns++] = SP_SAME;
        seg[ns++] = SP_BEYOND;
        if (desc)
            seg[ns++] = SP_NULL_ALL;
    }
    int k = 0, err = 0;
    for (int i = 0; i < ns && k < n && !err; i++)
        err = sp_read(st, seg[i], desc, program_id, status, key_wait, key_id, rows, n, &k);
    for (int i = 0; i < k && !err; i++)
        err = cb(ctx, &rows[i]);
    secure_wipe(rows, (size_t)n * sizeof *rows);
    free(rows);
    return err;
}

static int q_status_count(struct store *st, int program_id, int status, long long cap, long long *n)
{
    const struct sql_exec_ops *x = X(st);
    struct sql_stmt *q;
    if (status == ST_WAITING)
        return q_total(st, program_id, n);
    if (status == ST_OFFERED || status == ST_FROZEN) {
        if (!(q = x->prepare(st, "SELECT n FROM entry_open_n WHERE program_id = $1 AND status = $2")))
            return KERR_DB;
        x->bind_int64(q, 1, program_id);
        x->bind_int64(q, 2, status);
        return sql_int(x, q, 0, n, "counting a queue by status");
    }
    if (!(q = x->prepare(st, "SELECT count(*) FROM (SELECT 1 FROM entry WHERE status = $1 AND "
                             "program_id = $2 LIMIT $3) AS s")))
        return KERR_DB;
    x->bind_int64(q, 1, status);
    x->bind_int64(q, 2, program_id);
    x->bind_int64(q, 3, cap);
    return sql_int(x, q, 0, n, "counting a queue by status");
}

/* The console's housing work queue in ONE statement (issue 13: a staff
 * page is one round trip on PostgreSQL; it was a transaction round two
 * counts, two overdue counts, the page and a programme read per row): the
 * four counts as one row, LEFT JOINed to the page (so an empty page still
 * brings the counts), each row with its programme's code.  The page from a
 * key keeps open_page's two index seeks, as the two halves of a UNION ALL
 * under one ORDER BY and LIMIT.  Parameters: $1 status, $2 n, $3 and $4
 * the overdue cut-offs of offered and frozen, $5 the cap; from a key $6
 * the key's date and $7 its id. */
#define VIEW_COUNT(st, cut)                                                                     \
    "(SELECT CAST(COALESCE(sum(n), 0) AS bigint) FROM entry_open_n WHERE status = " st         \
    ") AS n" st ", " QE_OPEN_LATE(st, cut, "$5::bigint") " AS l" st
#define VIEW_SEL "SELECT " ENTRY_COLS ", status_at FROM entry WHERE status IN (1, 2) AND status = $1 "
#define VIEW_SQL(page, dir)                                                                     \
    "SELECT pg.*, p.code, c.n2, c.l2, c.n1, c.l1 FROM (SELECT " VIEW_COUNT("2", "$3") ", "      \
    VIEW_COUNT("1", "$4") ") AS c LEFT JOIN (" page ") AS pg ON 1 = 1 "                         \
    "LEFT JOIN program p ON p.id = pg.program_id ORDER BY pg.status_at " dir ", pg.id " dir
#define VIEW_KEY(same, beyond, dir)                                                             \
    "SELECT * FROM (SELECT * FROM (" VIEW_SEL same " LIMIT $2) AS a UNION ALL "                 \
    "SELECT * FROM (" VIEW_SEL beyond " LIMIT $2) AS b) AS ab "                                 \
    "ORDER BY status_at " dir ", id " dir " LIMIT $2"
/* the literal statuses: 2 offered (count[0], cut-off $3), 1 frozen ($4) */
_Static_assert(ST_OFFERED == 2 && ST_FROZEN == 1, "VIEW_SQL spells out the statuses");
/* [desc][0 from the start, 1 after the key, 2 from the key] */
static const char *const view_sql[2][3] = {
    {VIEW_SQL(VIEW_SEL "ORDER BY status_at, id LIMIT $2", ""),
     VIEW_SQL(VIEW_KEY("AND status_at = $6 AND id > $7 ORDER BY id",
                       "AND status_at > $6 ORDER BY status_at, id", ""), ""),
     VIEW_SQL(VIEW_KEY("AND status_at = $6 AND id >= $7 ORDER BY id",
                       "AND status_at > $6 ORDER BY status_at, id", ""), "")},
    {VIEW_SQL(VIEW_SEL "ORDER BY status_at DESC, id DESC LIMIT $2", "DESC"),
     VIEW_SQL(VIEW_KEY("AND status_at = $6 AND id < $7 ORDER BY id DESC",
                       "AND status_at < $6 ORDER BY status_at DESC, id DESC", "DESC"), "DESC"),
     VIEW_SQL(VIEW_KEY("AND status_at = $6 AND id <= $7 ORDER BY id DESC",
                       "AND status_at < $6 ORDER BY status_at DESC, id DESC", "DESC"), "DESC")}};

static int q_open_view(struct store *st, const struct open_view_query *oq, long long count[2],
                       long long late[2],
                       int (*cb)(void *ctx, const struct entry_row *e, const char *since,
                                 const char *program_code),
                       void *ctx)
{
    const struct sql_exec_ops *x = X(st);
    if (oq->status != ST_OFFERED && oq->status != ST_FROZEN)
        return kerr(KERR_USAGE, "the work queue lists offered or frozen entries, not status %d",
                    oq->status);
    if (oq->n <= 0 || oq->n > 1000)
        return kerr(KERR_USAGE, "a work queue page of %d rows", oq->n);
    struct row {
        struct entry_row e;
        char since[32], code[16];
    } *rows = calloc((size_t)oq->n, sizeof *rows);
    if (!rows)
        return KERR_NOMEM;
    int mode = !oq->from_at ? 0 : oq->inclusive ? 2 : 1, k = 0, err = 0, rc;
    struct sql_stmt *q = x->prepare(st, view_sql[oq->desc][mode]);
    if (!q) {
        err = KERR_DB;
        goto done;
    }
    x->bind_int64(q, 1, oq->status);
    x->bind_int64(q, 2, oq->n);
    x->bind_text(q, 3, oq->before[0]);
    x->bind_text(q, 4, oq->before[1]);
    x->bind_int64(q, 5, OPEN_LATE_CAP);
    if (mode) {
        x->bind_text(q, 6, oq->from_at);
        x->bind_int64(q, 7, oq->from_id);
    }
    enum { C_SINCE = ENTRY_NCOLS, C_CODE, C_N1, C_L1, C_N2, C_L2 };
    while ((rc = x->step(q, "reading the work queue")) == SQL_ROW) {
        count[0] = x->col_int64(q, C_N1);
        late[0] = x->col_int64(q, C_L1);
        count[1] = x->col_int64(q, C_N2);
        late[1] = x->col_int64(q, C_L2);
        if (x->col_isnull(q, 0) || k >= oq->n)
            continue;   /* the empty page's row */
        qe_read_entry(x, q, &rows[k].e);
        x->col_text(q, C_SINCE, rows[k].since, sizeof rows[k].since);
        x->col_text(q, C_CODE, rows[k].code, sizeof rows[k].code);
        k++;
    }
    x->reset(q);
    if (rc < 0)
        err = rc;
    for (int i = 0; i < k && !err; i++)
        err = cb(ctx, &rows[i].e, rows[i].since, rows[i].code);
done:
    secure_wipe(rows, (size_t)oq->n * sizeof *rows);
    free(rows);
    return err;
}
#undef VIEW_COUNT
#undef VIEW_SEL
#undef VIEW_SQL
#undef VIEW_KEY

const struct queue_store_ops queue_engine_ops = {
    .status_page = q_status_page,
    .status_count = q_status_count,
    .open_page = q_open_page,
    .open_count = q_open_count,
    .open_view = q_open_view,
    .program_save = qe_program_save,
    .count_waiting = q_count_waiting,
    .check_allocations = q_check_allocations,
    .check_kept_counts = q_check_kept_counts,
    .program_get = q_program_get,
    .program_by_id = qe_program_by_id,
    .program_list = q_program_list,
    .entries_by_hash = q_entries_by_hash,
    .entries_by_receipt = q_entries_by_receipt,
    .facts = qe_facts,
    .entries_unindexed = q_entries_unindexed,
    .set_name_hash = q_set_name_hash,
    .entry_get = q_entry_get,
    .position = q_position,
    .total = q_total,
    .entry_at = q_entry_at,
    .page = q_page,
    .page_at = q_page_at,
    .set_status = q_set_status,
    .event_add = qe_event_add,
    .events = q_events,
    .housed_by_month = q_housed_by_month,
    .publish = q_publish,
    .last_publication = q_last_publication,
    .published_position = q_published_position,
    .breakdown = qe_breakdown,
    .changed_since = q_changed_since,
    .export_all = q_export_all,
    .next_change_seq = qe_next_change_seq,
    .bulk_replace = qe_bulk_replace,
    .rebuild_rank = qe_rebuild_rank,
};
