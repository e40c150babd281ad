/* queue_engine_bulk.c — the queue engine's O(N) work: replacing a
 * program's list (import), rebuilding its rank structure from the entries,
 * re-keying after a rule change, saving programs.  Written once over the
 * SQL executor; the per-row loops here are what SQLite runs, and
 * PostgreSQL replaces them with COPY and set-based statements through the
 * hooks of queue_engine.h. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/queue.h"
#include "kiosk/store/queue_engine.h"
#include "kiosk/store/row_seal.h"

#define REKEY_PAGE 4096

/* ---- rank structure from the entries' slots --------------------------------- */

static int tree_insert_rows(struct store *st, int program_id, const struct rank_node_sum *nodes,
                            long long n)
{
    const struct sql_exec_ops *x = sql_of(st);
    int err = 0;
    for (long long i = 0; i < n && !err; i++) {
        struct sql_stmt *q = x->prepare(st, "INSERT INTO rank_tree(program_id, node, sum, sum_new) "
                                            "VALUES ($1, $2, $3, $4)");
        if (!q)
            return KERR_DB;
        x->bind_int64(q, 1, program_id);
        x->bind_int64(q, 2, nodes[i].node);
        x->bind_int64(q, 3, nodes[i].sum);
        x->bind_int64(q, 4, nodes[i].sum_new);
        err = sql_done(x, q, "writing the rank tree");
    }
    return err;
}

static int by_program(struct store *st, const char *sql, int program_id, const char *what)
{
    const struct sql_exec_ops *x = sql_of(st);
    struct sql_stmt *q = x->prepare(st, sql);
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    return sql_done(x, q, what);
}

/* Rebuild rank_block and rank_tree of a program from its entries' slots:
 * one block per distinct slot of the waiting entries (the first starts at
 * the empty key, so every key has a block; lo_key otherwise = the block's
 * smallest key, one index probe per block, as PostgreSQL has no
 * min(bytea)), the tree from the block counts. */
int qe_rank_from_entries(struct store *st, int program_id)
{
    const struct sql_exec_ops *x = sql_of(st);
    int err;
    if ((err = by_program(st, "DELETE FROM rank_block WHERE program_id = $1", program_id,
                          "clearing rank blocks")) ||
        (err = by_program(st, "DELETE FROM rank_tree WHERE program_id = $1", program_id,
                          "clearing the rank tree")))
        return err;
    struct sql_stmt *q = x->prepare(st,
        "INSERT INTO rank_block(program_id, slot, lo_key, n, n_new) "
        "SELECT $1::integer, g.slot, CASE WHEN row_number() OVER (ORDER BY g.slot) = 1 "
        "THEN $2::bytea ELSE (SELECT e.skey FROM entry e WHERE e.program_id = $1 "
        "AND e.slot = g.slot AND e.status = 0 ORDER BY e.skey LIMIT 1) END, g.n, "
        "COALESCE(h.n, 0) "
        "FROM (SELECT slot, count(*) AS n FROM entry WHERE program_id = $1 AND status = 0 "
        "GROUP BY slot) AS g "
        /* the second weight over the small partial index entry_new */
        "LEFT JOIN (SELECT slot, count(*) AS n FROM entry WHERE program_id = $1 AND status = 0 "
        "AND pub_pos = 0 GROUP BY slot) AS h ON h.slot = g.slot");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    x->bind_blob(q, 2, "", 0);
    if ((err = sql_done(x, q, "writing rank blocks")))
        return err;

    q = x->prepare(st, "SELECT slot, n, n_new FROM rank_block WHERE program_id = $1 ORDER BY slot");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    long long *slots = NULL, *counts = NULL, *news = NULL, nb = 0, cap = 0;
    int rc;
    while ((rc = x->step(q, "reading rank blocks")) == SQL_ROW) {
        if (nb == cap) {
            cap = cap ? cap * 2 : 1024;
            long long *a = realloc(slots, sizeof *a * (size_t)cap);
            if (a)
                slots = a;
            long long *b = a ? realloc(counts, sizeof *b * (size_t)cap) : NULL;
            if (b)
                counts = b;
            long long *c = b ? realloc(news, sizeof *c * (size_t)cap) : NULL;
            if (c)
                news = c;
            if (!a || !b || !c) {
                rc = KERR_NOMEM;
                break;
            }
        }
        slots[nb] = x->col_int64(q, 0);
        counts[nb] = x->col_int64(q, 1);
        news[nb++] = x->col_int64(q, 2);
    }
    x->reset(q);
    struct rank_node_sum *nodes = NULL, *nodes_new = NULL;
    long long n_nodes = 0;
    err = rc < 0 ? rc : 0;
    /* the same slots give the same nodes: the second weight rides along */
    if (!err && nb && ((n_nodes = rank_tree_nodes(slots, counts, nb, &nodes)) < 0 ||
                       rank_tree_nodes(slots, news, nb, &nodes_new) != n_nodes))
        err = KERR_NOMEM;
    for (long long i = 0; !err && i < n_nodes; i++)
        nodes[i].sum_new = nodes_new[i].sum;
    free(nodes_new);
    free(slots);
    free(counts);
    free(news);
    if (!err && n_nodes > 0) {
        const struct queue_backend *b = qe_backend(st);
        err = b && b->tree_insert ? b->tree_insert(st, program_id, nodes, n_nodes)
                                  : tree_insert_rows(st, program_id, nodes, n_nodes);
    }
    free(nodes);
    return err;
}

/* Rebuild a program's blocks and tree from its waiting entries (repair,
 * or when a split finds no free slot): renumber slots in queue order with
 * one window UPDATE (the same slots as rank_assign_slots), then recount. */
int qe_rebuild_rank(struct store *st, int program_id)
{
    const struct sql_exec_ops *x = sql_of(st);
    struct sql_stmt *q = x->prepare(st, "SELECT count(*) FROM entry WHERE program_id = $1 AND "
                                        "status = 0");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    long long n_waiting;
    int err = sql_int(x, q, 0, &n_waiting, "rebuilding ranks");
    if (err)
        return err;
    q = x->prepare(st, "UPDATE entry SET slot = v.slot FROM (SELECT id, "
                       "((row_number() OVER (ORDER BY skey) - 1) / $3::bigint + 1) * $2::bigint "
                       "AS slot FROM entry WHERE program_id = $1 AND status = 0) AS v "
                       "WHERE entry.id = v.id AND entry.slot <> v.slot");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    x->bind_int64(q, 2, rank_slot_gap(n_waiting));
    x->bind_int64(q, 3, RANK_BLOCK_TARGET);
    if ((err = sql_done(x, q, "rebuilding ranks")))
        return err;
    return qe_rank_from_entries(st, program_id);
}

/* ---- bulk replace (import) -------------------------------------------------- */

/* No RETURNING id: on SQLite 3.40 it made each insert ~70 µs slower
 * (100k-row import 1.3 s → 9 s); the id is read back by receipt instead. */
static const char SQL_INSERT_ROW[] =
    "INSERT INTO entry(program_id, receipt_no, id_hash, sealed, household_size, hukou_district, "
    "tier, wait_since, insured_since, hukou_since, lottery_no, status, skey, slot, changed_seq, "
    "rowmac, pub_pos, name_hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,"
    "$17,$18)";

/* The person index's hash of a row (NULL: person_index_sync fills it later). */
static void bind_name_hash(const struct sql_exec_ops *x, struct sql_stmt *q, int i,
                           const struct bulk_row *r)
{
    if (r->name_hash)
        x->bind_blob(q, i, r->name_hash, 32);
    else
        x->bind_null(q, i);
}

static void bind_row(const struct sql_exec_ops *x, struct sql_stmt *q, int program_id,
                     const struct bulk_row *r, long long seq)
{
    x->bind_int64(q, 1, program_id);
    x->bind_text(q, 2, r->receipt_no);
    x->bind_blob(q, 3, r->id_hash, 32);
    x->bind_blob(q, 4, r->sealed, r->sealed_len);
    x->bind_int64(q, 5, r->household_size);
    x->bind_text(q, 6, r->hukou_district ? r->hukou_district : "");
    for (int k = 0; k < OK__COUNT; k++)
        sql_bind_key(x, q, 7 + k, k == OK_TIER && r->key[k] == NONE_I64 ? 0 : r->key[k]);
    x->bind_int64(q, 12, r->status);
    x->bind_blob(q, 13, r->skey, r->skey_len);
    x->bind_int64(q, 14, r->slot);
    x->bind_int64(q, 15, seq);
    x->bind_blob(q, 16, r->mac, sizeof r->mac);
}

/* Insert one row; *id (when not NULL) = its new id.  A row of a re-import
 * (id wanted) is new since any publication: pub_pos 0.  A row of a new list
 * gets pub_pos -1, "no publication to be new against": it is then neither
 * in the breakdown's second weight nor in the partial index entry_new
 * (which would otherwise hold the whole list and slow the import ~2×);
 * the first publication sets every entry's pub_pos. */
static int insert_row(struct store *st, int program_id, const struct bulk_row *r, long long seq,
                      long long *id)
{
    const struct sql_exec_ops *x = sql_of(st);
    struct sql_stmt *q = x->prepare(st, SQL_INSERT_ROW);
    if (!q)
        return KERR_DB;
    bind_row(x, q, program_id, r, seq);
    x->bind_int64(q, 17, id ? 0 : -1);
    bind_name_hash(x, q, 18, r);
    int err = sql_done(x, q, "inserting an entry");
    if (err || !id)
        return err;
    q = x->prepare(st, "SELECT id FROM entry WHERE program_id = $1 AND receipt_no = $2");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    x->bind_text(q, 2, r->receipt_no);
    return sql_int(x, q, 0, id, "inserting an entry");
}

/* One known receipt of a re-import: update it, remember it was seen, and
 * record a status change.  *changed: its status or key changed. */
static int merge_row(struct store *st, int program_id, const struct bulk_row *r, long long seq,
                     long long id, int old_status, struct entry_event *ev)
{
    const struct sql_exec_ops *x = sql_of(st);
    struct sql_stmt *q = x->prepare(st,
        "UPDATE entry SET id_hash = $3, sealed = $4, household_size = $5, hukou_district = $6, "
        "tier = $7, wait_since = $8, insured_since = $9, hukou_since = $10, lottery_no = $11, "
        "status = $12, skey = $13, slot = $14, name_hash = $17, "
        "changed_seq = CASE WHEN status <> $12 OR skey <> $13 THEN $15 ELSE changed_seq END, "
        /* a status the bureau's file changed: since when is not known */
        "status_at = CASE WHEN status <> $12 THEN '' ELSE status_at END, "
        /* the seal assumes no refusals; a row with some is sealed after (row_seal_fill) */
        "rowmac = CASE WHEN refusals = 0 THEN $16 ELSE NULL END "
        "WHERE program_id = $1 AND receipt_no = $2");
    if (!q)
        return KERR_DB;
    bind_row(x, q, program_id, r, seq);
    bind_name_hash(x, q, 17, r);
    int err = sql_done(x, q, "updating an entry");
    if (err)
        return err;
    q = x->prepare(st, "INSERT INTO import_seen(id) VALUES ($1)");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, id);
    if ((err = sql_done(x, q, "importing")))
        return err;
    if (old_status == r->status)
        return 0;
    ev->entry_id = id;
    ev->from_status = old_status;
    ev->to_status = r->status;
    snprintf(ev->reason, sizeof ev->reason, "status in the bureau's list");
    return qe_event_add(st, ev);
}

int queue_engine_load_rows(struct store *st, int program_id, const struct bulk_row *rows,
                           long long n, long long seq, long long existing, const char *at,
                           const char *actor, long long counts[4])
{
    const struct sql_exec_ops *x = sql_of(st);
    int err = 0;
    long long id;
    if (existing == 0) {
        /* fast path: a new list */
        for (long long i = 0; i < n && !err; i++) {
            err = insert_row(st, program_id, &rows[i], seq, NULL);
        }
        counts[0] = n;
        return err;
    }

    /* re-import: update known receipts, add new ones, remove absent ones */
    if ((err = x->exec(st, "CREATE TEMP TABLE IF NOT EXISTS import_seen(id INTEGER PRIMARY KEY); "
                           "DELETE FROM import_seen", "preparing an import")))
        return err;
    struct entry_event ev = {.program_id = program_id};
    snprintf(ev.at, sizeof ev.at, "%s", at);
    snprintf(ev.actor, sizeof ev.actor, "%s", actor);
    snprintf(ev.action, sizeof ev.action, "import");
    for (long long i = 0; i < n && !err; i++) {
        struct sql_stmt *q = x->prepare(st, "SELECT id, status, skey FROM entry WHERE "
                                            "program_id = $1 AND receipt_no = $2");
        if (!q)
            return KERR_DB;
        x->bind_int64(q, 1, program_id);
        x->bind_text(q, 2, rows[i].receipt_no);
        int rc = x->step(q, "importing");
        if (rc == SQL_ROW) {
            id = x->col_int64(q, 0);
            int old_status = (int)x->col_int64(q, 1);
            unsigned char k[QUEUE_SKEY_MAX];
            int klen = x->col_blob(q, 2, k, sizeof k);
            x->reset(q);
            bool same_key = klen == rows[i].skey_len && !memcmp(k, rows[i].skey, (size_t)klen);
            err = merge_row(st, program_id, &rows[i], seq, id, old_status, &ev);
            counts[old_status != rows[i].status || !same_key ? 1 : 3]++;
        } else if (rc == SQL_DONE) {
            x->reset(q);
            if (!(err = insert_row(st, program_id, &rows[i], seq, &id)) &&
                (q = x->prepare(st, "INSERT INTO import_seen(id) VALUES ($1)"))) {
                x->bind_int64(q, 1, id);
                err = sql_done(x, q, "importing");
            } else if (!err) {
                err = KERR_DB;
            }
            counts[0]++;
        } else {
            x->reset(q);
            err = rc;
        }
    }
    if (err)
        return err;
    /* absent from the file → removed, with an event each */
    struct sql_stmt *q = x->prepare(st,
        "INSERT INTO entry_event(entry_id, program_id, at, actor, action, from_status, to_status, "
        "reason) SELECT id, program_id, $2, $3, 'import', status, 5, 'absent from import' "
        "FROM entry WHERE program_id = $1 AND status <> 5 AND id NOT IN (SELECT id FROM import_seen)");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    x->bind_text(q, 2, at);
    x->bind_text(q, 3, actor);
    if ((err = sql_done(x, q, "recording removals")))
        return err;
    q = x->prepare(st, "UPDATE entry SET status = 5, changed_seq = $2, rowmac = NULL "
                       "WHERE program_id = $1 AND status <> 5 AND id NOT IN (SELECT id FROM "
                       "import_seen)");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    x->bind_int64(q, 2, seq);
    int rc = x->step(q, "removing absent entries");
    counts[2] = rc == SQL_DONE ? x->changes(q) : 0;
    x->reset(q);
    return rc < 0 ? rc : 0;
}

int qe_bulk_replace(struct store *st, int program_id, struct bulk_row *rows, long long n,
                    const char *at, const char *actor, long long counts[4])
{
    const struct sql_exec_ops *x = sql_of(st);
    long long seq, n_waiting = 0, existing;
    int err;
    memset(counts, 0, 4 * sizeof counts[0]);
    if ((err = qe_next_change_seq(st, program_id, &seq)))
        return err;
    for (long long i = 0; i < n; i++) {
        n_waiting += rows[i].status == ST_WAITING;
        row_seal_bulk_entry(program_id, &rows[i], rows[i].mac);
    }
    rank_assign_slots(rows, n, n_waiting);
    struct sql_stmt *q = x->prepare(st, "SELECT count(*) FROM entry WHERE program_id = $1");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    if ((err = sql_int(x, q, 0, &existing, "importing")))
        return err;
    const struct queue_backend *b = qe_backend(st);
    err = (b && b->bulk_load ? b->bulk_load : queue_engine_load_rows)(
        st, program_id, rows, n, seq, existing, at, actor, counts);
    long long resealed;
    /* rows the set-based statements changed (removed; merged with refusals) */
    if (err || (err = row_seal_fill(st, ROW_ENTRY, program_id, &resealed)) ||
        (err = qe_rank_from_entries(st, program_id)))
        return err;
    return existing ? qe_pub_tree_rebuild(st, program_id) : 0;
}

/* ---- programs and re-keying --------------------------------------------------- */

static int set_skeys_rows(struct store *st, int program_id, const long long *ids,
                          const unsigned char *keys, const int *lens, long long n, long long seq)
{
    const struct sql_exec_ops *x = sql_of(st);
    int err = 0;
    for (long long i = 0; i < n && !err; i++) {
        struct sql_stmt *q = x->prepare(st, "UPDATE entry SET skey = $2, changed_seq = $3 "
                                            "WHERE id = $1");
        if (!q)
            return KERR_DB;
        x->bind_int64(q, 1, ids[i]);
        x->bind_blob(q, 2, keys + i * QUEUE_SKEY_MAX, lens[i]);
        x->bind_int64(q, 3, seq);
        err = sql_done(x, q, "re-keying an entry");
    }
    return err;
}

/* Recompute every entry's sort key under the program's (new) rule (keys
 * are computed here: queue_skey is the one definition of the order), a
 * page of entries at a time, then rebuild its rank blocks: O(N), only when
 * an administrator changes a rule. */
static int rekey(struct store *st, const struct program *p)
{
    const struct sql_exec_ops *x = sql_of(st);
    const struct queue_backend *b = qe_backend(st);
    long long seq, after = -1;
    int err = qe_next_change_seq(st, p->id, &seq);
    long long *ids = malloc(sizeof *ids * REKEY_PAGE);
    int *lens = malloc(sizeof *lens * REKEY_PAGE);
    unsigned char *keys = malloc((size_t)REKEY_PAGE * QUEUE_SKEY_MAX);
    if (!err && (!ids || !lens || !keys))
        err = KERR_NOMEM;
    while (!err) {
        struct sql_stmt *q = x->prepare(st, "SELECT id, receipt_no, tier, wait_since, "
                                            "insured_since, hukou_since, lottery_no FROM entry "
                                            "WHERE program_id = $1 AND id > $2 ORDER BY id LIMIT $3");
        if (!q) {
            err = KERR_DB;
            break;
        }
        x->bind_int64(q, 1, p->id);
        x->bind_int64(q, 2, after);
        x->bind_int64(q, 3, REKEY_PAGE);
        long long n = 0;
        int rc;
        while ((rc = x->step(q, "re-keying")) == SQL_ROW) {
            int64_t key[OK__COUNT];
            char receipt[40];
            ids[n] = x->col_int64(q, 0);
            x->col_text(q, 1, receipt, sizeof receipt);
            for (int k = 0; k < OK__COUNT; k++)
                key[k] = sql_col_key(x, q, 2 + k);
            lens[n] = queue_skey(p, key, receipt, keys + n * QUEUE_SKEY_MAX);
            n++;
        }
        x->reset(q);
        if (rc < 0)
            err = rc;
        else if (n > 0)
            err = (b && b->set_skeys ? b->set_skeys : set_skeys_rows)(st, p->id, ids, keys, lens,
                                                                       n, seq);
        if (err || n < REKEY_PAGE)
            break;
        after = ids[n - 1];
    }
    free(ids);
    free(lens);
    free(keys);
    return err ? err : qe_rebuild_rank(st, p->id);
}

int qe_program_save(struct store *st, struct program *p)
{
    const struct sql_exec_ops *x = sql_of(st);
    char rule[128];
    queue_rule_text(p, rule, sizeof rule);
    int err;
    if (p->id == 0) {
        struct sql_stmt *q = x->prepare(st, "INSERT INTO program(code, name_zh, name_en, rule, "
                                            "refusal_limit) VALUES ($1, $2, $3, $4, $5) RETURNING id");
        if (!q)
            return KERR_DB;
        x->bind_text(q, 1, p->code);
        x->bind_text(q, 2, p->name_zh);
        x->bind_text(q, 3, p->name_en);
        x->bind_text(q, 4, rule);
        x->bind_int64(q, 5, p->refusal_limit);
        long long id;
        err = sql_int(x, q, 0, &id, "adding a program");
        if (err)
            return err == KERR_EXISTS ? kerr(KERR_EXISTS, "program %s already exists", p->code) : err;
        p->id = (int)id;
        return 0;
    }
    struct program old;
    if ((err = qe_program_by_id(st, p->id, &old)))
        return err;
    struct sql_stmt *q = x->prepare(st, "UPDATE program SET name_zh = $2, name_en = $3, rule = $4, "
                                        "refusal_limit = $5 WHERE id = $1");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, p->id);
    x->bind_text(q, 2, p->name_zh);
    x->bind_text(q, 3, p->name_en);
    x->bind_text(q, 4, rule);
    x->bind_int64(q, 5, p->refusal_limit);
    if ((err = sql_done(x, q, "saving a program")))
        return err;
    bool same_rule = old.n_rule == p->n_rule &&
                     memcmp(old.rule, p->rule, sizeof p->rule[0] * (size_t)p->n_rule) == 0;
    return same_rule ? 0 : rekey(st, p);
}
