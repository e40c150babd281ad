/* queue_engine_facts.c — a resident look-up in ONE statement: for every
 * entry of a card holder (or of a receipt number, or one entry) its row,
 * its program, the program's total, the exact position, the latest
 * publication and the position on it, the change breakdown and the housed
 * counts per month of the estimate window.
 *
 * Why one statement: on PostgreSQL each statement is a network round trip,
 * and the look-up used to be ~8 per entry plus BEGIN/ROLLBACK (26 for a
 * holder of three programs); under 200 kiosks the round trips, not the
 * work, made the p99 (issue 13).  The same text runs on SQLite (where it
 * costs what the separate statements cost, so both backends share it).
 *
 * The Fenwick prefix sums (rank_tree, pub_tree) need the "down path" of an
 * index i — i with its lowest set bits cleared one by one.  Instead of
 * binding 24 computed nodes per sum (queue_engine.c), the statement derives
 * them: node_b = i & -2^b for every bit b set in i, as 24 CASE terms over
 * RANK_FEN_BITS bits (NULL where the bit is clear; NULL never matches IN).
 * Portable: both SQLs have & and unary minus on 64-bit integers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/secret.h"
#include "kiosk/store/queue_engine.h"

_Static_assert(RANK_FEN_BITS == 24, "DOWN_PATH below spells out 24 bits");

#define BIT_TERM(x, v) "CASE WHEN ((" x ") & " v ") <> 0 THEN ((" x ") & -" v ") END"
#define DOWN_PATH(x)                                                                     \
    BIT_TERM(x, "1") "," BIT_TERM(x, "2") "," BIT_TERM(x, "4") "," BIT_TERM(x, "8") ","   \
    BIT_TERM(x, "16") "," BIT_TERM(x, "32") "," BIT_TERM(x, "64") "," BIT_TERM(x, "128") \
    "," BIT_TERM(x, "256") "," BIT_TERM(x, "512") "," BIT_TERM(x, "1024") ","             \
    BIT_TERM(x, "2048") "," BIT_TERM(x, "4096") "," BIT_TERM(x, "8192") ","               \
    BIT_TERM(x, "16384") "," BIT_TERM(x, "32768") "," BIT_TERM(x, "65536") ","            \
    BIT_TERM(x, "131072") "," BIT_TERM(x, "262144") "," BIT_TERM(x, "524288") ","         \
    BIT_TERM(x, "1048576") "," BIT_TERM(x, "2097152") "," BIT_TERM(x, "4194304") ","      \
    BIT_TERM(x, "8388608")

#define E_COLS "e.id, e.program_id, e.receipt_no, e.id_hash, e.sealed, e.household_size, " \
               "e.hukou_district, e.tier, e.wait_since, e.insured_since, e.hukou_since, "  \
               "e.lottery_no, e.status, e.refusals, e.skey, e.slot, e.changed_seq"
#define P_COLS "p.id, p.code, p.name_zh, p.name_en, p.rule, p.refusal_limit"

/* a Fenwick prefix over the nodes of DOWN_PATH(idx), as bigint */
#define PREFIX(tbl, col, idx)                                                             \
    "CAST(COALESCE((SELECT sum(" col ") FROM " tbl " WHERE program_id = e.program_id "   \
    "AND node IN (" DOWN_PATH(idx) ")), 0) AS bigint)"
/* housed in month k of the window ($(k+2), "YYYY-MM"): one row of the
 * trigger-kept housed_month (008), not a count over entry_event */
#define MONTH(a)                                                                          \
    "COALESCE((SELECT CAST(h.n AS bigint) FROM housed_month h WHERE "                     \
    "h.program_id = e.program_id AND h.month = $" a "), 0)"

#define FACTS_SQL(where)                                                                  \
    "SELECT " E_COLS ", " P_COLS ", "                                                     \
    /* 23 */ "COALESCE((SELECT t.sum FROM rank_tree t WHERE t.program_id = e.program_id " \
             "AND t.node = 16777216), 0), "                                               \
    /* 24 */ "CASE WHEN e.status = 0 THEN " PREFIX("rank_tree", "sum", "e.slot - 1")      \
             " + (SELECT count(*) FROM entry x WHERE x.program_id = e.program_id AND "    \
             "x.slot = e.slot AND x.status = 0 AND x.skey < e.skey) + 1 ELSE 0 END, "     \
    /* 25 */ "u.id, u.at, u.change_seq, COALESCE(pp.position, 0), "                       \
    /* 29 */ "CASE WHEN e.status = 0 AND pp.position > 1 THEN "                           \
             PREFIX("pub_tree", "housed", "pp.position - 1") " ELSE 0 END, "              \
    /* 30 */ "CASE WHEN e.status = 0 AND pp.position > 1 THEN "                           \
             PREFIX("pub_tree", "withdrawn", "pp.position - 1") " ELSE 0 END, "           \
    /* 31 */ "CASE WHEN e.status = 0 AND pp.position > 1 THEN "                           \
             PREFIX("pub_tree", "frozen", "pp.position - 1") " ELSE 0 END, "              \
    /* 32 */ "CASE WHEN e.status = 0 AND pp.position > 0 THEN "                           \
             PREFIX("rank_tree", "sum_new", "e.slot - 1")                                 \
             " + (SELECT count(*) FROM entry x WHERE x.program_id = e.program_id AND "    \
             "x.slot = e.slot AND x.status = 0 AND x.pub_pos = 0 AND x.skey < e.skey) "   \
             "ELSE 0 END, "                                                               \
    /* 33 */ MONTH("2") ", " MONTH("3") ", " MONTH("4") ", " MONTH("5") ", "              \
             MONTH("6") ", " MONTH("7") ", " MONTH("8") ", " MONTH("9") ", "              \
             MONTH("10") ", " MONTH("11") ", " MONTH("12") ", " MONTH("13") " "           \
    "FROM entry e JOIN program p ON p.id = e.program_id "                                 \
    "LEFT JOIN publication u ON u.id = (SELECT max(u2.id) FROM publication u2 "           \
    "                                   WHERE u2.program_id = e.program_id) "             \
    "LEFT JOIN published_position pp ON pp.publication_id = u.id AND pp.entry_id = e.id " \
    "WHERE " where " ORDER BY e.program_id, e.receipt_no"

_Static_assert(STORE_FACT_MONTHS == 12, "FACTS_SQL spells out 12 months");

/* the three statements differ only in WHERE (each is prepared once and
 * cached by its text's address) */
static const char facts_by_hash[] = FACTS_SQL("e.id_hash = $1");
static const char facts_by_receipt[] = FACTS_SQL("e.receipt_no = $1");
static const char facts_by_entry[] = FACTS_SQL("e.id = $1");
/* one entry with its history (the console's entry page): the facts,
 * computed once (MATERIALIZED: not again for every event row the join
 * makes), beside each event; one row with NULL events when it has none.
 * The facts row's column names repeat (id…); nothing refers to them. */
static const char facts_with_events[] =
    "WITH f AS MATERIALIZED (" FACTS_SQL("e.id = $1") ") "
    "SELECT f.*, v.entry_id, v.program_id, v.at, v.actor, v.action, "
    "COALESCE(v.from_status, -1), COALESCE(v.to_status, -1), v.reason "
    "FROM f LEFT JOIN entry_event v ON v.entry_id = $1 ORDER BY v.id";

enum { C_PROGRAM = ENTRY_NCOLS, C_TOTAL = 23, C_POSITION, C_PUB_ID, C_PUB_AT, C_PUB_SEQ,
       C_THEN, C_LEFT_HOUSED, C_LEFT_WITHDRAWN, C_LEFT_FROZEN, C_NEW_AHEAD, C_MONTHS,
       C_EVENT = C_MONTHS + STORE_FACT_MONTHS };

/* the history columns of facts_with_events */
static void read_event(const struct sql_exec_ops *x, struct sql_stmt *q, struct entry_event *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->entry_id = x->col_int64(q, C_EVENT);
    ev->program_id = (int)x->col_int64(q, C_EVENT + 1);
    x->col_text(q, C_EVENT + 2, ev->at, sizeof ev->at);
    x->col_text(q, C_EVENT + 3, ev->actor, sizeof ev->actor);
    x->col_text(q, C_EVENT + 4, ev->action, sizeof ev->action);
    ev->from_status = (int)x->col_int64(q, C_EVENT + 5);
    ev->to_status = (int)x->col_int64(q, C_EVENT + 6);
    x->col_text(q, C_EVENT + 7, ev->reason, sizeof ev->reason);
}


/* month i of the window starting at first ("YYYY-MM"), as "YYYY-MM" */
static int month_at(const char *first, int i, char out[16])
{
    int y, m;
    if (sscanf(first, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12)
        return kerr(KERR_USAGE, "bad month '%s' (want YYYY-MM)", first);
    int idx = y * 12 + (m - 1) + i;
    snprintf(out, 16, "%04d-%02d", (idx / 12) % 10000, idx % 12 + 1);
    return 0;
}

static int read_facts(const struct sql_exec_ops *x, struct sql_stmt *q, struct entry_facts *f)
{
    memset(f, 0, sizeof *f);
    qe_read_entry(x, q, &f->e);
    int err = qe_read_program_at(x, q, C_PROGRAM, &f->p);
    if (err)
        return err;
    f->total = x->col_int64(q, C_TOTAL);
    f->position = x->col_int64(q, C_POSITION);
    f->has_pub = !x->col_isnull(q, C_PUB_ID);
    if (f->has_pub) {
        x->col_text(q, C_PUB_AT, f->pub_at, sizeof f->pub_at);
        f->pub_change_seq = x->col_int64(q, C_PUB_SEQ);
        f->position_then = x->col_int64(q, C_THEN);
        f->counts.left_housed = x->col_int64(q, C_LEFT_HOUSED);
        f->counts.left_withdrawn = x->col_int64(q, C_LEFT_WITHDRAWN);
        f->counts.left_frozen = x->col_int64(q, C_LEFT_FROZEN);
        f->counts.new_ahead = x->col_int64(q, C_NEW_AHEAD);
    }
    for (int k = 0; k < STORE_FACT_MONTHS; k++)
        f->monthly[k] = (int)x->col_int64(q, C_MONTHS + k);
    return 0;
}

int qe_facts(struct store *st, const struct facts_query *fq,
             int (*cb)(void *ctx, const struct entry_facts *f), void *ctx)
{
    const struct sql_exec_ops *x = sql_of(st);
    char months[STORE_FACT_MONTHS][16];
    int err = 0;
    for (int i = 0; i < STORE_FACT_MONTHS && !err; i++)
        err = month_at(fq->first_month, i, months[i]);
    if (err)
        return err;
    bool events = fq->event_cb != NULL;
    if (events && fq->by != FACTS_BY_ENTRY)
        return kerr(KERR_USAGE, "an entry's history comes with the facts of one entry only");
    const char *sql = fq->by == FACTS_BY_HASH ? facts_by_hash
                    : fq->by == FACTS_BY_RECEIPT ? facts_by_receipt
                    : events ? facts_with_events : facts_by_entry;
    struct sql_stmt *q = x->prepare(st, sql);
    if (!q)
        return KERR_DB;
    if (fq->by == FACTS_BY_HASH)
        x->bind_blob(q, 1, fq->hash, 32);
    else if (fq->by == FACTS_BY_RECEIPT)
        x->bind_text(q, 1, fq->receipt_no);
    else
        x->bind_int64(q, 1, fq->entry_id);
    for (int i = 0; i < STORE_FACT_MONTHS; i++)
        x->bind_text(q, 2 + i, months[i]);
    /* read every row before any callback (callbacks may use the store) */
    struct entry_facts *rows = NULL;
    struct entry_event *evs = NULL;
    int n = 0, cap = 0, n_ev = 0, cap_ev = 0, rc;
    while ((rc = x->step(q, "looking up queue entries")) == SQL_ROW) {
        if (events && !x->col_isnull(q, C_EVENT)) {
            if (n_ev == cap_ev) {
                cap_ev = cap_ev ? cap_ev * 2 : 8;
                struct entry_event *r = realloc(evs, sizeof *evs * (size_t)cap_ev);
                if (!r) {
                    err = KERR_NOMEM;
                    break;
                }
                evs = r;
            }
            read_event(x, q, &evs[n_ev++]);
        }
        if (events && n == 1)   /* the same facts beside every further event */
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 4;
            struct entry_facts *r = realloc(rows, sizeof *rows * (size_t)cap);
            if (!r) {
                err = KERR_NOMEM;
                break;
            }
            rows = r;
        }
        if ((err = read_facts(x, q, &rows[n++])))
            break;
    }
    x->reset(q);
    if (!err && rc < 0)
        err = rc;
    for (int i = 0; i < n && !err; i++)
        err = cb(ctx, &rows[i]);
    for (int i = 0; i < n_ev && !err; i++)
        err = fq->event_cb(ctx, &evs[i]);
    if (evs) {
        secure_wipe(evs, sizeof *evs * (size_t)cap_ev);   /* reasons may name people */
        free(evs);
    }
    if (rows) {
        secure_wipe(rows, sizeof *rows * (size_t)cap);   /* they held sealed identities */
        free(rows);
    }
    return err;
}
