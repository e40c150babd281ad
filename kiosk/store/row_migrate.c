/* row_migrate.c — re-sealing fields bound to their row and sealing rows
 * of an older database (row_migrate.h).  Keyset pages of ids; each page is
 * read, then written, so no statement is stepped while another writes. */
#include "kiosk/store/row_migrate.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/store/row_seal.h"
#include "kiosk/store/sql_exec.h"

#define PAGE 256
#define SEALED_MAX 1024

struct rebind {
    long long id;
    int col;                       /* which field (an index into the table's list) */
    unsigned char sealed[SEALED_MAX];
    int len;
};

/* One sealed column of a table: where it is, how its row is named. */
struct field {
    const char *page_sql;   /* id, name parts, the field; id > $1 LIMIT $2 */
    const char *update_sql; /* SET field = $2 WHERE id = $1 */
    const char *bed_field;  /* NULL: an entry identity */
    enum row_table table;
};

static const struct field fields[] = {
    {"SELECT id, program_id, receipt_no, sealed FROM entry WHERE id > $1 ORDER BY id LIMIT $2",
     "UPDATE entry SET sealed = $2 WHERE id = $1", NULL, ROW_ENTRY},
    {"SELECT id, 0, ref, elder_sealed FROM bed_app WHERE id > $1 ORDER BY id LIMIT $2",
     "UPDATE bed_app SET elder_sealed = $2 WHERE id = $1", "elder", ROW_BED},
    {"SELECT id, 0, ref, agent_sealed FROM bed_app WHERE id > $1 ORDER BY id LIMIT $2",
     "UPDATE bed_app SET agent_sealed = $2 WHERE id = $1", "agent", ROW_BED},
    {"SELECT id, 0, ref, address_sealed FROM bed_app WHERE id > $1 ORDER BY id LIMIT $2",
     "UPDATE bed_app SET address_sealed = $2 WHERE id = $1", "address", ROW_BED},
    {"SELECT id, 0, ref, assessment FROM bed_app WHERE id > $1 ORDER BY id LIMIT $2",
     "UPDATE bed_app SET assessment = $2 WHERE id = $1", "assessment", ROW_BED},
};

/* A field that opens only unbound is sealed again bound to ad; *out_len 0
 * when it needs nothing (already bound, empty, or opens neither way). */
static void rebind_one(const struct secret *sec, const unsigned char *in, int len, const char *ad,
                       unsigned char *out, int *out_len)
{
    char plain[SEALED_MAX];
    size_t n = 0;
    *out_len = 0;
    if (len < SECRET_SEAL_OVERHEAD ||
        secret_open(sec, in, (size_t)len, ad, plain, sizeof plain, NULL) == 0 ||
        secret_open(sec, in, (size_t)len, NULL, plain, sizeof plain, &n) != 0) {
        sodium_memzero(plain, sizeof plain);
        return;
    }
    secret_seal(sec, plain, n, ad, out);
    *out_len = (int)(n + SECRET_SEAL_OVERHEAD);
    sodium_memzero(plain, sizeof plain);
}

static int rebind_field(struct store *st, const struct secret *sec, const struct field *f,
                        struct rebind *page, long long *rebound)
{
    const struct sql_exec_ops *x = sql_of(st);
    long long after = 0;
    for (;;) {
        struct sql_stmt *q = x->prepare(st, f->page_sql);
        if (!q)
            return KERR_DB;
        x->bind_int64(q, 1, after);
        x->bind_int64(q, 2, PAGE);
        int rc, got = 0, n = 0;
        while ((rc = x->step(q, "re-sealing fields")) == SQL_ROW) {
            unsigned char in[SEALED_MAX];
            char name[64], ad[SECRET_AD_MAX];
            after = x->col_int64(q, 0);
            got++;
            if (x->col_isnull(q, 3))
                continue;
            x->col_text(q, 2, name, sizeof name);
            if (f->bed_field)
                secret_ad_bed(ad, name, f->bed_field);
            else
                secret_ad_entry(ad, (int)x->col_int64(q, 1), name);
            int len = x->col_blob(q, 3, in, sizeof in);
            rebind_one(sec, in, len, ad, page[n].sealed, &page[n].len);
            if (page[n].len > 0)
                page[n++].id = after;
        }
        x->reset(q);
        if (rc < 0)
            return rc;
        for (int i = 0; i < n; i++) {
            if (!(q = x->prepare(st, f->update_sql)))
                return KERR_DB;
            x->bind_int64(q, 1, page[i].id);
            x->bind_blob(q, 2, page[i].sealed, page[i].len);
            int err = sql_done(x, q, "re-sealing fields");
            if (err || (err = row_seal_refresh(st, f->table, page[i].id)))
                return err;
        }
        *rebound += n;
        sodium_memzero(page, sizeof *page * PAGE);
        if (got < PAGE)
            return 0;
    }
}

int row_migrate(struct store *st, const struct secret *sec, long long *rebound, long long *sealed)
{
    *rebound = *sealed = 0;
    struct rebind *page = calloc(PAGE, sizeof *page);
    if (!page)
        return KERR_NOMEM;
    int err = 0;
    long long n;
    /* seal first, so re-sealing a field refreshes a seal that is there */
    for (int t = 0; t < ROW__COUNT && !err; t++) {
        err = row_seal_fill(st, (enum row_table)t, 0, &n);
        *sealed += n;
    }
    for (size_t i = 0; i < sizeof fields / sizeof fields[0] && !err; i++)
        err = rebind_field(st, sec, &fields[i], page, rebound);
    free(page);
    return err;
}
