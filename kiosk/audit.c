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

static void chain_hash(const struct secret *sec, const unsigned char prev[32],
                       const struct audit_rec *r, unsigned char out[32])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, sec->audit, sizeof sec->audit, 32);
    crypto_generichash_update(&h, prev, 32);
    unsigned char seq[8];
    for (int i = 0; i < 8; i++)
        seq[i] = (unsigned char)((unsigned long long)r->seq >> (56 - 8 * i));
    crypto_generichash_update(&h, seq, 8);
    put_field(&h, r->at);
    put_field(&h, r->actor);
    put_field(&h, r->action);
    put_field(&h, r->object);
    put_field(&h, r->detail);
    crypto_generichash_final(&h, out, 32);
}

/* The tag on the head: a different domain ("head") so a record hash can
 * never be replayed as a head tag. */
static void head_tag(const struct secret *sec, long long seq, const unsigned char hash[32],
                     char hex[65])
{
    char msg[64 + 32];
    int n = snprintf(msg, sizeof msg, "head:%lld:", seq);
    unsigned char buf[sizeof msg + 32], tag[32];
    memcpy(buf, msg, (size_t)n);
    memcpy(buf + n, hash, 32);
    crypto_generichash(tag, sizeof tag, buf, (size_t)n + 32, sec->audit, sizeof sec->audit);
    sodium_bin2hex(hex, 65, tag, sizeof tag);
}

/* ---- the anchor outside the database ---------------------------------------- */

/* The head appended by the transaction in progress (one per thread: each
 * thread has its own connection and transaction). */
static _Thread_local struct {
    const struct secret *sec;
    long long seq;
    unsigned char hash[32];
} pending;

int audit_anchor_exists(const struct secret *sec, char *path, size_t cap)
{
    snprintf(path, cap, "%s.head", sec->path);
    return access(path, F_OK) == 0;
}

int audit_anchor_write(const struct secret *sec, long long seq, const unsigned char hash[32],
                       int reset)
{
    char path[600], tag[65] = "-", line[160];
    audit_anchor_exists(sec, path, sizeof path);
    if (seq > 0)
        head_tag(sec, seq, hash, tag);
    int n = snprintf(line, sizeof line, "%s%lld:%s\n", reset ? "reset " : "", seq, tag);
    /* syslog first: it is the copy a local attacker cannot take back */
    syslog(LOG_AUTHPRIV | LOG_NOTICE, "kiosk audit %s%lld:%s (%s)", reset ? "reset " : "head ",
           seq, tag, path);
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

void audit_anchor_committed(void)
{
    if (!pending.sec)
        return;
    const struct secret *sec = pending.sec;
    pending.sec = NULL;
    if (audit_anchor_write(sec, pending.seq, pending.hash, 0) != 0) {
        syslog(LOG_AUTHPRIV | LOG_ERR, "kiosk audit: %s", kerr_detail());
        fprintf(stderr, "warning: %s\n", kerr_detail());
    }
}

void audit_anchor_forget(void) { pending.sec = NULL; }

/* The anchor's heads, in file order after resets are applied. */
struct anchor_line {
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
        int reset = strncmp(buf, "reset ", 6) == 0;
        const char *p = buf + (reset ? 6 : 0);
        char *end;
        long long seq = strtoll(p, &end, 10);
        size_t taglen = *end == ':' ? strcspn(end + 1, "\n") : 0;
        if (end == p || *end != ':' || seq < 0 || !(taglen == 64 || (seq == 0 && taglen == 1))) {
            err = kerr(KERR_TAMPER, "%s:%d: not an audit head line (the anchor was edited)",
                       a->path, lineno);
            break;
        }
        if (reset) {   /* a restore: heads of the old history above it no longer count */
            size_t keep = 0;
            for (size_t i = 0; i < a->n; i++)
                if (a->v[i].seq <= seq)
                    a->v[keep++] = a->v[i];
            a->n = keep;
        }
        if (seq == 0)
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
        l->seq = seq;
        l->line = lineno;
        memcpy(l->tag, end + 1, 64);
        l->tag[64] = '\0';
    }
    fclose(f);
    return err;
}
int audit_append(struct store *st, const struct secret *sec, const char *actor, const char *action,
                 const char *object, const char *detail_fmt, ...)
{
    struct audit_rec last, r;
    unsigned char prev[32] = {0};
    long long seq = 1;
    /* The chain is one line through every writer: the head is locked from
     * here to the commit (on PostgreSQL a SHARED writer's lock, taken as late
     * as it can be; under READ COMMITTED the read below then sees the last
     * holder's record), so two appenders never both extend the same head. */
    int err = store_lock(st, STORE_LOCK_AUDIT_HEAD, 0);
    if (err)
        return err;
    err = st->ops->audit_last(st, &last);
    if (err == 0) {
        memcpy(prev, last.hash, 32);
        seq = last.seq + 1;
    } else if (err != KERR_NOTFOUND) {
        return err;
    }
    memset(&r, 0, sizeof r);
    r.seq = seq;
    store_now(r.at);
    snprintf(r.actor, sizeof r.actor, "%s", actor);
    snprintf(r.action, sizeof r.action, "%s", action);
    snprintf(r.object, sizeof r.object, "%s", object);
    va_list ap;
    va_start(ap, detail_fmt);
    vsnprintf(r.detail, sizeof r.detail, detail_fmt, ap);
    va_end(ap);
    chain_hash(sec, prev, &r, r.hash);
    if ((err = st->ops->audit_append(st, &r)))
        return err;
    char tag[65], head[128];
    head_tag(sec, r.seq, r.hash, tag);
    snprintf(head, sizeof head, "%lld:%s", r.seq, tag);
    if ((err = st->ops->meta_set(st, "audit_head", head)))
        return err;
    /* published to the anchor by store_commit, forgotten by a rollback */
    pending.sec = sec;
    pending.seq = r.seq;
    memcpy(pending.hash, r.hash, 32);
    return 0;
}

struct verify_ctx {
    const struct secret *sec;
    unsigned char prev[32];
    long long expect;
    long long bad;
    const struct anchor *anchor;    /* sorted by seq; NULL: chain only */
    size_t next;                    /* the first anchor line not yet reached */
    const struct anchor_line *mismatch;
};

static int verify_one(void *p, const struct audit_rec *r)
{
    struct verify_ctx *v = p;
    if (r->seq != v->expect) {
        v->bad = v->expect;
        return kerr(KERR_TAMPER, "audit record %lld is missing (found %lld next: deleted or "
                    "renumbered)", v->expect, r->seq);
    }
    unsigned char h[32];
    chain_hash(v->sec, v->prev, r, h);
    if (sodium_memcmp(h, r->hash, 32) != 0) {
        v->bad = r->seq;
        return kerr(KERR_TAMPER, "audit record %lld does not match its hash (edited, reordered "
                    "or inserted)", r->seq);
    }
    /* every head the anchor saw at this sequence number must be this one */
    for (; v->anchor && v->next < v->anchor->n && v->anchor->v[v->next].seq == r->seq; v->next++) {
        char tag[65];
        head_tag(v->sec, r->seq, r->hash, tag);
        if (!v->mismatch && sodium_memcmp(tag, v->anchor->v[v->next].tag, 64) != 0)
            v->mismatch = &v->anchor->v[v->next];
    }
    memcpy(v->prev, r->hash, 32);
    v->expect++;
    return 0;
}

static int cmp_anchor(const void *a, const void *b)
{
    long long x = ((const struct anchor_line *)a)->seq, y = ((const struct anchor_line *)b)->seq;
    return (x > y) - (x < y);
}

static int verify(struct store *st, const struct secret *sec, const struct anchor *anchor,
                  long long *n, long long *bad_seq, unsigned char head[32])
{
    struct verify_ctx v = {.sec = sec, .expect = 1, .anchor = anchor};
    *n = 0;
    *bad_seq = 0;
    int err = st->ops->audit_each(st, 1, verify_one, &v);
    if (err) {
        *bad_seq = v.bad;
        return err;
    }
    *n = v.expect - 1;
    if (head)
        memcpy(head, v.prev, 32);
    char meta[128];
    err = st->ops->meta_get(st, "audit_head", meta, sizeof meta);
    if (err == KERR_NOTFOUND) {
        if (*n > 0)
            return kerr(KERR_TAMPER, "the audit head record is missing from the database");
    } else if (err) {
        return err;
    } else {
        char tag[65];
        head_tag(sec, *n, v.prev, tag);
        char expect[128];
        snprintf(expect, sizeof expect, "%lld:%s", *n, tag);
        if (strcmp(meta, expect) != 0) {
            *bad_seq = *n + 1;
            return kerr(KERR_TAMPER, "the audit trail ends at record %lld but the head says %.*s: "
                        "records were cut off the end", *n, (int)strcspn(meta, ":"), meta);
        }
    }
    if (!anchor)
        return 0;
    if (v.mismatch) {
        *bad_seq = v.mismatch->seq;
        return kerr(KERR_TAMPER, "audit record %lld is not the one the anchor %s:%d recorded: "
                    "the trail was rewritten or the database replaced", v.mismatch->seq,
                    anchor->path, v.mismatch->line);
    }
    if (anchor->n > 0 && anchor->v[anchor->n - 1].seq > *n) {
        const struct anchor_line *last = &anchor->v[anchor->n - 1];
        *bad_seq = *n + 1;
        return kerr(KERR_TAMPER, "the audit trail ends at record %lld but the anchor %s:%d saw "
                    "record %lld: records were deleted or the database was rolled back "
                    "(a restore would have been recorded)", *n, anchor->path, last->line,
                    last->seq);
    }
    return 0;
}

int audit_verify_chain(struct store *st, const struct secret *sec, long long *n,
                       long long *bad_seq, unsigned char head[32])
{
    return verify(st, sec, NULL, n, bad_seq, head);
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
    err = verify(st, sec, missing ? NULL : &a, n, bad_seq, NULL);
    free(a.v);
    if (!err && missing && *n > 0)
        /* the file secret_create made beside the key is gone: the one
         * record a wholesale wipe of database and anchor would leave */
        err = kerr(KERR_TAMPER, "the audit anchor %s is missing (deleted?): the trail cannot be "
                   "checked against it; if the site secret was moved without it, copy it back",
                   a.path);
    return err;
}
