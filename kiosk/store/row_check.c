/* row_check.c — replaying what each row must hold (row_check.h).  Written
 * over the SQL executor, so SQLite and PostgreSQL are checked alike. */
#include "kiosk/store/row_check.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/queue.h"
#include "kiosk/store/row_seal.h"
#include "kiosk/store/sql_exec.h"

#define PAGE 2000
#define MAX_PROGRAMS 64

struct checker {
    struct store *st;
    const struct sql_exec_ops *x;
    const struct secret *sec;
    long long limit;
    void (*report)(void *ctx, const char *line);
    void *ctx;
    struct row_check_result *res;
    struct program progs[MAX_PROGRAMS];
    int n_progs;
};

/* One problem line, in the language in force (i18n_set_lang): fmt is a
 * message id; English when no translation (kioskctl's default). */
__attribute__((format(printf, 2, 3))) static void problem(struct checker *c, const char *fmt, ...)
{
    c->res->problems++;
    if (c->res->problems > c->limit)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, _(fmt), ap);
    va_end(ap);
    c->report(c->ctx, line);
}

static const struct program *program_of(const struct checker *c, int id)
{
    for (int i = 0; i < c->n_progs; i++)
        if (c->progs[i].id == id)
            return &c->progs[i];
    return NULL;
}

/* "entry prh/R0001 (id 5)" */
static void entry_name(const struct checker *c, int program_id, const char *receipt, long long id,
                       char *out, size_t cap)
{
    const struct program *p = program_of(c, program_id);
    snprintf(out, cap, _("entry %s/%s (id %lld)"), p ? p->code : "?", receipt, id);
}

/* The seal in column 1 against the one computed from the sealed columns
 * (from column 2); 1 when it matches. */
static int seal_ok(struct checker *c, enum row_table t, struct sql_stmt *q, const char *name)
{
    unsigned char want[ROW_SEAL_BYTES], have[ROW_SEAL_BYTES];
    if (c->x->col_isnull(q, 1)) {
        c->res->unsealed++;
        problem(c, "%s: not sealed (a database from before the row seal: run kioskctl init; "
                   "otherwise its seal was removed)", name);
        return 0;
    }
    int n = c->x->col_blob(q, 1, have, sizeof have);
    if (row_seal_of_stmt(t, c->x, q, 2, want) != 0)
        return 1;   /* no secret: reported by the caller once */
    if (n != ROW_SEAL_BYTES || sodium_memcmp(want, have, ROW_SEAL_BYTES) != 0) {
        problem(c, "%s: its fields are not what the programs wrote (edited in the database: "
                   "status, refusals, household size, dates, tier, identity, role, lock-out, "
                   "stage or street)", name);
        return 0;
    }
    return 1;
}

/* A sealed column must open with its row's associated data. */
static void sealed_opens(struct checker *c, struct sql_stmt *q, int col, const char *ad,
                         const char *name, const char *what)
{
    if (c->x->col_isnull(q, col))
        return;
    unsigned char sealed[1024];
    char plain[1024];
    int n = c->x->col_blob(q, col, sealed, sizeof sealed);
    if (secret_open(c->sec, sealed, (size_t)n, ad, plain, sizeof plain, NULL) != 0)
        problem(c, "%s: the sealed %s does not open on this row (copied from another row, or "
                   "sealed with another key)", name, _(what));
    sodium_memzero(plain, sizeof plain);
}

static int check_entries(struct checker *c)
{
    const struct sql_exec_ops *x = c->x;
    const char *sql = row_seal_cols(ROW_ENTRY)->page_sql;
    long long after = 0;
    for (;;) {
        struct sql_stmt *q = x->prepare(c->st, sql);
        if (!q)
            return KERR_DB;
        x->bind_int64(q, 1, after);
        x->bind_int64(q, 2, PAGE);
        int rc, got = 0;
        while ((rc = x->step(q, "checking entries")) == SQL_ROW) {
            long long id = x->col_int64(q, 0);
            int program_id = (int)x->col_int64(q, 2);
            char receipt[40], name[96], ad[SECRET_AD_MAX];
            x->col_text(q, 3, receipt, sizeof receipt);
            entry_name(c, program_id, receipt, id, name, sizeof name);
            after = id;
            got++;
            seal_ok(c, ROW_ENTRY, q, name);
            secret_ad_entry(ad, program_id, receipt);
            sealed_opens(c, q, 5, ad, name, N_("identity"));
            /* the sort key is what the rule makes of the fields */
            const struct program *p = program_of(c, program_id);
            if (p) {
                int64_t key[OK__COUNT];
                for (int k = 0; k < OK__COUNT; k++)
                    key[k] = sql_col_key(x, q, 8 + k);
                unsigned char want[QUEUE_SKEY_MAX], have[QUEUE_SKEY_MAX];
                int wl = queue_skey(p, key, receipt, want);
                int hl = x->col_blob(q, 15, have, sizeof have);
                if (wl != hl || memcmp(want, have, (size_t)wl) != 0)
                    problem(c, "%s: its sort key is not what rule %s makes of its fields "
                               "(edited in the database)", name, p->code);
            } else {
                problem(c, "%s: its program %d does not exist", name, program_id);
            }
        }
        x->reset(q);
        c->res->rows += got;
        if (rc < 0)
            return rc;
        if (got < PAGE)
            return 0;
    }
}

static int check_simple(struct checker *c, enum row_table t)
{
    const struct sql_exec_ops *x = c->x;
    const char *sql = row_seal_cols(t)->page_sql;
    long long after = 0;
    for (;;) {
        struct sql_stmt *q = x->prepare(c->st, sql);
        if (!q)
            return KERR_DB;
        x->bind_int64(q, 1, after);
        x->bind_int64(q, 2, PAGE);
        int rc, got = 0;
        while ((rc = x->step(q, "checking rows")) == SQL_ROW) {
            char key[80], name[120], ad[SECRET_AD_MAX];
            after = x->col_int64(q, 0);
            got++;
            x->col_text(q, 2, key, sizeof key);
            if (t == ROW_STAFF) {
                snprintf(name, sizeof name, _("staff account %s (id %lld)"), key, after);
                seal_ok(c, t, q, name);
                continue;
            }
            snprintf(name, sizeof name, _("bed application %s (id %lld)"), key, after);
            seal_ok(c, t, q, name);
            /* the field names are the associated data's words, and message ids
             * for the problem line (N_ in sealed_opens' "the sealed %s") */
            static const struct { int col; const char *field; } sealed[] = {
                {4, N_("elder")}, {6, N_("agent")}, {7, N_("address")}, {14, N_("assessment")}};
            for (size_t i = 0; i < sizeof sealed / sizeof sealed[0]; i++) {
                secret_ad_bed(ad, key, sealed[i].field);
                sealed_opens(c, q, sealed[i].col, ad, name, sealed[i].field);
            }
        }
        x->reset(q);
        c->res->rows += got;
        if (rc < 0)
            return rc;
        if (got < PAGE)
            return 0;
    }
}

/* Each entry's status is the one its last status event set; each
 * application's stage the one its last history line entered.  Only
 * mismatches come back (at most a page: the rest are counted). */
static int check_histories(struct checker *c)
{
    const struct sql_exec_ops *x = c->x;
    struct sql_stmt *q = x->prepare(c->st,
        "SELECT e.id, e.program_id, e.receipt_no, e.status, v.to_status FROM entry_event v "
        "JOIN entry e ON e.id = v.entry_id WHERE v.id IN (SELECT max(id) FROM entry_event "
        "WHERE to_status IS NOT NULL GROUP BY entry_id) AND e.status <> v.to_status "
        "ORDER BY e.id LIMIT $1");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, PAGE);
    int rc;
    while ((rc = x->step(q, "replaying entry histories")) == SQL_ROW) {
        char receipt[40], name[96];
        x->col_text(q, 2, receipt, sizeof receipt);
        entry_name(c, (int)x->col_int64(q, 1), receipt, x->col_int64(q, 0), name, sizeof name);
        problem(c, "%s: status %s, but its history ends at %s (edited in the database)", name,
                _(entry_status_name((int)x->col_int64(q, 3))),
                _(entry_status_name((int)x->col_int64(q, 4))));
    }
    x->reset(q);
    if (rc < 0)
        return rc;
    q = x->prepare(c->st,
        "SELECT b.id, b.ref, b.stage, h.stage FROM bed_history h JOIN bed_app b ON "
        "b.id = h.app_id WHERE h.id IN (SELECT max(id) FROM bed_history GROUP BY app_id) "
        "AND b.stage <> h.stage ORDER BY b.id LIMIT $1");
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, PAGE);
    while ((rc = x->step(q, "replaying application histories")) == SQL_ROW) {
        char ref[40];
        x->col_text(q, 1, ref, sizeof ref);
        problem(c, "bed application %s (id %lld): stage %lld, but its history ends at stage "
                   "%lld (edited in the database)", ref, x->col_int64(q, 0), x->col_int64(q, 2),
                x->col_int64(q, 3));
    }
    x->reset(q);
    return rc < 0 ? rc : 0;
}

int row_check(struct store *st, const struct secret *sec, long long limit,
              void (*report)(void *ctx, const char *line), void *ctx,
              struct row_check_result *res)
{
    memset(res, 0, sizeof *res);
    if (!secret_current())
        return kerr(KERR_SECRET, "no site secret loaded: rows cannot be checked");
    struct checker c = {.st = st, .x = sql_of(st), .sec = sec, .limit = limit, .report = report,
                        .ctx = ctx, .res = res};
    int err = st->ops->queue->program_list(st, c.progs, MAX_PROGRAMS, &c.n_progs);
    if (err || (err = st->ops->begin_read(st)))
        return err;
    if (!(err = check_entries(&c)) && !(err = check_simple(&c, ROW_STAFF)) &&
        !(err = check_simple(&c, ROW_BED)))
        err = check_histories(&c);
    st->ops->rollback(st);
    return err;
}
