/* store_pg_queue.c — the housing queue on PostgreSQL, with exact positions.
 *
 * The same design as store_sqlite_queue.c (read its header comment): each
 * program's waiting entries are cut into rank blocks of a few hundred
 * consecutive entries in queue order (rank_block), a Fenwick tree over
 * 2^24 block slots holds each block's waiting count (rank_tree, non-zero
 * nodes only), and entry.slot with the partial index
 * entry_rank(program_id, slot, skey) WHERE status = 0 orders a block.
 * position = prefix sum of the slots before mine + the waiting entries of
 * my block with a smaller key + 1, all maintained inside the caller's
 * transaction, so positions are exact for every committed state.  The
 * constants and the slot assignment are identical, so both backends split,
 * append and rebuild at the same moments.
 *
 * What differs is round trips, which cost ~30–60 µs each over loopback
 * (more than SQLite's whole position look-up):
 *   - a position is ONE statement (tree prefix over an int8[] of the ≤ 24
 *     Fenwick nodes + the in-block count);
 *   - a tree update is ONE upsert over unnest(nodes);
 *   - the Fenwick descent for entry_at is ONE recursive CTE;
 *   - bulk writes (import, rebuild, re-key) go through COPY and set-based
 *     UPDATE … FROM, never a statement per row;
 *   - long result sets are read in keyset-paged chunks, so neither side
 *     holds a million rows and the callback may use the connection.
 * Writers are serialised by store_pg.c's writer lock (see there), so the
 * read-then-adjust steps of block splits see a stable structure. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/queue.h"
#include "kiosk/store/rank_layout.h"
#include "kiosk/store/pg/store_pg.h"

#define PAGE_ROWS 1000             /* rows per chunk of a long result */

#define ENTRY_COLS "id, program_id, receipt_no, id_hash, sealed, household_size, hukou_district, " \
                   "tier, wait_since, insured_since, hukou_since, lottery_no, status, refusals, " \
                   "skey, slot, changed_seq"

static void read_entry(const PGresult *r, int i, struct entry_row *e)
{
    memset(e, 0, sizeof *e);
    e->id = pg_int(r, i, 0);
    e->program_id = (int)pg_int(r, i, 1);
    pg_str(r, i, 2, e->receipt_no, sizeof e->receipt_no);
    pg_bytes(r, i, 3, e->id_hash, sizeof e->id_hash);
    e->sealed_len = pg_bytes(r, i, 4, e->sealed, sizeof e->sealed);
    e->household_size = (int)pg_int(r, i, 5);
    pg_str(r, i, 6, e->hukou_district, sizeof e->hukou_district);
    for (int k = 0; k < OK__COUNT; k++)
        e->key[k] = pg_key(r, i, 7 + k);
    e->status = (int)pg_int(r, i, 12);
    e->refusals = (int)pg_int(r, i, 13);
    e->skey_len = pg_bytes(r, i, 14, e->skey, QUEUE_SKEY_MAX);
    e->slot = pg_int(r, i, 15);
    e->changed_seq = pg_int(r, i, 16);
}

/* Run a SELECT of ENTRY_COLS and call cb per row (result read whole: for
 * the short lists — one card holder, one receipt). */
static int each_entry(struct pg_store *s, const char *sql, const struct pg_params *p, entry_cb cb,
                      void *ctx, const char *what)
{
    int err;
    PGresult *r = pg_run(s, sql, p, what, &err);
    if (!r)
        return err;
    struct entry_row e;
    for (int i = 0; i < PQntuples(r) && !err; i++) {
        read_entry(r, i, &e);
        err = cb(ctx, &e);
    }
    PQclear(r);
    return err;
}

/* "{1,2,3}": an int8[] parameter in text form. */
static void int_array(char *out, size_t cap, const long long *v, int n)
{
    size_t len = 0;
    out[len++] = '{';
    for (int i = 0; i < n && len + 24 < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%lld", i ? "," : "", v[i]);
    snprintf(out + len, cap - len, "}");
}

/* ---- programs ------------------------------------------------------------- */

#define PROGRAM_COLS "id, code, name_zh, name_en, rule, refusal_limit"

static int read_program(const PGresult *r, int i, struct program *p)
{
    memset(p, 0, sizeof *p);
    p->id = (int)pg_int(r, i, 0);
    pg_str(r, i, 1, p->code, sizeof p->code);
    pg_str(r, i, 2, p->name_zh, sizeof p->name_zh);
    pg_str(r, i, 3, p->name_en, sizeof p->name_en);
    p->refusal_limit = (int)pg_int(r, i, 5);
    char rule[160];
    pg_str(r, i, 4, rule, sizeof rule);
    if (queue_rule_parse(rule, p) != 0)
        return kerr(KERR_DB, "program %s has a bad ordering rule: %s", p->code, kerr_detail());
    return 0;
}

static int one_program(struct pg_store *s, const char *sql, const struct pg_params *p,
                       struct program *out, const char *missing)
{
    int err;
    PGresult *r = pg_run(s, sql, p, "reading programs", &err);
    if (!r)
        return err;
    err = PQntuples(r) == 1 ? read_program(r, 0, out) : kerr(KERR_NOTFOUND, "%s", missing);
    PQclear(r);
    return err;
}

static int q_program_get(struct store *st, const char *code, struct program *out)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_text(&p, code);
    char missing[64];
    snprintf(missing, sizeof missing, "no program '%s'", code);
    return one_program(pgs(st), "SELECT " PROGRAM_COLS " FROM program WHERE code = $1", &p, out,
                       missing);
}

static int q_program_by_id(struct store *st, int id, struct program *out)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, id);
    char missing[64];
    snprintf(missing, sizeof missing, "no program #%d", id);
    return one_program(pgs(st), "SELECT " PROGRAM_COLS " FROM program WHERE id = $1", &p, out,
                       missing);
}

static int q_program_list(struct store *st, struct program *out, int cap, int *n)
{
    int err;
    *n = 0;
    PGresult *r = pg_run(pgs(st), "SELECT " PROGRAM_COLS " FROM program ORDER BY id", NULL,
                         "reading programs", &err);
    if (!r)
        return err;
    for (int i = 0; i < PQntuples(r) && *n < cap && !err; i++)
        err = read_program(r, i, &out[(*n)++]);
    PQclear(r);
    return err;
}

/* ---- entries -------------------------------------------------------------- */

static int q_entries_by_hash(struct store *st, const unsigned char hash[32], entry_cb cb, void *ctx)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_blob(&p, hash, 32);
    return each_entry(pgs(st), "SELECT " ENTRY_COLS " FROM entry WHERE id_hash = $1::bytea "
                               "ORDER BY program_id, receipt_no", &p, cb, ctx,
                      "looking up a card holder");
}

static int q_entries_by_receipt(struct store *st, const char *receipt_no, entry_cb cb, void *ctx)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_text(&p, receipt_no);
    return each_entry(pgs(st), "SELECT " ENTRY_COLS " FROM entry WHERE receipt_no = $1 "
                               "ORDER BY program_id", &p, cb, ctx, "looking up a receipt number");
}

static int q_entry_get(struct store *st, int program_id, const char *receipt_no,
                       struct entry_row *out)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, program_id);
    pgp_text(&p, receipt_no);
    int err;
    PGresult *r = pg_run(pgs(st), "SELECT " ENTRY_COLS " FROM entry WHERE program_id = $1 AND "
                                  "receipt_no = $2", &p, "reading an entry", &err);
    if (!r)
        return err;
    if (PQntuples(r) == 1)
        read_entry(r, 0, out);
    else
        err = kerr(KERR_NOTFOUND, "no entry with receipt number %s", receipt_no);
    PQclear(r);
    return err;
}

/* ---- the Fenwick tree ----------------------------------------------------- */

static int fen_node(struct pg_store *s, int program_id, long long node, long long *sum)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, program_id);
    pgp_int(&p, node);
    int err;
    PGresult *r = pg_run(s, "SELECT sum FROM rank_tree WHERE program_id = $1 AND node = $2", &p,
                         "reading the rank tree", &err);
    if (!r)
        return err;
    *sum = PQntuples(r) == 1 ? pg_int(r, 0, 0) : 0;
    PQclear(r);
    return 0;
}

/* ---- positions ------------------------------------------------------------ */

static int q_total(struct store *st, int program_id, long long *total)
{
    return fen_node(pgs(st), program_id, RANK_SLOTS, total);   /* the root covers every slot */
}

static int q_position(struct store *st, const struct entry_row *e, long long *position)
{
    struct pg_store *s = pgs(st);
    if (e->status != ST_WAITING)
        return kerr(KERR_NOTFOUND, "entry %s is not waiting, so it holds no position", e->receipt_no);
    long long nodes[RANK_FEN_BITS + 1];
    char arr[RANK_FEN_BITS * 12 + 8];
    int_array(arr, sizeof arr, nodes, rank_down_path(e->slot - 1, nodes));
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, e->program_id);
    pgp_text(&p, arr);
    pgp_int(&p, e->slot);
    pgp_blob(&p, e->skey, e->skey_len);
    int err;
    /* one round trip: the tree prefix before my block + my rank within it */
    PGresult *r = pg_run(s,
        "SELECT (SELECT COALESCE(sum(sum), 0) FROM rank_tree WHERE program_id = $1 "
        "        AND node = ANY ($2::bigint[]))::bigint "
        "     + (SELECT count(*) FROM entry WHERE program_id = $1 AND slot = $3::bigint "
        "        AND status = 0 AND skey < $4::bytea) + 1",
        &p, "computing a position", &err);
    if (!r)
        return err;
    *position = pg_int(r, 0, 0);
    PQclear(r);
    return 0;
}

/* The slot holding the pos-th waiting entry and pos's offset within it:
 * the Fenwick descent (one node per level) as one recursive query. */
static int fen_find(struct pg_store *s, int program_id, long long pos, long long *slot,
                    long long *offset)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, program_id);
    pgp_int(&p, pos);
    int err;
    PGresult *r = pg_run(s,
        "WITH RECURSIVE d(idx, rest, bit) AS ("
        "  SELECT 0::bigint, $2::bigint, 16777216::bigint "
        "  UNION ALL "
        "  SELECT CASE WHEN d.idx + d.bit <= 16777216 AND COALESCE(t.sum, 0) < d.rest "
        "              THEN d.idx + d.bit ELSE d.idx END, "
        "         CASE WHEN d.idx + d.bit <= 16777216 AND COALESCE(t.sum, 0) < d.rest "
        "              THEN d.rest - COALESCE(t.sum, 0) ELSE d.rest END, "
        "         d.bit / 2 "
        "  FROM d LEFT JOIN rank_tree t ON t.program_id = $1::integer AND t.node = d.idx + d.bit "
        "  WHERE d.bit > 0) "
        "SELECT idx + 1, rest - 1 FROM d WHERE bit = 0",
        &p, "searching the rank tree", &err);
    if (!r)
        return err;
    if (PQntuples(r) != 1) {
        PQclear(r);
        return kerr(KERR_DB, "%s: rank tree search returned nothing", s->where);
    }
    *slot = pg_int(r, 0, 0);
    *offset = pg_int(r, 0, 1);
    PQclear(r);
    return 0;
}

static int q_entry_at(struct store *st, int program_id, long long pos, struct entry_row *out)
{
    struct pg_store *s = pgs(st);
    long long total, slot = 0, offset = 0;
    int err = q_total(st, program_id, &total);
    if (err)
        return err;
    if (pos < 1 || pos > total)
        return kerr(KERR_NOTFOUND, "no position %lld (the queue has %lld)", pos, total);
    if ((err = fen_find(s, program_id, pos, &slot, &offset)))
        return err;
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, program_id);
    pgp_int(&p, slot);
    pgp_int(&p, offset);
    PGresult *r = pg_run(s, "SELECT " ENTRY_COLS " FROM entry WHERE program_id = $1 AND "
                            "slot = $2 AND status = 0 ORDER BY skey LIMIT 1 OFFSET $3", &p,
                         "reading an entry", &err);
    if (!r)
        return err;
    if (PQntuples(r) == 1)
        read_entry(r, 0, out);
    else
        err = kerr(KERR_DB, "rank structure of program %d is inconsistent (run kioskctl check)",
                   program_id);
    PQclear(r);
    return err;
}

static int q_page(struct store *st, int program_id, long long pos, int n, entry_cb cb, void *ctx)
{
    struct entry_row first;
    int err = q_entry_at(st, program_id, pos, &first);
    if (err)
        return err == KERR_NOTFOUND ? 0 : err;
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, program_id);
    pgp_int(&p, first.slot);
    pgp_blob(&p, first.skey, first.skey_len);
    pgp_int(&p, n);
    return each_entry(pgs(st), "SELECT " ENTRY_COLS " FROM entry WHERE program_id = $1 AND "
                               "status = 0 AND (slot, skey) >= ($2::bigint, $3::bytea) "
                               "ORDER BY slot, skey LIMIT $4", &p, cb, ctx,
                      "reading a page of the queue");
}

/* ---- blocks --------------------------------------------------------------- */

static int block_for_key(struct pg_store *s, int program_id, const unsigned char *skey,
                         int skey_len, long long *slot)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, program_id);
    pgp_blob(&p, skey, skey_len);
    int err;
    PGresult *r = pg_run(s, "SELECT slot FROM rank_block WHERE program_id = $1 AND "
                            "lo_key <= $2::bytea ORDER BY lo_key DESC LIMIT 1", &p,
                         "finding a rank block", &err);
    if (!r)
        return err;
    *slot = PQntuples(r) == 1 ? pg_int(r, 0, 0) : 0;
    PQclear(r);
    if (*slot)
        return 0;
    /* no block at all yet (the first block starts at the empty key, so
     * every key has one otherwise): create it mid slot space */
    *slot = RANK_SLOTS / 2;
    pgp_init(&p);
    pgp_int(&p, program_id);
    pgp_int(&p, *slot);
    return pg_do(s, "INSERT INTO rank_block(program_id, slot, lo_key, n) VALUES ($1, $2, "
                    "''::bytea, 0)", &p, "creating a rank block");
}

/* Change a block's count and the Fenwick path above its slot in ONE
 * statement (a data-modifying CTE): a status change is then one round trip
 * of rank work. */
static int block_add(struct pg_store *s, int program_id, long long slot, long long delta,
                     long long *n_after)
{
    long long nodes[RANK_FEN_BITS + 1];
    char arr[RANK_FEN_BITS * 12 + 8];
    int_array(arr, sizeof arr, nodes, rank_up_path(slot, nodes));
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, program_id);
    pgp_int(&p, slot);
    pgp_int(&p, delta);
    pgp_text(&p, arr);
    int err;
    PGresult *r = pg_run(s,
        "WITH b AS (UPDATE rank_block SET n = n + $3::bigint WHERE program_id = $1 AND slot = $2 "
        "           RETURNING n), "
        "t AS (INSERT INTO rank_tree(program_id, node, sum) "
        "      SELECT $1::integer, unnest($4::bigint[]), $3::bigint WHERE EXISTS (SELECT 1 FROM b) "
        "      AND $3::bigint <> 0 "
        "      ON CONFLICT (program_id, node) DO UPDATE SET sum = rank_tree.sum + excluded.sum) "
        "SELECT n FROM b", &p, "updating a rank block", &err);
    if (!r)
        return err;
    if (PQntuples(r) != 1) {
        PQclear(r);
        return kerr(KERR_DB, "rank block %lld of program %d is missing (run kioskctl check)", slot,
                    program_id);
    }
    *n_after = pg_int(r, 0, 0);
    PQclear(r);
    return 0;
}

static int q_rebuild_rank(struct store *st, int program_id);

/* Move the upper half of an overfull block to a new slot. */
static int block_split(struct pg_store *s, int program_id, long long slot, long long n)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, program_id);
    pgp_int(&p, slot);
    int err;
    PGresult *r = pg_run(s, "SELECT min(slot) FROM rank_block WHERE program_id = $1 AND slot > $2",
                         &p, "splitting a rank block", &err);
    if (!r)
        return err;
    long long next = pg_isnull(r, 0, 0) ? RANK_SLOTS + 1 : pg_int(r, 0, 0);
    PQclear(r);
    long long mid_slot = rank_split_slot(slot, next);
    if (mid_slot == 0)
        return q_rebuild_rank(&s->base, program_id);   /* no free slot: renumber */

    pgp_init(&p);
    pgp_int(&p, program_id);
    pgp_int(&p, slot);
    pgp_int(&p, n / 2);
    r = pg_run(s, "SELECT skey FROM entry WHERE program_id = $1 AND slot = $2 AND status = 0 "
                  "ORDER BY skey LIMIT 1 OFFSET $3", &p, "splitting a rank block", &err);
    if (!r)
        return err;
    if (PQntuples(r) != 1) {
        PQclear(r);
        return kerr(KERR_DB, "rank block %lld of program %d has fewer entries than counted", slot,
                    program_id);
    }
    unsigned char mid[QUEUE_SKEY_MAX];
    int mid_len = pg_bytes(r, 0, 0, mid, sizeof mid);
    PQclear(r);

    pgp_init(&p);
    pgp_int(&p, program_id);
    pgp_int(&p, slot);
    pgp_int(&p, mid_slot);
    pgp_blob(&p, mid, mid_len);
    r = pg_run(s, "UPDATE entry SET slot = $3::bigint WHERE program_id = $1 AND slot = $2 AND "
                  "status = 0 AND skey >= $4::bytea", &p, "splitting a rank block", &err);
    if (!r)
        return err;
    long long moved = pg_changes(r), dummy;
    PQclear(r);
    pgp_init(&p);
    pgp_int(&p, program_id);
    pgp_int(&p, mid_slot);
    pgp_blob(&p, mid, mid_len);
    if ((err = pg_do(s, "INSERT INTO rank_block(program_id, slot, lo_key, n) VALUES ($1, $2, "
                        "$3::bytea, 0)", &p, "splitting a rank block")) ||
        (err = block_add(s, program_id, slot, -moved, &dummy)) ||
        (err = block_add(s, program_id, mid_slot, moved, &dummy)))
        return err;
    return 0;
}

/* ---- writes --------------------------------------------------------------- */

static int q_next_change_seq(struct store *st, long long *seq)
{
    int err;
    /* in meta like SQLite (not a sequence): a rolled-back change gives its
     * number back, so the counter only ever names committed states */
    PGresult *r = pg_run(pgs(st), "INSERT INTO meta(key, value) VALUES ('change_seq', '1') "
                                  "ON CONFLICT (key) DO UPDATE SET "
                                  "value = (meta.value::bigint + 1)::text "
                                  "RETURNING value::bigint", NULL,
                         "advancing the change counter", &err);
    if (!r)
        return err;
    *seq = pg_int(r, 0, 0);
    PQclear(r);
    return 0;
}

static int q_set_status(struct store *st, struct entry_row *e, int status, int refusals)
{
    struct pg_store *s = pgs(st);
    long long n_after = 0, seq = 0;
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
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, e->id);
    pgp_int(&p, status);
    pgp_int(&p, refusals);
    pgp_int(&p, e->slot);
    pgp_int(&p, seq);
    if ((err = pg_do(s, "UPDATE entry SET status = $2, refusals = $3, slot = $4, changed_seq = $5 "
                        "WHERE id = $1", &p, "changing an entry's status")))
        return err;
    int was_waiting = e->status == ST_WAITING;
    e->status = status;
    e->refusals = refusals;
    e->changed_seq = seq;
    if (!was_waiting && status == ST_WAITING && n_after > RANK_BLOCK_MAX) {
        if ((err = block_split(s, e->program_id, e->slot, n_after)))
            return err;
        /* the entry may have moved to the new block */
        pgp_init(&p);
        pgp_int(&p, e->id);
        PGresult *r = pg_run(s, "SELECT slot FROM entry WHERE id = $1", &p, "reading an entry", &err);
        if (!r)
            return err;
        if (PQntuples(r) == 1)
            e->slot = pg_int(r, 0, 0);
        PQclear(r);
    }
    return 0;
}

static void event_params(struct pg_params *p, const struct entry_event *ev)
{
    pgp_init(p);
    pgp_int(p, ev->entry_id);
    pgp_int(p, ev->program_id);
    pgp_text(p, ev->at);
    pgp_text(p, ev->actor);
    pgp_text(p, ev->action);
    pgp_key(p, ev->from_status < 0 ? NONE_I64 : ev->from_status);
    pgp_key(p, ev->to_status < 0 ? NONE_I64 : ev->to_status);
    pgp_text(p, ev->reason);
}

static int q_event_add(struct store *st, const struct entry_event *ev)
{
    struct pg_params p;
    event_params(&p, ev);
    return pg_do(pgs(st), "INSERT INTO entry_event(entry_id, program_id, at, actor, action, "
                          "from_status, to_status, reason) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)", &p,
                 "recording an entry event");
}

static int q_events(struct store *st, long long entry_id,
                    int (*cb)(void *ctx, const struct entry_event *ev), void *ctx)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, entry_id);
    int err;
    PGresult *r = pg_run(pgs(st), "SELECT entry_id, program_id, at, actor, action, "
                                  "COALESCE(from_status, -1), COALESCE(to_status, -1), reason "
                                  "FROM entry_event WHERE entry_id = $1 ORDER BY id", &p,
                         "reading an entry's history", &err);
    if (!r)
        return err;
    struct entry_event ev;
    for (int i = 0; i < PQntuples(r) && !err; i++) {
        memset(&ev, 0, sizeof ev);
        ev.entry_id = pg_int(r, i, 0);
        ev.program_id = (int)pg_int(r, i, 1);
        pg_str(r, i, 2, ev.at, sizeof ev.at);
        pg_str(r, i, 3, ev.actor, sizeof ev.actor);
        pg_str(r, i, 4, ev.action, sizeof ev.action);
        ev.from_status = (int)pg_int(r, i, 5);
        ev.to_status = (int)pg_int(r, i, 6);
        pg_str(r, i, 7, ev.reason, sizeof ev.reason);
        err = cb(ctx, &ev);
    }
    PQclear(r);
    return err;
}

static int q_housed_by_month(struct store *st, int program_id, const char *first_month,
                             int n_months, int *counts)
{
    int y, m;
    if (sscanf(first_month, "%d-%d", &y, &m) != 2)
        return kerr(KERR_USAGE, "bad month '%s'", first_month);
    int ey = y + (m - 1 + n_months) / 12, em = (m - 1 + n_months) % 12 + 1;
    char from[16], to[16];
    snprintf(from, sizeof from, "%04d-%02d", y, m);
    snprintf(to, sizeof to, "%04d-%02d", ey, em);
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, program_id);
    pgp_text(&p, from);
    pgp_text(&p, to);
    int err;
    PGresult *r = pg_run(pgs(st), "SELECT substr(at, 1, 7), count(*) FROM entry_event WHERE "
                                  "program_id = $1 AND to_status = 3 AND at >= $2 AND at < $3 "
                                  "GROUP BY 1", &p, "reading allocation history", &err);
    if (!r)
        return err;
    memset(counts, 0, sizeof *counts * (size_t)n_months);
    for (int i = 0; i < PQntuples(r); i++) {
        char month[16];
        int yy, mm;
        pg_str(r, i, 0, month, sizeof month);
        if (sscanf(month, "%d-%d", &yy, &mm) == 2) {
            int k = (yy - y) * 12 + (mm - m);
            if (k >= 0 && k < n_months)
                counts[k] = (int)pg_int(r, i, 1);
        }
    }
    PQclear(r);
    return 0;
}

/* ---- publication ---------------------------------------------------------- */

static int q_last_publication(struct store *st, int program_id, struct publication *pub)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, program_id);
    int err;
    PGresult *r = pg_run(pgs(st), "SELECT id, program_id, at, actor, total, change_seq FROM "
                                  "publication WHERE program_id = $1 ORDER BY id DESC LIMIT 1",
                         &p, "reading publications", &err);
    if (!r)
        return err;
    if (PQntuples(r) == 1) {
        pub->id = pg_int(r, 0, 0);
        pub->program_id = (int)pg_int(r, 0, 1);
        pg_str(r, 0, 2, pub->at, sizeof pub->at);
        pg_str(r, 0, 3, pub->actor, sizeof pub->actor);
        pub->total = pg_int(r, 0, 4);
        pub->change_seq = pg_int(r, 0, 5);
    } else {
        err = KERR_NOTFOUND;
    }
    PQclear(r);
    return err;
}

static int q_publish(struct store *st, int program_id, const char *at, const char *actor,
                     struct publication *pub)
{
    struct pg_store *s = pgs(st);
    long long total = 0, seq = 0;
    int err;
    if ((err = q_total(st, program_id, &total)) || (err = q_next_change_seq(st, &seq)))
        return err;
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, program_id);
    pgp_text(&p, at);
    pgp_text(&p, actor);
    pgp_int(&p, total);
    pgp_int(&p, seq);
    PGresult *r = pg_run(s, "INSERT INTO publication(program_id, at, actor, total, change_seq) "
                            "VALUES ($1, $2, $3, $4, $5) RETURNING id", &p,
                         "recording a publication", &err);
    if (!r)
        return err;
    long long pub_id = pg_int(r, 0, 0);
    PQclear(r);
    /* (slot, skey) order over the partial index is queue order */
    pgp_init(&p);
    pgp_int(&p, pub_id);
    pgp_int(&p, program_id);
    if ((err = pg_do(s, "INSERT INTO published_position(publication_id, entry_id, position) "
                        "SELECT $1::bigint, id, row_number() OVER (ORDER BY slot, skey) FROM entry "
                        "WHERE program_id = $2 AND status = 0", &p, "snapshotting positions")))
        return err;
    return q_last_publication(st, program_id, pub);
}

static int q_published_position(struct store *st, long long pub_id, long long entry_id,
                                long long *pos)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, pub_id);
    pgp_int(&p, entry_id);
    int err;
    PGresult *r = pg_run(pgs(st), "SELECT position FROM published_position WHERE "
                                  "publication_id = $1 AND entry_id = $2", &p,
                         "reading publications", &err);
    if (!r)
        return err;
    if (PQntuples(r) == 1)
        *pos = pg_int(r, 0, 0);
    else
        err = KERR_NOTFOUND;
    PQclear(r);
    return err;
}

/* ---- long lists, read in keyset pages --------------------------------------- */

/* Entries changed after change_seq, in id order, PAGE_ROWS at a time. */
static int q_changed_since(struct store *st, const struct publication *pub,
                           int (*cb)(void *ctx, const struct entry_row *e, long long position_then),
                           void *ctx)
{
    struct pg_store *s = pgs(st);
    long long after = 0;
    for (;;) {
        struct pg_params p;
        pgp_init(&p);
        pgp_int(&p, pub->program_id);
        pgp_int(&p, pub->change_seq);
        pgp_int(&p, after);
        pgp_int(&p, PAGE_ROWS);
        pgp_int(&p, pub->id);
        int err;
        /* the published position comes with each row: one round trip per
         * page instead of one per changed entry */
        PGresult *r = pg_run(s, "SELECT " ENTRY_COLS ", coalesce(pp.position, 0) FROM entry "
                                "LEFT JOIN published_position pp ON pp.publication_id = $5 AND "
                                "pp.entry_id = entry.id WHERE program_id = $1 AND "
                                "changed_seq > $2 AND id > $3 ORDER BY id LIMIT $4", &p,
                             "reading changes", &err);
        if (!r)
            return err;
        int n = PQntuples(r);
        struct entry_row e;
        for (int i = 0; i < n && !err; i++) {
            read_entry(r, i, &e);
            after = e.id;
            err = cb(ctx, &e, pg_int(r, i, 17));
        }
        PQclear(r);
        if (err || n < PAGE_ROWS)
            return err;
    }
}

/* Waiting entries in queue order ((slot, skey) keyset), then the rest by
 * receipt number. */
static int q_export_all(struct store *st, int program_id, entry_cb cb, void *ctx)
{
    struct pg_store *s = pgs(st);
    struct entry_row *last = calloc(1, sizeof *last);
    struct entry_row *e = calloc(1, sizeof *e);
    int err = last && e ? 0 : KERR_NOMEM;
    for (int part = 0; part < 2 && !err; part++) {
        bool first = true;
        for (;;) {
            struct pg_params p;
            pgp_init(&p);
            pgp_int(&p, program_id);
            pgp_int(&p, PAGE_ROWS);
            const char *sql;
            if (part == 0) {
                pgp_int(&p, first ? -1 : last->slot);
                pgp_blob(&p, last->skey, first ? 0 : last->skey_len);
                sql = "SELECT " ENTRY_COLS " FROM entry WHERE program_id = $1 AND status = 0 AND "
                      "(slot, skey) > ($3::bigint, $4::bytea) ORDER BY slot, skey LIMIT $2";
            } else {
                pgp_int(&p, first ? 1 : 0);
                pgp_text(&p, first ? "" : last->receipt_no);
                sql = "SELECT " ENTRY_COLS " FROM entry WHERE program_id = $1 AND status <> 0 AND "
                      "($3::integer = 1 OR receipt_no > $4) ORDER BY receipt_no LIMIT $2";
            }
            PGresult *r = pg_run(s, sql, &p, "exporting", &err);
            if (!r)
                break;
            int n = PQntuples(r);
            for (int i = 0; i < n && !err; i++) {
                read_entry(r, i, e);
                err = cb(ctx, e);
                *last = *e;
            }
            PQclear(r);
            first = false;
            if (err || n < PAGE_ROWS)
                break;
        }
    }
    free(last);
    free(e);
    return err;
}

/* ---- COPY: bulk rows in text format ------------------------------------------ */

struct copy_buf {
    struct pg_store *s;
    char *buf;
    size_t len, cap;
    int err;
};

static int copy_begin(struct pg_store *s, struct copy_buf *c, const char *sql)
{
    memset(c, 0, sizeof *c);
    c->s = s;
    c->cap = 1 << 16;
    c->buf = malloc(c->cap);
    if (!c->buf)
        return c->err = KERR_NOMEM;
    PGresult *r = PQexec(s->conn, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN)
        c->err = pg_fail(s, r, "starting a bulk copy");
    PQclear(r);
    return c->err;
}

static void copy_flush(struct copy_buf *c)
{
    if (!c->err && c->len && PQputCopyData(c->s->conn, c->buf, (int)c->len) != 1)
        c->err = pg_fail(c->s, NULL, "sending bulk rows");
    c->len = 0;
}

static void copy_room(struct copy_buf *c, size_t need)
{
    if (c->len + need + 1 > c->cap)
        copy_flush(c);
    if (need + 1 > c->cap) {     /* one field larger than the buffer (never in practice) */
        char *b = realloc(c->buf, need + 1);
        if (!b) {
            c->err = KERR_NOMEM;
            return;
        }
        c->buf = b;
        c->cap = need + 1;
    }
}

static void copy_sep(struct copy_buf *c, char ch)
{
    copy_room(c, 1);
    if (!c->err)
        c->buf[c->len++] = ch;
}

static void copy_int(struct copy_buf *c, long long v)
{
    copy_room(c, 24);
    if (!c->err)
        c->len += (size_t)snprintf(c->buf + c->len, 24, "%lld", v);
}

static void copy_key(struct copy_buf *c, int64_t v)
{
    if (v == NONE_I64) {
        copy_room(c, 2);
        if (!c->err) {
            memcpy(c->buf + c->len, "\\N", 2);
            c->len += 2;
        }
    } else {
        copy_int(c, (long long)v);
    }
}

/* Text with COPY's escapes for backslash, tab, newline and carriage return. */
static void copy_text(struct copy_buf *c, const char *t)
{
    size_t n = strlen(t);
    copy_room(c, 2 * n);
    for (size_t i = 0; i < n && !c->err; i++) {
        char ch = t[i];
        if (ch == '\\' || ch == '\t' || ch == '\n' || ch == '\r') {
            c->buf[c->len++] = '\\';
            ch = ch == '\t' ? 't' : ch == '\n' ? 'n' : ch == '\r' ? 'r' : '\\';
        }
        c->buf[c->len++] = ch;
    }
}

/* bytea as "\\x…" (the backslash itself escaped for COPY). */
static void copy_blob(struct copy_buf *c, const unsigned char *b, int n)
{
    static const char hex[] = "0123456789abcdef";
    copy_room(c, 3 + 2 * (size_t)n);
    if (c->err)
        return;
    memcpy(c->buf + c->len, "\\\\x", 3);
    c->len += 3;
    for (int i = 0; i < n; i++) {
        c->buf[c->len++] = hex[b[i] >> 4];
        c->buf[c->len++] = hex[b[i] & 15];
    }
}

static int copy_end(struct copy_buf *c)
{
    copy_flush(c);
    int err = c->err;
    if (PQputCopyEnd(c->s->conn, err ? "aborted by the client" : NULL) != 1 && !err)
        err = pg_fail(c->s, NULL, "ending a bulk copy");
    PGresult *r;
    while ((r = PQgetResult(c->s->conn))) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && !err)
            err = pg_fail(c->s, r, "bulk copy");
        PQclear(r);
    }
    free(c->buf);
    c->buf = NULL;
    return err;
}

/* ---- bulk replace (import) and rebuilds -------------------------------------- */

/* Rebuild rank_block and rank_tree of a program from its entries' slots:
 * one block per distinct slot of the waiting entries (the first starts at
 * the empty key, so every key has a block), the tree from the block counts. */
static int rank_from_entries(struct pg_store *s, int program_id)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, program_id);
    int err;
    if ((err = pg_do(s, "DELETE FROM rank_block WHERE program_id = $1", &p, "clearing rank blocks")) ||
        (err = pg_do(s, "DELETE FROM rank_tree WHERE program_id = $1", &p, "clearing the rank tree")) ||
        /* lo_key = the block's smallest key, one index probe per block
         * (PostgreSQL has no min(bytea)) */
        (err = pg_do(s, "INSERT INTO rank_block(program_id, slot, lo_key, n) "
                        "SELECT $1::integer, g.slot, CASE WHEN row_number() OVER (ORDER BY g.slot) = 1 "
                        "THEN ''::bytea ELSE (SELECT e.skey FROM entry e WHERE e.program_id = $1 "
                        "AND e.slot = g.slot AND e.status = 0 ORDER BY e.skey LIMIT 1) END, g.n "
                        "FROM (SELECT slot, count(*) AS n FROM entry WHERE program_id = $1 AND "
                        "status = 0 GROUP BY slot) g", &p, "writing rank blocks")))
        return err;
    PGresult *r = pg_run(s, "SELECT slot, n FROM rank_block WHERE program_id = $1 ORDER BY slot",
                         &p, "writing the rank tree", &err);
    if (!r)
        return err;
    int nb = PQntuples(r);
    if (nb == 0) {
        PQclear(r);
        return 0;
    }
    long long *slots = malloc(sizeof *slots * (size_t)nb), *counts = malloc(sizeof *counts * (size_t)nb);
    struct rank_node_sum *d = NULL;
    long long nd = -1;
    if (slots && counts) {
        for (int i = 0; i < nb; i++) {
            slots[i] = pg_int(r, i, 0);
            counts[i] = pg_int(r, i, 1);
        }
        nd = rank_tree_nodes(slots, counts, nb, &d);
    }
    PQclear(r);
    free(slots);
    free(counts);
    if (nd < 0)
        return KERR_NOMEM;
    struct copy_buf c;
    if (!copy_begin(s, &c, "COPY rank_tree(program_id, node, sum) FROM STDIN")) {
        for (long long i = 0; i < nd && !c.err; i++) {
            copy_int(&c, program_id);
            copy_sep(&c, '\t');
            copy_int(&c, d[i].node);
            copy_sep(&c, '\t');
            copy_int(&c, d[i].sum);
            copy_sep(&c, '\n');
        }
    }
    err = c.buf ? copy_end(&c) : c.err;
    free(d);
    return err;
}

static void copy_row(struct copy_buf *c, int program_id, const struct bulk_row *r, long long seq)
{
    copy_int(c, program_id);
    copy_sep(c, '\t');
    copy_text(c, r->receipt_no);
    copy_sep(c, '\t');
    copy_blob(c, r->id_hash, 32);
    copy_sep(c, '\t');
    copy_blob(c, r->sealed, r->sealed_len);
    copy_sep(c, '\t');
    copy_int(c, r->household_size);
    copy_sep(c, '\t');
    copy_text(c, r->hukou_district ? r->hukou_district : "");
    for (int k = 0; k < OK__COUNT; k++) {
        copy_sep(c, '\t');
        copy_key(c, k == OK_TIER && r->key[k] == NONE_I64 ? 0 : r->key[k]);
    }
    copy_sep(c, '\t');
    copy_int(c, r->status);
    copy_sep(c, '\t');
    copy_blob(c, r->skey, r->skey_len);
    copy_sep(c, '\t');
    copy_int(c, r->slot);
    copy_sep(c, '\t');
    copy_int(c, seq);
    copy_sep(c, '\n');
}

#define ROW_COLS "program_id, receipt_no, id_hash, sealed, household_size, hukou_district, " \
                 "tier, wait_since, insured_since, hukou_since, lottery_no, status, skey, slot, " \
                 "changed_seq"

static int copy_rows(struct pg_store *s, const char *sql, int program_id, const struct bulk_row *rows,
                     long long n, long long seq)
{
    struct copy_buf c;
    if (!copy_begin(s, &c, sql))
        for (long long i = 0; i < n && !c.err; i++)
            copy_row(&c, program_id, &rows[i], seq);
    return c.buf ? copy_end(&c) : c.err;
}

static long long count_of(struct pg_store *s, const char *sql, const struct pg_params *p, int *err)
{
    PGresult *r = pg_run(s, sql, p, "importing", err);
    if (!r)
        return 0;
    long long n = pg_int(r, 0, 0);
    PQclear(r);
    return n;
}

/* A new list goes straight into entry by COPY.  A re-import goes into a
 * temporary table first and is merged with set-based statements: known
 * receipts updated (an event for each status change), new ones added,
 * absent ones marked removed with an event each — the same semantics and
 * counts as the SQLite backend, without a round trip per row. */
static int q_bulk_replace(struct store *st, int program_id, struct bulk_row *rows, long long n,
                          const char *at, const char *actor, long long counts[4])
{
    struct pg_store *s = pgs(st);
    long long seq = 0, n_waiting = 0;
    int err;
    memset(counts, 0, 4 * sizeof counts[0]);
    if ((err = q_next_change_seq(st, &seq)))
        return err;
    for (long long i = 0; i < n; i++)
        n_waiting += rows[i].status == ST_WAITING;
    rank_assign_slots(rows, n, n_waiting);

    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, program_id);
    long long existing = count_of(s, "SELECT count(*) FROM entry WHERE program_id = $1", &p, &err);
    if (err)
        return err;
    if (existing == 0) {
        if ((err = copy_rows(s, "COPY entry(" ROW_COLS ") FROM STDIN", program_id, rows, n, seq)))
            return err;
        counts[0] = n;
        return rank_from_entries(s, program_id);
    }

    if ((err = pg_exec(s, "CREATE TEMP TABLE IF NOT EXISTS import_in ("
                          "program_id integer, receipt_no text COLLATE \"C\" PRIMARY KEY, "
                          "id_hash bytea, sealed bytea, household_size integer, "
                          "hukou_district text, tier bigint, wait_since bigint, "
                          "insured_since bigint, hukou_since bigint, lottery_no bigint, "
                          "status integer, skey bytea, slot bigint, changed_seq bigint); "
                          "TRUNCATE import_in", "preparing an import")) ||
        (err = copy_rows(s, "COPY import_in(" ROW_COLS ") FROM STDIN", program_id, rows, n, seq)) ||
        (err = pg_exec(s, "ANALYZE import_in", "preparing an import")))
        return err;

    pgp_init(&p);
    pgp_int(&p, program_id);
    counts[1] = count_of(s, "SELECT count(*) FROM entry e JOIN import_in i ON "
                            "e.program_id = $1 AND e.receipt_no = i.receipt_no "
                            "WHERE e.status <> i.status OR e.skey <> i.skey", &p, &err);
    if (!err)
        counts[3] = count_of(s, "SELECT count(*) FROM entry e JOIN import_in i ON "
                                "e.program_id = $1 AND e.receipt_no = i.receipt_no "
                                "WHERE e.status = i.status AND e.skey = i.skey", &p, &err);
    pgp_init(&p);
    pgp_int(&p, program_id);
    pgp_text(&p, at);
    pgp_text(&p, actor);
    if (err ||
        (err = pg_do(s, "INSERT INTO entry_event(entry_id, program_id, at, actor, action, "
                        "from_status, to_status, reason) SELECT e.id, e.program_id, $2, $3, "
                        "'import', e.status, i.status, 'status in the bureau''s list' "
                        "FROM entry e JOIN import_in i ON e.program_id = $1 AND "
                        "e.receipt_no = i.receipt_no WHERE e.status <> i.status ORDER BY e.id",
                     &p, "recording status changes")) ||
        (err = pg_do(s, "INSERT INTO entry_event(entry_id, program_id, at, actor, action, "
                        "from_status, to_status, reason) SELECT e.id, e.program_id, $2, $3, "
                        "'import', e.status, 5, 'absent from import' FROM entry e WHERE "
                        "e.program_id = $1 AND e.status <> 5 AND NOT EXISTS (SELECT 1 FROM "
                        "import_in i WHERE i.receipt_no = e.receipt_no) ORDER BY e.id", &p,
                     "recording removals")))
        return err;

    pgp_init(&p);
    pgp_int(&p, program_id);
    pgp_int(&p, seq);
    if ((err = pg_do(s, "UPDATE entry e SET id_hash = i.id_hash, sealed = i.sealed, "
                        "household_size = i.household_size, hukou_district = i.hukou_district, "
                        "tier = i.tier, wait_since = i.wait_since, insured_since = i.insured_since, "
                        "hukou_since = i.hukou_since, lottery_no = i.lottery_no, status = i.status, "
                        "skey = i.skey, slot = i.slot, changed_seq = CASE WHEN e.status <> i.status "
                        "OR e.skey <> i.skey THEN $2::bigint ELSE e.changed_seq END "
                        "FROM import_in i WHERE e.program_id = $1 AND e.receipt_no = i.receipt_no",
                     &p, "updating entries")))
        return err;
    PGresult *r = pg_run(s, "UPDATE entry e SET status = 5, changed_seq = $2::bigint WHERE "
                            "e.program_id = $1 AND e.status <> 5 AND NOT EXISTS (SELECT 1 FROM "
                            "import_in i WHERE i.receipt_no = e.receipt_no)", &p,
                         "removing absent entries", &err);
    if (!r)
        return err;
    counts[2] = pg_changes(r);
    PQclear(r);
    pgp_init(&p);
    pgp_int(&p, program_id);
    r = pg_run(s, "INSERT INTO entry(" ROW_COLS ") SELECT " ROW_COLS " FROM import_in i WHERE "
                  "NOT EXISTS (SELECT 1 FROM entry e WHERE e.program_id = $1 AND "
                  "e.receipt_no = i.receipt_no) ORDER BY i.skey", &p, "adding entries", &err);
    if (!r)
        return err;
    counts[0] = pg_changes(r);
    PQclear(r);
    if ((err = pg_exec(s, "TRUNCATE import_in", "finishing an import")))
        return err;
    return rank_from_entries(s, program_id);
}

/* Rebuild a program's blocks and tree from its waiting entries (repair, or
 * when a split finds no free slot): renumber slots in queue order with one
 * window UPDATE, then recount. */
static int q_rebuild_rank(struct store *st, int program_id)
{
    struct pg_store *s = pgs(st);
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, program_id);
    int err;
    long long n_waiting = count_of(s, "SELECT count(*) FROM entry WHERE program_id = $1 AND "
                                      "status = 0", &p, &err);
    if (err)
        return err;
    pgp_int(&p, rank_slot_gap(n_waiting));
    pgp_int(&p, RANK_BLOCK_TARGET);
    if ((err = pg_do(s, "UPDATE entry e SET slot = v.slot FROM (SELECT id, "
                        "((row_number() OVER (ORDER BY skey) - 1) / $3::bigint + 1) * $2::bigint "
                        "AS slot FROM entry WHERE program_id = $1 AND status = 0) v "
                        "WHERE e.id = v.id AND e.slot <> v.slot", &p, "rebuilding ranks")))
        return err;
    return rank_from_entries(s, program_id);
}

static int q_count_waiting(struct store *st, int program_id, long long *n)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, program_id);
    int err;
    *n = count_of(pgs(st), "SELECT count(*) FROM entry WHERE program_id = $1 AND status = 0", &p,
                  &err);
    return err;
}

/* Recompute every entry's sort key under the program's (new) rule, then
 * rebuild its rank blocks: O(N), only when an administrator changes a rule.
 * Keys are computed here (queue_skey is the one definition of the order),
 * shipped back by COPY and applied with one UPDATE … FROM. */
static int rekey(struct pg_store *s, const struct program *pr)
{
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, pr->id);
    int err;
    long long seq = 0;
    if ((err = q_next_change_seq(&s->base, &seq)))
        return err;
    PGresult *r = pg_run(s, "SELECT id, receipt_no, tier, wait_since, insured_since, hukou_since, "
                            "lottery_no FROM entry WHERE program_id = $1", &p, "re-keying", &err);
    if (!r)
        return err;
    struct copy_buf c;
    if (!(err = pg_exec(s, "CREATE TEMP TABLE IF NOT EXISTS rekey_in (id bigint PRIMARY KEY, "
                           "skey bytea); TRUNCATE rekey_in", "re-keying")) &&
        !copy_begin(s, &c, "COPY rekey_in(id, skey) FROM STDIN")) {
        for (int i = 0; i < PQntuples(r) && !c.err; i++) {
            int64_t key[OK__COUNT];
            char receipt[40];
            pg_str(r, i, 1, receipt, sizeof receipt);
            for (int k = 0; k < OK__COUNT; k++)
                key[k] = pg_key(r, i, 2 + k);
            unsigned char k[QUEUE_SKEY_MAX];
            int n = queue_skey(pr, key, receipt, k);
            copy_int(&c, pg_int(r, i, 0));
            copy_sep(&c, '\t');
            copy_blob(&c, k, n);
            copy_sep(&c, '\n');
        }
        err = copy_end(&c);
    } else if (!err) {
        err = c.err;
        free(c.buf);
    }
    PQclear(r);
    pgp_int(&p, seq);
    if (err ||
        (err = pg_do(s, "UPDATE entry e SET skey = k.skey, changed_seq = $2::bigint FROM rekey_in k "
                        "WHERE e.id = k.id AND e.program_id = $1", &p, "re-keying entries")) ||
        (err = pg_exec(s, "TRUNCATE rekey_in", "re-keying")))
        return err;
    return q_rebuild_rank(&s->base, pr->id);
}

static int q_program_save(struct store *st, struct program *pr)
{
    struct pg_store *s = pgs(st);
    char rule[128];
    queue_rule_text(pr, rule, sizeof rule);
    struct pg_params p;
    int err;
    if (pr->id == 0) {
        pgp_init(&p);
        pgp_text(&p, pr->code);
        pgp_text(&p, pr->name_zh);
        pgp_text(&p, pr->name_en);
        pgp_text(&p, rule);
        pgp_int(&p, pr->refusal_limit);
        PGresult *r = pg_run(s, "INSERT INTO program(code, name_zh, name_en, rule, refusal_limit) "
                                "VALUES ($1, $2, $3, $4, $5) RETURNING id", &p, "adding a program",
                             &err);
        if (!r)
            return err == KERR_EXISTS ? kerr(KERR_EXISTS, "program %s already exists", pr->code)
                                      : err;
        pr->id = (int)pg_int(r, 0, 0);
        PQclear(r);
        return 0;
    }
    struct program old;
    if ((err = q_program_by_id(st, pr->id, &old)))
        return err;
    pgp_init(&p);
    pgp_int(&p, pr->id);
    pgp_text(&p, pr->name_zh);
    pgp_text(&p, pr->name_en);
    pgp_text(&p, rule);
    pgp_int(&p, pr->refusal_limit);
    if ((err = pg_do(s, "UPDATE program SET name_zh = $2, name_en = $3, rule = $4, "
                        "refusal_limit = $5 WHERE id = $1", &p, "saving a program")))
        return err;
    bool same_rule = old.n_rule == pr->n_rule &&
                     memcmp(old.rule, pr->rule, sizeof pr->rule[0] * (size_t)pr->n_rule) == 0;
    return same_rule ? 0 : rekey(s, pr);
}

const struct queue_store_ops pg_queue_ops = {
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
