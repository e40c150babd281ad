/* kiosk_status.c — kiosks' device states, shared through the store
 * (kiosk_status.h).  Policy only: validation, ordering and the fleet's words
 * (shared by kioskctl kiosks and the console); the SQL is in
 * kiosk/store/status_engine.c behind store_ops.status. */
#include "kiosk/kiosk_status.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/store/store.h"

static const char *const state_names[KDEV__COUNT] = {
    "absent", "ready", "paper_out", "paper_low", "fault", "not_answering",
};

const char *ksam_state_name(int state)
{
    static const char *const names[KSAM__COUNT] = {"unknown", "ok", "fault"};
    return state >= 0 && state < KSAM__COUNT ? names[state] : "unknown";
}

const char *kdev_state_name(int state)
{
    return state >= 0 && state < KDEV__COUNT ? state_names[state] : "unknown";
}

const char *kdev_state_label(int state)
{
    static const char *const labels[KDEV__COUNT] = {
        N_("not connected"), N_("ready"), N_("out of paper"), N_("paper low"), N_("fault"),
        N_("not answering"),
    };
    return _(state >= 0 && state < KDEV__COUNT ? labels[state] : "unknown");
}

const char *ksam_state_label(int state)
{
    static const char *const labels[KSAM__COUNT] = {N_("unknown"), N_("ok"), N_("fault")};
    return _(state >= 0 && state < KSAM__COUNT ? labels[state] : "unknown");
}

bool kiosk_status_needs_paper(const struct kiosk_status_row *r)
{
    return r->printer_state == KDEV_PAPER_OUT || r->printer_state == KDEV_PAPER_LOW;
}

bool kiosk_status_needs_attention(const struct kiosk_status_row *r)
{
    return r->printer_state != KDEV_READY || r->reader_state != KDEV_READY ||
           r->sam_state == KSAM_FAULT;
}

long long kiosk_status_age(const struct kiosk_status_row *r, long long now)
{
    if (r->beat_at <= 0)
        return -1;
    return now > r->beat_at ? now - r->beat_at : 0;
}

int kiosk_status_db_note(const struct kiosk_status_row *r, long long now, int silent_after)
{
    if (r->db_lost_to <= 0 || r->db_lost_from <= 0)
        return KDB_NONE;
    if (kiosk_status_silent(r, now, silent_after))
        return r->beat_at - r->db_lost_to <= KDB_RECENT_S ? KDB_SILENT_AWAY : KDB_NONE;
    return now - r->db_lost_to <= KDB_RECENT_S ? KDB_WAS_AWAY : KDB_NONE;
}

const char *kiosk_age_text(long long seconds, char *buf, size_t cap)
{
    if (seconds < 0)
        snprintf(buf, cap, "%s", _("never"));
    else if (seconds < 120)
        snprintf(buf, cap, _("%lld s"), seconds);
    else if (seconds < 7200)
        snprintf(buf, cap, _("%lld min"), seconds / 60);
    else if (seconds < 172800)
        snprintf(buf, cap, _("%lld h"), seconds / 3600);
    else
        snprintf(buf, cap, _("%lld d"), seconds / 86400);
    return buf;
}

const char *kiosk_status_db_text(const struct kiosk_status_row *r, long long now,
                                 int silent_after, char *buf, size_t cap)
{
    buf[0] = '\0';
    int note = kiosk_status_db_note(r, now, silent_after);
    if (note == KDB_NONE || r->db_lost_to < r->db_lost_from)
        return buf;
    time_t a = (time_t)r->db_lost_from, b = (time_t)r->db_lost_to;
    struct tm ta, tb;
    char from[32], to[32], span[32];
    localtime_r(&a, &ta);
    localtime_r(&b, &tb);
    strftime(from, sizeof from, "%m-%d %H:%M:%S", &ta);   /* the note lasts a day */
    strftime(to, sizeof to, "%H:%M:%S", &tb);
    kiosk_age_text((long long)(b - a), span, sizeof span);
    /* the silent one is a likelihood (a silent kiosk cannot say), hence the "?" */
    snprintf(buf, cap,
             note == KDB_SILENT_AWAY ? _("silent: database unreachable? (lost it %s to %s, %s)")
                                     : _("database unreachable %s to %s, %s"),
             from, to, span);
    return buf;
}

bool kiosk_status_silent(const struct kiosk_status_row *r, long long now, int silent_after)
{
    long long age = kiosk_status_age(r, now);
    return age < 0 || age > silent_after;
}

/* Lower sorts first: what a clerk should walk over to see first. */
static int urgency(const struct kiosk_status_row *r)
{
    if (r->printer_state == KDEV_PAPER_OUT)
        return 0;
    if (kiosk_status_needs_attention(r) && r->printer_state != KDEV_PAPER_LOW)
        return 1;
    if (r->printer_state == KDEV_PAPER_LOW)
        return 2;
    return 3;
}

static int cmp_rows(const void *a, const void *b)
{
    const struct kiosk_status_row *x = a, *y = b;
    int d = urgency(x) - urgency(y);
    return d ? d : strcmp(x->kiosk_id, y->kiosk_id);
}

/* One write in its own short transaction.  FREE: a kiosk's row is written
 * by that kiosk alone, one upsert, read by nobody deciding a write, so a
 * heartbeat waits for no other writer (issue 13). */
static int in_txn(struct store *st, int (*op)(struct store *, const struct kiosk_status_row *),
                  const struct kiosk_status_row *r)
{
    int err = store_begin_as(st, STORE_WRITE_FREE);
    if (err)
        return err;
    if ((err = op(st, r)) || (err = store_commit(st))) {
        store_rollback(st);
        return err;
    }
    return 0;
}

int kiosk_status_report(struct store *st, const char *kiosk_id, int reader_state,
                        int printer_state)
{
    if (!st->ops->status)
        return kerr(KERR_UNSUPPORTED, "the %s store keeps no kiosk status", st->ops->name);
    if (!kiosk_id || !*kiosk_id || strlen(kiosk_id) >= sizeof ((struct kiosk_status_row *)0)->kiosk_id)
        return kerr(KERR_INPUT, "kiosk status: the kiosk id must be 1-63 bytes");
    if (reader_state < 0 || reader_state >= KDEV__COUNT || printer_state < 0 ||
        printer_state >= KDEV__COUNT)
        return kerr(KERR_INPUT, "kiosk status: device state out of range");
    struct kiosk_status_row r = {.reader_state = reader_state, .printer_state = printer_state};
    strcpy(r.kiosk_id, kiosk_id);
    store_now(r.updated_at);
    r.beat_at = (long long)time(NULL);   /* a report from a live kiosk is a sign of life */
    return in_txn(st, st->ops->status->upsert, &r);
}

/* A short identifier: what a screen name or a version may be. */
static bool identifier(const char *s, size_t cap)
{
    size_t n = strlen(s);
    if (n >= cap)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.' && *s != '-')
            return false;
    return true;
}

int kiosk_heartbeat(struct store *st, const struct kiosk_status_row *in)
{
    if (!st->ops->status || !st->ops->status->beat)
        return kerr(KERR_UNSUPPORTED, "the %s store keeps no kiosk heartbeat", st->ops->name);
    if (!in->kiosk_id[0] || strlen(in->kiosk_id) >= sizeof in->kiosk_id)
        return kerr(KERR_INPUT, "heartbeat: the kiosk id must be 1-63 bytes");
    if (in->reader_state < 0 || in->reader_state >= KDEV__COUNT || in->printer_state < 0 ||
        in->printer_state >= KDEV__COUNT || in->sam_state < 0 || in->sam_state >= KSAM__COUNT)
        return kerr(KERR_INPUT, "heartbeat of %s: a state is out of range", in->kiosk_id);
    if (!identifier(in->screen, sizeof in->screen) || !identifier(in->version, sizeof in->version))
        return kerr(KERR_INPUT, "heartbeat of %s: the screen name and version must be short "
                    "identifiers (letters, digits, _ . -)", in->kiosk_id);
    if (!identifier(in->sam_id, sizeof in->sam_id))
        return kerr(KERR_INPUT, "heartbeat of %s: bad SAM id", in->kiosk_id);
    if (in->db_lost_from < 0 || in->db_lost_to < in->db_lost_from ||
        (in->db_lost_from == 0) != (in->db_lost_to == 0))
        return kerr(KERR_INPUT, "heartbeat of %s: a database outage runs from a time to the same "
                    "or a later one (or is 0 to 0)", in->kiosk_id);
    struct kiosk_status_row r = *in;
    store_now(r.updated_at);
    r.beat_at = (long long)time(NULL);
    return in_txn(st, st->ops->status->beat, &r);
}

struct list_ctx {
    struct kiosk_status_row *out;
    int cap, n;
};

static int list_one(void *ctx, const struct kiosk_status_row *r)
{
    struct list_ctx *c = ctx;
    if (c->n < c->cap)
        c->out[c->n++] = *r;
    return 0;
}

int kiosk_status_list(struct store *st, struct kiosk_status_row *out, int cap, int *n)
{
    *n = 0;
    if (!st->ops->status)
        return kerr(KERR_UNSUPPORTED, "the %s store keeps no kiosk status", st->ops->name);
    struct list_ctx c = {.out = out, .cap = cap};
    int err = st->ops->status->each(st, list_one, &c);
    if (err)
        return err;
    qsort(out, (size_t)c.n, sizeof *out, cmp_rows);
    *n = c.n;
    return 0;
}
