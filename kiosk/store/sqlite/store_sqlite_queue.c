/* store_sqlite_queue.c — the housing queue on SQLite, with exact positions.
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
 * position = (Fenwick prefix sum of the slots before mine: one query over
 *             ≤ 24 primary-key nodes)
 *          + (waiting entries in my block with a smaller key: ≤ 512 index
 *             entries, 256 on average after a rebuild, scanned in the index)
 *          + 1.
 * Both parts are O(log N + B): ~30 µs at 1M here (measured in make bench).
 * A status change touches ≤ 25 tree nodes and one block row; a block that
 * grows past RANK_BLOCK_MAX is split at its median into a free slot between it
 * and its neighbour (after the last block: a fixed step, so daily appends at
 * the tail do not exhaust the slot space); when no slot is free the
 * program's rank structure is rebuilt (rare: O(N)).  Everything happens in
 * the caller's transaction, so positions are exact for every committed
 * state. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/queue.h"
#include "kiosk/store/rank_layout.h"
#include "kiosk/store/sqlite/store_sqlite.h"


#define ENTRY_COLS "id, program_id, receipt_no, id_hash, sealed, household_size, hukou_district, " \
                   "tier, wait_since, insured_since, hukou_since, lottery_no, status, refusals, " \
                   "skey, slot, changed_seq"

static void read_entry(sqlite3_stmt *q, struct entry_row *e)
{
    memset(e, 0, sizeof *e);
    e->id = sqlite3_column_int64(q, 0);
    e->program_id = sqlite3_column_int(q, 1);
    sq_text(q, 2, e->receipt_no, sizeof e->receipt_no);
    int n = sqlite3_column_bytes(q, 3);
    memcpy(e->id_hash, sqlite3_column_blob(q, 3), n < 32 ? (size_t)n : 32);
    n = sqlite3_column_bytes(q, 4);
    if (n > (int)sizeof e->sealed)
        n = sizeof e->sealed;
    memcpy(e->sealed, sqlite3_column_blob(q, 4), (size_t)n);
    e->sealed_len = n;
    e->household_size = sqlite3_column_int(q, 5);
    sq_text(q, 6, e->hukou_district, sizeof e->hukou_district);
    for (int k = 0; k < OK__COUNT; k++)
        e->key[k] = sqlite3_column_type(q, 7 + k) == SQLITE_NULL ? NONE_I64
                                                                 : sqlite3_column_int64(q, 7 + k);
    e->status = sqlite3_column_int(q, 12);
    e->refusals = sqlite3_column_int(q, 13);
    n = sqlite3_column_bytes(q, 14);
    if (n > QUEUE_SKEY_MAX)
        n = QUEUE_SKEY_MAX;
    memcpy(e->skey, sqlite3_column_blob(q, 14), (size_t)n);
    e->skey_len = n;
    e->slot = sqlite3_column_int64(q, 15);
    e->changed_seq = sqlite3_column_int64(q, 16);
}

static void bind_key(sqlite3_stmt *q, int col, int64_t v)
{
    if (v == NONE_I64)
        sqlite3_bind_null(q, col);
    else
        sqlite3_bind_int64(q, col, v);
}

/* Run a SELECT of ENTRY_COLS already bound, calling cb per row. */
static int each_entry(struct sqlite_store *s, sqlite3_stmt *q, entry_cb cb, void *ctx,
                      const char *what)
{
    struct entry_row e;
    int rc, err = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        read_entry(q, &e);
        if ((err = cb(ctx, &e)))
            break;
    }
    if (!err && rc != SQLITE_DONE && rc != SQLITE_ROW)
        err = sq_fail(s, what);
    sqlite3_reset(q);
    return err;
}

/* ---- programs ------------------------------------------------------------- */

static int read_program(sqlite3_stmt *q, struct program *p)
{
    memset(p, 0, sizeof *p);
    p->id = sqlite3_column_int(q, 0);
    sq_text(q, 1, p->code, sizeof p->code);
    sq_text(q, 2, p->name_zh, sizeof p->name_zh);
    sq_text(q, 3, p->name_en, sizeof p->name_en);
    p->refusal_limit = sqlite3_column_int(q, 5);
    if (queue_rule_parse((const char *)sqlite3_column_text(q, 4), p) != 0)
        return kerr(KERR_DB, "program %s has a bad ordering rule: %s", p->code, kerr_detail());
    return 0;
}

#define PROGRAM_COLS "id, code, name_zh, name_en, rule, refusal_limit"

static int q_program_get(struct store *st, const char *code, struct program *out)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "SELECT " PROGRAM_COLS " FROM program WHERE code = ?1");
    if (!q)
        return KERR_DB;
    sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q), err;
    if (rc == SQLITE_ROW)
        err = read_program(q, out);
    else if (rc == SQLITE_DONE)
        err = kerr(KERR_NOTFOUND, "no program '%s'", code);
    else
        err = sq_fail(s, "reading programs");
    sqlite3_reset(q);
    return err;
}

static int q_program_by_id(struct store *st, int id, struct program *out)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "SELECT " PROGRAM_COLS " FROM program WHERE id = ?1");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int(q, 1, id);
    int rc = sqlite3_step(q), err;
    if (rc == SQLITE_ROW)
        err = read_program(q, out);
    else
        err = rc == SQLITE_DONE ? kerr(KERR_NOTFOUND, "no program #%d", id) : sq_fail(s, "programs");
    sqlite3_reset(q);
    return err;
}

static int q_program_list(struct store *st, struct program *out, int cap, int *n)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "SELECT " PROGRAM_COLS " FROM program ORDER BY id");
    if (!q)
        return KERR_DB;
    int rc, err = 0;
    *n = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && *n < cap)
        if ((err = read_program(q, &out[(*n)++])))
            break;
    sqlite3_reset(q);
    return err;
}

/* ---- entries -------------------------------------------------------------- */

static int q_entries_by_hash(struct store *st, const unsigned char hash[32], entry_cb cb, void *ctx)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "SELECT " ENTRY_COLS " FROM entry WHERE id_hash = ?1 "
                                 "ORDER BY program_id, receipt_no");
    if (!q)
        return KERR_DB;
    sqlite3_bind_blob(q, 1, hash, 32, SQLITE_STATIC);
    return each_entry(s, q, cb, ctx, "looking up a card holder");
}

static int q_entries_by_receipt(struct store *st, const char *receipt_no, entry_cb cb, void *ctx)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "SELECT " ENTRY_COLS " FROM entry WHERE receipt_no = ?1 "
                                 "ORDER BY program_id");
    if (!q)
        return KERR_DB;
    sqlite3_bind_text(q, 1, receipt_no, -1, SQLITE_STATIC);
    return each_entry(s, q, cb, ctx, "looking up a receipt number");
}

static int q_entry_get(struct store *st, int program_id, const char *receipt_no,
                       struct entry_row *out)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "SELECT " ENTRY_COLS " FROM entry "
                                 "WHERE program_id = ?1 AND receipt_no = ?2");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int(q, 1, program_id);
    sqlite3_bind_text(q, 2, receipt_no, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q), err = 0;
    if (rc == SQLITE_ROW)
        read_entry(q, out);
    else
        err = rc == SQLITE_DONE ? kerr(KERR_NOTFOUND, "no entry with receipt number %s", receipt_no)
                                : sq_fail(s, "reading an entry");
    sqlite3_reset(q);
    return err;
}

/* ---- the Fenwick tree ----------------------------------------------------- */

static int fen_add(struct sqlite_store *s, int program_id, long long slot, long long delta)
{
    if (delta == 0)
        return 0;
    sqlite3_stmt *q = sq_stmt(s, "INSERT INTO rank_tree(program_id, node, sum) VALUES (?1, ?2, ?3) "
                                 "ON CONFLICT(program_id, node) DO UPDATE SET sum = sum + excluded.sum");
    if (!q)
        return KERR_DB;
    long long path[RANK_FEN_BITS + 1];
    int np = rank_up_path(slot, path);
    for (int k = 0; k < np; k++) {
        sqlite3_bind_int(q, 1, program_id);
        sqlite3_bind_int64(q, 2, path[k]);
        sqlite3_bind_int64(q, 3, delta);
        int err = sq_done(s, q, "updating the rank tree");
        if (err)
            return err;
    }
    return 0;
}

/* Sum of the waiting counts of slots 1…slot: one statement over the ≤ 24
 * nodes of the Fenwick path (node 0 never exists, so unused binds are 0). */
static int fen_prefix(struct sqlite_store *s, int program_id, long long slot, long long *sum)
{
    sqlite3_stmt *q = sq_stmt(s, "SELECT total(sum) FROM rank_tree WHERE program_id = ?1 AND node IN "
        "(?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,?25,?26)");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int(q, 1, program_id);
    long long path[RANK_FEN_BITS + 1];
    int np = rank_down_path(slot, path);
    for (int k = 0; k < RANK_FEN_BITS + 1; k++)
        sqlite3_bind_int64(q, k + 2, k < np ? path[k] : 0);
    int rc = sqlite3_step(q);
    if (rc != SQLITE_ROW) {
        int err = sq_fail(s, "reading the rank tree");
        sqlite3_reset(q);
        return err;
    }
    *sum = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    return 0;
}

static int fen_node(struct sqlite_store *s, int program_id, long long node, long long *sum)
{
    sqlite3_stmt *q = sq_stmt(s, "SELECT sum FROM rank_tree WHERE program_id = ?1 AND node = ?2");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int(q, 1, program_id);
    sqlite3_bind_int64(q, 2, node);
    int rc = sqlite3_step(q);
    *sum = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(s, "reading the rank tree");
}

/* ---- positions ------------------------------------------------------------ */

static int q_total(struct store *st, int program_id, long long *total)
{
    return fen_node(sq(st), program_id, RANK_SLOTS, total);   /* the root covers every slot */
}

static int q_position(struct store *st, const struct entry_row *e, long long *position)
{
    struct sqlite_store *s = sq(st);
    if (e->status != ST_WAITING)
        return kerr(KERR_NOTFOUND, "entry %s is not waiting, so it holds no position", e->receipt_no);
    long long before = 0;
    int err = fen_prefix(s, e->program_id, e->slot - 1, &before);
    if (err)
        return err;
    sqlite3_stmt *q = sq_stmt(s, "SELECT count(*) FROM entry WHERE program_id = ?1 AND slot = ?2 "
                                 "AND status = 0 AND skey < ?3");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int(q, 1, e->program_id);
    sqlite3_bind_int64(q, 2, e->slot);
    sqlite3_bind_blob(q, 3, e->skey, e->skey_len, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_ROW) {
        err = sq_fail(s, "counting within a rank block");
        sqlite3_reset(q);
        return err;
    }
    *position = before + sqlite3_column_int64(q, 0) + 1;
    sqlite3_reset(q);
    return 0;
}

/* The slot holding the pos-th waiting entry, and pos's offset within it:
 * a Fenwick descent, one node read per level. */
static int fen_find(struct sqlite_store *s, int program_id, long long pos, long long *slot,
                    long long *offset)
{
    long long idx = 0, rest = pos;
    for (long long bit = RANK_SLOTS; bit; bit >>= 1) {
        long long node = idx + bit, v;
        if (node > RANK_SLOTS)
            continue;
        int err = fen_node(s, program_id, node, &v);
        if (err)
            return err;
        if (v < rest) {
            idx = node;
            rest -= v;
        }
    }
    *slot = idx + 1;
    *offset = rest - 1;
    return 0;
}

static int q_entry_at(struct store *st, int program_id, long long pos, struct entry_row *out)
{
    struct sqlite_store *s = sq(st);
    long long total, slot, offset;
    int err = q_total(st, program_id, &total);
    if (err)
        return err;
    if (pos < 1 || pos > total)
        return kerr(KERR_NOTFOUND, "no position %lld (the queue has %lld)", pos, total);
    if ((err = fen_find(s, program_id, pos, &slot, &offset)))
        return err;
    sqlite3_stmt *q = sq_stmt(s, "SELECT " ENTRY_COLS " FROM entry WHERE program_id = ?1 AND "
                                 "slot = ?2 AND status = 0 ORDER BY skey LIMIT 1 OFFSET ?3");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int(q, 1, program_id);
    sqlite3_bind_int64(q, 2, slot);
    sqlite3_bind_int64(q, 3, offset);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        read_entry(q, out);
    else
        err = rc == SQLITE_DONE ? kerr(KERR_DB, "rank structure of program %d is inconsistent "
                                       "(run kioskctl check)", program_id)
                                : sq_fail(s, "reading an entry");
    sqlite3_reset(q);
    return err;
}

static int q_page(struct store *st, int program_id, long long pos, int n, entry_cb cb, void *ctx)
{
    struct sqlite_store *s = sq(st);
    struct entry_row first;
    int err = q_entry_at(st, program_id, pos, &first);
    if (err)
        return err == KERR_NOTFOUND ? 0 : err;
    sqlite3_stmt *q = sq_stmt(s, "SELECT " ENTRY_COLS " FROM entry WHERE program_id = ?1 AND "
                                 "status = 0 AND (slot, skey) >= (?2, ?3) ORDER BY slot, skey LIMIT ?4");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int(q, 1, program_id);
    sqlite3_bind_int64(q, 2, first.slot);
    sqlite3_bind_blob(q, 3, first.skey, first.skey_len, SQLITE_TRANSIENT);
    sqlite3_bind_int(q, 4, n);
    return each_entry(s, q, cb, ctx, "reading a page of the queue");
}

/* ---- blocks --------------------------------------------------------------- */

static int block_for_key(struct sqlite_store *s, int program_id, const unsigned char *skey,
                         int skey_len, long long *slot)
{
    sqlite3_stmt *q = sq_stmt(s, "SELECT slot FROM rank_block WHERE program_id = ?1 AND lo_key <= ?2 "
                                 "ORDER BY lo_key DESC LIMIT 1");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int(q, 1, program_id);
    sqlite3_bind_blob(q, 2, skey, skey_len, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    *slot = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_reset(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sq_fail(s, "finding a rank block");
    if (*slot)
        return 0;
    /* No block at or below the key: either there are no blocks, or every
     * block's lo_key is larger (impossible: the first block starts at the
     * empty key).  Create the first block in the middle of the slot space. */
    *slot = RANK_SLOTS / 2;
    q = sq_stmt(s, "INSERT INTO rank_block(program_id, slot, lo_key, n) VALUES (?1, ?2, X'', 0)");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int(q, 1, program_id);
    sqlite3_bind_int64(q, 2, *slot);
    return sq_done(s, q, "creating a rank block");
}

static int block_add(struct sqlite_store *s, int program_id, long long slot, long long delta,
                     long long *n_after)
{
    sqlite3_stmt *q = sq_stmt(s, "UPDATE rank_block SET n = n + ?3 WHERE program_id = ?1 AND "
                                 "slot = ?2 RETURNING n");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int(q, 1, program_id);
    sqlite3_bind_int64(q, 2, slot);
    sqlite3_bind_int64(q, 3, delta);
    int rc = sqlite3_step(q);
    if (rc != SQLITE_ROW) {
        int err = rc == SQLITE_DONE ? kerr(KERR_DB, "rank block %lld of program %d is missing "
                                           "(run kioskctl check)", slot, program_id)
                                    : sq_fail(s, "updating a rank block");
        sqlite3_reset(q);
        return err;
    }
    *n_after = sqlite3_column_int64(q, 0);
    sqlite3_step(q);
    sqlite3_reset(q);
    return fen_add(s, program_id, slot, delta);
}

static int q_rebuild_rank(struct store *st, int program_id);
static int q_next_change_seq(struct store *st, long long *seq);

/* Move the upper half of an overfull block to a new slot. */
static int block_split(struct sqlite_store *s, int program_id, long long slot, long long n)
{
    sqlite3_stmt *q = sq_stmt(s, "SELECT min(slot) FROM rank_block WHERE program_id = ?1 AND slot > ?2");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int(q, 1, program_id);
    sqlite3_bind_int64(q, 2, slot);
    long long next = RANK_SLOTS + 1;
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
        next = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    long long mid_slot = rank_split_slot(slot, next);
    if (mid_slot == 0)
        return q_rebuild_rank(&s->base, program_id);   /* no free slot: renumber */

    q = sq_stmt(s, "SELECT skey FROM entry WHERE program_id = ?1 AND slot = ?2 AND status = 0 "
                   "ORDER BY skey LIMIT 1 OFFSET ?3");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int(q, 1, program_id);
    sqlite3_bind_int64(q, 2, slot);
    sqlite3_bind_int64(q, 3, n / 2);
    if (sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_reset(q);
        return kerr(KERR_DB, "rank block %lld of program %d has fewer entries than counted",
                    slot, program_id);
    }
    unsigned char mid[QUEUE_SKEY_MAX];
    int mid_len = sqlite3_column_bytes(q, 0);
    memcpy(mid, sqlite3_column_blob(q, 0), (size_t)mid_len);
    sqlite3_reset(q);

    q = sq_stmt(s, "UPDATE entry SET slot = ?3 WHERE program_id = ?1 AND slot = ?2 AND status = 0 "
                   "AND skey >= ?4");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int(q, 1, program_id);
    sqlite3_bind_int64(q, 2, slot);
    sqlite3_bind_int64(q, 3, mid_slot);
    sqlite3_bind_blob(q, 4, mid, mid_len, SQLITE_STATIC);
    int err = sq_done(s, q, "splitting a rank block");
    if (err)
        return err;
    long long moved = sqlite3_changes(s->db), dummy;
    q = sq_stmt(s, "INSERT INTO rank_block(program_id, slot, lo_key, n) VALUES (?1, ?2, ?3, 0)");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int(q, 1, program_id);
    sqlite3_bind_int64(q, 2, mid_slot);
    sqlite3_bind_blob(q, 3, mid, mid_len, SQLITE_STATIC);
    if ((err = sq_done(s, q, "splitting a rank block")) ||
        (err = block_add(s, program_id, slot, -moved, &dummy)) ||
        (err = block_add(s, program_id, mid_slot, moved, &dummy)))
        return err;
    return 0;
}

/* ---- writes --------------------------------------------------------------- */

static int q_next_change_seq(struct store *st, long long *seq)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "INSERT INTO meta(key, value) VALUES ('change_seq', 1) "
                                 "ON CONFLICT(key) DO UPDATE SET value = value + 1 RETURNING value");
    if (!q)
        return KERR_DB;
    int rc = sqlite3_step(q);
    if (rc != SQLITE_ROW) {
        int err = sq_fail(s, "advancing the change counter");
        sqlite3_reset(q);
        return err;
    }
    *seq = sqlite3_column_int64(q, 0);
    sqlite3_step(q);
    sqlite3_reset(q);
    return 0;
}

static int q_set_status(struct store *st, struct entry_row *e, int status, int refusals)
{
    struct sqlite_store *s = sq(st);
    long long n_after, seq;
    int err = 0;
    if (e->status == ST_WAITING && status != ST_WAITING) {
        err = block_add(s, e->program_id, e->slot, -1, &n_after);
    } else if (e->status != ST_WAITING && status == ST_WAITING) {
        if ((err = block_for_key(s, e->program_id, e->skey, e->skey_len, &e->slot)) ||
            (err = block_add(s, e->program_id, e->slot, 1, &n_after)))
            return err;
    }
    if (err || (err = q_next_change_seq(st, &seq)))
        return err;
    sqlite3_stmt *q = sq_stmt(s, "UPDATE entry SET status = ?2, refusals = ?3, slot = ?4, "
                                 "changed_seq = ?5 WHERE id = ?1");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int64(q, 1, e->id);
    sqlite3_bind_int(q, 2, status);
    sqlite3_bind_int(q, 3, refusals);
    sqlite3_bind_int64(q, 4, e->slot);
    sqlite3_bind_int64(q, 5, seq);
    if ((err = sq_done(s, q, "changing an entry's status")))
        return err;
    int was_waiting = e->status == ST_WAITING;
    e->status = status;
    e->refusals = refusals;
    e->changed_seq = seq;
    if (!was_waiting && status == ST_WAITING && n_after > RANK_BLOCK_MAX) {
        if ((err = block_split(s, e->program_id, e->slot, n_after)))
            return err;
        /* the entry may have moved to the new block */
        sqlite3_stmt *r = sq_stmt(s, "SELECT slot FROM entry WHERE id = ?1");
        if (!r)
            return KERR_DB;
        sqlite3_bind_int64(r, 1, e->id);
        if (sqlite3_step(r) == SQLITE_ROW)
            e->slot = sqlite3_column_int64(r, 0);
        sqlite3_reset(r);
    }
    return 0;
}

static int q_event_add(struct store *st, const struct entry_event *ev)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "INSERT INTO entry_event(entry_id, program_id, at, actor, action, "
                                 "from_status, to_status, reason) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int64(q, 1, ev->entry_id);
    sqlite3_bind_int(q, 2, ev->program_id);
    sqlite3_bind_text(q, 3, ev->at, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, ev->actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, ev->action, -1, SQLITE_STATIC);
    bind_key(q, 6, ev->from_status < 0 ? NONE_I64 : ev->from_status);
    bind_key(q, 7, ev->to_status < 0 ? NONE_I64 : ev->to_status);
    sqlite3_bind_text(q, 8, ev->reason, -1, SQLITE_STATIC);
    return sq_done(s, q, "recording an entry event");
}

static int q_events(struct store *st, long long entry_id,
                    int (*cb)(void *ctx, const struct entry_event *ev), void *ctx)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "SELECT entry_id, program_id, at, actor, action, "
                                 "ifnull(from_status, -1), ifnull(to_status, -1), reason "
                                 "FROM entry_event WHERE entry_id = ?1 ORDER BY id");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int64(q, 1, entry_id);
    int rc, err = 0;
    struct entry_event ev;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        memset(&ev, 0, sizeof ev);
        ev.entry_id = sqlite3_column_int64(q, 0);
        ev.program_id = sqlite3_column_int(q, 1);
        sq_text(q, 2, ev.at, sizeof ev.at);
        sq_text(q, 3, ev.actor, sizeof ev.actor);
        sq_text(q, 4, ev.action, sizeof ev.action);
        ev.from_status = sqlite3_column_int(q, 5);
        ev.to_status = sqlite3_column_int(q, 6);
        sq_text(q, 7, ev.reason, sizeof ev.reason);
        if ((err = cb(ctx, &ev)))
            break;
    }
    sqlite3_reset(q);
    return err;
}

static int q_housed_by_month(struct store *st, int program_id, const char *first_month,
                             int n_months, int *counts)
{
    struct sqlite_store *s = sq(st);
    /* first_month "YYYY-MM"; the window ends n_months later */
    int y, m;
    if (sscanf(first_month, "%d-%d", &y, &m) != 2)
        return kerr(KERR_USAGE, "bad month '%s'", first_month);
    int ey = y + (m - 1 + n_months) / 12, em = (m - 1 + n_months) % 12 + 1;
    char from[16], to[16];
    snprintf(from, sizeof from, "%04d-%02d", y, m);
    snprintf(to, sizeof to, "%04d-%02d", ey, em);
    sqlite3_stmt *q = sq_stmt(s, "SELECT substr(at, 1, 7), count(*) FROM entry_event WHERE "
                                 "program_id = ?1 AND to_status = 3 AND at >= ?2 AND at < ?3 "
                                 "GROUP BY 1");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int(q, 1, program_id);
    sqlite3_bind_text(q, 2, from, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, to, -1, SQLITE_STATIC);
    memset(counts, 0, sizeof *counts * (size_t)n_months);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int yy, mm;
        if (sscanf((const char *)sqlite3_column_text(q, 0), "%d-%d", &yy, &mm) == 2) {
            int i = (yy - y) * 12 + (mm - m);
            if (i >= 0 && i < n_months)
                counts[i] = sqlite3_column_int(q, 1);
        }
    }
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? 0 : sq_fail(s, "reading allocation history");
}

/* ---- publication ---------------------------------------------------------- */

static int q_last_publication(struct store *st, int program_id, struct publication *pub)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "SELECT id, program_id, at, actor, total, change_seq FROM publication "
                                 "WHERE program_id = ?1 ORDER BY id DESC LIMIT 1");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int(q, 1, program_id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        pub->id = sqlite3_column_int64(q, 0);
        pub->program_id = sqlite3_column_int(q, 1);
        sq_text(q, 2, pub->at, sizeof pub->at);
        sq_text(q, 3, pub->actor, sizeof pub->actor);
        pub->total = sqlite3_column_int64(q, 4);
        pub->change_seq = sqlite3_column_int64(q, 5);
    }
    sqlite3_reset(q);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? KERR_NOTFOUND : sq_fail(s, "publications");
}

static int q_publish(struct store *st, int program_id, const char *at, const char *actor,
                     struct publication *pub)
{
    struct sqlite_store *s = sq(st);
    long long total, seq;
    int err;
    if ((err = q_total(st, program_id, &total)) || (err = q_next_change_seq(st, &seq)))
        return err;
    sqlite3_stmt *q = sq_stmt(s, "INSERT INTO publication(program_id, at, actor, total, change_seq) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int(q, 1, program_id);
    sqlite3_bind_text(q, 2, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, actor, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 4, total);
    sqlite3_bind_int64(q, 5, seq);
    if ((err = sq_done(s, q, "recording a publication")))
        return err;
    long long pub_id = sqlite3_last_insert_rowid(s->db);
    /* (slot, skey) order over the partial index is queue order */
    q = sq_stmt(s, "INSERT INTO published_position(publication_id, entry_id, position) "
                   "SELECT ?1, id, row_number() OVER (ORDER BY slot, skey) FROM entry "
                   "WHERE program_id = ?2 AND status = 0");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int64(q, 1, pub_id);
    sqlite3_bind_int(q, 2, program_id);
    if ((err = sq_done(s, q, "snapshotting positions")))
        return err;
    return q_last_publication(st, program_id, pub);
}

static int q_published_position(struct store *st, long long pub_id, long long entry_id,
                                long long *pos)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "SELECT position FROM published_position WHERE publication_id = ?1 "
                                 "AND entry_id = ?2");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int64(q, 1, pub_id);
    sqlite3_bind_int64(q, 2, entry_id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *pos = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? KERR_NOTFOUND : sq_fail(s, "publications");
}

static int q_changed_since(struct store *st, const struct publication *pub,
                           int (*cb)(void *ctx, const struct entry_row *e, long long position_then),
                           void *ctx)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = NULL;
    /* not cached: the callback may use the store */
    if (sqlite3_prepare_v2(s->db, "SELECT " ENTRY_COLS ", ifnull(pp.position, 0) FROM entry "
                                  "LEFT JOIN published_position pp ON pp.publication_id = ?3 AND "
                                  "pp.entry_id = entry.id WHERE program_id = ?1 AND "
                                  "changed_seq > ?2", -1, &q, NULL) != SQLITE_OK)
        return sq_fail(s, "reading changes");
    sqlite3_bind_int(q, 1, pub->program_id);
    sqlite3_bind_int64(q, 2, pub->change_seq);
    sqlite3_bind_int64(q, 3, pub->id);
    struct entry_row e;
    int rc, err = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        read_entry(q, &e);
        if ((err = cb(ctx, &e, sqlite3_column_int64(q, 17))))
            break;
    }
    if (!err && rc != SQLITE_DONE)
        err = sq_fail(s, "reading changes");
    sqlite3_finalize(q);
    return err;
}

static int q_export_all(struct store *st, int program_id, entry_cb cb, void *ctx)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = NULL;
    int err = 0;
    /* not cached: the callback may use the store (decrypting, positions) */
    static const char *const sql[2] = {
        "SELECT " ENTRY_COLS " FROM entry WHERE program_id = ?1 AND status = 0 ORDER BY slot, skey",
        "SELECT " ENTRY_COLS " FROM entry WHERE program_id = ?1 AND status <> 0 ORDER BY receipt_no",
    };
    for (int i = 0; i < 2 && !err; i++) {
        if (sqlite3_prepare_v2(s->db, sql[i], -1, &q, NULL) != SQLITE_OK)
            return sq_fail(s, "exporting");
        sqlite3_bind_int(q, 1, program_id);
        err = each_entry(s, q, cb, ctx, "exporting");
        sqlite3_finalize(q);
    }
    return err;
}

/* ---- bulk replace (import) ------------------------------------------------ */

/* Write rank_block and rank_tree for the waiting rows (sorted, slots set). */
static int write_rank(struct sqlite_store *s, int program_id, const struct bulk_row *rows,
                      long long n_rows, long long n_waiting)
{
    int err;
    sqlite3_stmt *q = sq_stmt(s, "DELETE FROM rank_block WHERE program_id = ?1");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int(q, 1, program_id);
    if ((err = sq_done(s, q, "clearing rank blocks")))
        return err;
    q = sq_stmt(s, "DELETE FROM rank_tree WHERE program_id = ?1");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int(q, 1, program_id);
    if ((err = sq_done(s, q, "clearing the rank tree")))
        return err;
    if (n_waiting == 0)
        return 0;

    long long n_blocks = (n_waiting + RANK_BLOCK_TARGET - 1) / RANK_BLOCK_TARGET;
    long long *slots = malloc(sizeof *slots * (size_t)n_blocks);
    long long *counts = malloc(sizeof *counts * (size_t)n_blocks);
    struct rank_node_sum *nodes = NULL;
    long long w = 0, b = 0, n_nodes = 0;
    if (!slots || !counts) {
        err = KERR_NOMEM;
        goto out;
    }
    q = sq_stmt(s, "INSERT INTO rank_block(program_id, slot, lo_key, n) VALUES (?1, ?2, ?3, ?4)");
    if (!q) {
        err = KERR_DB;
        goto out;
    }
    for (long long i = 0; i < n_rows && !err; i++) {
        if (rows[i].status != ST_WAITING)
            continue;
        if (w % RANK_BLOCK_TARGET == 0) {
            long long cnt = n_waiting - w < RANK_BLOCK_TARGET ? n_waiting - w : RANK_BLOCK_TARGET;
            sqlite3_bind_int(q, 1, program_id);
            sqlite3_bind_int64(q, 2, rows[i].slot);
            /* the first block starts at the empty key, so every key has a block */
            if (b == 0)
                sqlite3_bind_blob(q, 3, "", 0, SQLITE_STATIC);
            else
                sqlite3_bind_blob(q, 3, rows[i].skey, rows[i].skey_len, SQLITE_STATIC);
            sqlite3_bind_int64(q, 4, cnt);
            err = sq_done(s, q, "writing rank blocks");
            slots[b] = rows[i].slot;
            counts[b++] = cnt;
        }
        w++;
    }
    if (err)
        goto out;
    if ((n_nodes = rank_tree_nodes(slots, counts, b, &nodes)) < 0) {
        err = KERR_NOMEM;
        goto out;
    }
    q = sq_stmt(s, "INSERT INTO rank_tree(program_id, node, sum) VALUES (?1, ?2, ?3)");
    if (!q) {
        err = KERR_DB;
        goto out;
    }
    for (long long i = 0; i < n_nodes && !err; i++) {
        sqlite3_bind_int(q, 1, program_id);
        sqlite3_bind_int64(q, 2, nodes[i].node);
        sqlite3_bind_int64(q, 3, nodes[i].sum);
        err = sq_done(s, q, "writing the rank tree");
    }
out:
    free(slots);
    free(counts);
    free(nodes);
    return err;
}

static void bind_row(sqlite3_stmt *q, int program_id, const struct bulk_row *r, long long seq)
{
    sqlite3_bind_int(q, 1, program_id);
    sqlite3_bind_text(q, 2, r->receipt_no, -1, SQLITE_STATIC);
    sqlite3_bind_blob(q, 3, r->id_hash, 32, SQLITE_STATIC);
    sqlite3_bind_blob(q, 4, r->sealed, r->sealed_len, SQLITE_STATIC);
    sqlite3_bind_int(q, 5, r->household_size);
    sqlite3_bind_text(q, 6, r->hukou_district, -1, SQLITE_STATIC);
    for (int k = 0; k < OK__COUNT; k++)
        bind_key(q, 7 + k, k == OK_TIER && r->key[k] == NONE_I64 ? 0 : r->key[k]);
    sqlite3_bind_int(q, 12, r->status);
    sqlite3_bind_blob(q, 13, r->skey, r->skey_len, SQLITE_STATIC);
    sqlite3_bind_int64(q, 14, r->slot);
    sqlite3_bind_int64(q, 15, seq);
}

static int bulk_replace(struct sqlite_store *s, int program_id, struct bulk_row *rows, long long n,
                        const char *at, const char *actor, long long counts[4]);

/* A million rows land in four B-trees in random key order (id_hash,
 * receipt_no): with SQLite's default 2 MiB page cache every insert misses.
 * A big cache for the length of the bulk write keeps the import close to
 * the bare insert floor; the kiosk's own connections keep the default. */
static int q_bulk_replace(struct store *st, int program_id, struct bulk_row *rows, long long n,
                          const char *at, const char *actor, long long counts[4])
{
    struct sqlite_store *s = sq(st);
    sq_exec(s, "PRAGMA cache_size = -262144");
    int err = bulk_replace(s, program_id, rows, n, at, actor, counts);
    sq_exec(s, "PRAGMA cache_size = -2000");
    return err;
}

static int bulk_replace(struct sqlite_store *s, int program_id, struct bulk_row *rows, long long n,
                        const char *at, const char *actor, long long counts[4])
{
    struct store *st = &s->base;
    long long seq, n_waiting = 0, existing = 0;
    int err;
    memset(counts, 0, 4 * sizeof counts[0]);
    if ((err = q_next_change_seq(st, &seq)))
        return err;
    for (long long i = 0; i < n; i++)
        n_waiting += rows[i].status == ST_WAITING;
    rank_assign_slots(rows, n, n_waiting);

    sqlite3_stmt *q = sq_stmt(s, "SELECT count(*) FROM entry WHERE program_id = ?1");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int(q, 1, program_id);
    if (sqlite3_step(q) == SQLITE_ROW)
        existing = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);

    sqlite3_stmt *ins = sq_stmt(s, "INSERT INTO entry(program_id, receipt_no, id_hash, sealed, "
        "household_size, hukou_district, tier, wait_since, insured_since, hukou_since, lottery_no, "
        "status, skey, slot, changed_seq) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)");
    if (!ins)
        return KERR_DB;

    if (existing == 0) {
        /* fast path: a new list */
        for (long long i = 0; i < n && !err; i++) {
            bind_row(ins, program_id, &rows[i], seq);
            err = sq_done(s, ins, "inserting an entry");
        }
        counts[0] = n;
        return err ? err : write_rank(s, program_id, rows, n, n_waiting);
    }

    /* re-import: update known receipts, add new ones, remove absent ones */
    if ((err = sq_exec(s, "CREATE TEMP TABLE IF NOT EXISTS import_seen(id INTEGER PRIMARY KEY); "
                          "DELETE FROM import_seen")))
        return err;
    sqlite3_stmt *find = sq_stmt(s, "SELECT id, status, skey FROM entry WHERE program_id = ?1 AND "
                                    "receipt_no = ?2");
    sqlite3_stmt *upd = sq_stmt(s, "UPDATE entry SET id_hash = ?3, sealed = ?4, household_size = ?5, "
        "hukou_district = ?6, tier = ?7, wait_since = ?8, insured_since = ?9, hukou_since = ?10, "
        "lottery_no = ?11, status = ?12, skey = ?13, slot = ?14, "
        "changed_seq = CASE WHEN status <> ?12 OR skey <> ?13 THEN ?15 ELSE changed_seq END "
        "WHERE program_id = ?1 AND receipt_no = ?2");
    sqlite3_stmt *seen = sq_stmt(s, "INSERT INTO import_seen(id) VALUES (?1)");
    if (!find || !upd || !seen)
        return KERR_DB;
    struct entry_event ev = {.program_id = program_id};
    snprintf(ev.at, sizeof ev.at, "%s", at);
    snprintf(ev.actor, sizeof ev.actor, "%s", actor);
    snprintf(ev.action, sizeof ev.action, "import");
    for (long long i = 0; i < n && !err; i++) {
        sqlite3_bind_int(find, 1, program_id);
        sqlite3_bind_text(find, 2, rows[i].receipt_no, -1, SQLITE_STATIC);
        int rc = sqlite3_step(find);
        if (rc == SQLITE_ROW) {
            long long id = sqlite3_column_int64(find, 0);
            int old_status = sqlite3_column_int(find, 1);
            int same_key = sqlite3_column_bytes(find, 2) == rows[i].skey_len &&
                           memcmp(sqlite3_column_blob(find, 2), rows[i].skey,
                                  (size_t)rows[i].skey_len) == 0;
            sqlite3_reset(find);
            bind_row(upd, program_id, &rows[i], seq);
            if ((err = sq_done(s, upd, "updating an entry")))
                break;
            sqlite3_bind_int64(seen, 1, id);
            if ((err = sq_done(s, seen, "importing")))
                break;
            if (old_status != rows[i].status) {
                ev.entry_id = id;
                ev.from_status = old_status;
                ev.to_status = rows[i].status;
                snprintf(ev.reason, sizeof ev.reason, "status in the bureau's list");
                err = q_event_add(st, &ev);
            }
            counts[old_status != rows[i].status || !same_key ? 1 : 3]++;
        } else if (rc == SQLITE_DONE) {
            sqlite3_reset(find);
            bind_row(ins, program_id, &rows[i], seq);
            if ((err = sq_done(s, ins, "inserting an entry")))
                break;
            sqlite3_bind_int64(seen, 1, sqlite3_last_insert_rowid(s->db));
            err = sq_done(s, seen, "importing");
            counts[0]++;
        } else {
            err = sq_fail(s, "importing");
            sqlite3_reset(find);
        }
    }
    if (err)
        return err;
    /* absent from the file → removed, with an event each */
    q = sq_stmt(s, "INSERT INTO entry_event(entry_id, program_id, at, actor, action, from_status, "
                   "to_status, reason) SELECT id, program_id, ?2, ?3, 'import', status, 5, "
                   "'absent from import' FROM entry WHERE program_id = ?1 AND status <> 5 AND "
                   "id NOT IN (SELECT id FROM import_seen)");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int(q, 1, program_id);
    sqlite3_bind_text(q, 2, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, actor, -1, SQLITE_STATIC);
    if ((err = sq_done(s, q, "recording removals")))
        return err;
    q = sq_stmt(s, "UPDATE entry SET status = 5, changed_seq = ?2 WHERE program_id = ?1 AND "
                   "status <> 5 AND id NOT IN (SELECT id FROM import_seen)");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int(q, 1, program_id);
    sqlite3_bind_int64(q, 2, seq);
    if ((err = sq_done(s, q, "removing absent entries")))
        return err;
    counts[2] = sqlite3_changes(s->db);
    return write_rank(s, program_id, rows, n, n_waiting);
}

/* Rebuild a program's blocks and tree from its waiting entries (repair,
 * or when a split finds no free slot). */
static int q_rebuild_rank(struct store *st, int program_id)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT id, skey FROM entry WHERE program_id = ?1 AND status = 0 "
                                  "ORDER BY skey", -1, &q, NULL) != SQLITE_OK)
        return sq_fail(s, "rebuilding ranks");
    sqlite3_bind_int(q, 1, program_id);
    long long cap = 1024, n = 0;
    struct bulk_row *rows = malloc(sizeof *rows * (size_t)cap);
    long long *ids = malloc(sizeof *ids * (size_t)cap);
    unsigned char *keys = malloc((size_t)cap * QUEUE_SKEY_MAX);
    int err = rows && ids && keys ? 0 : KERR_NOMEM;
    while (!err && sqlite3_step(q) == SQLITE_ROW) {
        if (n == cap) {
            cap *= 2;
            void *a = realloc(rows, sizeof *rows * (size_t)cap), *b = NULL, *c = NULL;
            if (a)
                rows = a;
            if (a && (b = realloc(ids, sizeof *ids * (size_t)cap)))
                ids = b;
            if (b && (c = realloc(keys, (size_t)cap * QUEUE_SKEY_MAX)))
                keys = c;
            if (!c) {
                err = KERR_NOMEM;
                break;
            }
        }
        ids[n] = sqlite3_column_int64(q, 0);
        memset(&rows[n], 0, sizeof rows[n]);
        rows[n].status = ST_WAITING;
        rows[n].skey_len = sqlite3_column_bytes(q, 1);
        if (rows[n].skey_len > QUEUE_SKEY_MAX)
            rows[n].skey_len = QUEUE_SKEY_MAX;
        memcpy(keys + n * QUEUE_SKEY_MAX, sqlite3_column_blob(q, 1), (size_t)rows[n].skey_len);
        n++;
    }
    sqlite3_finalize(q);
    if (!err) {
        for (long long i = 0; i < n; i++)   /* keys may have moved while growing */
            rows[i].skey = keys + i * QUEUE_SKEY_MAX;
        rank_assign_slots(rows, n, n);
        sqlite3_stmt *u = sq_stmt(s, "UPDATE entry SET slot = ?2 WHERE id = ?1");
        for (long long i = 0; u && i < n && !err; i++) {
            sqlite3_bind_int64(u, 1, ids[i]);
            sqlite3_bind_int64(u, 2, rows[i].slot);
            err = sq_done(s, u, "rebuilding ranks");
        }
        if (!u)
            err = KERR_DB;
        if (!err)
            err = write_rank(s, program_id, rows, n, n);
    }
    free(rows);
    free(ids);
    free(keys);
    return err;
}

static int q_count_waiting(struct store *st, int program_id, long long *n)
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *q = sq_stmt(s, "SELECT count(*) FROM entry WHERE program_id = ?1 AND status = 0");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int(q, 1, program_id);
    int rc = sqlite3_step(q);
    *n = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_reset(q);
    return rc == SQLITE_ROW ? 0 : sq_fail(s, "counting waiting entries");
}

/* Recompute every entry's sort key under the program's (new) rule, then
 * rebuild its rank blocks: O(N), only when an administrator changes a rule. */
static int rekey(struct sqlite_store *s, const struct program *p)
{
    sqlite3_stmt *rd = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT " ENTRY_COLS " FROM entry WHERE program_id = ?1", -1, &rd,
                           NULL) != SQLITE_OK)
        return sq_fail(s, "re-keying");
    sqlite3_bind_int(rd, 1, p->id);
    sqlite3_stmt *up = sq_stmt(s, "UPDATE entry SET skey = ?2, changed_seq = ?3 WHERE id = ?1");
    long long seq;
    int err = up ? q_next_change_seq(&s->base, &seq) : KERR_DB;
    struct entry_row e;
    while (!err && sqlite3_step(rd) == SQLITE_ROW) {
        read_entry(rd, &e);
        unsigned char k[QUEUE_SKEY_MAX];
        int n = queue_skey(p, e.key, e.receipt_no, k);
        sqlite3_bind_int64(up, 1, e.id);
        sqlite3_bind_blob(up, 2, k, n, SQLITE_TRANSIENT);
        sqlite3_bind_int64(up, 3, seq);
        err = sq_done(s, up, "re-keying an entry");
    }
    sqlite3_finalize(rd);
    return err ? err : q_rebuild_rank(&s->base, p->id);
}

static int q_program_save(struct store *st, struct program *p)
{
    struct sqlite_store *s = sq(st);
    char rule[128];
    queue_rule_text(p, rule, sizeof rule);
    if (p->id == 0) {
        sqlite3_stmt *q = sq_stmt(s, "INSERT INTO program(code, name_zh, name_en, rule, refusal_limit) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5)");
        if (!q)
            return KERR_DB;
        sqlite3_bind_text(q, 1, p->code, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, p->name_zh, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, p->name_en, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 4, rule, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 5, p->refusal_limit);
        if (sqlite3_step(q) == SQLITE_CONSTRAINT) {
            sqlite3_reset(q);
            return kerr(KERR_EXISTS, "program %s already exists", p->code);
        }
        sqlite3_reset(q);
        p->id = (int)sqlite3_last_insert_rowid(s->db);
        return 0;
    }
    struct program old;
    int err = q_program_by_id(st, p->id, &old);
    if (err)
        return err;
    sqlite3_stmt *q = sq_stmt(s, "UPDATE program SET name_zh = ?2, name_en = ?3, rule = ?4, "
                                 "refusal_limit = ?5 WHERE id = ?1");
    if (!q)
        return KERR_DB;
    sqlite3_bind_int(q, 1, p->id);
    sqlite3_bind_text(q, 2, p->name_zh, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, p->name_en, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, rule, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 5, p->refusal_limit);
    if ((err = sq_done(s, q, "saving a program")))
        return err;
    bool same_rule = old.n_rule == p->n_rule &&
                     memcmp(old.rule, p->rule, sizeof p->rule[0] * (size_t)p->n_rule) == 0;
    return same_rule ? 0 : rekey(s, p);
}

const struct queue_store_ops sqlite_queue_ops = {
    .program_save = q_program_save,
    .count_waiting = q_count_waiting,
    .program_get = q_program_get,
    .program_by_id = q_program_by_id,
    .program_list = q_program_list,
    .entries_by_hash = q_entries_by_hash,
    .entries_by_receipt = q_entries_by_receipt,
    .entry_get = q_entry_get,
    .position = q_position,
    .total = q_total,
    .entry_at = q_entry_at,
    .page = q_page,
    .set_status = q_set_status,
    .event_add = q_event_add,
    .events = q_events,
    .housed_by_month = q_housed_by_month,
    .publish = q_publish,
    .last_publication = q_last_publication,
    .published_position = q_published_position,
    .changed_since = q_changed_since,
    .export_all = q_export_all,
    .next_change_seq = q_next_change_seq,
    .bulk_replace = q_bulk_replace,
    .rebuild_rank = q_rebuild_rank,
};
