/* importer.c — import and export of the housing bureau's lists. */
#include "kiosk/importer.h"

#include <errno.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/arena.h"
#include "kiosk/audit.h"
#include "kiosk/audit_detail.h"
#include "kiosk/bureau_row.h"
#include "kiosk/csv.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/idnum.h"
#include "kiosk/person.h"
#include "kiosk/queue.h"
#include "kiosk/secret.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- receipt-number set (duplicates within a file) ------------------------ */

struct receipt_set {
    struct { const char *s; long line; } *slot;
    size_t cap, n;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;   /* FNV-1a */
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
    return h;
}

static int rset_grow(struct receipt_set *rs)
{
    size_t ncap = rs->cap ? rs->cap * 2 : 1 << 16;
    void *nslot = calloc(ncap, sizeof rs->slot[0]);
    if (!nslot)
        return KERR_NOMEM;
    struct receipt_set n = {.slot = nslot, .cap = ncap};
    for (size_t i = 0; i < rs->cap; i++)
        if (rs->slot[i].s) {
            size_t j = hash_str(rs->slot[i].s) & (ncap - 1);
            while (n.slot[j].s)
                j = (j + 1) & (ncap - 1);
            n.slot[j] = rs->slot[i];
        }
    free(rs->slot);
    rs->slot = n.slot;
    rs->cap = ncap;
    return 0;
}

/* Insert s (owned by the caller's arena); returns the first line when it
 * was already there, else 0. */
static bool rset_has(const struct receipt_set *rs, const char *s)
{
    if (!rs->cap)
        return false;
    for (size_t j = hash_str(s) & (rs->cap - 1); rs->slot[j].s; j = (j + 1) & (rs->cap - 1))
        if (strcmp(rs->slot[j].s, s) == 0)
            return true;
    return false;
}

static long rset_add(struct receipt_set *rs, const char *s, long line, int *err)
{
    if ((rs->n + 1) * 2 > rs->cap && (*err = rset_grow(rs)))
        return 0;
    size_t j = hash_str(s) & (rs->cap - 1);
    while (rs->slot[j].s) {
        if (strcmp(rs->slot[j].s, s) == 0)
            return rs->slot[j].line;
        j = (j + 1) & (rs->cap - 1);
    }
    rs->slot[j].s = s;
    rs->slot[j].line = line;
    rs->n++;
    return 0;
}

/* ---- batches -------------------------------------------------------------- */

int import_batch_init(struct import_batch *b, const struct program *p, const struct secret *sec,
                      struct arena *arena)
{
    memset(b, 0, sizeof *b);
    b->program = p;
    b->sec = sec;
    b->arena = arena;
    randombytes_buf(b->nonce_prefix, sizeof b->nonce_prefix);
    return 0;
}

int import_batch_add(struct import_batch *b, const struct bureau_row *r)
{
    if (b->n == b->cap) {
        long long ncap = b->cap ? b->cap * 2 : 4096;
        struct bulk_row *nr = realloc(b->rows, sizeof *nr * (size_t)ncap);
        if (!nr)
            return KERR_NOMEM;
        b->rows = nr;
        b->cap = ncap;
    }
    struct bulk_row *o = &b->rows[b->n];
    memset(o, 0, sizeof *o);
    o->receipt_no = arena_strdup(b->arena, r->receipt_no);
    o->hukou_district = arena_strdup(b->arena, r->hukou_district);
    o->household_size = r->household_size;
    o->status = r->status;
    o->key[OK_TIER] = r->tier;
    o->key[OK_WAIT_SINCE] = r->wait_since == DATE_NONE ? NONE_I64 : r->wait_since;
    o->key[OK_INSURED_SINCE] = r->insured_since == DATE_NONE ? NONE_I64 : r->insured_since;
    o->key[OK_HUKOU_SINCE] = r->hukou_since == DATE_NONE ? NONE_I64 : r->hukou_since;
    o->key[OK_LOTTERY_NO] = r->lottery_no < 0 ? NONE_I64 : r->lottery_no;

    unsigned char *h = arena_alloc(b->arena, SECRET_HASH_BYTES);
    char plain[IDNUM_LEN + 1 + sizeof r->name];
    int n = snprintf(plain, sizeof plain, "%s\t%s", r->id_number, r->name);
    unsigned char *sealed = arena_alloc(b->arena, (size_t)n + SECRET_SEAL_OVERHEAD);
    unsigned char skey[QUEUE_SKEY_MAX];
    int skey_len = queue_skey(b->program, o->key, r->receipt_no, skey);
    o->skey = arena_dup(b->arena, skey, (size_t)skey_len);
    o->skey_len = skey_len;
    if (!o->receipt_no || !o->hukou_district || !h || !sealed || !o->skey) {
        secure_wipe(plain, sizeof plain);
        return KERR_NOMEM;
    }
    secret_lookup_hash(b->sec, r->id_number, h);
    /* the person index (kiosk/person.h): the console finds the household by name */
    unsigned char *nh = arena_alloc(b->arena, SECRET_HASH_BYTES);
    if (!nh) {
        secure_wipe(plain, sizeof plain);
        return KERR_NOMEM;
    }
    if (person_name_hash(b->sec, r->name, nh) != 0) {
        kerr_clear();
        secret_person_hash(b->sec, "name", "", nh);   /* no name: indexed as such */
    }
    o->name_hash = nh;
    unsigned char nonce[24];
    memcpy(nonce, b->nonce_prefix, 16);
    uint64_t ctr = (uint64_t)b->n;
    for (int i = 0; i < 8; i++)
        nonce[16 + i] = (unsigned char)(ctr >> (8 * i));
    char ad[SECRET_AD_MAX];   /* bound to its row: it opens nowhere else */
    secret_ad_entry(ad, b->program->id, r->receipt_no);
    secret_seal_nonce(b->sec, plain, (size_t)n, ad, nonce, sealed);
    secure_wipe(plain, sizeof plain);
    o->id_hash = h;
    o->sealed = sealed;
    o->sealed_len = n + SECRET_SEAL_OVERHEAD;
    b->n++;
    return 0;
}

static int cmp_bulk(const void *pa, const void *pb)
{
    const struct bulk_row *a = pa, *b = pb;
    int c = memcmp(a->skey, b->skey, (size_t)(a->skey_len < b->skey_len ? a->skey_len : b->skey_len));
    return c ? c : a->skey_len - b->skey_len;
}

/* ---- the removal guard ------------------------------------------------------ */

struct guard_ctx {
    const struct receipt_set *file;
    struct import_result *res;
};

static int count_absent(void *p, const struct entry_row *e)
{
    struct guard_ctx *g = p;
    if (e->status == ST_REMOVED || e->status == ST_WITHDRAWN)
        return 0;   /* already out of the queue: the import changes nothing for them */
    g->res->active++;
    if (!rset_has(g->file, e->receipt_no)) {
        g->res->absent++;
        if (e->status >= 0 && e->status < ST__COUNT)
            g->res->absent_by_status[e->status]++;
    }
    return 0;
}

/* Count what the import would remove and decide (inside the transaction,
 * so the count is the one the write acts on). */
static int guard_check(struct store *st, const struct import_batch *b, struct import_result *res)
{
    struct guard_ctx g = {.file = b->file_receipts, .res = res};
    int err = st->ops->queue->export_all(st, b->program->id, count_absent, &g);
    if (err)
        return err;
    const struct import_guard *gd = b->guard;
    long long keep_out = res->absent_by_status[ST_HOUSED] + res->absent_by_status[ST_OFFERED] +
                         res->absent_by_status[ST_FROZEN];
    bool too_many = (double)res->absent > gd->max_share * (double)res->active;
    if (gd->dry_run || (!too_many && keep_out == 0) || gd->allow_removals >= res->absent)
        return 0;
    /* the reasons in the reader's language (the sentence around them is a
     * kerr message id, kerr_detail_local; the English kerr_detail gets them
     * in English when the language is English) */
    char why[320] = "";
    if (too_many)
        snprintf(why, sizeof why, _("more than the %.4g%% allowed by [import] max_removal_share"),
                 gd->max_share * 100);
    if (keep_out)
        snprintf(why + strlen(why), sizeof why - strlen(why), _("%s%lld housed, %lld offered and "
                 "%lld frozen among them"), too_many ? _("; ") : "", res->absent_by_status[ST_HOUSED],
                 res->absent_by_status[ST_OFFERED], res->absent_by_status[ST_FROZEN]);
    return kerr(KERR_REFUSED, "the file would remove %lld of the %lld active %s entries (%.1f%%): "
                "%s.  Nothing was changed.  Is the file complete?  If these removals are "
                "intended, run again with --allow-removals %lld%s", res->absent, res->active,
                b->program->code, res->active ? 100.0 * res->absent / res->active : 0.0, why,
                res->absent, gd->allow_removals >= 0 ? " (the given number is too small)" : "");
}

/* The import's audit record: the file or the demo list, the counts (c: added,
 * updated, removed, unchanged) and, when removals were allowed past the
 * guard, how many and of which statuses. */
static int audit_import(struct store *st, const struct import_batch *b, const struct actor *who,
                        const char *file, const struct import_result *res, const long long c[4])
{
    const char *a = who->name, *code = b->program->code;
    if (b->guard && res->absent) {
        long long allow = b->guard->allow_removals, h = res->absent_by_status[ST_HOUSED],
                  o = res->absent_by_status[ST_OFFERED], f = res->absent_by_status[ST_FROZEN];
        return file ? audit_append(st, b->sec, a, "import", code, AD_IMPORT_FILE_KEPT, file, b->n,
                                   c[0], c[1], c[2], allow, h, o, f, c[3])
                    : audit_append(st, b->sec, a, "import", code, AD_IMPORT_DEMO_KEPT, b->n, c[0],
                                   c[1], c[2], allow, h, o, f, c[3]);
    }
    return file ? audit_append(st, b->sec, a, "import", code, AD_IMPORT_FILE, file, b->n, c[0], c[1],
                               c[2], c[3])
                : audit_append(st, b->sec, a, "import", code, AD_IMPORT_DEMO, b->n, c[0], c[1], c[2],
                               c[3]);
}

int import_batch_commit(struct store *st, struct import_batch *b, const struct actor *who,
                        const char *file, struct import_result *res)
{
    double t0 = now_s();
    if (b->n > 1)   /* an empty list has no rows array at all */
        qsort(b->rows, (size_t)b->n, sizeof b->rows[0], cmp_bulk);
    char now[32];
    store_now(now);
    long long counts[4];
    int err = store_begin(st);
    if (err)
        return err;
    if (b->guard && ((err = guard_check(st, b, res)) || b->guard->dry_run)) {
        store_rollback(st);
        res->rows = b->n;
        return err;
    }
    if ((err = st->ops->queue->bulk_replace(st, b->program->id, b->rows, b->n, now, who->name,
                                            counts)) ||
        (err = audit_import(st, b, who, file, res, counts)) ||
        (err = store_commit(st))) {
        store_rollback(st);
        return err;
    }
    res->rows = b->n;
    res->added = counts[0];
    res->updated = counts[1];
    res->removed = counts[2];
    res->unchanged = counts[3];
    res->write_seconds = now_s() - t0;
    return 0;
}

void import_batch_free(struct import_batch *b)
{
    free(b->rows);
    b->rows = NULL;
    b->n = b->cap = 0;
}

/* ---- import --------------------------------------------------------------- */

struct err_ctx {
    FILE *out;
    const char *file;
    long long count;
};

static void report(void *p, long line, const char *col, const char *msg)
{
    struct err_ctx *e = p;
    /* col: a column's name (a code, as in the file's header: never
     * translated) or "header", a word that is */
    fprintf(e->out, "%s:%ld: %s: %s\n", e->file, line, strcmp(col, "header") ? col : _("header"), msg);
    e->count++;
}

/* A CSV syntax error as FILE:LINE: column: what is wrong — the column named
 * from the header when the error is inside a field of a known column. */
static void report_csv(struct err_ctx *e, const struct csv_reader *csv,
                       const struct bureau_header *hdr)
{
    const char *detail = kerr_detail_local();   /* "LINE: what is wrong" */
    char *end;
    long line = strtol(detail, &end, 10);
    const char *what = *end == ':' ? end + 2 : detail;
    int field = csv_error_field(csv);
    char col[48];
    snprintf(col, sizeof col, "%s", _("record"));
    if (!hdr)
        snprintf(col, sizeof col, "%s", _("header"));
    else if (field >= 0) {
        snprintf(col, sizeof col, _("field %d"), field + 1);
        for (int c = 0; c < BCOL__COUNT; c++)
            if (hdr->index[c] == field)
                snprintf(col, sizeof col, "%s", bureau_col_name[c]);
    }
    fprintf(e->out, "%s:%ld: %s: %s\n", e->file, line, col, what);
    e->count++;
}

/* ---- one person on two rows: a set of lookup hashes ------------------------- */

struct hash_set {
    struct { const unsigned char *h; long line; } *slot;
    size_t cap, n;
};

/* The line a hash was first seen on (0 when new; then it is added).  The
 * hashes are keyed BLAKE2b, so their first bytes are already uniform. */
static long hset_add(struct hash_set *hs, struct arena *a, const unsigned char h[32], long line,
                     int *err)
{
    if (hs->n * 2 >= hs->cap) {
        size_t ncap = hs->cap ? hs->cap * 2 : 1 << 16;
        void *nslot = calloc(ncap, sizeof hs->slot[0]);
        if (!nslot) {
            *err = KERR_NOMEM;
            return 0;
        }
        struct hash_set n = {.slot = nslot, .cap = ncap, .n = hs->n};
        for (size_t i = 0; i < hs->cap; i++)
            if (hs->slot[i].h) {
                uint64_t k;
                memcpy(&k, hs->slot[i].h, 8);
                size_t j = k & (ncap - 1);
                while (n.slot[j].h)
                    j = (j + 1) & (ncap - 1);
                n.slot[j] = hs->slot[i];
            }
        free(hs->slot);
        *hs = n;
    }
    uint64_t k;
    memcpy(&k, h, 8);
    size_t j = k & (hs->cap - 1);
    for (; hs->slot[j].h; j = (j + 1) & (hs->cap - 1))
        if (memcmp(hs->slot[j].h, h, 32) == 0)
            return hs->slot[j].line;
    unsigned char *copy = arena_alloc(a, 32);
    if (!copy) {
        *err = KERR_NOMEM;
        return 0;
    }
    memcpy(copy, h, 32);
    hs->slot[j].h = copy;
    hs->slot[j].line = line;
    hs->n++;
    return 0;
}

static void show_progress(FILE *errs, const char *path, long long done, long long size,
                          long long rows, bool final)
{
    if (size > 0)
        fprintf(errs, _("\r%s: %lld of %lld MB (%d%%), %lld rows%s"), path, done >> 20, size >> 20,
                (int)(100 * done / size), rows, final ? "\n" : "");
    else
        fprintf(errs, _("\r%s: %lld rows%s"), path, rows, final ? "\n" : "");
    fflush(errs);
}

int import_queue(struct store *st, const struct secret *sec, const struct actor *who,
                 const char *program_code, const char *path, bool progress, FILE *errs,
                 const struct import_guard *guard, struct import_result *res)
{
    memset(res, 0, sizeof *res);
    if (!(who->roles & (ROLE_HOUSING | ROLE_ADMIN)))
        return kerr(KERR_REFUSED, "%s may not import lists", who->name);
    struct program prog;
    int err = st->ops->queue->program_get(st, program_code, &prog);
    if (err)
        return err;

    bool is_stdin = strcmp(path, "-") == 0;
    FILE *in = is_stdin ? stdin : fopen(path, "rb");
    if (!in)
        return kerr(KERR_IO, "%s: cannot open: %s", path, strerror(errno));
    const char *name = is_stdin ? "<stdin>" : path;
    long long size = 0;
    struct stat sb;
    if (!is_stdin && fstat(fileno(in), &sb) == 0 && S_ISREG(sb.st_mode))
        size = sb.st_size;
    progress = progress && isatty(fileno(errs));

    double t0 = now_s();
    struct arena arena;
    arena_init(&arena, 4 << 20);
    struct import_batch batch;
    import_batch_init(&batch, &prog, sec, &arena);
    struct receipt_set seen = {0};
    struct hash_set ids = {0};
    batch.guard = guard;
    batch.file_receipts = &seen;
    struct err_ctx ectx = {.out = errs, .file = name};
    struct csv_reader *csv = csv_new(in);
    struct csv_record rec;
    struct bureau_header hdr;
    struct bureau_row row;
    if (!csv) {
        err = KERR_NOMEM;
        goto out;
    }

    int rc = csv_next(csv, &rec);
    if (rc == 0) {
        report(&ectx, 1, "header", _("the file is empty (a header line is required)"));
        goto out;
    }
    if (rc < 0) {
        report_csv(&ectx, csv, NULL);
        goto out;
    }
    if (bureau_header_parse(&rec, &hdr, report, &ectx) != 0)
        goto out;
    while ((rc = csv_next(csv, &rec)) > 0) {
        if (bureau_row_parse(&hdr, &rec, &row, report, &ectx) != 0)
            continue;
        /* one ID number on two rows is one person twice: the bureau's
         * list is wrong (the value is personal data: never quoted back) */
        unsigned char idh[SECRET_HASH_BYTES];
        secret_lookup_hash(sec, row.id_number, idh);
        long twice = hset_add(&ids, &arena, idh, rec.line, &err);
        if (err)
            break;
        if (twice) {
            char msg[128];
            snprintf(msg, sizeof msg, _("the same ID number as line %ld (one person on two rows)"),
                     twice);
            report(&ectx, rec.line, "id_number", msg);
            continue;
        }
        const char *receipt = arena_strdup(&arena, row.receipt_no);
        if (!receipt) {
            err = KERR_NOMEM;
            break;
        }
        long first = rset_add(&seen, receipt, rec.line, &err);
        if (err)
            break;
        if (first) {
            char msg[128];
            snprintf(msg, sizeof msg, _("duplicate receipt number %s (first on line %ld)"),
                     row.receipt_no, first);
            report(&ectx, rec.line, "receipt_no", msg);
            continue;
        }
        /* once the file is known to be bad, only keep checking */
        if (ectx.count == 0 && (err = import_batch_add(&batch, &row)))
            break;
        if (progress && (seen.n & 0xffff) == 0)
            show_progress(errs, name, csv_offset(csv), size, (long long)seen.n, false);
    }
    secure_wipe(&row, sizeof row);
    if (rc < 0)
        report_csv(&ectx, csv, &hdr);
    if (progress)
        show_progress(errs, name, csv_offset(csv), size, (long long)seen.n, true);
    if (err || ectx.count)
        goto out;
    res->parse_seconds = now_s() - t0;
    /* the write is one transaction (all or nothing), so there is no partial
     * count to show; say what is happening rather than go quiet */
    if (progress) {
        fprintf(errs, _("%s: all %lld rows are valid; writing them in one transaction…"), name,
                (long long)batch.n);
        fflush(errs);
    }
    err = import_batch_commit(st, &batch, who, name, res);
    if (progress)
        fprintf(errs, err ? _(" failed\n") : _(" done (%.1f s)\n"), res->write_seconds);
out:
    res->errors = ectx.count;
    if (!err && ectx.count)
        /* two whole sentences, not a plural "s" argument: each is a message id */
        err = kerr(KERR_INPUT, ectx.count == 1 ? "%s: %lld problem found; nothing was imported"
                                               : "%s: %lld problems found; nothing was imported",
                   name, ectx.count);
    csv_free(&csv);
    free(seen.slot);
    free(ids.slot);
    import_batch_free(&batch);
    arena_release(&arena);
    if (!is_stdin)
        fclose(in);
    return err;
}

/* ---- export --------------------------------------------------------------- */

struct export_ctx {
    struct store *st;
    const struct secret *sec;
    const struct program *p;
    bool public_form;
    FILE *out;
    long long pos;
};

static void put_int_or_empty(FILE *out, int64_t v)
{
    if (v != NONE_I64)
        fprintf(out, "%lld", (long long)v);
}

static void put_date_or_empty(FILE *out, int64_t v)
{
    char d[11];
    if (v != NONE_I64) {
        date_format((int32_t)v, d);
        fputs(d, out);
    }
}

static int export_one(void *p, const struct entry_row *e)
{
    struct export_ctx *c = p;
    if (c->public_form) {
        if (e->status != ST_WAITING)
            return 0;
        fprintf(c->out, "%lld,", ++c->pos);
        csv_write_cell(c->out, e->receipt_no);
        fprintf(c->out, ",%d,", e->household_size);
        csv_write_cell(c->out, e->hukou_district);
        fputs("\r\n", c->out);
        return ferror(c->out) ? kerr(KERR_IO, "writing the export: %s", strerror(errno)) : 0;
    }
    char id[19], name[300];
    int err = queue_unseal(c->sec, e, id, name, sizeof name);
    if (err)
        return err;
    csv_write_cell(c->out, e->receipt_no);
    fprintf(c->out, ",%s,", id);
    csv_write_cell(c->out, name);
    secure_wipe(id, sizeof id);
    secure_wipe(name, sizeof name);
    fprintf(c->out, ",%d,", e->household_size);
    csv_write_cell(c->out, e->hukou_district);
    fprintf(c->out, ",%lld,", (long long)(e->key[OK_TIER] == NONE_I64 ? 0 : e->key[OK_TIER]));
    put_date_or_empty(c->out, e->key[OK_WAIT_SINCE]);
    fputc(',', c->out);
    put_date_or_empty(c->out, e->key[OK_INSURED_SINCE]);
    fputc(',', c->out);
    put_date_or_empty(c->out, e->key[OK_HUKOU_SINCE]);
    fputc(',', c->out);
    put_int_or_empty(c->out, e->key[OK_LOTTERY_NO]);
    fprintf(c->out, ",%s\r\n", entry_status_name(e->status));
    return ferror(c->out) ? kerr(KERR_IO, "writing the export: %s", strerror(errno)) : 0;
}

int export_queue(struct store *st, const struct secret *sec, const char *program_code, bool public_form,
                 FILE *out)
{
    struct program p;
    int err = st->ops->queue->program_get(st, program_code, &p);
    if (err)
        return err;
    if (public_form)
        fputs("position,receipt_no,household_size,hukou_district\r\n", out);
    else
        fputs("receipt_no,id_number,name,household_size,hukou_district,tier,wait_since,"
              "insured_since,hukou_since,lottery_no,status\r\n", out);
    struct export_ctx c = {.st = st, .sec = sec, .p = &p, .public_form = public_form, .out = out};
    /* a consistent snapshot: one read transaction for the whole export */
    if ((err = st->ops->begin_read(st)))
        return err;
    err = st->ops->queue->export_all(st, p.id, export_one, &c);
    store_rollback(st);
    if (!err && fflush(out) != 0)
        err = kerr(KERR_IO, "writing the export: %s", strerror(errno));
    return err;
}
