/* session.c — the resident session: the public API of session.h and the
 * dispatch over the screens' ops tables (session_int.h; one file per
 * screen, sess_*.c).
 *
 * One struct holds the whole state of the person at the kiosk: who the card
 * holder is (the only plaintext identity, kept just long enough for the
 * look-ups, a withdrawal or an application), what was found (masked views),
 * where they are, and the clocks.  Every event ends by rebuilding the view
 * model from that state with the screen's `build` (pure formatting), so a
 * language switch or a wipe is just another rebuild and a screen can never
 * show something stale; the store is read only in a screen's `load` (when it
 * opens) and in the few inputs that submit.
 *
 * Here, for every screen: the idle countdown and the wipe, language and
 * help, and which action a key runs — a digit or letter whose key is bound
 * (cfg.keys) to an action the screen offers now runs that action, any other
 * is typing. */
#include "kiosk/session/session_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/kiosk_status.h"
#include "kiosk/linebreak.h"
#include "kiosk/outbox.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

_Static_assert((int)SDEV_ABSENT == (int)KDEV_ABSENT && (int)SDEV_READY == (int)KDEV_READY &&
                   (int)SDEV_PAPER_OUT == (int)KDEV_PAPER_OUT &&
                   (int)SDEV_PAPER_LOW == (int)KDEV_PAPER_LOW && (int)SDEV_FAULT == (int)KDEV_FAULT &&
                   (int)SDEV_NOT_ANSWERING == (int)KDEV_NOT_ANSWERING,
               "the session's device states are reported as kiosk_status states");

/* ---- the screens ------------------------------------------------------------ */

static const struct sess_screen_ops *const screens[SS__COUNT] = {
    [SS_ATTRACT] = &sess_attract_ops,
    [SS_READING] = &sess_reading_ops,
    [SS_SUMMARY] = &sess_summary_ops,
    [SS_QUEUE] = &sess_queue_ops,
    [SS_BED] = &sess_bed_ops,
    [SS_WITHDRAW] = &sess_withdraw_ops,
    [SS_APPLY_WHO] = &sess_apply_who_ops,
    [SS_APPLY_PHONE] = &sess_apply_phone_ops,
    [SS_APPLY_ELDER] = &sess_apply_elder_ops,
    [SS_APPLY_CONSENT] = &sess_apply_consent_ops,
    [SS_APPLY_SERVICES] = &sess_apply_services_ops,
    [SS_APPLY_CONFIRM] = &sess_apply_confirm_ops,
    [SS_APPLY_DONE] = &sess_apply_done_ops,
    [SS_QR] = &sess_qr_ops,
    [SS_END] = &sess_end_ops,
    [SS_PICKER] = &sess_picker_ops,
    [SS_HELP] = &sess_help_ops,
};

const struct sess_screen_ops *sess_ops(int screen)
{
    return screen >= 0 && screen < SS__COUNT ? screens[screen] : &sess_attract_ops;
}

const char *sess_screen_name(int screen)
{
    return screen >= 0 && screen < SS__COUNT ? screens[screen]->name : "unknown";
}

/* ---- the wipe --------------------------------------------------------------- */

/* Everything personal goes: the card holder, what was found, what was typed,
 * a half-filled application, a receipt kept for a reprint, the view model.
 * Rate-limit counters stay: waiting out the idle timer must not reset them. */
void sess_wipe(struct session *s)
{
    queue_view_wipe(s->qv, MAX_QV);
    secure_wipe(s->holder_id, sizeof s->holder_id);
    secure_wipe(s->holder_name, sizeof s->holder_name);
    secure_wipe(s->bv, sizeof s->bv);
    secure_wipe(s->qn, sizeof s->qn);
    secure_wipe(s->bn, sizeof s->bn);
    s->details = false;
    secure_wipe(s->typed_receipt, sizeof s->typed_receipt);
    secure_wipe(s->typed_last6, sizeof s->typed_last6);
    secure_wipe(&s->form, sizeof s->form);
    secure_wipe(s->self_refused, sizeof s->self_refused);
    secure_wipe(s->applied_ref, sizeof s->applied_ref);
    s->applied_kept = false;
    s->wrote = false;
    s->lookup_offline = false;
    secure_wipe(s->qr_url, sizeof s->qr_url);
    secure_wipe(&s->receipt, sizeof s->receipt);
    secure_wipe(&s->view, sizeof s->view);
    s->has_holder = false;
    s->receipt_kept = false;
    s->n_qv = s->n_bv = 0;
    s->sel = s->cur_q = s->cur_b = s->field = s->apply_sel = 0;
    s->pick_level = s->pick_group = 0;
    s->countdown_until = s->end_until = 0;
    s->countdown_card_gone = false;
    s->pending_lookup = false;
    s->access = false;          /* speech (issue 9): the next resident may have no headphones */
    sess_clear_message(s);
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

/* The hint line: the available actions in the screen's order, as many
 * whole ones as fit the kiosk's 80 columns (acts[] keeps them all, for
 * touch buttons and help).  One keytab_hint per action, so a long list
 * costs one pass. */
static void make_hint(const struct session *s, struct sess_view *v)
{
    size_t len = 0;
    int cols = 0;
    v->hint[0] = '\0';
    for (int i = 0; i < v->n_acts; i++) {
        char one[sizeof v->hint];
        if (keytab_hint(&s->cfg.keys, KS_RESIDENT, &v->acts[i], 1, s->lang, one, sizeof one) == 0)
            continue;   /* no key: touch only */
        int w = linebreak_width(one) + (len ? 2 : 0);
        if (cols + w > SV_HINT_COLS || len + strlen(one) + 3 > sizeof v->hint)
            break;
        len += (size_t)snprintf(v->hint + len, sizeof v->hint - len, "%s%s", len ? "  " : "", one);
        cols += w;
    }
}

/* The screen's build, then what every screen has: the message, the status
 * line, the available actions with their hint, the idle countdown. */
static void build_view(struct session *s, int64_t now)
{
    const struct sess_screen_ops *o = sess_ops(s->screen);
    struct sess_view *v = &s->view;
    secure_wipe(v, sizeof *v);
    v->screen = s->screen;
    v->selected = -1;
    sess_fmt(v->lang, sizeof v->lang, "%s", s->lang);
    o->build(s, v, now);
    if (s->message[0] && (!s->message_until || now < s->message_until)) {
        sess_fmt(v->message, sizeof v->message, "%s", s->message);
        v->message_warn = s->message_warn;
    }
    sess_fill_status(s, v);
    v->n_acts = o->actions(s, v->acts);
    make_hint(s, v);
    v->access_mode = s->access;   /* speech (issue 9) */
    if (s->countdown_until) {
        int secs = (int)((s->countdown_until - now + 999) / 1000);
        if (secs < 0)
            secs = 0;
        v->countdown = secs > 0 ? secs : 1;
        const char *why = s->countdown_card_gone
                              ? _("Your card was taken away before the application was finished.")
                              : _("Are you still there?");
        sess_fmt(v->countdown_speak, sizeof v->countdown_speak, "%s %s", why,
                 _("Press any key for more time."));
        sess_fmt(v->countdown_text, sizeof v->countdown_text,
                 _("%s The screen will be cleared in %d seconds. Press any key for more time."),
                 why, v->countdown);
    }
}

/* ---- transitions ------------------------------------------------------------ */

unsigned sess_go(struct session *s, int screen, int64_t now)
{
    const struct sess_screen_ops *o = sess_ops(screen);
    int err = o->load && !o->load_after_draw ? o->load(s) : 0;
    if (err) {
        /* the screen cannot show what it is for: stay, and say so */
        sess_unavailable(s, err, now);
        return sess_redraw(s, now);
    }
    s->screen = screen;
    build_view(s, now);
    return SR_GOTO | SR_REDRAW;
}

unsigned sess_redraw(struct session *s, int64_t now)
{
    build_view(s, now);
    return SR_REDRAW;
}

unsigned sess_wipe_to_attract(struct session *s, int64_t now)
{
    sess_wipe(s);
    /* the next resident starts in the kiosk's language, whatever this one chose */
    sess_fmt(s->lang, sizeof s->lang, "%s", strcmp(s->cfg.language, "en") ? "zh" : "en");
    i18n_set_lang(s->lang);
    s->screen = SS_ATTRACT;
    build_view(s, now);
    return SR_GOTO | SR_REDRAW | SR_WIPE;
}

/* ---- events ----------------------------------------------------------------- */

/* An application is being filled in (its steps before it is submitted). */
static bool half_filled(const struct session *s)
{
    return s->screen >= SS_APPLY_WHO && s->screen <= SS_APPLY_CONFIRM;
}

unsigned session_work(struct session *s, int64_t now)
{
    if (!s->pending_lookup)
        return SR_NONE;
    s->pending_lookup = false;
    const struct sess_screen_ops *o = sess_ops(s->screen);
    int err = o->load ? o->load(s) : 0;
    if (s->has_holder && s->opts.outbox && kerr_is_offline(err)) {
        /* the records are away, the card is here: nothing to show, but a bed
         * application can still be taken (the outbox files it later) */
        s->offline = true;
        heartbeat_db(&s->hb, false, (long long)time(NULL));   /* for the fleet, later */
        s->next_probe = now + OFFLINE_PROBE_MS;
        s->lookup_offline = true;
        queue_view_wipe(s->qv, MAX_QV);
        s->n_qv = s->n_bv = 0;
        s->sel = 0;
        return sess_go(s, SS_SUMMARY, now);
    }
    if (err) {
        sess_wipe(s);
        sess_unavailable(s, err, now);
        return sess_go(s, SS_ATTRACT, now) | SR_WIPE;
    }
    s->sel = 0;
    return sess_go(s, SS_SUMMARY, now);
}

unsigned session_card(struct session *s, struct card_event *ev, int64_t now)
{
    unsigned r = SR_NONE;
    s->last_input = now;
    s->countdown_until = 0;
    s->countdown_card_gone = false;
    switch (ev->type) {
    case CARD_EV_INSERT:
        s->card_present = true;
        if (s->screen == SS_APPLY_ELDER) {
            /* the agent's card was read before: this one is the elder's */
            if (!strcmp(ev->id_number, s->form.agent_id)) {
                sess_message(s, true, now, 6000, "%s",
                             _("This is the family member's card. Please place the elder's card."));
                r = sess_redraw(s, now);
                break;
            }
            char why[SV_TEXT];
            if (sess_apply_elder_refused(s, ev->id_number, why, sizeof why)) {
                /* refused up front, before consent and services are asked */
                sess_message(s, true, now, 0, "%s", why);
                secure_wipe(why, sizeof why);
                r = sess_redraw(s, now);
                break;
            }
            sess_fmt(s->form.elder_id, sizeof s->form.elder_id, "%s", ev->id_number);
            sess_fmt(s->form.elder_name, sizeof s->form.elder_name, "%s", ev->name);
            sess_clear_message(s);
            r = sess_go(s, SS_APPLY_CONSENT, now);
            break;
        }
        sess_wipe(s);
        s->has_holder = true;
        sess_fmt(s->holder_id, sizeof s->holder_id, "%s", ev->id_number);
        sess_fmt(s->holder_name, sizeof s->holder_name, "%s", ev->name);
        s->pending_lookup = true;   /* the reading screen's load, in session_work */
        r = sess_go(s, SS_READING, now) | SR_WORK | SR_WIPE;
        break;
    case CARD_EV_REMOVE:
        s->card_present = false;
        /* the agent takes their card away before placing the elder's */
        if (s->screen == SS_APPLY_ELDER || !s->has_holder)
            break;
        if (half_filled(s)) {
            /* never lose a half-filled application without the warning */
            s->countdown_until = now + COUNTDOWN_S * 1000;
            s->countdown_card_gone = true;
            r = sess_redraw(s, now);
            break;
        }
        r = sess_wipe_to_attract(s, now);
        break;
    case CARD_EV_ERROR:
        if (s->screen == SS_ATTRACT || s->screen == SS_APPLY_ELDER) {
            sess_message(s, true, now, 8000, "%s",
                         _("This card cannot be read here. Please try again or ask the staff."));
            r = sess_redraw(s, now);
        }
        break;
    default:
        break;
    }
    card_event_wipe(ev);
    return r;
}

/* The key name a typed action stands for ("7", "a"), or NULL. */
static const char *typed_key(enum kiosk_action a, char buf[2])
{
    if (a >= ACT_DIGIT_0 && a <= ACT_DIGIT_9)
        buf[0] = (char)('0' + (a - ACT_DIGIT_0));
    else if (a >= ACT_CHAR_A && a <= ACT_CHAR_Z)
        buf[0] = (char)('a' + (a - ACT_CHAR_A));
    else
        return NULL;
    buf[1] = '\0';
    return buf;
}

/* A digit or letter whose key is bound to an action this screen offers now
 * runs that action ("0" is the QR code on a detail screen by default);
 * anywhere else it types.  The screens layer may already send the action
 * itself: then this changes nothing. */
static enum kiosk_action resolve(const struct session *s, enum kiosk_action a)
{
    char buf[2];
    const char *key = typed_key(a, buf);
    if (!key)
        return a;
    int acts[KEYTAB_MAX_ACTIONS];
    int n = sess_ops(s->screen)->actions(s, acts);
    for (int i = 0; i < n; i++) {
        const char *keys[KEYTAB_MAX_KEYS];
        int nk = keytab_keys(&s->cfg.keys, KS_RESIDENT, acts[i], keys);
        for (int k = 0; k < nk; k++)
            if (keys[k][0] && !keys[k][1] && tolower((unsigned char)keys[k][0]) == key[0])
                return (enum kiosk_action)acts[i];
    }
    return a;
}

unsigned session_action(struct session *s, enum kiosk_action a, int64_t now)
{
    s->last_input = now;
    if (s->countdown_until) {
        /* any key during the countdown only says "still here" */
        s->countdown_until = 0;
        s->countdown_card_gone = false;
        return sess_redraw(s, now);
    }
    if (a == ACT_NONE || a == ACT_ANY)
        return SR_NONE;
    a = resolve(s, a);
    if (a == ACT_LANG) {
        sess_fmt(s->lang, sizeof s->lang, "%s", strcmp(s->lang, "zh") ? "zh" : "en");
        i18n_set_lang(s->lang);
        /* The one refresh a key causes: the core words stage labels, who is
         * responsible and the next step in one language, so the applications
         * are read again in the other (the look-up loaded them). */
        if (s->n_bv)
            sess_lookup_beds(s);
        if (s->message[0] && s->screen != SS_QR)
            sess_clear_message(s);
        build_view(s, now);
        return SR_REDRAW | SR_GOTO;
    }
    if (a == ACT_HELP && s->screen != SS_HELP && s->screen != SS_READING) {
        s->help_back = s->screen;
        return sess_go(s, SS_HELP, now);
    }
    return sess_ops(s->screen)->input(s, a, now);
}

static bool idle_applies(const struct session *s)
{
    return s->screen != SS_ATTRACT || session_holds_personal(s);
}

/* The idle limit in ms: doubled while the card is still on the reader (the
 * resident has not walked away; reading a long screen takes an elder time). */
static int64_t idle_limit_ms(const struct session *s)
{
    return (int64_t)s->cfg.idle_timeout * 1000 * (s->card_present ? 2 : 1);
}

void session_sam(struct session *s, int sam_state, const char *sam_id)
{
    heartbeat_sam(&s->hb, sam_state, sam_id);
}

void session_drawn(struct session *s, long long wall_s)
{
    heartbeat_drawn(&s->hb, sess_screen_name(s->screen), wall_s);
}

/* A failed heartbeat must not stop a kiosk serving residents: tried again
 * next interval, and logged once per outage (stderr is the kiosk's own
 * terminal under foot: one line, not one every 30 s). */
static void beat(struct session *s, int64_t now)
{
    bool due = heartbeat_due_ms(&s->hb, now) == 0;
    int err = heartbeat_tick(&s->hb, s->st, now);
    /* the outage as the heartbeat saw it (wall clock: the fleet compares it
     * with other machines' times); back again, the next tick records it */
    if (due && kerr_is_offline(err))
        heartbeat_db(&s->hb, false, (long long)time(NULL));
    else if (due && !err)
        heartbeat_db(&s->hb, true, (long long)time(NULL));
    if (err && err != KERR_UNSUPPORTED && !s->beat_failing)
        fprintf(stderr, "kiosk: could not write the heartbeat (retrying every %d s): %s\n",
                s->cfg.fleet_heartbeat, kerr_detail()[0] ? kerr_detail() : kiosk_strerror(err));
    if (due)
        s->beat_failing = err && err != KERR_UNSUPPORTED;
}

unsigned session_tick(struct session *s, int64_t now)
{
    unsigned r = SR_NONE;
    beat(s, now);
    if (s->screen == SS_END && s->end_until && now >= s->end_until)
        return sess_wipe_to_attract(s, now);
    if (s->countdown_until) {
        if (now >= s->countdown_until)
            return sess_wipe_to_attract(s, now);
        int before = s->view.countdown;
        build_view(s, now);
        if (s->view.countdown != before)
            r |= SR_REDRAW;
    } else if (idle_applies(s) && now - s->last_input >= idle_limit_ms(s)) {
        s->countdown_until = now + COUNTDOWN_S * 1000;
        build_view(s, now);
        r |= SR_REDRAW;
    }
    if (s->message_until && now >= s->message_until) {
        sess_clear_message(s);
        build_view(s, now);
        r |= SR_REDRAW;
    }
    if (s->offline && now >= s->next_probe) {
        /* is the database back?  (non-blocking on PostgreSQL: a probe polls
         * the reconnection, store_pg_conn.c) */
        s->next_probe = now + OFFLINE_PROBE_MS;
        if (store_ping(s->st) == 0) {
            s->offline = false;
            heartbeat_db(&s->hb, true, (long long)time(NULL));
            build_view(s, now);
            r |= SR_REDRAW;
        }
    }
    if (s->replica_down && now >= s->next_replica_probe) {
        s->next_replica_probe = now + REPLICA_PROBE_MS;
        s->replica_down = store_ping(s->opts.read_store) != 0;
    }
    if (s->outbox_waiting && !s->offline && s->screen == SS_ATTRACT)
        sess_deliver_outbox(s, now);
    if (s->screen == SS_ATTRACT && s->locked_until) {
        char before[SV_TEXT];
        sess_fmt(before, sizeof before, "%s", s->view.message);
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
    CONSIDER(now + heartbeat_due_ms(&s->hb, now));
    if (s->countdown_until) {
        /* the number on screen changes every second */
        int64_t left = s->countdown_until - now;
        CONSIDER(now + (left % 1000 ? left % 1000 : 1000));
    } else if (idle_applies(s)) {
        CONSIDER(s->last_input + idle_limit_ms(s));
    }
    if (s->screen == SS_END && s->end_until)
        CONSIDER(s->end_until);
    if (s->offline || (s->outbox_waiting && s->screen == SS_ATTRACT))
        CONSIDER(s->next_probe);
    if (s->replica_down)
        CONSIDER(s->next_replica_probe);
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
     * `kioskctl kiosks` read it): the heartbeat goes out at the next tick
     * after any change, and every [fleet] heartbeat seconds anyway.  enum
     * sess_dev and enum kdev_state share their values. */
    heartbeat_devices(&s->hb, (int)reader, (int)printer);
    s->reader = reader;
    s->printer = printer;
    char before[sizeof s->view.status];
    sess_fmt(before, sizeof before, "%s", s->view.status);
    sess_fill_status(s, &s->view);   /* only the status line changes: no clock needed */
    return strcmp(before, s->view.status) ? SR_REDRAW : SR_NONE;
}

unsigned session_print_result(struct session *s, int err, int64_t now)
{
    if (!err) {
        s->receipt_kept = false;
        sess_message(s, false, now, 8000, "%s", _("Receipt printed. Please take it."));
        if (s->screen == SS_QR)
            return sess_go(s, s->back_screen, now);
        return sess_redraw(s, now);
    }
    /* keep the receipt for a reprint and show the same code on screen */
    s->receipt_kept = true;
    if (err == KERR_PAPER)
        sess_message(s, true, now, 0, "%s",
                     _("The printer is out of paper. Scan the code instead, or try printing again."));
    else if (err == KERR_NODEV)
        sess_message(s, true, now, 0, "%s",
                     _("No printer is connected. Scan the code instead, or try printing again."));
    else
        sess_message(s, true, now, 0, "%s",
                     _("The receipt could not be printed. Scan the code instead, or try printing again."));
    if (s->screen != SS_QR) {
        s->back_screen = s->screen;
        return sess_go(s, SS_QR, now);
    }
    return sess_redraw(s, now);
}

/* ---- speech (issue 9) ---- */
unsigned session_set_access(struct session *s, bool on, int64_t now)
{
    s->access = on;
    return sess_redraw(s, now);
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
    heartbeat_init(&s->hb, cfg->kiosk_id, cfg->fleet_heartbeat);
    s->sec = sec;
    s->cfg = *cfg;
    if (s->cfg.idle_timeout < 1)
        s->cfg.idle_timeout = 1;
    if (s->cfg.lookup_attempts < 1)
        s->cfg.lookup_attempts = 1;
    if (opts)
        s->opts = *opts;
    int err = s->cfg.next_steps[0] ? next_steps_load(s->cfg.next_steps, &s->ns)
                                   : next_steps_load_default(&s->ns);
    if (err) {
        sodium_free(s);
        return err;
    }
    sess_fmt(s->lang, sizeof s->lang, "%s", strcmp(cfg->language, "en") ? "zh" : "en");
    i18n_set_lang(s->lang);
    if (s->opts.sim && st) {
        char v[64];
        if (st->ops->meta_get(st, "demo_seed", v, sizeof v) == 0) {
            s->demo_seed = strtoull(v, NULL, 10);
            if (st->ops->meta_get(st, "demo_households", v, sizeof v) == 0)
                s->demo_n = strtoll(v, NULL, 10);
        }
    }
    if (s->opts.outbox) {
        /* kept before a restart: filed at the first chance */
        long long pending = 0, refused = 0;
        if (outbox_count(s->opts.outbox, &pending, &refused) == 0)
            s->outbox_waiting = pending > 0;
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
    sess_wipe(s);
    next_steps_free(&s->ns);
    sodium_free(s);   /* zeroes the whole block before releasing it */
    *sp = NULL;
}
