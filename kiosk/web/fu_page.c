/* fu_page.c — find and load what a follow-up REF refers to (see fu_page.h). */
#include "kiosk/web/fu_page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/followup.h"
#include "kiosk/secret.h"
#include "kiosk/store/sql_exec.h"
#include "kiosk/store/store.h"

/* The queue entries with this receipt number: one indexed get per programme
 * (UNIQUE (program_id, receipt_no)); entries_by_receipt would scan the
 * table, there being no index on receipt_no alone. */
static int find_entries(struct store *st, const char *ref, struct entry_row *rows, int cap, int *n)
{
    const struct queue_store_ops *q = store_queue(st);
    struct program progs[16];
    int np = 0;
    *n = 0;
    int err = q->program_list(st, progs, 16, &np);
    for (int i = 0; !err && i < np; i++) {
        if (*n >= cap)
            return kerr(KERR_NOTFOUND, "receipt %s is on more programmes than a page shows", ref);
        err = q->entry_get(st, progs[i].id, ref, &rows[*n]);
        if (!err)
            (*n)++;
        else if (err == KERR_NOTFOUND)
            err = 0;
    }
    return err;
}

static int load_bed(struct store *st, const struct secret *sec, const char *ref, const char *lang,
                    struct fu_item *it)
{
    struct bed_detail *d = calloc(1, sizeof *d);
    if (!d)
        return KERR_NOMEM;
    int err = bed_show(st, sec, ref, lang, d);
    if (!err) {
        it->is_bed = true;
        it->b = d->view;
    }
    secure_wipe(d, sizeof *d);
    free(d);
    return err;
}

/* The notice for the item's current status, as the kiosk's detail screens
 * read it (sess_queue.c, sess_bed.c): none is not an error. */
static int load_notice(struct store *st, int kind, struct fu_item *it)
{
    char ref[64];
    int status;
    if (kind == NOTICE_ENTRY) {
        notice_entry_ref(it->q.program, it->q.receipt_no, ref, sizeof ref);
        status = it->q.status;
    } else {
        snprintf(ref, sizeof ref, "%s", it->b.ref);
        status = it->b.stage;
    }
    int err = notice_get(st, kind, ref, status, &it->n);
    return err == KERR_NOTFOUND ? 0 : err;
}

static int load(struct store *st, const struct secret *sec, const char *ref, const char *lang,
                struct fu_page *out)
{
    struct entry_row rows[FU_MAX_ITEMS];
    int n = 0;
    int err = find_entries(st, ref, rows, FU_MAX_ITEMS, &n);
    for (int i = 1; !err && i < n; i++)
        if (memcmp(rows[i].id_hash, rows[0].id_hash, sizeof rows[0].id_hash) != 0)
            err = kerr(KERR_NOTFOUND, "receipt %s is on several programmes for different "
                       "households: ambiguous, not shown", ref);
    for (int i = 0; !err && i < n; i++) {
        out->item[i].is_bed = false;
        err = queue_view_of(st, sec, &rows[i], &out->item[i].q);
        if (!err)
            err = load_notice(st, NOTICE_ENTRY, &out->item[i]);
    }
    if (!err)
        out->n = n;
    /* a bed application with the same ref as a receipt number: ambiguous too */
    if (!err) {
        struct fu_item *it = &out->item[n < FU_MAX_ITEMS ? n : FU_MAX_ITEMS - 1];
        int berr = load_bed(st, sec, ref, lang, it);
        if (!berr && n > 0)
            err = kerr(KERR_NOTFOUND, "ref %s is both a receipt number and an application", ref);
        else if (!berr && !(err = load_notice(st, NOTICE_BED, it)))
            out->n = 1;
        else if (berr != KERR_NOTFOUND && berr != KERR_UNSUPPORTED)
            err = berr;
    }
    if (!err && out->n == 0)
        err = kerr(KERR_NOTFOUND, "no receipt %s", ref);
    secure_wipe(rows, sizeof rows);
    return err;
}

int fu_page_load(struct store *st, const struct secret *sec, const char *ref, const char *code,
                 const char *lang, struct fu_page *out, bool *code_ok)
{
    memset(out, 0, sizeof *out);
    *code_ok = false;
    if (!ref || !code || !followup_ref_valid(ref) || !followup_verify(sec, ref, code))
        return kerr(KERR_NOTFOUND, "wrong follow-up code");
    *code_ok = true;
    snprintf(out->ref, sizeof out->ref, "%s", ref);
    snprintf(out->lang, sizeof out->lang, "%s", lang && !strcmp(lang, "en") ? "en" : "zh");
    /* one snapshot: positions, totals and the change breakdown agree */
    int snap = st->ops->begin_read(st);
    int err = load(st, sec, ref, out->lang, out);
    if (snap == 0)
        store_rollback(st);
    if (err)
        fu_page_wipe(out);
    return err;
}

bool fu_page_code_ok(const struct secret *sec, const char *ref, const char *code)
{
    return ref && code && followup_ref_valid(ref) && followup_verify(sec, ref, code);
}

int fu_page_token(struct store *st, char *out, unsigned long cap)
{
    out[0] = '\0';
    const struct sql_exec_ops *x = sql_of(st);
    if (!x || strcmp(st->ops->name, "sqlite") != 0)
        return KERR_UNSUPPORTED;
    struct sql_stmt *q = x->prepare(st, "PRAGMA data_version");
    if (!q)
        return KERR_DB;
    int rc = x->step(q, "read the data version");
    long long dv = rc == SQL_ROW ? x->col_int64(q, 0) : 0;
    x->reset(q);
    if (rc != SQL_ROW)
        return rc < 0 ? rc : KERR_DB;
    char now[32];
    store_now(now);
    snprintf(out, cap, "%lld|%.10s", dv, now);
    return 0;
}

void fu_page_wipe(struct fu_page *p)
{
    secure_wipe(p, sizeof *p);
}
