/* store_pg_queue.c — what the housing queue does differently on
 * PostgreSQL.  The queue itself is the shared engine
 * (kiosk/store/queue_engine*.c, read its header comment); these are the
 * hooks of queue_engine.h where a round trip per statement (~30–60 µs over
 * loopback, more than SQLite's whole position look-up) would dominate:
 *   - a status change's rank work is ONE statement (block count and the
 *     Fenwick path in a data-modifying CTE) instead of two;
 *   - bulk writes (import, the rank tree after a rebuild, re-key) go
 *     through COPY and set-based UPDATE … FROM, never a statement per row.
 * Writers are serialised by store_pg.c's writer lock (see there), so the
 * read-then-adjust steps of block splits see a stable structure. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/queue.h"
#include "kiosk/store/queue_engine.h"
#include "kiosk/store/pg/store_pg.h"

/* "{1,2,3}": an int8[] parameter in text form. */
static void int_array(char *out, size_t cap, const long long *v, int n)
{
    size_t len = 0;
    out[len++] = '{';
    for (int i = 0; i < n && len + 24 < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%lld", i ? "," : "", v[i]);
    snprintf(out + len, cap - len, "}");
}

/* Change a block's count and the Fenwick path above its slot in ONE
 * statement (a data-modifying CTE): a status change is then one round trip
 * of rank work. */
static int pg_block_add(struct store *st, int program_id, long long slot, long long delta,
                        long long delta_new, long long *n_after)
{
    struct pg_store *s = pgs(st);
    long long nodes[RANK_FEN_BITS + 1];
    char arr[RANK_FEN_BITS * 12 + 8];
    int_array(arr, sizeof arr, nodes, rank_up_path(slot, nodes));
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, program_id);
    pgp_int(&p, slot);
    pgp_int(&p, delta);
    pgp_text(&p, arr);
    pgp_int(&p, delta_new);
    int err;
    PGresult *r = pg_run(s,
        "WITH b AS (UPDATE rank_block SET n = n + $3::bigint, n_new = n_new + $5::bigint "
        "           WHERE program_id = $1 AND slot = $2 RETURNING n), "
        "t AS (INSERT INTO rank_tree(program_id, node, sum, sum_new) "
        "      SELECT $1::integer, unnest($4::bigint[]), $3::bigint, $5::bigint "
        "      WHERE EXISTS (SELECT 1 FROM b) AND ($3::bigint <> 0 OR $5::bigint <> 0) "
        "      ON CONFLICT (program_id, node) DO UPDATE SET sum = rank_tree.sum + excluded.sum, "
        "      sum_new = rank_tree.sum_new + excluded.sum_new) "
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

/* ---- the hooks ------------------------------------------------------------ */

static int pg_tree_insert(struct store *st, int program_id, const struct rank_node_sum *d,
                          long long nd)
{
    struct copy_buf c;
    if (!copy_begin(pgs(st), &c, "COPY rank_tree(program_id, node, sum, sum_new) FROM STDIN")) {
        for (long long i = 0; i < nd && !c.err; i++) {
            copy_int(&c, program_id);
            copy_sep(&c, '\t');
            copy_int(&c, d[i].node);
            copy_sep(&c, '\t');
            copy_int(&c, d[i].sum);
            copy_sep(&c, '\t');
            copy_int(&c, d[i].sum_new);
            copy_sep(&c, '\n');
        }
    }
    return c.buf ? copy_end(&c) : c.err;
}

/* New keys shipped by COPY and applied with one UPDATE … FROM. */
static int pg_set_skeys(struct store *st, int program_id, const long long *ids,
                        const unsigned char *keys, const int *lens, long long n, long long seq)
{
    struct pg_store *s = pgs(st);
    struct copy_buf c;
    int err;
    if ((err = pg_exec(s, "CREATE TEMP TABLE IF NOT EXISTS rekey_in (id bigint PRIMARY KEY, "
                          "skey bytea); TRUNCATE rekey_in", "re-keying")))
        return err;
    if (!copy_begin(s, &c, "COPY rekey_in(id, skey) FROM STDIN")) {
        for (long long i = 0; i < n && !c.err; i++) {
            copy_int(&c, ids[i]);
            copy_sep(&c, '\t');
            copy_blob(&c, keys + i * QUEUE_SKEY_MAX, lens[i]);
            copy_sep(&c, '\n');
        }
    }
    if ((err = c.buf ? copy_end(&c) : c.err))
        return err;
    struct pg_params p;
    pgp_init(&p);
    pgp_int(&p, program_id);
    pgp_int(&p, seq);
    if ((err = pg_do(s, "UPDATE entry e SET skey = k.skey, changed_seq = $2::bigint FROM rekey_in k "
                        "WHERE e.id = k.id AND e.program_id = $1", &p, "re-keying entries")))
        return err;
    return pg_exec(s, "TRUNCATE rekey_in", "re-keying");
}

static void copy_row(struct copy_buf *c, int program_id, const struct bulk_row *r, long long seq,
                     bool no_pub)
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
    copy_sep(c, '\t');
    copy_blob(c, r->mac, sizeof r->mac);
    copy_sep(c, '\t');
    if (r->name_hash)
        copy_blob(c, r->name_hash, 32);
    else
        copy_key(c, NONE_I64);   /* \\N: NULL */
    if (no_pub) {
        copy_sep(c, '\t');
        copy_int(c, -1);
    }
    copy_sep(c, '\n');
}

#define ROW_COLS "program_id, receipt_no, id_hash, sealed, household_size, hukou_district, " \
                 "tier, wait_since, insured_since, hukou_since, lottery_no, status, skey, slot, " \
                 "changed_seq, rowmac, name_hash"

/* no_pub: the rows get pub_pos = -1 (a new list: see queue_engine_load_rows) */
static int copy_rows(struct pg_store *s, const char *sql, int program_id, const struct bulk_row *rows,
                     long long n, long long seq, bool no_pub)
{
    struct copy_buf c;
    if (!copy_begin(s, &c, sql))
        for (long long i = 0; i < n && !c.err; i++)
            copy_row(&c, program_id, &rows[i], seq, no_pub);
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
 * counts as the engine's row-by-row queue_engine_load_rows, without a round
 * trip per row. */
static int pg_bulk_load(struct store *st, int program_id, const struct bulk_row *rows, long long n,
                        long long seq, long long existing, const char *at, const char *actor,
                        long long counts[4])
{
    struct pg_store *s = pgs(st);
    struct pg_params p;
    int err;
    if (existing == 0) {
        if ((err = copy_rows(s, "COPY entry(" ROW_COLS ", pub_pos) FROM STDIN", program_id, rows, n, seq,
                             true)))
            return err;
        counts[0] = n;
        return 0;
    }

    if ((err = pg_exec(s, "CREATE TEMP TABLE IF NOT EXISTS import_in ("
                          "program_id integer, receipt_no text COLLATE \"C\" PRIMARY KEY, "
                          "id_hash bytea, sealed bytea, household_size integer, "
                          "hukou_district text, tier bigint, wait_since bigint, "
                          "insured_since bigint, hukou_since bigint, lottery_no bigint, "
                          "status integer, skey bytea, slot bigint, changed_seq bigint, rowmac bytea, "
                          "name_hash bytea); "
                          "TRUNCATE import_in", "preparing an import")) ||
        (err = copy_rows(s, "COPY import_in(" ROW_COLS ") FROM STDIN", program_id, rows, n, seq, false)) ||
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
                        "skey = i.skey, slot = i.slot, name_hash = i.name_hash, "
                        "changed_seq = CASE WHEN e.status <> i.status "
                        "OR e.skey <> i.skey THEN $2::bigint ELSE e.changed_seq END, "
                        /* a status the bureau's file changed: since when is not known */
                        "status_at = CASE WHEN e.status <> i.status THEN '' ELSE e.status_at END, "
                        /* the seal assumes no refusals: others are sealed after (row_seal_fill) */
                        "rowmac = CASE WHEN e.refusals = 0 THEN i.rowmac ELSE NULL END "
                        "FROM import_in i WHERE e.program_id = $1 AND e.receipt_no = i.receipt_no",
                     &p, "updating entries")))
        return err;
    PGresult *r = pg_run(s, "UPDATE entry e SET status = 5, changed_seq = $2::bigint, rowmac = NULL WHERE "
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
    return 0;
}

const struct queue_backend pg_queue_backend = {
    .bulk_load = pg_bulk_load,
    .tree_insert = pg_tree_insert,
    .set_skeys = pg_set_skeys,
    .block_add = pg_block_add,
};
