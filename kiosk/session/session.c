/* session.c — the resident session state machine (see session.h).
 *
 * One struct holds the whole state of the person at the kiosk: who the card
 * holder is (the only plaintext identity, kept just long enough for the
 * look-ups, a withdrawal or an application), what was found (masked views),
 * where they are, and the clocks.  Every event handler ends by rebuilding
 * the view model from that state, so a language switch or a wipe is just
 * another rebuild and a screen can never show something stale. */
#include "kiosk/session/session.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "kiosk/demo.h"
#include "kiosk/eldercare.h"
#include "kiosk/err.h"
#include "kiosk/followup.h"
#include "kiosk/i18n.h"
#include "kiosk/idnum.h"
#include "kiosk/kiosk_status.h"
#include "kiosk/queue.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

#define MAX_QV 8
#define MAX_BV 4
#define COUNTDOWN_S 10
#define END_SCREEN_MS 6000
#define PICKER_MAX 40
#define PHONE_MAX 15

_Static_assert((int)SDEV_ABSENT == (int)KDEV_ABSENT && (int)SDEV_READY == (int)KDEV_READY &&
                   (int)SDEV_PAPER_OUT == (int)KDEV_PAPER_OUT &&
                   (int)SDEV_PAPER_LOW == (int)KDEV_PAPER_LOW && (int)SDEV_FAULT == (int)KDEV_FAULT,
               "the session's device states are reported as kiosk_status states");

struct session {
    struct store *st;
    bool reported;              /* device states sent to kiosk_status at least once */
    const struct secret *sec;
    struct kiosk_config cfg;
    struct session_opts opts;
    char lang[4];

    int screen;
    int back_screen;            /* where Esc goes from the QR screen and the picker */
    int help_back;              /* where Esc goes from help (help can open over either) */

    /* ---- personal: wiped by session_wipe() ---- */
    bool has_holder;            /* a card was read (not a typed look-up) */
    char holder_id[CARD_ID_MAX];
    char holder_name[CARD_NAME_MAX];
    struct queue_view qv[MAX_QV];
    int n_qv;
    /* A card's summary needs only each entry's programme, status, position
     * and total; the rest of a view (the change since the published list,
     * the estimate and its chart) takes the core a few scans of the
     * programme's history, so it is built when the resident opens the entry
     * (queue_view_of on the stored row).  A typed look-up gets whole views. */
    struct entry_row rows[MAX_QV];
    bool qv_whole[MAX_QV];
    struct bed_view bv[MAX_BV];
    int n_bv;
    int sel;                    /* summary selection */
    int cur_q, cur_b;           /* the detail being shown */
    char typed_receipt[33];
    char typed_last6[7];
    int field;                  /* 0 receipt, 1 last 6 */
    struct bed_form form;       /* the application being filled in */
    int apply_sel;
    char applied_ref[33];
    char qr_url[256];
    struct receipt_model receipt;
    bool receipt_kept;          /* a receipt that did not print, for a reprint */

    /* ---- not personal: survive the wipe ---- */
    int failures;               /* typed look-ups that found nothing */
    int64_t locked_until;       /* the rate-limit pause */
    uint64_t demo_seed;
    long long demo_n;           /* 0: no demo data, no picker */
    int picker_sel;
    enum sess_dev reader, printer;

    int64_t last_input;
    int64_t countdown_until;    /* 0: no countdown running */
    int64_t end_until;          /* the end screen goes back to attract then */
    int64_t message_until;      /* the transient message disappears then (0: stays) */
    char message[SV_TEXT];
    bool message_warn;
    bool pending_lookup;

    struct sess_view view;
};

static const char *const screen_names[SS__COUNT] = {
    "attract", "reading", "summary", "queue", "bed", "withdraw", "apply_who", "apply_phone",
    "apply_elder", "apply_consent", "apply_services", "apply_confirm", "apply_done", "qr", "end",
    "picker", "help",
};

const char *sess_screen_name(int screen)
{
    return screen >= 0 && screen < SS__COUNT ? screen_names[screen] : "unknown";
}

/* ---- small helpers ---------------------------------------------------------- */

__attribute__((format(printf, 3, 4))) static void fmt(char *out, size_t cap, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    vsnprintf(out, cap, f, ap);
    va_end(ap);
}

__attribute__((format(printf, 3, 4))) static struct sv_line *add(struct sess_view *v, int kind,
                                                                const char *f, ...)
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

static void set_message(struct session *s, bool warn, int64_t now, int64_t for_ms, const char *f,
                        ...) __attribute__((format(printf, 5, 6)));
static void set_message(struct session *s, bool warn, int64_t now, int64_t for_ms, const char *f,
                        ...)
{
    va_list ap;
    va_start(ap, f);
    vsnprintf(s->message, sizeof s->message, f, ap);
    va_end(ap);
    s->message_warn = warn;
    s->message_until = for_ms > 0 ? now + for_ms : 0;
}

static void clear_message(struct session *s)
{
    s->message[0] = '\0';
    s->message_until = 0;
}

static const char *key_label(int key)
{
    switch (key) {
    case OK_TIER: return _("priority tier");
    case OK_WAIT_SINCE: return _("waiting since");
    case OK_INSURED_SINCE: return _("insured since");
    case OK_HUKOU_SINCE: return _("hukou since");
    case OK_LOTTERY_NO: return _("lottery number");
    default: return "?";
    }
}

static const char *role_label(const char *role)
{
    if (!strcmp(role, "resident")) return _("applicant");
    if (!strcmp(role, "street")) return _("street office");
    if (!strcmp(role, "district")) return _("district civil affairs");
    if (!strcmp(role, "assessor")) return _("assessment agency");
    if (!strcmp(role, "provider")) return _("service provider");
    if (!strcmp(role, "system") || !*role) return _("system");
    return role;
}

static const char *dev_label(enum sess_dev d)
{
    switch (d) {
    case SDEV_READY: return _("ready");
    case SDEV_PAPER_OUT: return _("out of paper");
    case SDEV_PAPER_LOW: return _("paper low");
    case SDEV_FAULT: return _("fault");
    default: return _("not connected");
    }
}

static const char *program_name(const struct session *s, const struct queue_view *q)
{
    return !strcmp(s->lang, "zh") ? q->program_zh : q->program_en;
}

/* A phone number for the screen: the first 3 and last 4 digits. */
static void phone_mask(const char *p, char *out, size_t cap)
{
    size_t n = strlen(p);
    if (n < 8) {
        fmt(out, cap, "%.*s", (int)n, "****************");
        return;
    }
    fmt(out, cap, "%.3s%.*s%s", p, (int)(n - 7), "****************", p + n - 4);
}

/* "YYYY-MM-DD HH:MM" for a receipt (store_now honours KIOSK_NOW in tests). */
static void now_text(char out[32])
{
    char t[32];
    store_now(t);
    fmt(out, 32, "%.16s", t);
}

/* ---- the wipe --------------------------------------------------------------- */

/* Everything personal goes: the card holder, what was found, what was typed,
 * a half-filled application, a receipt kept for a reprint, the view model.
 * Rate-limit counters stay: waiting out the idle timer must not reset them. */
static void session_wipe(struct session *s)
{
    queue_view_wipe(s->qv, MAX_QV);
    secure_wipe(s->rows, sizeof s->rows);
    secure_wipe(s->qv_whole, sizeof s->qv_whole);
    secure_wipe(s->holder_id, sizeof s->holder_id);
    secure_wipe(s->holder_name, sizeof s->holder_name);
    secure_wipe(s->bv, sizeof s->bv);
    secure_wipe(s->typed_receipt, sizeof s->typed_receipt);
    secure_wipe(s->typed_last6, sizeof s->typed_last6);
    secure_wipe(&s->form, sizeof s->form);
    secure_wipe(s->applied_ref, sizeof s->applied_ref);
    secure_wipe(s->qr_url, sizeof s->qr_url);
    secure_wipe(&s->receipt, sizeof s->receipt);
    secure_wipe(&s->view, sizeof s->view);
    s->has_holder = false;
    s->receipt_kept = false;
    s->n_qv = s->n_bv = 0;
    s->sel = s->cur_q = s->cur_b = s->field = s->apply_sel = 0;
    s->countdown_until = s->end_until = 0;
    s->pending_lookup = false;
    clear_message(s);
}

bool session_holds_personal(const struct session *s)
{
    if (s->has_holder || s->n_qv || s->n_bv || s->typed_receipt[0] || s->typed_last6[0] ||
        s->form.elder_id[0] || s->form.agent_id[0] || s->receipt.reference[0])
        return true;
    /* belt and braces: nothing left in the buffers either */
    for (size_t i = 0; i < sizeof s->holder_id; i++)
        if (s->holder_id[i])
            return true;
    return false;
}

/* ---- the view model --------------------------------------------------------- */

static void hint_std(struct sess_view *v, const char *extra)
{
    fmt(v->hint, sizeof v->hint, "%s%s[F1] %s  [F2] %s", extra ? extra : "", extra ? "  " : "",
        _("Help"), _("中文/English"));
}

static void view_attract(struct session *s, struct sess_view *v, int64_t now)
{
    fmt(v->title, sizeof v->title, "%s", _("Housing queue and home care bed enquiries"));
    add(v, SVL_HEAD, "%s", _("Please place your ID card on the reader."));
    add(v, SVL_TEXT, "%s", "");
    add(v, SVL_TEXT, "%s", _("Or type your receipt number and the last 6 characters of your ID number:"));
    v->n_fields = 2;
    fmt(v->field[0].label, sizeof v->field[0].label, "%s", _("Receipt number"));
    fmt(v->field[0].value, sizeof v->field[0].value, "%s", s->typed_receipt);
    fmt(v->field[1].label, sizeof v->field[1].label, "%s", _("Last 6 of ID"));
    fmt(v->field[1].value, sizeof v->field[1].value, "%s", s->typed_last6);
    v->field[s->field].active = true;
    if (s->locked_until > now) {
        int secs = (int)((s->locked_until - now + 999) / 1000);
        fmt(v->message, sizeof v->message, _("Too many attempts. Please wait %d seconds."), secs);
        v->message_warn = true;
    }
    char extra[120];
    fmt(extra, sizeof extra, "[0-9] %s  [↑↓] A-Z  [Enter] %s", _("type"), _("next"));
    if (s->opts.sim && s->demo_n > 0) {
        char e2[200];
        fmt(e2, sizeof e2, "%s  [F4] %s", extra, _("demo card"));
        hint_std(v, e2);
    } else {
        hint_std(v, extra);
    }
}

static void summary_item_queue(struct session *s, struct sess_view *v, const struct queue_view *q)
{
    if (q->status == ST_WAITING)
        add(v, SVL_ITEM, _("%s · %s · position %lld of %lld"), program_name(s, q),
            queue_status_label(q->status), q->position, q->total);
    else
        add(v, SVL_ITEM, "%s · %s", program_name(s, q), queue_status_label(q->status));
}

static int summary_items(const struct session *s)
{
    return s->n_qv + s->n_bv + (s->has_holder ? 1 : 0);
}

static void view_summary(struct session *s, struct sess_view *v)
{
    fmt(v->title, sizeof v->title, "%s", _("Your queue entries and applications"));
    char name[96] = "", id[24] = "";
    if (s->has_holder) {
        /* masked here from the card, so a holder with nothing on file is named too */
        name_mask(s->holder_name, name, sizeof name);
        idnum_mask(s->holder_id, id, sizeof id);
    } else if (s->n_qv) {
        fmt(name, sizeof name, "%s", s->qv[0].name_masked);
        fmt(id, sizeof id, "%s", s->qv[0].id_masked);
    }
    if (*name)
        add(v, SVL_NOTE, _("Card holder: %s  %s"), name, id);
    if (!s->n_qv && !s->n_bv)
        add(v, SVL_TEXT, "%s", _("No housing queue entry or home care bed application was found."));
    add(v, SVL_TEXT, "%s", "");
    int item = 0;
    v->selected = -1;
    for (int i = 0; i < s->n_qv; i++, item++) {
        if (item == s->sel)
            v->selected = v->n_lines;
        summary_item_queue(s, v, &s->qv[i]);
    }
    for (int i = 0; i < s->n_bv; i++, item++) {
        if (item == s->sel)
            v->selected = v->n_lines;
        add(v, SVL_ITEM, _("Home care bed application %s · %s"), s->bv[i].ref,
            s->bv[i].stage_label);
    }
    if (s->has_holder) {
        if (item == s->sel)
            v->selected = v->n_lines;
        add(v, SVL_ITEM, "%s", _("Apply for a home care bed (家庭养老床位)"));
    }
    char extra[120];
    fmt(extra, sizeof extra, "[↑↓] %s  [Enter] %s  [Esc] %s", _("choose"), _("open"), _("finish"));
    hint_std(v, extra);
}

static void view_queue(struct session *s, struct sess_view *v)
{
    const struct queue_view *q = &s->qv[s->cur_q];
    fmt(v->title, sizeof v->title, "%s", program_name(s, q));
    if (q->status == ST_WAITING && q->position > 0) {
        v->big = true;
        fmt(v->big_digits, sizeof v->big_digits, "%lld", q->position);
        fmt(v->big_caption, sizeof v->big_caption, _("Position %lld of %lld"), q->position,
            q->total);
    }
    add(v, SVL_TEXT, _("Status: %s    Receipt: %s"), queue_status_label(q->status), q->receipt_no);
    add(v, SVL_TEXT, _("Name: %s    ID: %s    Household: %d"), q->name_masked, q->id_masked,
        q->household_size);
    if (q->status != ST_WAITING)
        add(v, SVL_TEXT, _("%lld households are waiting in this programme."), q->total);
    char keys[SV_TEXT] = "";
    size_t off = 0;
    for (int i = 0; i < q->n_rule && off < sizeof keys; i++) {
        const char *val = q->key_text[q->rule[i]];
        off += (size_t)snprintf(keys + off, sizeof keys - off, "%s%s %s", i ? " · " : "",
                                key_label(q->rule[i]), *val ? val : _("(none)"));
    }
    add(v, SVL_HEAD, "%s", _("Your place is set by, in this order:"));
    add(v, SVL_TEXT, "%s", keys);
    if (!q->has_publication) {
        add(v, SVL_NOTE, "%s", _("No list has been published yet."));
    } else if (q->own_record_changed) {
        add(v, SVL_TEXT, _("Your own record changed since the list of %.10s."), q->published_at);
    } else if (q->position_then && q->status == ST_WAITING) {
        add(v, SVL_HEAD, _("Since the list of %.10s: position %lld → %lld"), q->published_at,
            q->position_then, q->position);
        add(v, SVL_TEXT,
            _("Of those ahead of you then: %lld housed or offered, %lld withdrew or removed, "
              "%lld frozen, %lld moved behind; %lld entered ahead."),
            q->left_housed, q->left_withdrawn, q->left_frozen, q->moved_behind, q->entered_ahead);
    } else {
        add(v, SVL_TEXT, _("Not waiting in the list of %.10s."), q->published_at);
    }
    if (q->status == ST_WAITING) {
        if (q->has_estimate)
            add(v, SVL_HEAD, _("Estimated wait: %d to %d months (about %.1f allocated a month)"),
                q->estimate_lo_months, q->estimate_hi_months, q->housed_per_month);
        else
            add(v, SVL_HEAD, "%s", _("Not enough history for a wait estimate."));
    }
    v->chart = true;
    int top = 0;
    for (int i = 0; i < SV_CHART; i++)
        top = q->monthly[i] > top ? q->monthly[i] : top;
    fmt(v->chart_title, sizeof v->chart_title, _("Allocated per month (highest %d)"), top);
    int y = 0, m = 0;
    if (sscanf(q->first_month, "%d-%d", &y, &m) != 2)
        m = 1;
    for (int i = 0; i < SV_CHART; i++) {
        v->chart_val[i] = q->monthly[i];
        fmt(v->chart_label[i], sizeof v->chart_label[i], "%02d", (m - 1 + i) % 12 + 1);
    }
    char extra[120];
    fmt(extra, sizeof extra, "[F3] %s  [0] %s  [Esc] %s", _("print"), _("QR code"), _("back"));
    hint_std(v, extra);
}

/* The main path of SPEC §5, for the timeline's stages still to come. */
static const int main_path[] = {BS_SUBMITTED, BS_STREET_APPROVED, BS_DISTRICT_APPROVED,
                                BS_ASSESSED, BS_PROVIDER_ASSIGNED, BS_BUILT, BS_ACCEPTED,
                                BS_IN_SERVICE};

static void view_bed(struct session *s, struct sess_view *v)
{
    const struct bed_view *b = &s->bv[s->cur_b];
    fmt(v->title, sizeof v->title, _("Home care bed application %s"), b->ref);
    add(v, SVL_HEAD, _("Current stage: %s"), b->stage_label);
    add(v, SVL_TEXT, _("Elder: %s  %s"), b->elder_name_masked, b->elder_id_masked);
    if (b->by_agent)
        add(v, SVL_TEXT, _("Filed by family member: %s"), b->agent_name_masked);
    if (b->responsible[0])
        add(v, SVL_TEXT, _("Responsible now: %s"), b->responsible);
    if (b->next_step[0])
        add(v, SVL_TEXT, _("Next step: %s"), b->next_step);
    if (b->provider_name[0])
        add(v, SVL_TEXT, _("Service provider: %s  tel. %s"), b->provider_name, b->provider_phone);
    if (b->level_word[0])
        add(v, SVL_TEXT, _("Care level: %s"), b->level_word);
    if (b->reassessment_due)
        add(v, SVL_WARN, _("Reassessment due by %s"), b->reassess_by);
    add(v, SVL_HEAD, "%s", _("Timeline"));
    int last_main = -1;
    for (int i = 0; i < b->n_steps; i++) {
        const struct bed_step *st = &b->steps[i];
        struct sv_line *l = add(v, SVL_TEXT, "%.10s  %s  (%s)", st->at,
                                bed_stage_label(st->stage, s->lang), role_label(st->by_role));
        if (l)
            l->done = i == b->n_steps - 1 ? 2 : 1;
        for (size_t k = 0; k < sizeof main_path / sizeof main_path[0]; k++)
            if (main_path[k] == st->stage)
                last_main = (int)k;
    }
    if (b->stage != BS_REJECTED && b->stage != BS_WITHDRAWN && b->stage != BS_EXITED)
        for (size_t k = (size_t)(last_main + 1); k < sizeof main_path / sizeof main_path[0]; k++)
            add(v, SVL_NOTE, "            %s", bed_stage_label(main_path[k], s->lang));
    char extra[160];
    if (b->can_withdraw)
        fmt(extra, sizeof extra, "[F3] %s  [0] %s  [9] %s  [Esc] %s", _("print"), _("QR code"),
            _("withdraw"), _("back"));
    else
        fmt(extra, sizeof extra, "[F3] %s  [0] %s  [Esc] %s", _("print"), _("QR code"), _("back"));
    hint_std(v, extra);
}

static void view_withdraw(struct session *s, struct sess_view *v)
{
    const struct bed_view *b = &s->bv[s->cur_b];
    fmt(v->title, sizeof v->title, "%s", _("Withdraw the application?"));
    add(v, SVL_HEAD, _("Application %s · %s"), b->ref, b->stage_label);
    add(v, SVL_TEXT, "%s", "");
    add(v, SVL_WARN, "%s", _("If you withdraw, the application stops and you must apply again later."));
    add(v, SVL_TEXT, "%s", _("Press Enter to withdraw, or Esc to keep the application."));
    char extra[120];
    fmt(extra, sizeof extra, "[Enter] %s  [Esc] %s", _("withdraw"), _("keep"));
    hint_std(v, extra);
}

static const unsigned service_bits[BED_SVC__COUNT] = {
    BED_SVC_CARE_BED, BED_SVC_ALARM, BED_SVC_SENSORS, BED_SVC_HOME_CARE, BED_SVC_MEALS,
    BED_SVC_RENOVATION};

static void view_apply(struct session *s, struct sess_view *v)
{
    char m1[96], m2[24];
    fmt(v->title, sizeof v->title, "%s", _("Apply for a home care bed"));
    v->selected = -1;
    switch (s->screen) {
    case SS_APPLY_WHO:
        add(v, SVL_HEAD, "%s", _("Who is applying?"));
        if (s->apply_sel == 0)
            v->selected = v->n_lines;
        add(v, SVL_ITEM, "1  %s", _("I am the elder (this is my card)"));
        if (s->apply_sel == 1)
            v->selected = v->n_lines;
        add(v, SVL_ITEM, "2  %s", _("I am a family member applying for an elder"));
        break;
    case SS_APPLY_PHONE:
        add(v, SVL_HEAD, "%s", _("Your phone number, so the street office can reach you:"));
        v->n_fields = 1;
        fmt(v->field[0].label, sizeof v->field[0].label, "%s", _("Phone"));
        fmt(v->field[0].value, sizeof v->field[0].value, "%s", s->form.agent_phone);
        v->field[0].active = true;
        break;
    case SS_APPLY_ELDER:
        add(v, SVL_HEAD, "%s", _("Now place the elder's ID card on the reader."));
        name_mask(s->form.agent_name, m1, sizeof m1);
        add(v, SVL_NOTE, _("Family member: %s"), m1);
        break;
    case SS_APPLY_CONSENT:
        add(v, SVL_HEAD, "%s", _("Consent"));
        add(v, SVL_TEXT, "%s", _("To decide on the application, the street office, the district civil"));
        add(v, SVL_TEXT, "%s", _("affairs bureau, an assessment agency and a service provider will process"));
        add(v, SVL_TEXT, "%s", _("the elder's identity and health information, including a home visit and"));
        add(v, SVL_TEXT, "%s", _("a care-needs assessment (GB/T 42195-2022). Consent can be withdrawn at any"));
        add(v, SVL_TEXT, "%s", _("time by withdrawing the application."));
        add(v, SVL_TEXT, "%s", "");
        add(v, SVL_HEAD, "%s", _("Press Enter to agree, or Esc to cancel."));
        break;
    case SS_APPLY_SERVICES:
        add(v, SVL_HEAD, "%s", _("Which services are wanted? (number keys switch them on and off)"));
        for (int i = 0; i < BED_SVC__COUNT; i++) {
            if (s->apply_sel == i)
                v->selected = v->n_lines;
            add(v, SVL_ITEM, "%d  [%s] %s", i + 1, s->form.services & service_bits[i] ? "x" : " ",
                bed_service_label(service_bits[i], s->lang));
        }
        if (s->apply_sel == BED_SVC__COUNT)
            v->selected = v->n_lines;
        add(v, SVL_ITEM, "%s", _("Continue"));
        break;
    case SS_APPLY_CONFIRM:
        add(v, SVL_HEAD, "%s", _("Please check and press Enter to submit:"));
        name_mask(s->form.elder_name, m1, sizeof m1);
        idnum_mask(s->form.elder_id, m2, sizeof m2);
        add(v, SVL_TEXT, _("Elder: %s  %s"), m1, m2);
        if (s->form.by_agent) {
            name_mask(s->form.agent_name, m1, sizeof m1);
            phone_mask(s->form.agent_phone, m2, sizeof m2);
            add(v, SVL_TEXT, _("Family member: %s  phone %s"), m1, m2);
        }
        for (int i = 0; i < BED_SVC__COUNT; i++)
            if (s->form.services & service_bits[i])
                add(v, SVL_TEXT, "  · %s", bed_service_label(service_bits[i], s->lang));
        add(v, SVL_NOTE, "%s", _("The street office will confirm the address during its home visit."));
        break;
    case SS_APPLY_DONE:
        fmt(v->title, sizeof v->title, "%s", _("Application submitted"));
        add(v, SVL_GOOD, "%s", _("Your application has been submitted."));
        add(v, SVL_HEAD, _("Reference: %s"), s->applied_ref);
        add(v, SVL_TEXT, "%s", _("The street office reviews it next."));
        add(v, SVL_TEXT, "%s", _("Keep the receipt or scan the code to follow it."));
        fmt(v->qr_url, sizeof v->qr_url, "%s", s->qr_url);
        fmt(v->qr_caption, sizeof v->qr_caption, _("Reference %s"), s->applied_ref);
        break;
    }
    char extra[160];
    if (s->screen == SS_APPLY_DONE)
        fmt(extra, sizeof extra, "[F3] %s  [Enter] %s", _("print"), _("done"));
    else if (s->screen == SS_APPLY_PHONE)
        fmt(extra, sizeof extra, "[0-9] %s  [Enter] %s  [Esc] %s", _("type"), _("next"), _("cancel"));
    else
        fmt(extra, sizeof extra, "[Enter] %s  [Esc] %s", _("next"), _("cancel"));
    hint_std(v, extra);
}

static void view_picker(struct session *s, struct sess_view *v)
{
    fmt(v->title, sizeof v->title, "%s", _("Demo: choose a resident's card"));
    char id[19], name[CARD_NAME_MAX], mn[96], mi[24];
    long long n = s->demo_n < PICKER_MAX ? s->demo_n : PICKER_MAX;
    v->selected = -1;
    for (long long i = 0; i < n; i++) {
        demo_resident(s->demo_seed, i, id, name, sizeof name);
        name_mask(name, mn, sizeof mn);
        idnum_mask(id, mi, sizeof mi);
        if (i == s->picker_sel)
            v->selected = v->n_lines;
        add(v, SVL_ITEM, "%2lld  %s  %s", i, mi, mn);
    }
    secure_wipe(id, sizeof id);
    secure_wipe(name, sizeof name);
    char extra[120];
    fmt(extra, sizeof extra, "[↑↓] %s  [Enter] %s  [Esc] %s", _("choose"), _("insert card"),
        _("back"));
    hint_std(v, extra);
}

static void view_help(struct session *s, struct sess_view *v)
{
    fmt(v->title, sizeof v->title, "%s", _("Help"));
    add(v, SVL_TEXT, "%s", _("Place your ID card on the reader to see your housing queue entries"));
    add(v, SVL_TEXT, "%s", _("and home care bed applications. Nothing is kept on this kiosk."));
    add(v, SVL_TEXT, "%s", "");
    add(v, SVL_TEXT, "%s", _("Keys: arrows choose, Enter opens, Esc goes back, number keys type."));
    add(v, SVL_TEXT, "%s", _("F1 help, F2 language, F3 print a receipt."));
    add(v, SVL_TEXT, "%s", "");
    add(v, SVL_TEXT, "%s", _("Your position only changes when households ahead of you are housed,"));
    add(v, SVL_TEXT, "%s", _("withdraw, are removed or frozen, or when someone enters ahead of you."));
    add(v, SVL_TEXT, "%s", _("For anything else, please ask the staff at the counter."));
    char extra[60];
    fmt(extra, sizeof extra, "[Esc] %s", _("back"));
    hint_std(v, extra);
    (void)s;
}

/* The status line: both devices and the kiosk id; red when a device is not usable. */
static void fill_status(const struct session *s, struct sess_view *v)
{
    fmt(v->status, sizeof v->status, _("Card reader: %s   Printer: %s   Kiosk %s"),
        dev_label(s->reader), dev_label(s->printer), s->cfg.kiosk_id);
    v->device_trouble = s->reader != SDEV_READY ||
                        (s->printer != SDEV_READY && s->printer != SDEV_PAPER_LOW);
}

static void build_view(struct session *s, int64_t now)
{
    struct sess_view *v = &s->view;
    secure_wipe(v, sizeof *v);
    v->screen = s->screen;
    v->selected = -1;
    fmt(v->lang, sizeof v->lang, "%s", s->lang);
    switch (s->screen) {
    case SS_ATTRACT: view_attract(s, v, now); break;
    case SS_READING:
        fmt(v->title, sizeof v->title, "%s", _("Reading your card…"));
        add(v, SVL_HEAD, "%s", _("Please wait, do not take the card away."));
        hint_std(v, NULL);
        break;
    case SS_SUMMARY: view_summary(s, v); break;
    case SS_QUEUE: view_queue(s, v); break;
    case SS_BED: view_bed(s, v); break;
    case SS_WITHDRAW: view_withdraw(s, v); break;
    case SS_APPLY_WHO: case SS_APPLY_PHONE: case SS_APPLY_ELDER: case SS_APPLY_CONSENT:
    case SS_APPLY_SERVICES: case SS_APPLY_CONFIRM: case SS_APPLY_DONE:
        view_apply(s, v);
        break;
    case SS_QR: {
        fmt(v->title, sizeof v->title, "%s", _("Follow-up code"));
        fmt(v->qr_url, sizeof v->qr_url, "%s", s->qr_url);
        fmt(v->qr_caption, sizeof v->qr_caption, _("Reference %s"), s->receipt.reference);
        add(v, SVL_TEXT, "%s", _("Scan this code with your phone to follow up."));
        char extra[120];
        fmt(extra, sizeof extra, "[F3] %s  [Esc] %s", _("print again"), _("back"));
        hint_std(v, extra);
        break;
    }
    case SS_END:
        fmt(v->title, sizeof v->title, "%s", _("Thank you"));
        add(v, SVL_HEAD, "%s", _("Please take your card."));
        hint_std(v, NULL);
        break;
    case SS_PICKER: view_picker(s, v); break;
    case SS_HELP: view_help(s, v); break;
    }
    if (s->message[0] && (!s->message_until || now < s->message_until)) {
        fmt(v->message, sizeof v->message, "%s", s->message);
        v->message_warn = s->message_warn;
    }
    fill_status(s, v);
    if (s->countdown_until) {
        int secs = (int)((s->countdown_until - now + 999) / 1000);
        if (secs < 0)
            secs = 0;
        v->countdown = secs > 0 ? secs : 1;
        fmt(v->countdown_text, sizeof v->countdown_text,
            _("Are you still there? Press any key to continue (%d)"), v->countdown);
    }
}

/* ---- transitions ------------------------------------------------------------ */

static unsigned go(struct session *s, int screen, int64_t now)
{
    s->screen = screen;
    build_view(s, now);
    return SR_GOTO | SR_REDRAW;
}

static unsigned redraw(struct session *s, int64_t now)
{
    build_view(s, now);
    return SR_REDRAW;
}

static unsigned wipe_to_attract(struct session *s, int64_t now)
{
    session_wipe(s);
    s->screen = SS_ATTRACT;
    build_view(s, now);
    return SR_GOTO | SR_REDRAW | SR_WIPE;
}

static int lookup_beds(struct session *s)
{
    s->n_bv = 0;
    if (!s->has_holder)
        return 0;
    int n = 0;
    int err = bed_lookup_id(s->st, s->sec, s->holder_id, s->lang, s->bv, MAX_BV, &n);
    if (err == KERR_NOTFOUND || err == KERR_UNSUPPORTED || err == KERR_INPUT)
        return 0;
    if (!err)
        s->n_bv = n;
    return err;
}

struct row_collect {
    struct session *s;
    int n;
};

static int collect_row(void *ctx, const struct entry_row *e)
{
    struct row_collect *c = ctx;
    if (c->n < MAX_QV)
        c->s->rows[c->n++] = *e;
    return 0;
}

/* The card holder's entries, with what the summary shows: the stored rows
 * through the store interface, position and total exact, the identity masked
 * from the card itself. */
static int lookup_entries(struct session *s)
{
    const struct queue_store_ops *q = store_queue(s->st);
    char norm[IDNUM_LEN + 1];
    s->n_qv = 0;
    if (idnum_normalise(s->holder_id, norm, NULL) != 0)
        return 0;   /* a permit or a foreigner's card: never in a housing list */
    unsigned char hash[SECRET_HASH_BYTES];
    secret_lookup_hash(s->sec, norm, hash);
    secure_wipe(norm, sizeof norm);
    struct row_collect c = {.s = s};
    int err = q->entries_by_hash(s->st, hash, collect_row, &c);
    for (int i = 0; !err && i < c.n; i++) {
        const struct entry_row *e = &s->rows[i];
        struct queue_view *v = &s->qv[i];
        struct program p;
        memset(v, 0, sizeof *v);
        if ((err = q->program_by_id(s->st, e->program_id, &p)))
            break;
        fmt(v->program, sizeof v->program, "%s", p.code);
        fmt(v->program_zh, sizeof v->program_zh, "%s", p.name_zh);
        fmt(v->program_en, sizeof v->program_en, "%s", p.name_en);
        fmt(v->receipt_no, sizeof v->receipt_no, "%s", e->receipt_no);
        v->status = e->status;
        name_mask(s->holder_name, v->name_masked, sizeof v->name_masked);
        idnum_mask(s->holder_id, v->id_masked, sizeof v->id_masked);
        if ((err = q->total(s->st, e->program_id, &v->total)))
            break;
        if (e->status == ST_WAITING && (err = q->position(s->st, e, &v->position)))
            break;
        s->qv_whole[i] = false;
    }
    if (!err)
        s->n_qv = c.n;
    return err;
}

/* Build the whole view of entry i before its detail screen shows. */
static int whole_view(struct session *s, int i)
{
    if (s->qv_whole[i])
        return 0;
    /* the row as it is now (a clerk may have changed it since the card
     * went in), and the whole view from one snapshot */
    int snap = s->st->ops->begin_read(s->st);
    struct entry_row now_row;
    int err = store_queue(s->st)->entry_get(s->st, s->rows[i].program_id, s->rows[i].receipt_no,
                                            &now_row);
    if (!err) {
        s->rows[i] = now_row;
        err = queue_view_of(s->st, s->sec, &s->rows[i], &s->qv[i]);
    }
    secure_wipe(&now_row, sizeof now_row);
    if (snap == 0)
        store_rollback(s->st);
    if (!err)
        s->qv_whole[i] = true;
    return err;
}

unsigned session_work(struct session *s, int64_t now)
{
    if (!s->pending_lookup)
        return SR_NONE;
    s->pending_lookup = false;
    /* one read snapshot: every position and total on the summary belongs to
     * the same committed state, even while an import or a clerk writes */
    int snap = s->st->ops->begin_read(s->st);
    int err = lookup_entries(s);
    if (!err)
        err = lookup_beds(s);
    if (snap == 0)
        store_rollback(s->st);
    if (err) {
        session_wipe(s);
        set_message(s, true, now, 10000, "%s",
                    _("The service is temporarily unavailable. Please ask the staff."));
        return go(s, SS_ATTRACT, now) | SR_WIPE;
    }
    s->sel = 0;
    return go(s, SS_SUMMARY, now);
}

static void make_followup(struct session *s, const char *ref)
{
    s->qr_url[0] = '\0';
    if (followup_url(s->sec, s->cfg.followup_url, ref, s->qr_url, sizeof s->qr_url) != 0)
        s->qr_url[0] = '\0';
}

/* The receipt for the detail being shown (a queue entry or an application). */
static void make_receipt(struct session *s)
{
    struct receipt_model *r = &s->receipt;
    memset(r, 0, sizeof *r);
    fmt(r->language, sizeof r->language, "%s", s->lang);
    now_text(r->datetime);
    fmt(r->kiosk_id, sizeof r->kiosk_id, "%s", s->cfg.kiosk_id);
    if (s->screen == SS_QUEUE || (s->screen == SS_QR && s->back_screen == SS_QUEUE)) {
        const struct queue_view *q = &s->qv[s->cur_q];
        fmt(r->title, sizeof r->title, "%s", _("Housing queue receipt"));
        fmt(r->program, sizeof r->program, "%s", program_name(s, q));
        fmt(r->name_masked, sizeof r->name_masked, "%s", q->name_masked);
        fmt(r->id_masked, sizeof r->id_masked, "%s", q->id_masked);
        if (q->status == ST_WAITING) {
            fmt(r->position, sizeof r->position, "%lld", q->position);
            fmt(r->total, sizeof r->total, "%lld", q->total);
        }
        fmt(r->stage, sizeof r->stage, "%s", queue_status_label(q->status));
        /* the receipt number is on the public notice already: a fine reference */
        if (followup_ref_valid(q->receipt_no))
            fmt(r->reference, sizeof r->reference, "%s", q->receipt_no);
        else
            followup_ref_new(r->reference);
    } else {
        const char *ref;
        if (s->screen == SS_APPLY_DONE || (s->screen == SS_QR && s->back_screen == SS_APPLY_DONE)) {
            ref = s->applied_ref;
            fmt(r->stage, sizeof r->stage, "%s", bed_stage_label(BS_SUBMITTED, s->lang));
            name_mask(s->form.elder_name, r->name_masked, sizeof r->name_masked);
            idnum_mask(s->form.elder_id, r->id_masked, sizeof r->id_masked);
        } else {
            const struct bed_view *b = &s->bv[s->cur_b];
            ref = b->ref;
            fmt(r->stage, sizeof r->stage, "%s", b->stage_label);
            fmt(r->name_masked, sizeof r->name_masked, "%s", b->elder_name_masked);
            fmt(r->id_masked, sizeof r->id_masked, "%s", b->elder_id_masked);
        }
        fmt(r->title, sizeof r->title, "%s", _("Home care bed application"));
        fmt(r->program, sizeof r->program, "%s", _("Home care bed (家庭养老床位)"));
        fmt(r->reference, sizeof r->reference, "%s", ref);
    }
    make_followup(s, r->reference);
    fmt(r->followup_url, sizeof r->followup_url, "%s", s->qr_url);
}

static bool is_detail(int screen)
{
    return screen == SS_QUEUE || screen == SS_BED || screen == SS_APPLY_DONE;
}

static unsigned start_print(struct session *s, int64_t now)
{
    if (is_detail(s->screen))
        make_receipt(s);
    else if (s->screen != SS_QR || !s->receipt.reference[0])
        return SR_NONE;
    set_message(s, false, now, 0, "%s", _("Printing…"));
    build_view(s, now);
    return SR_PRINT | SR_REDRAW;
}

unsigned session_print_result(struct session *s, int err, int64_t now)
{
    if (!err) {
        s->receipt_kept = false;
        set_message(s, false, now, 8000, "%s", _("Receipt printed. Please take it."));
        if (s->screen == SS_QR)
            return go(s, s->back_screen, now);
        return redraw(s, now);
    }
    /* keep the receipt for a reprint and show the same code on screen */
    s->receipt_kept = true;
    if (err == KERR_PAPER)
        set_message(s, true, now, 0, "%s",
                    _("The printer is out of paper. Scan the code instead, or press F3 to try again."));
    else if (err == KERR_NODEV)
        set_message(s, true, now, 0, "%s",
                    _("No printer is connected. Scan the code instead, or press F3 to try again."));
    else
        set_message(s, true, now, 0, "%s",
                    _("The receipt could not be printed. Scan the code instead, or press F3 to try again."));
    if (s->screen != SS_QR) {
        s->back_screen = s->screen;
        return go(s, SS_QR, now);
    }
    return redraw(s, now);
}

static unsigned open_qr(struct session *s, int64_t now)
{
    make_receipt(s);
    s->back_screen = s->screen;
    clear_message(s);
    return go(s, SS_QR, now);
}

static unsigned typed_lookup(struct session *s, int64_t now)
{
    if (s->locked_until > now)
        return redraw(s, now);
    int n = 0;
    int snap = s->st->ops->begin_read(s->st);
    int err = queue_lookup_receipt(s->st, s->sec, s->typed_receipt, s->typed_last6, NULL, s->qv,
                                   MAX_QV, &n);
    if (snap == 0)
        store_rollback(s->st);
    secure_wipe(s->typed_last6, sizeof s->typed_last6);
    if (err == KERR_NOTFOUND || err == KERR_USAGE || err == KERR_INPUT) {
        queue_view_wipe(s->qv, MAX_QV);
        secure_wipe(s->typed_receipt, sizeof s->typed_receipt);
        s->field = 0;
        if (++s->failures >= s->cfg.lookup_attempts) {
            s->failures = 0;
            s->locked_until = now + (int64_t)s->cfg.lookup_pause * 1000;
            clear_message(s);
        } else {
            set_message(s, true, now, 15000,
                        _("Nothing found for this receipt number and ID ending. %d attempts left."),
                        s->cfg.lookup_attempts - s->failures);
        }
        return redraw(s, now);
    }
    if (err) {
        set_message(s, true, now, 10000, "%s",
                    _("The service is temporarily unavailable. Please ask the staff."));
        return redraw(s, now);
    }
    s->failures = 0;
    s->n_qv = n;
    for (int i = 0; i < n; i++)
        s->qv_whole[i] = true;
    s->sel = 0;
    clear_message(s);
    return go(s, SS_SUMMARY, now);
}

/* ---- the apply flow ---------------------------------------------------------- */

static unsigned apply_start(struct session *s, int64_t now)
{
    secure_wipe(&s->form, sizeof s->form);
    s->apply_sel = 0;
    clear_message(s);
    return go(s, SS_APPLY_WHO, now);
}

static unsigned apply_submit(struct session *s, int64_t now)
{
    struct actor who = {0};
    fmt(who.name, sizeof who.name, "resident@%s", s->cfg.kiosk_id);
    fmt(s->form.kiosk_id, sizeof s->form.kiosk_id, "%s", s->cfg.kiosk_id);
    if (!s->form.address[0])
        fmt(s->form.address, sizeof s->form.address, "%s",
            "(to be confirmed at the home visit / 上门核实)");
    s->form.consent = true;
    char ref[33] = "";
    int err = bed_submit(s->st, s->sec, &who, &s->form, ref);
    if (err == KERR_EXISTS) {
        set_message(s, true, now, 0, "%s",
                    _("This elder already has an open application. Open it from the list."));
        return redraw(s, now);
    }
    if (err) {
        set_message(s, true, now, 0, "%s",
                    _("The application could not be submitted. Please ask the staff."));
        return redraw(s, now);
    }
    fmt(s->applied_ref, sizeof s->applied_ref, "%s", ref);
    make_followup(s, ref);
    clear_message(s);
    /* the new application belongs in the summary too */
    if (s->has_holder && !strcmp(s->holder_id, s->form.elder_id))
        lookup_beds(s);
    return go(s, SS_APPLY_DONE, now);
}

static unsigned apply_action(struct session *s, enum kiosk_action a, int64_t now)
{
    if (a == ACT_ESCAPE && s->screen != SS_APPLY_DONE) {
        secure_wipe(&s->form, sizeof s->form);
        clear_message(s);
        return go(s, SS_SUMMARY, now);
    }
    switch (s->screen) {
    case SS_APPLY_WHO:
        if (a == ACT_UP || a == ACT_DOWN) {
            s->apply_sel ^= 1;
            return redraw(s, now);
        }
        if (a == ACT_DIGIT_1 || a == ACT_DIGIT_2)
            s->apply_sel = a == ACT_DIGIT_1 ? 0 : 1;
        else if (a != ACT_ENTER)
            return SR_NONE;
        if (s->apply_sel == 0) {
            fmt(s->form.elder_id, sizeof s->form.elder_id, "%s", s->holder_id);
            fmt(s->form.elder_name, sizeof s->form.elder_name, "%s", s->holder_name);
            s->form.by_agent = false;
            return go(s, SS_APPLY_CONSENT, now);
        }
        s->form.by_agent = true;
        fmt(s->form.agent_id, sizeof s->form.agent_id, "%s", s->holder_id);
        fmt(s->form.agent_name, sizeof s->form.agent_name, "%s", s->holder_name);
        return go(s, SS_APPLY_PHONE, now);
    case SS_APPLY_PHONE: {
        size_t n = strlen(s->form.agent_phone);
        if (a >= ACT_DIGIT_0 && a <= ACT_DIGIT_9 && n < PHONE_MAX) {
            s->form.agent_phone[n] = (char)('0' + (a - ACT_DIGIT_0));
            s->form.agent_phone[n + 1] = '\0';
            return redraw(s, now);
        }
        if (a == ACT_BACKSPACE && n) {
            s->form.agent_phone[n - 1] = '\0';
            return redraw(s, now);
        }
        if (a == ACT_ENTER) {
            if (n < 7) {
                set_message(s, true, now, 6000, "%s", _("Please type a phone number."));
                return redraw(s, now);
            }
            clear_message(s);
            return go(s, SS_APPLY_ELDER, now);
        }
        return SR_NONE;
    }
    case SS_APPLY_ELDER:
        if (a == ACT_PICKER && s->opts.sim && s->demo_n > 0) {
            s->back_screen = s->screen;
            return go(s, SS_PICKER, now);
        }
        return SR_NONE;
    case SS_APPLY_CONSENT:
        if (a == ACT_ENTER) {
            s->form.consent = true;
            s->apply_sel = 0;
            return go(s, SS_APPLY_SERVICES, now);
        }
        return SR_NONE;
    case SS_APPLY_SERVICES:
        if (a >= ACT_DIGIT_1 && a < ACT_DIGIT_1 + BED_SVC__COUNT) {
            s->apply_sel = a - ACT_DIGIT_1;
            s->form.services ^= service_bits[s->apply_sel];
            return redraw(s, now);
        }
        if (a == ACT_UP || a == ACT_DOWN) {
            s->apply_sel = (s->apply_sel + (a == ACT_UP ? BED_SVC__COUNT : 1)) % (BED_SVC__COUNT + 1);
            return redraw(s, now);
        }
        if (a == ACT_ENTER) {
            if (s->apply_sel < BED_SVC__COUNT) {
                s->form.services ^= service_bits[s->apply_sel];
                return redraw(s, now);
            }
            if (!s->form.services) {
                set_message(s, true, now, 6000, "%s", _("Please choose at least one service."));
                return redraw(s, now);
            }
            clear_message(s);
            return go(s, SS_APPLY_CONFIRM, now);
        }
        return SR_NONE;
    case SS_APPLY_CONFIRM:
        if (a == ACT_ENTER)
            return apply_submit(s, now);
        return SR_NONE;
    case SS_APPLY_DONE:
        if (a == ACT_PRINT)
            return start_print(s, now);
        if (a == ACT_ENTER || a == ACT_ESCAPE) {
            secure_wipe(&s->form, sizeof s->form);
            clear_message(s);
            s->sel = 0;
            return go(s, SS_SUMMARY, now);
        }
        return SR_NONE;
    }
    return SR_NONE;
}

/* ---- events ----------------------------------------------------------------- */

static unsigned pick_demo(struct session *s, int64_t now)
{
    struct card_event ev = {.type = CARD_EV_INSERT, .kind = CARD_KIND_RESIDENT};
    char id[19];
    demo_resident(s->demo_seed, s->picker_sel, id, ev.name, sizeof ev.name);
    fmt(ev.id_number, sizeof ev.id_number, "%s", id);
    secure_wipe(id, sizeof id);
    s->screen = s->back_screen;
    return session_card(s, &ev, now) | SR_GOTO;
}

unsigned session_card(struct session *s, struct card_event *ev, int64_t now)
{
    unsigned r = SR_NONE;
    s->last_input = now;
    s->countdown_until = 0;
    switch (ev->type) {
    case CARD_EV_INSERT:
        if (s->screen == SS_APPLY_ELDER) {
            /* the agent's card was read before: this one is the elder's */
            if (!strcmp(ev->id_number, s->form.agent_id)) {
                set_message(s, true, now, 6000, "%s",
                            _("This is the family member's card. Please place the elder's card."));
                r = redraw(s, now);
                break;
            }
            fmt(s->form.elder_id, sizeof s->form.elder_id, "%s", ev->id_number);
            fmt(s->form.elder_name, sizeof s->form.elder_name, "%s", ev->name);
            clear_message(s);
            r = go(s, SS_APPLY_CONSENT, now);
            break;
        }
        session_wipe(s);
        s->has_holder = true;
        fmt(s->holder_id, sizeof s->holder_id, "%s", ev->id_number);
        fmt(s->holder_name, sizeof s->holder_name, "%s", ev->name);
        s->pending_lookup = true;
        r = go(s, SS_READING, now) | SR_WORK | SR_WIPE;
        break;
    case CARD_EV_REMOVE:
        /* the agent takes their card away before placing the elder's */
        if (s->screen == SS_APPLY_ELDER || !s->has_holder)
            break;
        r = wipe_to_attract(s, now);
        break;
    case CARD_EV_ERROR:
        if (s->screen == SS_ATTRACT || s->screen == SS_APPLY_ELDER) {
            set_message(s, true, now, 8000, "%s",
                        _("This card cannot be read here. Please try again or ask the staff."));
            r = redraw(s, now);
        }
        break;
    default:
        break;
    }
    card_event_wipe(ev);
    return r;
}

static unsigned attract_action(struct session *s, enum kiosk_action a, int64_t now)
{
    if (a == ACT_PICKER) {
        if (!s->opts.sim || s->demo_n <= 0)
            return SR_NONE;
        s->back_screen = SS_ATTRACT;
        return go(s, SS_PICKER, now);
    }
    char *f = s->field == 0 ? s->typed_receipt : s->typed_last6;
    size_t cap = s->field == 0 ? sizeof s->typed_receipt : sizeof s->typed_last6;
    size_t n = strlen(f);
    if (s->locked_until > now && a != ACT_ESCAPE && a != ACT_BACKSPACE)
        return redraw(s, now);
    if (a >= ACT_DIGIT_0 && a <= ACT_DIGIT_9) {
        if (n + 1 < cap) {
            f[n] = (char)('0' + (a - ACT_DIGIT_0));
            f[n + 1] = '\0';
            if (s->field == 0)
                clear_message(s);
        }
        return redraw(s, now);
    }
    if (a >= ACT_CHAR_A && a <= ACT_CHAR_Z) {
        /* letters: receipt numbers have them; an ID ends in X at most */
        char c = (char)('A' + (a - ACT_CHAR_A));
        if ((s->field == 0 || c == 'X') && n + 1 < cap) {
            f[n] = c;
            f[n + 1] = '\0';
        }
        return redraw(s, now);
    }
    if ((a == ACT_UP || a == ACT_DOWN) && s->field == 0) {
        /* keypad-only letters: ↑/↓ step the last character through A–Z */
        if (n == 0 || f[n - 1] < 'A' || f[n - 1] > 'Z') {
            if (n + 1 < cap) {
                f[n] = a == ACT_UP ? 'A' : 'Z';
                f[n + 1] = '\0';
            }
        } else {
            f[n - 1] = (char)(a == ACT_UP ? (f[n - 1] == 'Z' ? 'A' : f[n - 1] + 1)
                                          : (f[n - 1] == 'A' ? 'Z' : f[n - 1] - 1));
        }
        return redraw(s, now);
    }
    if ((a == ACT_UP || a == ACT_DOWN) && s->field == 1) {
        if (n + 1 < cap && a == ACT_UP) {
            f[n] = 'X';
            f[n + 1] = '\0';
        }
        return redraw(s, now);
    }
    if (a == ACT_BACKSPACE) {
        if (n)
            f[n - 1] = '\0';
        else if (s->field == 1)
            s->field = 0;
        return redraw(s, now);
    }
    if (a == ACT_ESCAPE) {
        secure_wipe(s->typed_receipt, sizeof s->typed_receipt);
        secure_wipe(s->typed_last6, sizeof s->typed_last6);
        s->field = 0;
        clear_message(s);
        return redraw(s, now);
    }
    if (a == ACT_ENTER) {
        if (s->field == 0) {
            if (n)
                s->field = 1;
            return redraw(s, now);
        }
        if (n == 6)
            return typed_lookup(s, now);
        set_message(s, true, now, 6000, "%s", _("Please type the last 6 characters of your ID number."));
        return redraw(s, now);
    }
    if (a == ACT_DOWN || a == ACT_RIGHT) {
        s->field = 1;
        return redraw(s, now);
    }
    if (a == ACT_LEFT) {
        s->field = 0;
        return redraw(s, now);
    }
    return SR_NONE;
}

unsigned session_action(struct session *s, enum kiosk_action a, int64_t now)
{
    s->last_input = now;
    if (s->countdown_until) {
        /* any key during the countdown only says "still here" */
        s->countdown_until = 0;
        return redraw(s, now);
    }
    if (a == ACT_NONE || a == ACT_ANY)
        return SR_NONE;
    if (a == ACT_LANG) {
        fmt(s->lang, sizeof s->lang, "%s", strcmp(s->lang, "zh") ? "zh" : "en");
        i18n_set_lang(s->lang);
        /* stage labels, responsibilities and next steps come from the core in one language */
        if (s->n_bv)
            lookup_beds(s);
        if (s->message[0] && s->screen != SS_QR)
            clear_message(s);
        build_view(s, now);
        return SR_REDRAW | SR_GOTO;
    }
    if (a == ACT_HELP && s->screen != SS_HELP && s->screen != SS_READING) {
        s->help_back = s->screen;
        return go(s, SS_HELP, now);
    }
    switch (s->screen) {
    case SS_ATTRACT:
        return attract_action(s, a, now);
    case SS_READING:
        return SR_NONE;
    case SS_HELP:
        if (a == ACT_ESCAPE || a == ACT_ENTER || a == ACT_BACKSPACE || a == ACT_HELP)
            return go(s, s->help_back, now);
        return SR_NONE;
    case SS_PICKER: {
        long long n = s->demo_n < PICKER_MAX ? s->demo_n : PICKER_MAX;
        if (a == ACT_UP || a == ACT_DOWN) {
            s->picker_sel = (int)((s->picker_sel + (a == ACT_UP ? n - 1 : 1)) % n);
            return redraw(s, now);
        }
        if (a >= ACT_DIGIT_0 && a <= ACT_DIGIT_9) {
            s->picker_sel = (int)((s->picker_sel * 10 + (a - ACT_DIGIT_0)) % n);
            return redraw(s, now);
        }
        if (a == ACT_ENTER)
            return pick_demo(s, now);
        if (a == ACT_ESCAPE || a == ACT_BACKSPACE || a == ACT_PICKER)
            return go(s, s->back_screen, now);
        return SR_NONE;
    }
    case SS_SUMMARY: {
        int items = summary_items(s);
        if ((a == ACT_UP || a == ACT_DOWN) && items) {
            s->sel = (s->sel + (a == ACT_UP ? items - 1 : 1)) % items;
            return redraw(s, now);
        }
        if (a >= ACT_DIGIT_1 && a <= ACT_DIGIT_9 && (int)(a - ACT_DIGIT_1) < items) {
            s->sel = a - ACT_DIGIT_1;
            a = ACT_ENTER;
        }
        if (a == ACT_ENTER && items) {
            clear_message(s);
            if (s->sel < s->n_qv) {
                if (whole_view(s, s->sel)) {
                    set_message(s, true, now, 10000, "%s",
                                _("The service is temporarily unavailable. Please ask the staff."));
                    return redraw(s, now);
                }
                s->cur_q = s->sel;
                return go(s, SS_QUEUE, now);
            }
            if (s->sel < s->n_qv + s->n_bv) {
                s->cur_b = s->sel - s->n_qv;
                return go(s, SS_BED, now);
            }
            return apply_start(s, now);
        }
        if (a == ACT_ESCAPE || a == ACT_BACKSPACE) {
            s->end_until = now + END_SCREEN_MS;
            return go(s, SS_END, now);
        }
        return SR_NONE;
    }
    case SS_QUEUE:
    case SS_BED:
        if (a == ACT_PRINT)
            return start_print(s, now);
        if (a == ACT_DIGIT_0)
            return open_qr(s, now);
        if (a == ACT_DIGIT_9 && s->screen == SS_BED && s->bv[s->cur_b].can_withdraw) {
            clear_message(s);
            return go(s, SS_WITHDRAW, now);
        }
        if (a == ACT_ESCAPE || a == ACT_BACKSPACE) {
            clear_message(s);
            return go(s, SS_SUMMARY, now);
        }
        return SR_NONE;
    case SS_WITHDRAW:
        if (a == ACT_ENTER) {
            struct actor who = {0};
            fmt(who.name, sizeof who.name, "resident@%s", s->cfg.kiosk_id);
            int err = bed_withdraw_by_resident(s->st, s->sec, &who, s->bv[s->cur_b].ref,
                                               s->holder_id);
            if (err) {
                set_message(s, true, now, 0, "%s",
                            err == KERR_STAGE
                                ? _("It is too late to withdraw this application here. Please ask the staff.")
                                : _("The application could not be withdrawn. Please ask the staff."));
            } else {
                set_message(s, false, now, 0, "%s", _("The application has been withdrawn."));
                lookup_beds(s);
                if (s->cur_b >= s->n_bv)
                    return go(s, SS_SUMMARY, now);
            }
            return go(s, SS_BED, now);
        }
        if (a == ACT_ESCAPE || a == ACT_BACKSPACE)
            return go(s, SS_BED, now);
        return SR_NONE;
    case SS_QR:
        if (a == ACT_PRINT)
            return start_print(s, now);
        if (a == ACT_ESCAPE || a == ACT_BACKSPACE || a == ACT_ENTER) {
            if (!s->receipt_kept)
                clear_message(s);
            return go(s, s->back_screen, now);
        }
        return SR_NONE;
    case SS_END:
        if (a == ACT_ENTER || a == ACT_ESCAPE)
            return wipe_to_attract(s, now);
        return SR_NONE;
    default:
        return apply_action(s, a, now);
    }
}

static bool idle_applies(const struct session *s)
{
    return s->screen != SS_ATTRACT || session_holds_personal(s);
}

unsigned session_tick(struct session *s, int64_t now)
{
    unsigned r = SR_NONE;
    if (s->screen == SS_END && s->end_until && now >= s->end_until)
        return wipe_to_attract(s, now);
    if (s->countdown_until) {
        if (now >= s->countdown_until)
            return wipe_to_attract(s, now);
        int before = s->view.countdown;
        build_view(s, now);
        if (s->view.countdown != before)
            r |= SR_REDRAW;
    } else if (idle_applies(s) && now - s->last_input >= (int64_t)s->cfg.idle_timeout * 1000) {
        s->countdown_until = now + COUNTDOWN_S * 1000;
        build_view(s, now);
        r |= SR_REDRAW;
    }
    if (s->message_until && now >= s->message_until) {
        clear_message(s);
        build_view(s, now);
        r |= SR_REDRAW;
    }
    if (s->screen == SS_ATTRACT && s->locked_until) {
        char before[SV_TEXT];
        fmt(before, sizeof before, "%s", s->view.message);
        if (now >= s->locked_until)
            s->locked_until = 0;
        build_view(s, now);
        if (strcmp(before, s->view.message))
            r |= SR_REDRAW;
    }
    return r;
}

int session_next_timeout_ms(const struct session *s, int64_t now)
{
    int64_t next = -1;
#define CONSIDER(t)                                                                        \
    do {                                                                                   \
        int64_t d_ = (t) - now;                                                            \
        if (d_ < 0)                                                                        \
            d_ = 0;                                                                        \
        if (next < 0 || d_ < next)                                                         \
            next = d_;                                                                     \
    } while (0)
    if (s->countdown_until) {
        /* the number on screen changes every second */
        int64_t left = s->countdown_until - now;
        CONSIDER(now + (left % 1000 ? left % 1000 : 1000));
    } else if (idle_applies(s)) {
        CONSIDER(s->last_input + (int64_t)s->cfg.idle_timeout * 1000);
    }
    if (s->screen == SS_END && s->end_until)
        CONSIDER(s->end_until);
    if (s->message_until)
        CONSIDER(s->message_until);
    if (s->locked_until) {
        int64_t left = s->locked_until - now;
        CONSIDER(now + (left > 0 && left % 1000 ? left % 1000 : left > 0 ? 1000 : 0));
    }
#undef CONSIDER
    return next < 0 ? -1 : next > 60000 ? 60000 : (int)next;
}

unsigned session_devices(struct session *s, enum sess_dev reader, enum sess_dev printer)
{
    /* Tell the district which kiosks need paper (the staff console and
     * `kioskctl kiosks` read it): once at start and on every change.  A
     * failed report must not stop a kiosk serving residents, so it is only
     * logged; enum sess_dev and enum kdev_state share their values. */
    if (!s->reported || s->reader != reader || s->printer != printer) {
        int err = kiosk_status_report(s->st, s->cfg.kiosk_id, (int)reader, (int)printer);
        if (err && err != KERR_UNSUPPORTED)
            fprintf(stderr, "kiosk: could not report the device states: %s\n",
                    kerr_detail()[0] ? kerr_detail() : kiosk_strerror(err));
        s->reported = true;
    }
    s->reader = reader;
    s->printer = printer;
    char before[sizeof s->view.status];
    fmt(before, sizeof before, "%s", s->view.status);
    fill_status(s, &s->view);   /* only the status line changes: no clock needed */
    return strcmp(before, s->view.status) ? SR_REDRAW : SR_NONE;
}

const struct sess_view *session_view(const struct session *s) { return &s->view; }
const struct receipt_model *session_receipt(const struct session *s) { return &s->receipt; }
const char *session_lang(const struct session *s) { return s->lang; }

int session_new(struct store *st, const struct secret *sec, const struct kiosk_config *cfg,
                const struct session_opts *opts, struct session **out)
{
    *out = NULL;
    /* the session holds the card holder's identity: libsodium's guarded,
     * mlock'ed allocation keeps it out of swap and out of core dumps */
    if (sodium_init() < 0)
        return kerr(KERR_CRYPTO, "session: libsodium cannot start");
    struct session *s = sodium_malloc(sizeof *s);
    if (!s)
        return kerr(KERR_NOMEM, "session: out of memory");
    memset(s, 0, sizeof *s);
    s->st = st;
    s->sec = sec;
    s->cfg = *cfg;
    if (s->cfg.idle_timeout < 1)
        s->cfg.idle_timeout = 1;
    if (s->cfg.lookup_attempts < 1)
        s->cfg.lookup_attempts = 1;
    if (opts)
        s->opts = *opts;
    fmt(s->lang, sizeof s->lang, "%s", strcmp(cfg->language, "en") ? "zh" : "en");
    i18n_set_lang(s->lang);
    if (s->opts.sim && st) {
        char v[64];
        if (st->ops->meta_get(st, "demo_seed", v, sizeof v) == 0) {
            s->demo_seed = strtoull(v, NULL, 10);
            if (st->ops->meta_get(st, "demo_households", v, sizeof v) == 0)
                s->demo_n = strtoll(v, NULL, 10);
        }
    }
    s->screen = SS_ATTRACT;
    build_view(s, 0);
    *out = s;
    return 0;
}

void session_free(struct session **sp)
{
    struct session *s = *sp;
    if (!s)
        return;
    session_wipe(s);
    sodium_free(s);   /* zeroes the whole block before releasing it */
    *sp = NULL;
}
