/* queue.c — queue policy: sort keys, views for residents, the change since
 * the last published list, the wait estimate and staff actions. */
#include "kiosk/queue.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/audit.h"
#include "kiosk/audit_detail.h"
#include "kiosk/bureau_row.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/idnum.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

/* ---- sort keys ------------------------------------------------------------ */

int queue_skey(const struct program *p, const int64_t key[OK__COUNT], const char *receipt_no,
               unsigned char out[QUEUE_SKEY_MAX])
{
    int n = 0;
    for (int i = 0; i < p->n_rule; i++) {
        int64_t v = key[p->rule[i]];
        if (v == NONE_I64) {
            out[n++] = 1;          /* empty: after every value */
            continue;
        }
        out[n++] = 0;
        uint64_t u = (uint64_t)v ^ (1ULL << 63);   /* signed → unsigned order */
        for (int b = 7; b >= 0; b--)
            out[n++] = (unsigned char)(u >> (8 * b));
    }
    size_t r = strlen(receipt_no);
    if (r > 32)
        r = 32;
    memcpy(out + n, receipt_no, r);
    return n + (int)r;
}

int queue_rule_parse(const char *text, struct program *p)
{
    p->n_rule = 0;
    unsigned seen = 0;
    const char *c = text;
    while (*c) {
        size_t n = strcspn(c, ",");
        char word[32];
        snprintf(word, sizeof word, "%.*s", (int)n, c);
        int key;
        if (order_key_parse(word, &key) != 0)
            return kerr(KERR_INPUT, "unknown ordering key '%s' (tier, wait_since, insured_since, "
                        "hukou_since, lottery_no)", word);
        if (seen & (1u << key))
            return kerr(KERR_INPUT, "ordering key '%s' given twice", word);
        seen |= 1u << key;
        p->rule[p->n_rule++] = key;
        c += n;
        if (*c == ',')
            c++;
    }
    return 0;
}

void queue_rule_text(const struct program *p, char *out, size_t cap)
{
    out[0] = '\0';
    for (int i = 0; i < p->n_rule; i++)
        snprintf(out + strlen(out), cap - strlen(out), "%s%s", i ? "," : "",
                 order_key_name(p->rule[i]));
}

/* ---- identities ----------------------------------------------------------- */

int queue_unseal(const struct secret *sec, const struct entry_row *e, char id[19], char *name,
                 unsigned long name_cap)
{
    char plain[400];
    size_t len = 0;
    char ad[SECRET_AD_MAX];   /* the identity opens only on the row it was sealed for */
    secret_ad_entry(ad, e->program_id, e->receipt_no);
    int err = secret_open(sec, e->sealed, (size_t)e->sealed_len, ad, plain, sizeof plain, &len);
    if (err) {
        secure_wipe(plain, sizeof plain);
        return kerr(KERR_CRYPTO, "entry %s: cannot decrypt the identity on this row (wrong site "
                    "secret, or copied from another row: run kioskctl check)", e->receipt_no);
    }
    /* sealed form: "ID_NUMBER\tNAME" */
    char *tab = memchr(plain, '\t', len);
    size_t idlen = tab ? (size_t)(tab - plain) : len;
    snprintf(id, 19, "%.*s", (int)(idlen > 18 ? 18 : idlen), plain);
    snprintf(name, name_cap, "%s", tab ? tab + 1 : "");
    secure_wipe(plain, sizeof plain);
    return 0;
}

/* ---- estimate ------------------------------------------------------------- */

static int cmp_int(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

bool queue_estimate(const int *monthly, int n, long long pos, int *lo_months, int *hi_months,
                    double *rate)
{
    int active = 0, sum = 0;
    int sorted[64];
    if (n > 64)
        n = 64;
    for (int i = 0; i < n; i++) {
        sum += monthly[i];
        active += monthly[i] > 0;
        sorted[i] = monthly[i];
    }
    *rate = n ? (double)sum / n : 0;
    if (active < 6 || sum == 0 || pos <= 0)
        return false;
    /* The range comes from the spread of the monthly rates: a good month
     * (upper quartile) gives the short end, a slow one (lower quartile, but
     * never below half the mean, so a few empty months do not make the
     * range endless) the long end. */
    qsort(sorted, (size_t)n, sizeof sorted[0], cmp_int);
    double fast = sorted[(3 * n) / 4], slow = sorted[n / 4];
    if (fast < *rate)
        fast = *rate;
    if (slow > *rate)
        slow = *rate;
    if (slow < *rate / 2)
        slow = *rate / 2;
    *lo_months = (int)ceil((double)pos / fast);
    *hi_months = (int)ceil((double)pos / slow);
    if (*lo_months < 1)
        *lo_months = 1;
    if (*hi_months < *lo_months)
        *hi_months = *lo_months;
    return true;
}

/* ---- views ---------------------------------------------------------------- */

/* The change since the published list, from the facts.  Left ahead by
 * cause and new ahead come from the store in O(log n); the rest of the
 * difference is re-ordering among the listed entries (keys changed), known
 * only as a net count: position_then − left + entered = position_now holds
 * exactly. */
static void fill_change(const struct entry_facts *f, struct queue_view *v)
{
    if (!f->has_pub)
        return;
    v->has_publication = true;
    snprintf(v->published_at, sizeof v->published_at, "%s", f->pub_at);
    v->position_then = f->position_then;
    if (f->e.changed_seq > f->pub_change_seq) {
        v->own_record_changed = true;   /* own key or status changed: no breakdown */
        return;
    }
    if (f->e.status != ST_WAITING || v->position_then <= 0)
        return;
    const struct change_counts *c = &f->counts;
    v->left_housed = c->left_housed;
    v->left_withdrawn = c->left_withdrawn;
    v->left_frozen = c->left_frozen;
    long long left = c->left_housed + c->left_withdrawn + c->left_frozen;
    long long net = v->position - (v->position_then - left) - c->new_ahead;
    v->entered_ahead = c->new_ahead + (net > 0 ? net : 0);
    v->moved_behind = net < 0 ? -net : 0;
}

_Static_assert(STORE_FACT_MONTHS == ESTIMATE_MONTHS, "the store reads the estimate's window");

/* The estimate window: the ESTIMATE_MONTHS full months before this one. */
static int estimate_window(char first_month[16])
{
    char now[32];
    store_now(now);
    int y, m;
    if (sscanf(now, "%d-%d", &y, &m) != 2)
        return kerr(KERR_USAGE, "bad clock value '%s'", now);
    int idx = y * 12 + (m - 1) - ESTIMATE_MONTHS;
    snprintf(first_month, 16, "%04d-%02d", (idx / 12) % 10000, (idx % 12 + 12) % 12 + 1);
    return 0;
}

int queue_view_from_facts(const struct secret *sec, const struct entry_facts *f,
                          const char *first_month, struct queue_view *v)
{
    const struct entry_row *e = &f->e;
    memset(v, 0, sizeof *v);
    snprintf(v->program, sizeof v->program, "%s", f->p.code);
    snprintf(v->program_zh, sizeof v->program_zh, "%s", f->p.name_zh);
    snprintf(v->program_en, sizeof v->program_en, "%s", f->p.name_en);
    snprintf(v->receipt_no, sizeof v->receipt_no, "%s", e->receipt_no);
    snprintf(v->hukou_district, sizeof v->hukou_district, "%s", e->hukou_district);
    v->status = e->status;
    v->household_size = e->household_size;
    v->refusals = e->refusals;
    v->refusal_limit = f->p.refusal_limit;
    v->n_rule = f->p.n_rule;
    memcpy(v->rule, f->p.rule, sizeof v->rule);
    for (int k = 0; k < OK__COUNT; k++) {
        if (e->key[k] == NONE_I64)
            v->key_text[k][0] = '\0';
        else if (k == OK_WAIT_SINCE || k == OK_INSURED_SINCE || k == OK_HUKOU_SINCE)
            date_format((int32_t)e->key[k], v->key_text[k]);
        else
            snprintf(v->key_text[k], sizeof v->key_text[k], "%lld", (long long)e->key[k]);
    }

    char id[19], name[300];
    int err = queue_unseal(sec, e, id, name, sizeof name);
    if (err)
        return err;
    idnum_mask(id, v->id_masked, sizeof v->id_masked);
    name_mask(name, v->name_masked, sizeof v->name_masked);
    secure_wipe(id, sizeof id);
    secure_wipe(name, sizeof name);

    v->total = f->total;
    v->position = e->status == ST_WAITING ? f->position : 0;
    fill_change(f, v);
    snprintf(v->first_month, sizeof v->first_month, "%s", first_month);
    memcpy(v->monthly, f->monthly, sizeof v->monthly);
    long long pos = v->position ? v->position : 0;
    v->has_estimate = queue_estimate(v->monthly, ESTIMATE_MONTHS, pos, &v->estimate_lo_months,
                                     &v->estimate_hi_months, &v->housed_per_month);
    return 0;
}

struct facts_ctx {
    const struct secret *sec;
    const char *first_month;
    const char *last6;        /* for the typed look-up, else NULL */
    int program_id;           /* 0 = any */
    struct queue_view *out;
    int cap, n;
};

static int collect_facts(void *p, const struct entry_facts *f)
{
    struct facts_ctx *c = p;
    if (c->program_id && f->e.program_id != c->program_id)
        return 0;
    if (c->last6) {
        char id[19], name[300];
        int err = queue_unseal(c->sec, &f->e, id, name, sizeof name);
        bool ok = !err && idnum_last6_matches(id, c->last6);
        secure_wipe(id, sizeof id);
        secure_wipe(name, sizeof name);
        if (err)
            return err;
        if (!ok)
            return 0;
    }
    if (c->n >= c->cap)
        return 0;
    return queue_view_from_facts(c->sec, f, c->first_month, &c->out[c->n++]);
}

/* One statement (queue_store_ops.facts) for every view a look-up shows. */
static int views_of(struct store *st, struct facts_query *fq, struct facts_ctx *c)
{
    int err = estimate_window(fq->first_month);
    if (err)
        return err;
    c->first_month = fq->first_month;
    return st->ops->queue->facts(st, fq, collect_facts, c);
}

int queue_view_of(struct store *st, const struct secret *sec, const struct entry_row *e,
                  struct queue_view *v)
{
    struct facts_query fq = {.by = FACTS_BY_ENTRY, .entry_id = e->id};
    struct facts_ctx c = {.sec = sec, .out = v, .cap = 1};
    int err = views_of(st, &fq, &c);
    if (!err && c.n == 0)
        err = kerr(KERR_NOTFOUND, "no entry with receipt number %s", e->receipt_no);
    return err;
}

struct page_ctx {
    const struct secret *sec;
    const char *first_month;
    struct entry_row *e;
    struct queue_view *v;
    int *view_err;
    bool found;
    int (*ev_cb)(void *ctx, const struct entry_event *ev);
    void *ctx;
};

static int page_facts(void *p, const struct entry_facts *f)
{
    struct page_ctx *c = p;
    c->found = true;
    *c->e = f->e;
    *c->view_err = queue_view_from_facts(c->sec, f, c->first_month, c->v);
    return 0;
}

static int page_event(void *p, const struct entry_event *ev)
{
    struct page_ctx *c = p;
    return c->ev_cb(c->ctx, ev);
}

int queue_entry_page(struct store *st, const struct secret *sec, struct entry_row *e,
                     struct queue_view *v, int *view_err,
                     int (*ev_cb)(void *ctx, const struct entry_event *ev), void *ctx)
{
    struct facts_query fq = {.by = FACTS_BY_ENTRY, .entry_id = e->id, .event_cb = page_event};
    int err = estimate_window(fq.first_month);
    if (err)
        return err;
    struct page_ctx c = {.sec = sec, .first_month = fq.first_month, .e = e, .v = v,
                         .view_err = view_err, .ev_cb = ev_cb, .ctx = ctx};
    *view_err = 0;
    err = st->ops->queue->facts(st, &fq, page_facts, &c);
    if (!err && !c.found)
        err = kerr(KERR_NOTFOUND, "no entry with receipt number %s", e->receipt_no);
    return err;
}

int queue_views_by_hash(struct store *st, const struct secret *sec,
                        const unsigned char hash[SECRET_HASH_BYTES], struct queue_view *out,
                        int cap, int *n)
{
    struct facts_query fq = {.by = FACTS_BY_HASH, .hash = hash};
    struct facts_ctx c = {.sec = sec, .out = out, .cap = cap};
    int err = views_of(st, &fq, &c);
    *n = c.n;
    return err;
}

void queue_view_wipe(struct queue_view *v, int n)
{
    secure_wipe(v, sizeof *v * (size_t)n);
}

static int program_filter(struct store *st, const char *code, int *id)
{
    *id = 0;
    if (!code)
        return 0;
    struct program p;
    int err = st->ops->queue->program_get(st, code, &p);
    if (!err)
        *id = p.id;
    return err;
}

int queue_lookup_id(struct store *st, const struct secret *sec, const char *id_number,
                    const char *program_code, struct queue_view *out, int cap, int *n)
{
    char norm[IDNUM_LEN + 1];
    const char *why = NULL;
    *n = 0;
    if (idnum_normalise(id_number, norm, &why) != 0)
        return kerr(KERR_INPUT, "ID number: %s", why ? why : "not valid");
    struct facts_ctx c = {.sec = sec, .out = out, .cap = cap};
    int err = program_filter(st, program_code, &c.program_id);
    if (err)
        return err;
    unsigned char h[SECRET_HASH_BYTES];
    secret_lookup_hash(sec, norm, h);
    secure_wipe(norm, sizeof norm);
    struct facts_query fq = {.by = FACTS_BY_HASH, .hash = h};
    err = views_of(st, &fq, &c);
    *n = c.n;
    if (!err && c.n == 0)
        err = kerr(KERR_NOTFOUND, "no queue entry for this person");
    return err;
}

int queue_lookup_receipt(struct store *st, const struct secret *sec, const char *receipt_no,
                         const char *id_last6, const char *program_code, struct queue_view *out,
                         int cap, int *n)
{
    *n = 0;
    if (!id_last6 || strlen(id_last6) != 6)
        return kerr(KERR_USAGE, "--id-last6 needs the last 6 characters of the ID number");
    struct facts_ctx c = {.sec = sec, .last6 = id_last6, .out = out, .cap = cap};
    int err = program_filter(st, program_code, &c.program_id);
    if (err)
        return err;
    struct facts_query fq = {.by = FACTS_BY_RECEIPT, .receipt_no = receipt_no};
    err = views_of(st, &fq, &c);
    *n = c.n;
    if (!err && c.n == 0)
        err = kerr(KERR_NOTFOUND, "no entry matches this receipt number and ID digits");
    return err;
}

/* ---- staff actions -------------------------------------------------------- */

static const char *const action_names[QA__COUNT] = {
    "offer", "accept", "refuse", "freeze", "unfreeze", "withdraw", "remove", "reinstate",
};

const char *queue_action_name(int action)
{
    return action >= 0 && action < QA__COUNT ? action_names[action] : "unknown";
}

const char *queue_status_label(int status)
{
    switch (status) {
    case ST_WAITING: return _("waiting");
    case ST_FROZEN: return _("frozen (waiting paused)");
    case ST_OFFERED: return _("offered a flat");
    case ST_HOUSED: return _("housed");
    case ST_WITHDRAWN: return _("withdrawn");
    case ST_REMOVED: return _("removed from the list");
    default: return "?";
    }
}

const char *queue_status_short(int status)
{
    switch (status) {
    case ST_WAITING: return _("waiting");
    case ST_FROZEN: return _("frozen");
    case ST_OFFERED: return _("offered");
    case ST_HOUSED: return _("housed");
    case ST_WITHDRAWN: return _("withdrawn");
    case ST_REMOVED: return _("removed");
    default: return "?";
    }
}

const char *queue_action_label(int action)
{
    switch (action) {
    case QA_OFFER: return _("Offer a flat");
    case QA_ACCEPT: return _("Record acceptance (housed)");
    case QA_REFUSE: return _("Record a refusal");
    case QA_FREEZE: return _("Freeze");
    case QA_UNFREEZE: return _("Unfreeze");
    case QA_WITHDRAW: return _("Withdraw");
    case QA_REMOVE: return _("Remove");
    case QA_REINSTATE: return _("Reinstate");
    default: return "?";
    }
}

int queue_action_parse(const char *s, int *action)
{
    for (int i = 0; i < QA__COUNT; i++)
        if (strcmp(s, action_names[i]) == 0) {
            *action = i;
            return 0;
        }
    return kerr(KERR_USAGE, "unknown action '%s' (offer, accept, refuse, freeze, unfreeze, "
                "withdraw, remove, reinstate)", s);
}

/* The statuses each action may start from (a bit per status), and where it leads. */
static const struct {
    unsigned from;
    int to;
} action_rules[QA__COUNT] = {
    [QA_OFFER]     = {1u << ST_WAITING, ST_OFFERED},
    [QA_ACCEPT]    = {1u << ST_OFFERED, ST_HOUSED},
    [QA_REFUSE]    = {1u << ST_OFFERED, ST_WAITING},   /* or removed at the limit */
    [QA_FREEZE]    = {(1u << ST_WAITING) | (1u << ST_OFFERED), ST_FROZEN},
    [QA_UNFREEZE]  = {1u << ST_FROZEN, ST_WAITING},
    [QA_WITHDRAW]  = {(1u << ST_WAITING) | (1u << ST_OFFERED) | (1u << ST_FROZEN), ST_WITHDRAWN},
    [QA_REMOVE]    = {(1u << ST_WAITING) | (1u << ST_OFFERED) | (1u << ST_FROZEN) |
                      (1u << ST_WITHDRAWN), ST_REMOVED},
    [QA_REINSTATE] = {(1u << ST_WITHDRAWN) | (1u << ST_REMOVED), ST_WAITING},
};

bool queue_action_allowed(int action, int status)
{
    return action >= 0 && action < QA__COUNT && status >= 0 && status < ST__COUNT &&
           (action_rules[action].from & (1u << status));
}

int queue_staff_action(struct store *st, const struct secret *sec, const struct actor *who,
                       const char *program_code, const char *receipt_no, int action,
                       const char *reason, int *new_status)
{
    const struct queue_store_ops *q = st->ops->queue;
    if (action < 0 || action >= QA__COUNT)
        return kerr(KERR_USAGE, "unknown action");
    if (!(who->roles & ROLE_HOUSING))
        return kerr(KERR_REFUSED, "%s may not %s queue entries (needs the housing role)",
                    who->name, action_names[action]);
    if (!reason || !*reason)
        return kerr(KERR_USAGE, "a reason is required to %s an entry", action_names[action]);

    struct program p;
    struct entry_row e;
    /* beside other staff actions, bed submissions and heartbeats: only the
     * program is this action's (its lock before the entry is read, so the
     * status decided on is the current one), then the audit head */
    int err = store_begin_as(st, STORE_WRITE_SHARED);
    if (err)
        return err;
    if ((err = q->program_get(st, program_code, &p)) ||
        (err = store_lock(st, STORE_LOCK_PROGRAM, p.id)) ||
        (err = q->entry_get(st, p.id, receipt_no, &e)))
        goto fail;
    if (!queue_action_allowed(action, e.status)) {
        err = kerr(KERR_STAGE, "cannot %s entry %s: it is %s", action_names[action], receipt_no,
                   entry_status_name(e.status));
        goto fail;
    }
    int from = e.status, to = action_rules[action].to, refusals = e.refusals;
    if (action == QA_REFUSE) {
        refusals++;
        if (refusals >= p.refusal_limit)
            to = ST_REMOVED;     /* the configured limit of refusals reached */
    }
    if ((err = q->set_status(st, &e, to, refusals)))
        goto fail;
    struct entry_event ev = {.entry_id = e.id, .program_id = p.id, .from_status = from,
                             .to_status = to};
    store_now(ev.at);
    snprintf(ev.actor, sizeof ev.actor, "%s", who->name);
    snprintf(ev.action, sizeof ev.action, "%s", action_names[action]);
    if (action == QA_REFUSE && to == ST_REMOVED)
        snprintf(ev.reason, sizeof ev.reason, "%s (refusal %d of %d: removed)", reason, refusals,
                 p.refusal_limit);
    else
        snprintf(ev.reason, sizeof ev.reason, "%s", reason);
    char object[96];
    snprintf(object, sizeof object, "entry %s/%s", p.code, receipt_no);
    if ((err = q->event_add(st, &ev)) ||
        (err = audit_append(st, sec, who->name, action_names[action], object, AD_QUEUE_STEP,
                            entry_status_name(from), entry_status_name(to), ev.reason)) ||
        (err = store_commit(st)))
        goto fail;
    if (new_status)
        *new_status = to;
    return 0;
fail:
    store_rollback(st);
    return err;
}

int queue_publish(struct store *st, const struct secret *sec, const struct actor *who,
                  const char *program_code, long long *total)
{
    const struct queue_store_ops *q = st->ops->queue;
    if (!(who->roles & (ROLE_HOUSING | ROLE_ADMIN)))
        return kerr(KERR_REFUSED, "%s may not publish lists", who->name);
    struct program p;
    struct publication pub;
    char now[32];
    store_now(now);
    int err = store_begin(st);
    if (err)
        return err;
    if ((err = q->program_get(st, program_code, &p)) ||
        (err = q->publish(st, p.id, now, who->name, &pub)) ||
        (err = audit_append(st, sec, who->name, "publish", p.code, AD_PUBLISH,
                            pub.id, pub.total)) ||
        (err = store_commit(st))) {
        store_rollback(st);
        return err;
    }
    *total = pub.total;
    return 0;
}
