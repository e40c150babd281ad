/* person.c — finding a person without plaintext on disk (person.h): name
 * and phone normalisation, the keyed index hashes, what a typed search is,
 * the search itself (one read snapshot) and the index's upkeep. */
#include "kiosk/person.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/eldercare.h"
#include "kiosk/err.h"
#include "kiosk/idnum.h"
#include "kiosk/queue.h"
#include "kiosk/secret.h"
#include "kiosk/store/bed_store.h"
#include "kiosk/store/store.h"

#define NORM_MAX 256
#define SYNC_BATCH 2000     /* rows per transaction while filling the index */
#define HITS_MAX PERSON_HITS_MAX

/* ---- normalisation -------------------------------------------------------------- */

/* One UTF-8 code point at s (advancing *len bytes); invalid bytes are
 * taken one at a time as themselves. */
static unsigned utf8_next(const unsigned char *s, int *len)
{
    if (s[0] < 0x80) {
        *len = 1;
        return s[0];
    }
    int n = (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    unsigned cp = n == 2 ? s[0] & 0x1F : n == 3 ? s[0] & 0x0F : s[0] & 0x07;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            n = 0;
            break;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (n == 0) {
        *len = 1;
        return 0xFFFD0000u | s[0];   /* marks a raw byte: copied as is */
    }
    *len = n;
    return cp;
}

int person_name_norm(const char *name, char *out, size_t cap)
{
    const unsigned char *s = (const unsigned char *)name;
    size_t o = 0;
    while (*s) {
        int len;
        unsigned cp = utf8_next(s, &len);
        bool drop = cp == ' ' || cp == '\t' || cp == 0x3000 || cp == 0x00B7 || cp == 0x2022 ||
                    cp == 0x30FB || cp == 0xFF65 || cp == 0x2027 || cp == '.' || cp == 0xFF0E;
        if (!drop) {
            char one[4];
            int n = 0;
            if (cp >= 0xFF01 && cp <= 0xFF5E)   /* full-width ASCII */
                cp -= 0xFEE0;
            if (cp < 0x80) {
                one[n++] = (char)toupper((int)cp);
            } else {
                memcpy(one, s, (size_t)len);
                n = len;
            }
            if (o + (size_t)n + 1 > cap)
                return kerr(KERR_INPUT, "name: too long to search for");
            memcpy(out + o, one, (size_t)n);
            o += (size_t)n;
        }
        s += len;
    }
    out[o] = '\0';
    if (o == 0)
        return kerr(KERR_INPUT, "name: empty");
    return 0;
}

int person_phone_norm(const char *phone, char *out, size_t cap)
{
    char d[32];
    size_t n = 0;
    for (const char *p = phone; *p; p++) {
        if (isdigit((unsigned char)*p)) {
            if (n + 1 >= sizeof d)
                return kerr(KERR_INPUT, "phone number: too many digits");
            d[n++] = *p;
        } else if (!strchr(" -+()", *p)) {
            return kerr(KERR_INPUT, "phone number: only digits, spaces, dashes and + belong in it");
        }
    }
    d[n] = '\0';
    const char *start = d;
    /* the country code: +86 13812345678, 0086…, 86… with 11 digits after */
    if (n == 15 && !strncmp(d, "0086", 4))
        start = d + 4;
    else if (n == 13 && !strncmp(d, "86", 2))
        start = d + 2;
    size_t len = strlen(start);
    if (len < 5 || len > 15)
        return kerr(KERR_INPUT, "phone number: 5 to 15 digits");
    if (len + 1 > cap)
        return kerr(KERR_INPUT, "phone number: too long");
    memcpy(out, start, len + 1);
    return 0;
}

int person_name_hash(const struct secret *sec, const char *name, unsigned char out[32])
{
    char norm[NORM_MAX];
    int err = person_name_norm(name, norm, sizeof norm);
    if (!err)
        secret_person_hash(sec, "name", norm, out);
    secure_wipe(norm, sizeof norm);
    return err;
}

int person_phone_hash(const struct secret *sec, const char *phone, unsigned char out[32])
{
    char norm[32];
    int err = person_phone_norm(phone, norm, sizeof norm);
    if (!err)
        secret_person_hash(sec, "phone", norm, out);
    secure_wipe(norm, sizeof norm);
    return err;
}

int person_query_kind(const char *text)
{
    if (!text[0])
        return 0;
    char id[IDNUM_LEN + 1];
    if (strlen(text) == IDNUM_LEN && idnum_normalise(text, id, NULL) == 0)
        return PQ_ID;
    size_t len = strlen(text);
    int digits = 0;
    for (const char *p = text; *p; p++)
        digits += isdigit((unsigned char)*p) != 0;
    /* digits with the marks people write phone numbers with */
    if (digits >= 5 && digits <= 15 && strspn(text, "0123456789 -+()") == len)
        return PQ_PHONE;
    /* one word of letters, digits and - / _ with a digit in it: a receipt number */
    if (digits && strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-/_") == len)
        return PQ_RECEIPT;
    return PQ_NAME;
}

/* ---- the search ------------------------------------------------------------------- */

/* What is found, as the store hands it over (one statement: person_search). */
struct find {
    const struct secret *sec;
    struct person_hit *hit;
    int n, cap;
    bool full;
    const char *street;         /* applications of this street only; NULL every street */
    const char *ref;            /* the reference typed (upper case), "" none */
    char refused[64];           /* the street of that application when not `street` */
    bool other_street;
};

static struct person_hit *new_hit(struct find *f)
{
    if (f->n >= HITS_MAX) {
        f->full = true;
        return NULL;
    }
    if (f->n == f->cap) {
        int ncap = f->cap ? f->cap * 2 : 16;
        struct person_hit *h = realloc(f->hit, sizeof *h * (size_t)ncap);
        if (!h)
            return NULL;
        f->hit = h;
        f->cap = ncap;
    }
    struct person_hit *h = &f->hit[f->n++];
    memset(h, 0, sizeof *h);
    return h;
}

/* An entry, with its programme's code read with it. */
static int on_entry(void *ctx, const struct entry_row *e, const char *code)
{
    struct find *f = ctx;
    struct person_hit *h = new_hit(f);
    if (!h)
        return f->full ? 0 : KERR_NOMEM;
    h->e = *e;
    memcpy(h->who, e->id_hash, sizeof h->who);
    snprintf(h->program, sizeof h->program, "%s", code);
    char id[19] = "", name[257] = "";
    if (queue_unseal(f->sec, e, id, name, sizeof name) == 0) {
        idnum_mask(id, h->id_masked, sizeof h->id_masked);
        name_mask(name, h->name_masked, sizeof h->name_masked);
    } else {
        strcpy(h->id_masked, "?");
        strcpy(h->name_masked, "?");
    }
    secure_wipe(id, sizeof id);
    secure_wipe(name, sizeof name);
    return 0;
}

/* "ID\tNAME…" out of an application's sealed elder field (bound to its
 * reference, secret_ad_bed), into id and name (wiped by the caller). */
static int open_pair(const struct secret *sec, const char *ref, const unsigned char *sealed,
                     int len, char id[19], char *name, size_t cap)
{
    char plain[BED_SEALED_MAX], ad[SECRET_AD_MAX];
    size_t n = 0;
    id[0] = name[0] = '\0';
    secret_ad_bed(ad, ref, "elder");
    if (len < SECRET_SEAL_OVERHEAD ||
        secret_open(sec, sealed, (size_t)len, ad, plain, sizeof plain - 1, &n) != 0) {
        secure_wipe(plain, sizeof plain);
        return KERR_CRYPTO;
    }
    plain[n] = '\0';
    char *tab = strchr(plain, '\t');
    if (tab) {
        *tab = '\0';
        char *tab2 = strchr(tab + 1, '\t');
        if (tab2)
            *tab2 = '\0';
        snprintf(name, cap, "%s", tab + 1);
    }
    size_t idn = strlen(plain);
    if (idn > 18)
        idn = 18;
    memcpy(id, plain, idn);
    id[idn] = '\0';
    secure_wipe(plain, sizeof plain);
    return 0;
}

static int on_bed(void *ctx, const struct bed_row *r)
{
    struct find *f = ctx;
    /* a street office's account finds its street's applications only; the
     * one whose reference was typed is remembered, to say why it is not shown */
    if (f->street && strcmp(r->street, f->street)) {
        if (f->ref && !strcmp(r->ref, f->ref)) {
            f->other_street = true;
            snprintf(f->refused, sizeof f->refused, "%s", r->street);
        }
        return 0;
    }
    struct person_hit *h = new_hit(f);
    if (!h)
        return f->full ? 0 : KERR_NOMEM;
    h->bed = true;
    snprintf(h->ref, sizeof h->ref, "%s", r->ref);
    snprintf(h->submitted_at, sizeof h->submitted_at, "%s", r->submitted_at);
    h->stage = r->stage;
    memcpy(h->who, r->elder_hash, sizeof h->who);
    char id[19], name[257];
    if (open_pair(f->sec, r->ref, r->elder_sealed, r->elder_sealed_len, id, name, sizeof name) == 0) {
        idnum_mask(id, h->id_masked, sizeof h->id_masked);
        name_mask(name, h->name_masked, sizeof h->name_masked);
    } else {
        strcpy(h->id_masked, "?");
        strcpy(h->name_masked, "?");
    }
    secure_wipe(id, sizeof id);
    secure_wipe(name, sizeof name);
    return 0;
}

/* The query for text of kind: its hashes in h[0] (ID or name) and h[1]
 * (the person index), the reference in ref (the text in upper case).  A
 * reference may have no digit in it (random letters): one ASCII word
 * searched as a name is tried as one too. */
static int make_query(const struct secret *sec, const char *text, int kind, const char *ref,
                      unsigned char h[2][32], struct person_seek *pq)
{
    int err;
    switch (kind) {
    case PQ_RECEIPT:
        pq->receipt_no = text;
        pq->ref = ref;
        return 0;
    case PQ_ID: {
        char id[IDNUM_LEN + 1];
        if ((err = idnum_normalise(text, id, NULL)))
            return err;
        secret_lookup_hash(sec, id, h[0]);
        secure_wipe(id, sizeof id);
        pq->id_hash = h[0];
        return 0;
    }
    case PQ_PHONE:   /* only applications carry a phone number (the agent's) */
        if ((err = person_phone_hash(sec, text, h[1])))
            return err;
        pq->index_hash = h[1];
        return 0;
    default:
        if ((err = person_name_hash(sec, text, h[0])))
            return err;
        pq->name_hash = pq->index_hash = h[0];
        if (strlen(text) <= 32 &&
            strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") == strlen(text))
            pq->ref = ref;
        return 0;
    }
}

int person_find(struct store *st, const struct secret *sec, const char *text, bool want_entries,
                bool want_beds, struct person_hit **hits, int *n, int *kind, bool *unindexed,
                bool *more)
{
    return person_find_as(st, sec, text, want_entries, want_beds, NULL, hits, n, kind, unindexed,
                          more);
}

/* Nothing shown, and the reference typed is another street's: refused, saying so. */
static int other_street(const struct find *f, const struct actor *who, int n)
{
    return n == 0 && f->other_street ? bed_street_allowed(who, f->refused, f->ref) : 0;
}

int person_find_as(struct store *st, const struct secret *sec, const char *text,
                   bool want_entries, bool want_beds, const struct actor *who,
                   struct person_hit **hits, int *n, int *kind, bool *unindexed, bool *more)
{
    char ref[33];
    size_t i = 0;
    for (; text[i] && i < sizeof ref - 1; i++)
        ref[i] = (char)toupper((unsigned char)text[i]);
    ref[i] = '\0';
    struct find f = {.sec = sec, .street = bed_actor_street(who), .ref = ref};
    *hits = NULL;
    *n = 0;
    *unindexed = false;
    *more = false;
    *kind = person_query_kind(text);
    if (!*kind)
        return kerr(KERR_INPUT, "nothing to search for");
    /* one statement whatever was typed (issue 13: the console's search is
     * one round trip; it was a read transaction of up to seven) */
    unsigned char h[2][32];
    struct person_seek pq = {.street = f.street, .entries = want_entries, .beds = want_beds};
    int err = make_query(sec, text, *kind, ref, h, &pq);
    if (!err)
        err = st->ops->bed->person_search(st, &pq, on_entry, on_bed, &f, unindexed);
    secure_wipe(h, sizeof h);
    if (err || (err = other_street(&f, who, f.n))) {
        *unindexed = false;
        person_hits_free(&f.hit, f.n);
        return err;
    }
    *hits = f.hit;
    *n = f.n;
    *more = f.full;
    return 0;
}

void person_hits_free(struct person_hit **hits, int n)
{
    if (*hits) {
        secure_wipe(*hits, sizeof **hits * (size_t)n);
        free(*hits);
    }
    *hits = NULL;
}

/* ---- the index's upkeep ----------------------------------------------------------- */

int person_index_bed(struct store *st, const struct secret *sec, long long app_id,
                     const char *elder_name, const char *agent_name, const char *agent_phone)
{
    const struct bed_store_ops *b = st->ops->bed;
    unsigned char h[32];
    int err = person_name_hash(sec, elder_name, h);
    if (err == KERR_INPUT) {
        /* an elder always has a name; index the placeholder so the row
         * does not count as "not yet indexed" forever */
        secret_person_hash(sec, "name", "", h);
        err = 0;
    }
    if (err || (err = b->person_add(st, app_id, PXK_ELDER_NAME, h)))
        return err;
    if (agent_name && agent_name[0] && person_name_hash(sec, agent_name, h) == 0 &&
        (err = b->person_add(st, app_id, PXK_AGENT_NAME, h)))
        return err;
    if (agent_phone && agent_phone[0] && person_phone_hash(sec, agent_phone, h) == 0 &&
        (err = b->person_add(st, app_id, PXK_AGENT_PHONE, h)))
        return err;
    kerr_clear();   /* a phone that does not normalise is simply not indexed */
    return 0;
}

struct sync {
    struct store *st;
    const struct secret *sec;
    long long last, done;
    int n;
};

static int sync_entry(void *ctx, const struct entry_row *e)
{
    struct sync *s = ctx;
    char id[19] = "", name[257] = "";
    unsigned char h[32];
    s->last = e->id;
    s->n++;
    int err = queue_unseal(s->sec, e, id, name, sizeof name);
    if (!err && person_name_hash(s->sec, name, h) != 0)
        secret_person_hash(s->sec, "name", "", h);
    secure_wipe(id, sizeof id);
    secure_wipe(name, sizeof name);
    if (err)
        return err;
    if ((err = store_queue(s->st)->set_name_hash(s->st, e->id, h)))
        return err;
    s->done++;
    return 0;
}

static int sync_bed(void *ctx, const struct bed_row *r)
{
    struct sync *s = ctx;
    char id[19], name[257], aid[19] = "", aname[257] = "", phone[64] = "";
    s->last = r->id;
    s->n++;
    int err = open_pair(s->sec, r->ref, r->elder_sealed, r->elder_sealed_len, id, name, sizeof name);
    if (err)
        return kerr(err, "application %s: cannot decrypt (wrong site secret?)", r->ref);
    if (r->has_agent) {
        char plain[BED_SEALED_MAX], ad[SECRET_AD_MAX];
        size_t n = 0;
        secret_ad_bed(ad, r->ref, "agent");
        if (r->agent_sealed_len >= SECRET_SEAL_OVERHEAD &&
            secret_open(s->sec, r->agent_sealed, (size_t)r->agent_sealed_len, ad, plain,
                        sizeof plain - 1, &n) == 0) {
            plain[n] = '\0';
            /* "ID\tNAME\tPHONE" */
            char *t1 = strchr(plain, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
            if (t1 && t2) {
                *t2 = '\0';
                snprintf(aname, sizeof aname, "%s", t1 + 1);
                snprintf(phone, sizeof phone, "%s", t2 + 1);
            }
        }
        secure_wipe(plain, sizeof plain);
    }
    err = person_index_bed(s->st, s->sec, r->id, name, aname, phone);
    secure_wipe(id, sizeof id);
    secure_wipe(name, sizeof name);
    secure_wipe(aid, sizeof aid);
    secure_wipe(aname, sizeof aname);
    secure_wipe(phone, sizeof phone);
    if (!err)
        s->done++;
    return err;
}

int person_index_sync(struct store *st, const struct secret *sec, long long *n_entries,
                      long long *n_apps)
{
    struct sync s = {.st = st, .sec = sec};
    int err = 0;
    for (int pass = 0; pass < 2 && !err; pass++) {
        s.last = 0;
        s.done = 0;
        do {
            s.n = 0;
            if ((err = store_begin(st)))
                break;
            err = pass == 0 ? store_queue(st)->entries_unindexed(st, s.last, SYNC_BATCH, sync_entry, &s)
                            : st->ops->bed->unindexed(st, s.last, SYNC_BATCH, sync_bed, &s);
            if (err) {
                store_rollback(st);
                break;
            }
            if ((err = store_commit(st)))
                break;
        } while (s.n == SYNC_BATCH);
        if (pass == 0 && n_entries)
            *n_entries = s.done;
        if (pass == 1 && n_apps)
            *n_apps = s.done;
    }
    return err;
}
