/* queue_engine_breakdown.c — "since the published list: N housed, M left,
 * K entered ahead…" for one waiting entry in O(log n), whatever happened
 * since the publication.
 *
 * Before, every look-up walked every entry changed since the publication
 * (0.3–0.6 s at 1M after a 10%-changed re-import).  Now three structures,
 * maintained in the same transaction as every change, answer it:
 *   entry.pub_pos   the entry's position on the program's latest published
 *                   list (0: not on it; -1: never published, a new list);
 *   pub_tree        per program, a Fenwick tree over published positions
 *                   with three counts per node: entries of the list that
 *                   are now offered/housed, withdrawn/removed, frozen (an
 *                   entry at published position p that changes category
 *                   moves its 1 at p from one count to the other; back to
 *                   waiting removes it) → "left ahead of me, by cause" =
 *                   prefix sums at p_then − 1;
 *   rank_block.n_new, rank_tree.sum_new
 *                   a second weight of the rank structure: waiting entries
 *                   NOT on the list (new or reinstated) → "new ahead of me"
 *                   = the same prefix + in-block count as a position, over
 *                   the small partial index entry_new.
 * What remains is re-ordering among the entries of the list (their keys
 * changed): queue.c takes it from the invariant
 *   position_now = position_then − left + entered,
 * as a net count (entered ahead when positive, moved behind when negative).
 * A publication resets all three. */
#include <stdlib.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/queue.h"
#include "kiosk/store/queue_engine.h"

enum { CAT_NONE = -1, CAT_HOUSED, CAT_WITHDRAWN, CAT_FROZEN, CAT__COUNT };

static int category(int status)
{
    switch (status) {
    case ST_OFFERED: case ST_HOUSED: return CAT_HOUSED;
    case ST_WITHDRAWN: case ST_REMOVED: return CAT_WITHDRAWN;
    case ST_FROZEN: return CAT_FROZEN;
    default: return CAT_NONE;
    }
}

/* Add d[cat] at published position pos: one upsert over the ≤ 25 nodes. */
static int pub_add(struct store *st, int program_id, long long pos, const long long d[CAT__COUNT])
{
    const struct sql_exec_ops *x = sql_of(st);
    struct sql_stmt *q = x->prepare(st,
        "INSERT INTO pub_tree(program_id, node, housed, withdrawn, frozen) "
        "SELECT $1::integer, column1, $2::bigint, $3::bigint, $4::bigint FROM "
        "(VALUES ($5::bigint),($6::bigint),($7::bigint),($8::bigint),($9::bigint),($10::bigint),"
        "($11::bigint),($12::bigint),($13::bigint),($14::bigint),($15::bigint),($16::bigint),"
        "($17::bigint),($18::bigint),($19::bigint),($20::bigint),($21::bigint),($22::bigint),"
        "($23::bigint),($24::bigint),($25::bigint),($26::bigint),($27::bigint),($28::bigint),"
        "($29::bigint)) AS v WHERE column1 > 0 "
        "ON CONFLICT (program_id, node) DO UPDATE SET housed = pub_tree.housed + excluded.housed, "
        "withdrawn = pub_tree.withdrawn + excluded.withdrawn, "
        "frozen = pub_tree.frozen + excluded.frozen");
    if (!q)
        return KERR_DB;
    long long path[RANK_FEN_BITS + 1];
    int np = rank_up_path(pos, path);
    x->bind_int64(q, 1, program_id);
    for (int c = 0; c < CAT__COUNT; c++)
        x->bind_int64(q, 2 + c, d[c]);
    for (int k = 0; k < RANK_FEN_BITS + 1; k++)
        x->bind_int64(q, 5 + k, k < np ? path[k] : 0);
    return sql_done(x, q, "updating the publication tree");
}

int qe_pub_move(struct store *st, int program_id, long long pub_pos, int from, int to)
{
    int a = category(from), b = category(to);
    if (a == b)
        return 0;
    long long d[CAT__COUNT] = {0};
    if (a != CAT_NONE)
        d[a] = -1;
    if (b != CAT_NONE)
        d[b] = 1;
    return pub_add(st, program_id, pub_pos, d);
}

static int by_id(struct store *st, const char *sql, long long id, const char *what)
{
    const struct sql_exec_ops *x = sql_of(st);
    struct sql_stmt *q = x->prepare(st, sql);
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, id);
    return sql_done(x, q, what);
}

/* After a publication: every waiting entry is on the list, nothing has
 * left it. */
int qe_pub_reset(struct store *st, int program_id, long long pub_id)
{
    int err;
    if ((err = by_id(st, "UPDATE entry SET pub_pos = 0 WHERE program_id = $1 AND pub_pos <> 0",
                     program_id, "publishing")) ||
        (err = by_id(st, "UPDATE entry SET pub_pos = pp.position FROM published_position AS pp "
                         "WHERE pp.publication_id = $1 AND pp.entry_id = entry.id",
                     pub_id, "publishing")) ||
        (err = by_id(st, "DELETE FROM pub_tree WHERE program_id = $1", program_id, "publishing")) ||
        (err = by_id(st, "UPDATE rank_block SET n_new = 0 WHERE program_id = $1 AND n_new <> 0",
                     program_id, "publishing")))
        return err;
    return by_id(st, "UPDATE rank_tree SET sum_new = 0 WHERE program_id = $1 AND sum_new <> 0",
                 program_id, "publishing");
}

/* Rebuild a program's pub_tree from its entries (after an import, or the
 * upgrade): a dense Fenwick build over positions 1…max(pub_pos), O(N);
 * nodes above the last published position are never read. */
int qe_pub_tree_rebuild(struct store *st, int program_id)
{
    const struct sql_exec_ops *x = sql_of(st);
    int err = by_id(st, "DELETE FROM pub_tree WHERE program_id = $1", program_id, "publishing");
    if (err)
        return err;
    struct sql_stmt *q = x->prepare(st, "SELECT COALESCE(max(pub_pos), 0) FROM entry WHERE "
                                        "program_id = $1");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, program_id);
    long long top;
    if ((err = sql_int(x, q, 0, &top, "rebuilding the publication tree")) || top == 0)
        return err;
    long long (*t)[CAT__COUNT] = calloc((size_t)top + 1, sizeof *t);
    if (!t)
        return KERR_NOMEM;
    q = x->prepare(st, "SELECT pub_pos, status FROM entry WHERE program_id = $1 AND pub_pos > 0 "
                       "AND status <> 0");
    if (!q) {
        free(t);
        return KERR_DB;
    }
    x->bind_int64(q, 1, program_id);
    int rc;
    while ((rc = x->step(q, "rebuilding the publication tree")) == SQL_ROW) {
        long long p = x->col_int64(q, 0);
        int c = category((int)x->col_int64(q, 1));
        if (p >= 1 && p <= top && c != CAT_NONE)
            t[p][c]++;
    }
    x->reset(q);
    err = rc < 0 ? rc : 0;
    for (long long i = 1; i <= top; i++) {      /* in place: values → node sums */
        long long j = i + (i & -i);
        if (j <= top)
            for (int c = 0; c < CAT__COUNT; c++)
                t[j][c] += t[i][c];
    }
    for (long long i = 1; i <= top && !err; i++) {
        if (!t[i][0] && !t[i][1] && !t[i][2])
            continue;
        q = x->prepare(st, "INSERT INTO pub_tree(program_id, node, housed, withdrawn, frozen) "
                           "VALUES ($1, $2, $3, $4, $5)");
        if (!q) {
            err = KERR_DB;
            break;
        }
        x->bind_int64(q, 1, program_id);
        x->bind_int64(q, 2, i);
        for (int c = 0; c < CAT__COUNT; c++)
            x->bind_int64(q, 3 + c, t[i][c]);
        err = sql_done(x, q, "rebuilding the publication tree");
    }
    free(t);
    return err;
}

int qe_breakdown(struct store *st, const struct entry_row *e, long long position_then,
                 struct change_counts *out)
{
    const struct sql_exec_ops *x = sql_of(st);
    memset(out, 0, sizeof *out);
    if (e->status != ST_WAITING)
        return kerr(KERR_NOTFOUND, "entry %s is not waiting", e->receipt_no);
    long long path[RANK_FEN_BITS + 1];
    int np, rc;
    struct sql_stmt *q;
    if (position_then > 1) {
        q = x->prepare(st, "SELECT CAST(COALESCE(sum(housed), 0) AS bigint), "
                           "CAST(COALESCE(sum(withdrawn), 0) AS bigint), "
                           "CAST(COALESCE(sum(frozen), 0) AS bigint) FROM pub_tree "
                           "WHERE program_id = $1 AND node IN ($2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,"
                           "$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26)");
        if (!q)
            return KERR_DB;
        np = rank_down_path(position_then - 1, path);
        x->bind_int64(q, 1, e->program_id);
        for (int k = 0; k < RANK_FEN_BITS + 1; k++)
            x->bind_int64(q, 2 + k, k < np ? path[k] : 0);
        if ((rc = x->step(q, "reading the publication tree")) == SQL_ROW) {
            out->left_housed = x->col_int64(q, 0);
            out->left_withdrawn = x->col_int64(q, 1);
            out->left_frozen = x->col_int64(q, 2);
        }
        x->reset(q);
        if (rc < 0)
            return rc;
    }
    q = x->prepare(st,
        "SELECT (SELECT CAST(COALESCE(sum(sum_new), 0) AS bigint) FROM rank_tree "
        "        WHERE program_id = $1 AND node IN ($4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,"
        "$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,$28)) "
        "     + (SELECT count(*) FROM entry WHERE program_id = $1 AND slot = $2 "
        "        AND status = 0 AND pub_pos = 0 AND skey < $3)");
    if (!q)
        return KERR_DB;
    np = rank_down_path(e->slot - 1, path);
    x->bind_int64(q, 1, e->program_id);
    x->bind_int64(q, 2, e->slot);
    x->bind_blob(q, 3, e->skey, e->skey_len);
    for (int k = 0; k < RANK_FEN_BITS + 1; k++)
        x->bind_int64(q, 4 + k, k < np ? path[k] : 0);
    return sql_int(x, q, 0, &out->new_ahead, "counting new entries ahead");
}

int queue_engine_upgrade(struct store *st)
{
    const struct sql_exec_ops *x = sql_of(st);
    struct sql_stmt *q = x->prepare(st, "SELECT p.id, COALESCE((SELECT max(u.id) FROM publication u "
                                        "WHERE u.program_id = p.id), 0) FROM program p ORDER BY p.id");
    if (!q)
        return KERR_DB;
    long long ids[256][2];
    int n = 0, rc, err = 0;
    while (n < 256 && (rc = x->step(q, "upgrading the breakdown")) == SQL_ROW) {
        ids[n][0] = x->col_int64(q, 0);
        ids[n++][1] = x->col_int64(q, 1);
    }
    x->reset(q);
    if (rc < 0)
        return rc;
    if (n == 256)
        return kerr(KERR_DB, "more than 256 programs: upgrade them in parts");
    for (int i = 0; i < n && !err; i++) {
        if (ids[i][1] && (err = by_id(st, "UPDATE entry SET pub_pos = pp.position FROM "
                                          "published_position AS pp WHERE pp.publication_id = $1 "
                                          "AND pp.entry_id = entry.id", ids[i][1], "upgrading")))
            break;
        if (!(err = qe_rank_from_entries(st, (int)ids[i][0])))
            err = qe_pub_tree_rebuild(st, (int)ids[i][0]);
    }
    return err;
}
