/* audit.c — append to and verify the keyed hash chain (see audit.h). */
#include "kiosk/audit.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

int audit_append(struct store *st, const struct secret *sec, const char *actor, const char *action,
                 const char *object, const char *detail_fmt, ...)
{
    struct audit_rec last, r;
    unsigned char prev[32] = {0};
    long long seq = 1;
    int err = st->ops->audit_last(st, &last);
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
    return st->ops->meta_set(st, "audit_head", head);
}

struct verify_ctx {
    const struct secret *sec;
    unsigned char prev[32];
    long long expect;
    long long bad;
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
    memcpy(v->prev, r->hash, 32);
    v->expect++;
    return 0;
}

int audit_verify(struct store *st, const struct secret *sec, long long *n, long long *bad_seq)
{
    struct verify_ctx v = {.sec = sec, .expect = 1};
    *n = 0;
    *bad_seq = 0;
    int err = st->ops->audit_each(st, 1, verify_one, &v);
    if (err) {
        *bad_seq = v.bad;
        return err;
    }
    *n = v.expect - 1;
    char head[128];
    err = st->ops->meta_get(st, "audit_head", head, sizeof head);
    if (err == KERR_NOTFOUND) {
        if (*n == 0)
            return 0;
        return kerr(KERR_TAMPER, "the audit head record is missing from the database");
    }
    if (err)
        return err;
    char tag[65];
    head_tag(sec, *n, v.prev, tag);
    char expect[128];
    snprintf(expect, sizeof expect, "%lld:%s", *n, tag);
    if (strcmp(head, expect) != 0) {
        *bad_seq = *n + 1;
        return kerr(KERR_TAMPER, "the audit trail ends at record %lld but the head says %.*s: "
                    "records were cut off the end", *n, (int)strcspn(head, ":"), head);
    }
    return 0;
}
