/* row_seal.c — the row seal (row_seal.h): what is sealed per table, the
 * byte stream hashed, and sealing rows after the store writes them.
 *
 * The stream: "kiosk-row-seal-1", the table name, then per sealed column
 * 'N' for NULL, 'I' + 8 bytes little-endian for an integer, 'B' + 4-byte
 * length + bytes for text or a blob.  Text and blobs are hashed alike, so a
 * backend returning one as the other changes nothing.  An 'o' column
 * (optional text: the street, migration 015) is hashed like text when it
 * is set and not at all when it is '' — so every row sealed before the
 * column existed (street '') keeps its seal, with no re-sealing pass and no
 * moment when rows stand unsealed, while setting, changing or clearing a
 * street behind the programs' back changes the stream. */
#include "kiosk/store/row_seal.h"

#include <sodium.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/secret.h"
#include "kiosk/store/sql_exec.h"

#define ENTRY_COLS "program_id, receipt_no, id_hash, sealed, household_size, hukou_district, " \
                   "tier, wait_since, insured_since, hukou_since, lottery_no, status, refusals"
#define STAFF_COLS "name, pwhash, roles, org_id, disabled, failed_logins, locked_until, street"
#define BED_COLS "ref, elder_hash, elder_sealed, agent_hash, agent_sealed, address_sealed, " \
                 "services, stage, provider_org_id, built_by, accepted_by, assessed_by, "    \
                 "assessment, reassess_due, street"

/* Every statement, per table (static texts: the executor caches by address). */
static const struct table_sql {
    struct row_seal_cols cols;
    /* unsealed: rows with a NULL seal after id $2 (all of the table, or of
     * program $1 for entries: its own statement, so the partial index
     * entry_unsealed serves it — an OR of both kept SQLite scanning the
     * table once per page, minutes at 1M rows) */
    const char *by_id, *update, *unsealed, *unsealed_prog;
} tables[ROW__COUNT] = {
    [ROW_ENTRY] = {{"entry", "itbbitiiiiiii",
                    "SELECT id, rowmac, " ENTRY_COLS ", skey FROM entry WHERE id > $1 ORDER BY id "
                    "LIMIT $2"},
                   "SELECT " ENTRY_COLS " FROM entry WHERE id = $1",
                   "UPDATE entry SET rowmac = $2 WHERE id = $1",
                   "SELECT id, " ENTRY_COLS " FROM entry WHERE rowmac IS NULL AND id > $2 AND "
                   "$1::integer IS NOT NULL "
                   "ORDER BY id LIMIT $3",
                   "SELECT id, " ENTRY_COLS " FROM entry WHERE rowmac IS NULL AND "
                   "program_id = $1::integer AND id > $2 ORDER BY id LIMIT $3"},
    [ROW_STAFF] = {{"staff", "ttiiiito",
                    "SELECT id, rowmac, " STAFF_COLS " FROM staff WHERE id > $1 ORDER BY id "
                    "LIMIT $2"},
                   "SELECT " STAFF_COLS " FROM staff WHERE id = $1",
                   "UPDATE staff SET rowmac = $2 WHERE id = $1",
                   "SELECT id, " STAFF_COLS " FROM staff WHERE rowmac IS NULL AND id > $2 AND "
                   "$1::integer IS NOT NULL "
                   "ORDER BY id LIMIT $3", NULL},
    [ROW_BED] = {{"bed_app", "tbbbbbiiiiiibto",
                  "SELECT id, rowmac, " BED_COLS " FROM bed_app WHERE id > $1 ORDER BY id "
                  "LIMIT $2"},
                 "SELECT " BED_COLS " FROM bed_app WHERE id = $1",
                 "UPDATE bed_app SET rowmac = $2 WHERE id = $1",
                 "SELECT id, " BED_COLS " FROM bed_app WHERE rowmac IS NULL AND id > $2 AND "
                   "$1::integer IS NOT NULL "
                 "ORDER BY id LIMIT $3", NULL},
};

const struct row_seal_cols *row_seal_cols(enum row_table t) { return &tables[t].cols; }

/* ---- the stream ------------------------------------------------------------ */

struct mac {
    crypto_generichash_state h;
};

static int mac_begin(struct mac *m, enum row_table t)
{
    const struct secret *sec = secret_current();
    if (!sec)
        return kerr(KERR_SECRET, "no site secret loaded: the %s row cannot be sealed",
                    tables[t].cols.table);
    crypto_generichash_init(&m->h, sec->row, sizeof sec->row, ROW_SEAL_BYTES);
    static const char tag[] = "kiosk-row-seal-1";
    crypto_generichash_update(&m->h, (const unsigned char *)tag, sizeof tag);
    const char *name = tables[t].cols.table;
    crypto_generichash_update(&m->h, (const unsigned char *)name, strlen(name) + 1);
    return 0;
}

static void mac_null(struct mac *m)
{
    crypto_generichash_update(&m->h, (const unsigned char *)"N", 1);
}

static void mac_int(struct mac *m, long long v)
{
    unsigned char b[9] = {'I'};
    for (int i = 0; i < 8; i++)
        b[1 + i] = (unsigned char)((unsigned long long)v >> (8 * i));
    crypto_generichash_update(&m->h, b, sizeof b);
}

static void mac_bytes(struct mac *m, const void *p, size_t n)
{
    unsigned char b[5] = {'B'};
    for (int i = 0; i < 4; i++)
        b[1 + i] = (unsigned char)(n >> (8 * i));
    crypto_generichash_update(&m->h, b, sizeof b);
    crypto_generichash_update(&m->h, p, n);
}

static void mac_text(struct mac *m, const char *s) { mac_bytes(m, s, strlen(s)); }

static void mac_end(struct mac *m, unsigned char out[32])
{
    crypto_generichash_final(&m->h, out, ROW_SEAL_BYTES);
}

int row_seal_of_stmt(enum row_table t, const struct sql_exec_ops *x, struct sql_stmt *q, int first,
                     unsigned char out[32])
{
    struct mac m;
    int err = mac_begin(&m, t);
    if (err)
        return err;
    const char *types = tables[t].cols.types;
    unsigned char buf[1024];
    for (int i = 0; types[i]; i++) {
        int col = first + i;
        if (x->col_isnull(q, col)) {
            mac_null(&m);
        } else if (types[i] == 'i') {
            mac_int(&m, x->col_int64(q, col));
        } else if (types[i] == 't' || types[i] == 'o') {
            x->col_text(q, col, (char *)buf, sizeof buf);
            if (types[i] == 't' || buf[0])
                mac_text(&m, (const char *)buf);
        } else {
            int n = x->col_blob(q, col, buf, sizeof buf);
            mac_bytes(&m, buf, (size_t)(n < 0 ? 0 : n));
        }
    }
    sodium_memzero(buf, sizeof buf);
    mac_end(&m, out);
    return 0;
}

void row_seal_bulk_entry(int program_id, const struct bulk_row *r, unsigned char out[32])
{
    struct mac m;
    if (mac_begin(&m, ROW_ENTRY)) {
        memset(out, 0, ROW_SEAL_BYTES);   /* no secret: check will name the row */
        return;
    }
    /* the same values, in the same order and NULL-ness, as bind_row binds */
    mac_int(&m, program_id);
    mac_text(&m, r->receipt_no);
    mac_bytes(&m, r->id_hash, 32);
    mac_bytes(&m, r->sealed, (size_t)r->sealed_len);
    mac_int(&m, r->household_size);
    mac_text(&m, r->hukou_district ? r->hukou_district : "");
    for (int k = 0; k < OK__COUNT; k++) {
        int64_t v = k == OK_TIER && r->key[k] == NONE_I64 ? 0 : r->key[k];
        if (v == NONE_I64)
            mac_null(&m);
        else
            mac_int(&m, v);
    }
    mac_int(&m, r->status);
    mac_int(&m, 0);   /* refusals: a new or merged row's are kept; see the merge */
    mac_end(&m, out);
}

/* ---- sealing what the store wrote ------------------------------------------ */

int row_seal_refresh(struct store *st, enum row_table t, long long id)
{
    const struct sql_exec_ops *x = sql_of(st);
    struct sql_stmt *q = x->prepare(st, tables[t].by_id);
    if (!q)
        return KERR_DB;
    x->bind_int64(q, 1, id);
    unsigned char mac[ROW_SEAL_BYTES];
    int rc = x->step(q, "sealing a row");
    if (rc == SQL_ROW)
        rc = row_seal_of_stmt(t, x, q, 0, mac);
    else if (rc == SQL_DONE)
        rc = kerr(KERR_DB, "sealing %s row %lld: it is gone", tables[t].cols.table, id);
    x->reset(q);
    if (rc)
        return rc;
    if (!(q = x->prepare(st, tables[t].update)))
        return KERR_DB;
    x->bind_int64(q, 1, id);
    x->bind_blob(q, 2, mac, sizeof mac);
    return sql_done(x, q, "sealing a row");
}

#define FILL_PAGE 512

int row_seal_fill(struct store *st, enum row_table t, int program_id, long long *n)
{
    const struct sql_exec_ops *x = sql_of(st);
    long long ids[FILL_PAGE];                      /* one page: read, then written */
    unsigned char macs[FILL_PAGE][ROW_SEAL_BYTES];
    long long after = 0;
    *n = 0;
    for (;;) {
        const char *sql = program_id > 0 && tables[t].unsealed_prog ? tables[t].unsealed_prog
                                                                   : tables[t].unsealed;
        struct sql_stmt *q = x->prepare(st, sql);
        if (!q)
            return KERR_DB;
        x->bind_int64(q, 1, program_id);
        x->bind_int64(q, 2, after);
        x->bind_int64(q, 3, FILL_PAGE);
        int rc, got = 0, err = 0;
        while (!err && (rc = x->step(q, "sealing rows")) == SQL_ROW) {
            ids[got] = x->col_int64(q, 0);
            err = row_seal_of_stmt(t, x, q, 1, macs[got]);
            got++;
        }
        x->reset(q);
        if (err)
            return err;
        if (rc < 0)
            return rc;
        if (got > 0)
            after = ids[got - 1];
        for (int i = 0; i < got; i++) {
            if (!(q = x->prepare(st, tables[t].update)))
                return KERR_DB;
            x->bind_int64(q, 1, ids[i]);
            x->bind_blob(q, 2, macs[i], ROW_SEAL_BYTES);
            if ((err = sql_done(x, q, "sealing rows")))
                return err;
        }
        *n += got;
        if (got < FILL_PAGE)
            return 0;
    }
}
