/* sess_common.c — helpers the resident session's screen files share: view
 * lines and messages, masks and labels, the list of available actions,
 * the applications look-up several screens reload, and the receipt and
 * follow-up code of the detail being shown. */
#include "kiosk/session/session_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kiosk/err.h"
#include "kiosk/followup.h"
#include "kiosk/i18n.h"
#include "kiosk/idnum.h"
#include "kiosk/next_view.h"
#include "kiosk/outbox.h"
#include "kiosk/store/store.h"

void sess_fmt(char *out, size_t cap, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    vsnprintf(out, cap, f, ap);
    va_end(ap);
}

struct sv_line *sv_add(struct sess_view *v, int kind, const char *f, ...)
{
    if (v->n_lines >= SV_MAX_LINES)
        return NULL;
    struct sv_line *l = &v->line[v->n_lines++];
    memset(l, 0, sizeof *l);
    l->kind = (unsigned char)kind;
    va_list ap;
    va_start(ap, f);
    vsnprintf(l->text, sizeof l->text, f, ap);
    va_end(ap);
    return l;
}

void sess_message(struct session *s, bool warn, int64_t now, int64_t for_ms, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    vsnprintf(s->message, sizeof s->message, f, ap);
    va_end(ap);
    s->message_warn = warn;
    s->message_until = for_ms > 0 ? now + for_ms : 0;
}

void sess_clear_message(struct session *s)
{
    s->message[0] = '\0';
    s->message_until = 0;
}

void sess_unavailable(struct session *s, int err, int64_t now)
{
    if (kerr_is_offline(err)) {
        s->offline = true;
        heartbeat_db(&s->hb, false, (long long)time(NULL));   /* for the fleet, later */
        s->next_probe = now + OFFLINE_PROBE_MS;
        sess_message(s, true, now, 15000, "%s",
                     _("The housing and care records cannot be reached right now. Please try "
                       "again in a few minutes, or ask the staff."));
        return;
    }
    sess_message(s, true, now, 10000, "%s",
                 _("The service is temporarily unavailable. Please ask the staff."));
}

struct store *sess_rd(const struct session *s)
{
    return s->opts.read_store && !s->wrote && !s->replica_down ? s->opts.read_store : s->st;
}

bool sess_replica_failed(struct session *s, int err, int64_t now)
{
    if (!s->opts.read_store || s->replica_down || s->wrote || !kerr_is_offline(err))
        return false;
    s->replica_down = true;
    s->next_replica_probe = now + REPLICA_PROBE_MS;
    return true;
}

void sess_deliver_outbox(struct session *s, int64_t now)
{
    if (!s->opts.outbox || now < s->next_probe)
        return;
    s->next_probe = now + OFFLINE_PROBE_MS;
    int filed = 0, refused = 0;
    int err = outbox_deliver(s->opts.outbox, s->st, s->sec, &filed, &refused);
    if (filed || refused)
        fprintf(stderr, "kiosk: outbox: %d application%s filed, %d refused (kioskctl outbox)\n",
                filed, filed == 1 ? "" : "s", refused);
    if (kerr_is_offline(err)) {
        s->offline = true;            /* away again: the rest waits */
        heartbeat_db(&s->hb, false, (long long)time(NULL));   /* for the fleet, later */
        return;
    }
    if (err)
        kerr_print("kiosk: outbox", err);
    long long pending = 0, ref = 0;
    s->outbox_waiting = outbox_count(s->opts.outbox, &pending, &ref) == 0 && pending > 0 && !err;
}

const char *sess_program_name(const struct session *s, const struct queue_view *q)
{
    return !strcmp(s->lang, "zh") ? q->program_zh : q->program_en;
}

void sess_phone_mask(const char *p, char *out, size_t cap)
{
    size_t n = strlen(p);
    if (n < 8) {
        sess_fmt(out, cap, "%.*s", (int)n, "****************");
        return;
    }
    sess_fmt(out, cap, "%.3s%.*s%s", p, (int)(n - 7), "****************", p + n - 4);
}

static const char *dev_label(enum sess_dev d)
{
    switch (d) {
    case SDEV_READY: return _("ready");
    case SDEV_PAPER_OUT: return _("out of paper");
    case SDEV_PAPER_LOW: return _("paper low");
    case SDEV_FAULT: return _("fault");
    case SDEV_NOT_ANSWERING: return _("not answering");
    default: return _("not connected");
    }
}

/* Red when a device is not usable. */
void sess_fill_status(const struct session *s, struct sess_view *v)
{
    sess_fmt(v->status, sizeof v->status, _("Card reader: %s   Printer: %s   Kiosk %s"),
             dev_label(s->reader), dev_label(s->printer), s->cfg.kiosk_id);
    v->device_trouble = s->reader != SDEV_READY ||
                        (s->printer != SDEV_READY && s->printer != SDEV_PAPER_LOW);
}

/* ---- the actions available ------------------------------------------------------ */

int sess_acts_add(int *acts, int n, int id)
{
    if (n < KEYTAB_MAX_ACTIONS)
        acts[n++] = id;
    return n;
}

int sess_acts_common(int *acts, int n)
{
    n = sess_acts_add(acts, n, ACT_HELP);
    return sess_acts_add(acts, n, ACT_LANG);
}

bool sess_acts_has(const int *acts, int n, int act)
{
    for (int i = 0; i < n; i++)
        if (acts[i] == act)
            return true;
    return false;
}

/* ---- store work shared by screens ------------------------------------------------ */

int sess_lookup_beds(struct session *s)
{
    s->n_bv = 0;
    if (!s->has_holder)
        return 0;
    int n = 0;
    int err = bed_lookup_id(sess_rd(s), s->sec, s->holder_id, s->lang, s->bv, MAX_BV, &n);
    if (err && sess_replica_failed(s, err, s->last_input))
        err = bed_lookup_id(s->st, s->sec, s->holder_id, s->lang, s->bv, MAX_BV, &n);
    if (err == KERR_NOTFOUND || err == KERR_UNSUPPORTED || err == KERR_INPUT)
        return 0;
    if (!err)
        s->n_bv = n;
    return err;
}

/* ---- receipt and follow-up code ---------------------------------------------------- */

void sess_make_followup(struct session *s, const char *ref)
{
    s->qr_url[0] = '\0';
    if (followup_url(s->sec, s->cfg.followup_url, ref, s->qr_url, sizeof s->qr_url) != 0)
        s->qr_url[0] = '\0';
}

/* "YYYY-MM-DD HH:MM" for a receipt (store_now honours KIOSK_NOW in tests;
 * it reads the clock, not the database). */
static void now_text(char out[32])
{
    char t[32];
    store_now(t);
    sess_fmt(out, 32, "%.16s", t);
}

/* ---- next steps ----------------------------------------------------------- */

/* The same call the follow-up page makes (kiosk/next_view.h): same facts, same lines. */
void sess_next_steps_queue(const struct session *s, int i, struct next_steps *out)
{
    next_view_queue(s->ns, &s->qv[i], &s->qn[i], s->lang, out);
}

void sess_next_steps_bed(const struct session *s, int i, struct next_steps *out)
{
    next_view_bed(s->ns, &s->bv[i], &s->bn[i], s->lang, out);
}

void sess_add_next_steps(struct sess_view *v, const char *lang, const struct next_steps *ns)
{
    const char *colon = strcmp(lang, "zh") ? ": " : "：";
    for (int i = 0; i < ns->n; i++) {
        const struct ns_line *l = &ns->line[i];
        int kind = l->kind == NSL_TODO || l->kind == NSL_REASON ? SVL_HEAD
                 : l->kind == NSL_REFUSALS ? SVL_WARN : SVL_TEXT;
        sv_add(v, kind, "%s%s%s", l->label, colon, l->text);
    }
}

static void receipt_next_steps(struct receipt_model *r, const struct next_steps *ns)
{
    sess_fmt(r->status_line, sizeof r->status_line, "%s", ns->status);
    /* the clerk's reason for the resident and the refusals against the limit
     * go on paper too, after what the status means, in the words the screen
     * and the page use */
    bool zh = !strcmp(r->language, "zh");
    for (int i = 0; i < ns->n; i++)
        if (ns->line[i].kind == NSL_REASON || ns->line[i].kind == NSL_REFUSALS) {
            char had[sizeof r->status_line];
            memcpy(had, r->status_line, sizeof had);
            sess_fmt(r->status_line, sizeof r->status_line, "%s%s%s%s%s", had, zh ? "" : " ",
                     ns->line[i].label, zh ? "：" : ": ", ns->line[i].text);
        }
    sess_fmt(r->next_step, sizeof r->next_step, "%s", ns->todo);
    sess_fmt(r->deadline, sizeof r->deadline, "%s", ns->deadline);
    sess_fmt(r->contact, sizeof r->contact, "%s", ns->contact);
    for (int i = 0; i < ns->n; i++) {
        if (ns->line[i].kind == NSL_TODO)
            sess_fmt(r->next_label, sizeof r->next_label, "%s", ns->line[i].label);
        if (ns->line[i].kind == NSL_CONTACT)
            sess_fmt(r->contact_label, sizeof r->contact_label, "%s", ns->line[i].label);
    }
}

/* The receipt for the detail being shown (a queue entry or an application). */
static void make_receipt(struct session *s)
{
    struct receipt_model *r = &s->receipt;
    memset(r, 0, sizeof *r);
    sess_fmt(r->language, sizeof r->language, "%s", s->lang);
    now_text(r->datetime);
    sess_fmt(r->kiosk_id, sizeof r->kiosk_id, "%s", s->cfg.kiosk_id);
    int from = s->screen == SS_QR ? s->back_screen : s->screen;
    if (from == SS_QUEUE) {
        const struct queue_view *q = &s->qv[s->cur_q];
        sess_fmt(r->title, sizeof r->title, "%s", _("Housing queue receipt"));
        sess_fmt(r->program, sizeof r->program, "%s", sess_program_name(s, q));
        sess_fmt(r->name_masked, sizeof r->name_masked, "%s", q->name_masked);
        sess_fmt(r->id_masked, sizeof r->id_masked, "%s", q->id_masked);
        if (q->status == ST_WAITING) {
            sess_fmt(r->position, sizeof r->position, "%lld", q->position);
            sess_fmt(r->total, sizeof r->total, "%lld", q->total);
        }
        sess_fmt(r->stage, sizeof r->stage, "%s", queue_status_label(q->status));
        struct next_steps ns;
        sess_next_steps_queue(s, s->cur_q, &ns);
        receipt_next_steps(r, &ns);
        /* the receipt number is on the public notice already: a fine reference */
        if (followup_ref_valid(q->receipt_no))
            sess_fmt(r->reference, sizeof r->reference, "%s", q->receipt_no);
        else
            followup_ref_new(r->reference);
    } else {
        const char *ref;
        if (from == SS_APPLY_DONE) {
            ref = s->applied_ref;
            if (s->applied_kept)
                sess_fmt(r->stage, sizeof r->stage, "%s",
                         _("Submitted; registered when the kiosk's connection returns"));
            else
                sess_fmt(r->stage, sizeof r->stage, "%s", bed_stage_label(BS_SUBMITTED, s->lang));
            name_mask(s->form.elder_name, r->name_masked, sizeof r->name_masked);
            idnum_mask(s->form.elder_id, r->id_masked, sizeof r->id_masked);
            struct next_steps ns;
            struct ns_facts f = {.lang = s->lang, .since = r->datetime};
            if (next_steps_bed(s->ns, BS_SUBMITTED, &f, &ns) == 0)
                receipt_next_steps(r, &ns);
        } else {
            const struct bed_view *b = &s->bv[s->cur_b];
            ref = b->ref;
            sess_fmt(r->stage, sizeof r->stage, "%s", b->stage_label);
            sess_fmt(r->name_masked, sizeof r->name_masked, "%s", b->elder_name_masked);
            sess_fmt(r->id_masked, sizeof r->id_masked, "%s", b->elder_id_masked);
            struct next_steps ns;
            sess_next_steps_bed(s, s->cur_b, &ns);
            receipt_next_steps(r, &ns);
        }
        sess_fmt(r->title, sizeof r->title, "%s", _("Home care bed application"));
        sess_fmt(r->program, sizeof r->program, "%s", _("Home care bed (家庭养老床位)"));
        sess_fmt(r->reference, sizeof r->reference, "%s", ref);
    }
    sess_make_followup(s, r->reference);
    sess_fmt(r->followup_url, sizeof r->followup_url, "%s", s->qr_url);
}

static bool is_detail(int screen)
{
    return screen == SS_QUEUE || screen == SS_BED || screen == SS_APPLY_DONE;
}

unsigned sess_start_print(struct session *s, int64_t now)
{
    if (is_detail(s->screen))
        make_receipt(s);
    else if (s->screen != SS_QR || !s->receipt.reference[0])
        return SR_NONE;
    sess_message(s, false, now, 0, "%s", _("Printing…"));
    return sess_redraw(s, now) | SR_PRINT;
}

unsigned sess_open_qr(struct session *s, int64_t now)
{
    make_receipt(s);
    s->back_screen = s->screen;
    sess_clear_message(s);
    return sess_go(s, SS_QR, now);
}
