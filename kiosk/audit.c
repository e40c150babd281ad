/* audit.c — append to and verify the keyed hash chain, and anchor its head
 * outside the database (see audit.h). */
#include "kiosk/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "kiosk/err.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

static void put_field(crypto_generichash_state *h, const char *s)
{
    unsigned char len[4];
    size_t n = strlen(s);
    len[0] = (unsigned char)(n >> 24);
    len[1] = (unsigned char)(n >> 16);
    len[2] = (unsigned char)(n >> 8);
    len[3] = (unsigned char)n;
    crypto_generichash_update(h, len, 4);
    crypto_generichash_update(h, (const unsigned char *)s, n);
}

static void put_be(crypto_generichash_state *h, unsigned long long v, int bytes)
{
    unsigned char b[8];
    for (int i = 0; i < bytes; i++)
        b[i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
    crypto_generichash_update(h, b, (size_t)bytes);
}

/* Hashed as before lanes: every SQLite record, every record from before
 * lanes (see audit.h). */
static int old_formula(const struct audit_rec *r) { return r->lane == 0 && r->seq == r->lane_seq; }

static void chain_hash(const struct secret *sec, const unsigned char prev[32],
                       const struct audit_rec *r, unsigned char out[32])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, sec->audit, sizeof sec->audit, 32);
    crypto_generichash_update(&h, prev, 32);
    if (!old_formula(r)) {
        crypto_generichash_update(&h, (const unsigned char *)"lane", 4);
        put_be(&h, (unsigned long long)(unsigned)r->lane, 4);
        put_be(&h, (unsigned long long)r->lane_seq, 8);
    }
    put_be(&h, (unsigned long long)r->seq, 8);
    put_field(&h, r->at);
    put_field(&h, r->actor);
    put_field(&h, r->action);
    put_field(&h, r->object);
    put_field(&h, r->detail);
    crypto_generichash_final(&h, out, 32);
}

/* The tag on a lane's head: a different domain ("head") so a record hash can
 * never be replayed as a head tag; lane L > 0 "head:L:SEQ:".  A lane 0
 * message "head:SEQ:" + 32 bytes equal to a lane's would need SEQ = L (the
 * digits up to the first ':') and then be shorter by "SEQ:": never. */
static void head_tag(const struct secret *sec, int lane, long long seq,
                     const unsigned char hash[32], char hex[65])
{
    char msg[64 + 32];
    int n = lane ? snprintf(msg, sizeof msg, "head:%d:%lld:", lane, seq)
                 : snprintf(msg, sizeof msg, "head:%lld:", seq);
    unsigned char buf[sizeof msg + 32], tag[32];
    memcpy(buf, msg, (size_t)n);
    memcpy(buf + n, hash, 32);
    crypto_generichash(tag, sizeof tag, buf, (size_t)n + 32, sec->audit, sizeof sec->audit);
    sodium_bin2hex(hex, 65, tag, sizeof tag);
}

/* A lane's head in meta: 'audit_head' (lane 0, as before lanes), 'audit_head/L'. */
static void head_key(int lane, char key[32])
{
    if (lane)
        snprintf(key, 32, "audit_head/%d", lane);
    else
        snprintf(key, 32, "audit_head");
}

/* ---- the anchor outside the database ---------------------------------------- */

/* The head appended by the transaction in progress (one per thread: each
 * thread has its own connection and transaction; a transaction keeps to one
 * lane). */
static _Thread_local struct {
    const struct secret *sec;
    int lane;
    long long seq;
    unsigned char hash[32];
} pending;

int audit_anchor_exists(const struct secret *sec, char *path, size_t cap)
{
    snprintf(path, cap, "%s.head", sec->path);
    return access(path, F_OK) == 0;
}

/* One line: "[reset ][L/]SEQ:TAG" (no "L/" for lane 0). */
static int anchor_write(const struct secret *sec, int lane, long long seq,
                        const unsigned char hash[32], int reset)
{
    char path[600], tag[65] = "-", line[160], where[16] = "";
    audit_anchor_exists(sec, path, sizeof path);
    if (seq > 0)
        head_tag(sec, lane, seq, hash, tag);
    if (lane)
        snprintf(where, sizeof where, "%d/", lane);
    int n = snprintf(line, sizeof line, "%s%s%lld:%s\n", reset ? "reset " : "", where, seq, tag);
    /* syslog first: it is the copy a local attacker cannot take back */
    syslog(LOG_AUTHPRIV | LOG_NOTICE, "kiosk audit %s%s%lld:%s (%s)", reset ? "reset " : "head ",
           where, seq, tag, path);
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return kerr(KERR_IO, "%s: cannot open the audit anchor: %s", path, strerror(errno));
    int err = 0;
    /* one write() of a short line with O_APPEND: lines of concurrent
     * processes never interleave */
    if (write(fd, line, (size_t)n) != n || fsync(fd) != 0)
        err = kerr(KERR_IO, "%s: cannot write the audit anchor: %s", path, strerror(errno));
    close(fd);
    return err;
}

int audit_anchor_write(const struct secret *sec, long long seq, const unsigned char hash[32],
                       int reset)
{
    return anchor_write(sec, 0, seq, hash, reset);
}

void audit_anchor_committed(void)
{
    if (!pending.sec)
        return;
    const struct secret *sec = pending.sec;
    pending.sec = NULL;
    if (anchor_write(sec, pending.lane, pending.seq, pending.hash, 0) != 0) {
        syslog(LOG_AUTHPRIV | LOG_ERR, "kiosk audit: %s", kerr_detail());
        fprintf(stderr, "warning: %s\n", kerr_detail());
    }
}

void audit_anchor_forget(void) { pending.sec = NULL; }

int audit_anchor_parse(const char *line, struct audit_anchor_line *out)
{
    memset(out, 0, sizeof *out);
    out->reset = strncmp(line, "reset ", 6) == 0;
    const char *p = line + (out->reset ? 6 : 0);
    /* strtoll would take a sign and leading blanks: an anchor has neither */
    if (*p < '0' || *p > '9')
        return KERR_TAMPER;
    char *end;
    long long seq = strtoll(p, &end, 10);
    if (*end == '/') {   /* "L/SEQ": a lane other than 0 */
        if (seq < 1 || seq >= AUDIT_LANES || end[1] < '0' || end[1] > '9')
            return KERR_TAMPER;
        out->lane = (int)seq;
        p = end + 1;
        seq = strtoll(p, &end, 10);
    }
    size_t taglen = *end == ':' ? strcspn(end + 1, "\n") : 0;
    if (end == p || *end != ':' || seq < 0 || !(taglen == 64 || (seq == 0 && taglen == 1)) ||
        (taglen == 1 && end[1] != '-'))
        return KERR_TAMPER;
    out->seq = seq;
    memcpy(out->tag, end + 1, taglen);
    out->tag[taglen] = '\0';
    return 0;
}

/* The anchor's heads, in file order after resets are applied. */
struct anchor_line {
    int lane;
    long long seq;
    char tag[65];
    int line;
};

struct anchor {
    struct anchor_line *v;
    size_t n, cap;
    char path[600];
};

static int anchor_load(const struct secret *sec, struct anchor *a)
{
    memset(a, 0, sizeof *a);
    if (!audit_anchor_exists(sec, a->path, sizeof a->path))
        return KERR_NOTFOUND;
    FILE *f = fopen(a->path, "r");
    if (!f)
        return kerr(KERR_IO, "%s: cannot read the audit anchor: %s", a->path, strerror(errno));
    char buf[200];
    int lineno = 0, err = 0;
    while (fgets(buf, sizeof buf, f)) {
        lineno++;
        struct audit_anchor_line h;
        if (audit_anchor_parse(buf, &h) != 0) {
            err = kerr(KERR_TAMPER, "%s:%d: not an audit head line (the anchor was edited)",
                       a->path, lineno);
            break;
        }
        if (h.reset) {   /* a restore: the lane's heads of the old history above it no longer count */
            size_t keep = 0;
            for (size_t i = 0; i < a->n; i++)
                if (a->v[i].lane != h.lane || a->v[i].seq <= h.seq)
                    a->v[keep++] = a->v[i];
            a->n = keep;
        }
        if (h.seq == 0)
            continue;
        if (a->n == a->cap) {
            size_t ncap = a->cap ? a->cap * 2 : 64;
            void *nv = realloc(a->v, ncap * sizeof *a->v);
            if (!nv) {
                err = KERR_NOMEM;
                break;
            }
            a->v = nv;
            a->cap = ncap;
        }
        struct anchor_line *l = &a->v[a->n++];
        l->lane = h.lane;
        l->seq = h.seq;
        l->line = lineno;
        memcpy(l->tag, h.tag, sizeof l->tag);
    }
    fclose(f);
    return err;
}

/* Take a lane for r and read where it ends: r's lane, lane_seq and seq, and
 * prev, the hash it chains from.  Each lane is one line through its writers:
 * the lane's head is locked from here to the commit (on PostgreSQL a SHARED
 * writer's lock, taken as late as it can be, on whichever lane is free; the
 * lane's last record is read after the lock, under READ COMMITTED, so it is
 * the last holder's), so two appenders never both extend the same head. */
static int take_lane(struct store *st, struct audit_rec *r, unsigned char prev[32])
{
    struct audit_rec last;
    bool found;
    int err;
    if (st->ops->audit_take) {
        err = st->ops->audit_take(st, AUDIT_LANES, &r->lane, &r->seq, &last, &found);
    } else {
        /* one writer (SQLite): lane 0, and the global order is lane 0's */
        r->lane = 0;
        err = st->ops->audit_lane_last(st, 0, &last);
        found = err == 0;
        if (err == KERR_NOTFOUND)
            err = 0;
    }
    if (err)
        return err;
    r->lane_seq = found ? last.lane_seq + 1 : 1;
    if (found)
        memcpy(prev, last.hash, 32);
    if (!st->ops->audit_take)
        r->seq = r->lane_seq;
    return 0;
}

int audit_append(struct store *st, const struct secret *sec, const char *actor, const char *action,
                 const char *object, const char *detail_fmt, ...)
{
    struct audit_rec r;
    memset(&r, 0, sizeof r);
    unsigned char prev[32] = {0};
    int err = take_lane(st, &r, prev);
    if (err)
        return err;
    store_now(r.at);
    snprintf(r.actor, sizeof r.actor, "%s", actor);
    snprintf(r.action, sizeof r.action, "%s", action);
    snprintf(r.object, sizeof r.object, "%s", object);
    va_list ap;
    va_start(ap, detail_fmt);
    vsnprintf(r.detail, sizeof r.detail, detail_fmt, ap);
    va_end(ap);
    chain_hash(sec, prev, &r, r.hash);
    char tag[65], head[128], key[32];
    head_tag(sec, r.lane, r.lane_seq, r.hash, tag);
    snprintf(head, sizeof head, "%lld:%s", r.lane_seq, tag);
    head_key(r.lane, key);
    /* the record and the lane's head: one statement where the backend can */
    if (st->ops->audit_put)
        err = st->ops->audit_put(st, &r, key, head);
    else if (!(err = st->ops->audit_append(st, &r)))
        err = st->ops->meta_set(st, key, head);
    if (err)
        return err;
    /* published to the anchor by store_commit, forgotten by a rollback */
    pending.sec = sec;
    pending.lane = r.lane;
    pending.seq = r.lane_seq;
    memcpy(pending.hash, r.hash, 32);
    return 0;
}

/* Where each lane ends: its last lane_seq and hash. */
struct lane_end {
    long long n;
    unsigned char head[32];
};

struct verify_ctx {
    const struct secret *sec;
    long long bad;
    struct lane_end *end;           /* [AUDIT_LANES] */
    const struct anchor *anchor;    /* sorted by (lane, seq); NULL: chain only */
    size_t next;                    /* the first anchor line not yet reached */
    const struct anchor_line *mismatch;
};

static int key_cmp(int lane_a, long long seq_a, int lane_b, long long seq_b)
{
    if (lane_a != lane_b)
        return lane_a < lane_b ? -1 : 1;
    return (seq_a > seq_b) - (seq_a < seq_b);
}

static int verify_one(void *p, const struct audit_rec *r)
{
    struct verify_ctx *v = p;
    if (r->lane < 0 || r->lane >= AUDIT_LANES) {
        v->bad = r->lane_seq;
        return kerr(KERR_TAMPER, "audit record %lld is in lane %d, which no writer uses "
                    "(inserted or moved)", r->seq, r->lane);
    }
    /* the walk is in (lane, lane_seq) order: each lane from its record 1 */
    struct lane_end *e = &v->end[r->lane];
    if (r->lane_seq != e->n + 1) {
        v->bad = e->n + 1;
        if (r->lane)
            return kerr(KERR_TAMPER, "audit lane %d record %lld is missing (found %lld next: "
                        "deleted or renumbered)", r->lane, e->n + 1, r->lane_seq);
        return kerr(KERR_TAMPER, "audit record %lld is missing (found %lld next: deleted or "
                    "renumbered)", e->n + 1, r->lane_seq);
    }
    unsigned char h[32];
    chain_hash(v->sec, e->head, r, h);
    if (sodium_memcmp(h, r->hash, 32) != 0) {
        v->bad = r->lane_seq;
        if (r->lane)
            return kerr(KERR_TAMPER, "audit lane %d record %lld does not match its hash (edited, "
                        "reordered, moved or inserted)", r->lane, r->lane_seq);
        return kerr(KERR_TAMPER, "audit record %lld does not match its hash (edited, reordered "
                    "or inserted)", r->lane_seq);
    }
    /* every head the anchor saw at this record must be this one; lines
     * before it that matched no record are a lane's lost tail (verify) */
    const struct anchor *a = v->anchor;
    for (; a && v->next < a->n &&
           key_cmp(a->v[v->next].lane, a->v[v->next].seq, r->lane, r->lane_seq) <= 0; v->next++) {
        if (key_cmp(a->v[v->next].lane, a->v[v->next].seq, r->lane, r->lane_seq) < 0)
            continue;
        char tag[65];
        head_tag(v->sec, r->lane, r->lane_seq, r->hash, tag);
        if (!v->mismatch && sodium_memcmp(tag, a->v[v->next].tag, 64) != 0)
            v->mismatch = &a->v[v->next];
    }
    memcpy(e->head, r->hash, 32);
    e->n = r->lane_seq;
    return 0;
}

static int cmp_anchor(const void *a, const void *b)
{
    const struct anchor_line *x = a, *y = b;
    int c = key_cmp(x->lane, x->seq, y->lane, y->seq);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* A lane's head in meta against where the walk found the lane to end. */
static int check_head(struct store *st, const struct secret *sec, int lane,
                      const struct lane_end *e, long long *bad_seq)
{
    char meta[128], key[32];
    head_key(lane, key);
    int err = st->ops->meta_get(st, key, meta, sizeof meta);
    if (err == KERR_NOTFOUND) {
        if (e->n == 0)
            return 0;
        if (lane)
            return kerr(KERR_TAMPER, "the head of audit lane %d is missing from the database", lane);
        return kerr(KERR_TAMPER, "the audit head record is missing from the database");
    }
    if (err)
        return err;
    char tag[65], expect[128];
    head_tag(sec, lane, e->n, e->head, tag);
    snprintf(expect, sizeof expect, "%lld:%s", e->n, tag);
    if (strcmp(meta, expect) == 0)
        return 0;
    *bad_seq = e->n + 1;
    if (lane)
        return kerr(KERR_TAMPER, "audit lane %d ends at record %lld but its head says %.*s: "
                    "records were cut off the end", lane, e->n, (int)strcspn(meta, ":"), meta);
    return kerr(KERR_TAMPER, "the audit trail ends at record %lld but the head says %.*s: "
                "records were cut off the end", e->n, (int)strcspn(meta, ":"), meta);
}

/* The anchor against where each lane ends: a line the walk did not match
 * (a head that is no longer the trail's), or a lane that ends before a head
 * the anchor saw. */
static int check_anchor(const struct anchor *anchor, const struct verify_ctx *v,
                        long long *bad_seq)
{
    if (v->mismatch) {
        *bad_seq = v->mismatch->seq;
        if (v->mismatch->lane)
            return kerr(KERR_TAMPER, "audit lane %d record %lld is not the one the anchor %s:%d "
                        "recorded: the trail was rewritten or the database replaced",
                        v->mismatch->lane, v->mismatch->seq, anchor->path, v->mismatch->line);
        return kerr(KERR_TAMPER, "audit record %lld is not the one the anchor %s:%d recorded: the "
                    "trail was rewritten or the database replaced", v->mismatch->seq,
                    anchor->path, v->mismatch->line);
    }
    /* sorted by (lane, seq): a lane's last line is the highest head it saw */
    for (size_t i = 0; i < anchor->n; i++) {
        const struct anchor_line *l = &anchor->v[i];
        if (i + 1 < anchor->n && anchor->v[i + 1].lane == l->lane)
            continue;
        long long n = v->end[l->lane].n;
        if (l->seq <= n)
            continue;
        *bad_seq = n + 1;
        if (l->lane)
            return kerr(KERR_TAMPER, "audit lane %d ends at record %lld but the anchor %s:%d saw "
                        "record %lld: records were deleted or the database was rolled back",
                        l->lane, n, anchor->path, l->line, l->seq);
        return kerr(KERR_TAMPER, "the audit trail ends at record %lld but the anchor %s:%d saw "
                    "record %lld: records were deleted or the database was rolled back "
                    "(a restore would have been recorded)", n, anchor->path, l->line, l->seq);
    }
    return 0;
}

static int verify_in(struct store *st, const struct secret *sec, const struct anchor *anchor,
                     struct lane_end end[AUDIT_LANES], long long *n, long long *bad_seq)
{
    memset(end, 0, AUDIT_LANES * sizeof *end);
    struct verify_ctx v = {.sec = sec, .end = end, .anchor = anchor};
    *n = 0;
    *bad_seq = 0;
    int err = st->ops->audit_walk(st, verify_one, &v);
    if (err) {
        *bad_seq = v.bad;
        return err;
    }
    for (int l = 0; l < AUDIT_LANES; l++)
        *n += end[l].n;
    for (int l = 0; l < AUDIT_LANES; l++)
        if ((err = check_head(st, sec, l, &end[l], bad_seq)))
            return err;
    return anchor ? check_anchor(anchor, &v, bad_seq) : 0;
}

/* The walk and the heads in ONE snapshot: otherwise a writer committing
 * between the walk and the read of its lane's head looks like records cut
 * off the end.  The anchor was read before: every head in it had committed
 * before the snapshot. */
static int verify(struct store *st, const struct secret *sec, const struct anchor *anchor,
                  struct lane_end end[AUDIT_LANES], long long *n, long long *bad_seq)
{
    int err = st->ops->begin_read(st);
    if (err)
        return err;
    err = verify_in(st, sec, anchor, end, n, bad_seq);
    st->ops->rollback(st);   /* read only: nothing to keep */
    return err;
}

int audit_verify_chain(struct store *st, const struct secret *sec, long long *n,
                       long long *bad_seq, unsigned char head[32])
{
    struct lane_end end[AUDIT_LANES];
    int err = verify(st, sec, NULL, end, n, bad_seq);
    if (!err && head)
        memcpy(head, end[0].head, 32);
    return err;
}

int audit_anchor_start(struct store *st, const struct secret *sec, long long *n)
{
    struct lane_end end[AUDIT_LANES];
    long long bad;
    int err = verify(st, sec, NULL, end, n, &bad);
    if (!err)
        err = anchor_write(sec, 0, end[0].n, end[0].head, 1);
    for (int l = 1; !err && l < AUDIT_LANES; l++)
        if (end[l].n > 0)
            err = anchor_write(sec, l, end[l].n, end[l].head, 0);
    return err;
}

int audit_verify(struct store *st, const struct secret *sec, long long *n, long long *bad_seq)
{
    struct anchor a;
    int err = anchor_load(sec, &a);
    if (err && err != KERR_NOTFOUND) {
        *n = *bad_seq = 0;
        free(a.v);
        return err;
    }
    int missing = err == KERR_NOTFOUND;
    if (a.n > 1)
        qsort(a.v, a.n, sizeof *a.v, cmp_anchor);
    struct lane_end end[AUDIT_LANES];
    err = verify(st, sec, missing ? NULL : &a, end, n, bad_seq);
    free(a.v);
    if (!err && missing && *n > 0)
        /* the file secret_create made beside the key is gone: the one
         * record a wholesale wipe of database and anchor would leave */
        err = kerr(KERR_TAMPER, "the audit anchor %s is missing (deleted?): the trail cannot be "
                   "checked against it; if the site secret was moved without it, copy it back",
                   a.path);
    return err;
}
