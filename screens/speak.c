/* speak.c — the resident loop's speech glue (speak.h).
 *
 * Why "hold 5" is counted here: a terminal has no key-up events, so a held
 * key is its autorepeat — the say-again key arriving HOLD_PRESSES times, each
 * within HOLD_GAP_MS of the last (autorepeat runs at ~30 a second after a
 * ~0.5 s delay; nobody taps that fast).  On a screen where the cursor is in
 * a field, 5 types a digit of a receipt number, so there only the other
 * accessibility keys (F6, *) work. */
#include "screens/speak.h"

#include <stdio.h>
#include <string.h>

#include "devices/speech.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"

#define HOLD_PRESSES 3
#define HOLD_GAP_MS 150
#define VOLUME_STEP 20

static const int speech_acts[] = {ACT_SAY_AGAIN, ACT_VOLUME_UP, ACT_VOLUME_DOWN, ACT_SPEECH,
                                  ACT_ACCESS};

void speak_init(struct speak *k, const struct speak_opts *o)
{
    memset(k, 0, sizeof *k);
    k->sp = o->speech;
    k->on = o->speech != NULL;
    k->private_cfg = o->private_audio;
    k->chinese = o->chinese;
    k->keys = o->keys;
    k->last_screen = -1;
    k->pending_tone = -1;
}

static struct speech_prefs prefs_of(const struct speak *k, const struct sess_view *v)
{
    return (struct speech_prefs){
        .chinese = k->chinese,
        .private_audio = k->private_cfg || v->access_mode,
        .keys = k->keys,
    };
}

/* Say the view, after an optional notice ("Headphone mode on."). */
static void say_view(struct speak *k, const struct sess_view *v, const char *notice)
{
    if (!k->sp || !k->on)
        return;
    struct speech_prefs p = prefs_of(k, v);
    static struct utterance u, n;
    if (speech_text(v, &p, &u) != 0)
        fprintf(stderr, "kiosk: %s\n", kerr_detail());   /* cut to fit: still said */
    if (notice && speech_text_notice(v->lang, &p, notice, &n) == 0) {
        size_t nl = strlen(n.text);
        if (nl + 1 + strlen(u.text) < sizeof n.text) {
            n.text[nl] = ' ';
            memcpy(n.text + nl + 1, u.text, strlen(u.text) + 1);
            u = n;
        }
    }
    speech_say(k->sp, &u, k->pending_tone);
    k->pending_tone = -1;
    k->last_screen = v->screen;
    snprintf(k->last_lang, sizeof k->last_lang, "%s", v->lang);
    snprintf(k->last_msg, sizeof k->last_msg, "%s", v->message);
    k->last_countdown = v->countdown;
    k->last_selected = v->selected;
}

static void say_notice(struct speak *k, const struct sess_view *v, const char *text)
{
    struct speech_prefs p = prefs_of(k, v);
    static struct utterance u;
    if (speech_text_notice(v->lang, &p, text, &u) == 0)
        speech_say(k->sp, &u, -1);
}

static bool typing_here(const struct sess_view *v)
{
    for (int i = 0; i < v->n_fields; i++)
        if (v->field[i].active)
            return true;
    return false;
}

static unsigned toggle_access(struct speak *k, struct session *s, long long now)
{
    unsigned r = session_set_access(s, !session_view(s)->access_mode, now);
    const struct sess_view *v = session_view(s);
    say_view(k, v, v->access_mode ? _("Headphone mode on: personal details are read aloud.")
                                  : _("Headphone mode off."));
    return r;
}

static unsigned run(struct speak *k, struct session *s, int a, long long now, bool by_key);

bool speak_key(struct speak *k, struct session *s, const struct keymap *m, struct keycode kc,
               long long now, unsigned *reaction)
{
    speech_stop(k->sp);   /* any key: silence at once */
    const struct sess_view *v = session_view(s);
    uint32_t ch;
    /* a key [keys] also binds to an action this screen offers runs that action */
    int own = keymap_action(m, v->acts, v->n_acts, kc, &ch);
    if (v->n_acts && keymap_offered(v->acts, v->n_acts, own)) {
        k->hold_n = 0;
        return false;
    }
    int n = (int)(sizeof speech_acts / sizeof speech_acts[0]);
    int a = keymap_action(m, speech_acts, n, kc, &ch);
    bool is_speech = false;
    for (int i = 0; i < n; i++)
        is_speech |= a == speech_acts[i];
    if (a != ACT_SAY_AGAIN)
        k->hold_n = 0;
    if (!is_speech || (a == ACT_SAY_AGAIN && typing_here(v))) {
        k->hold_n = 0;
        return false;
    }
    *reaction = run(k, s, a, now, true);
    return true;
}

/* A speech action, from its key (by_key: "hold 5" counts) or a touch button. */
static unsigned run(struct speak *k, struct session *s, int a, long long now, bool by_key)
{
    /* the key is someone being there: wake the idle countdown first */
    unsigned r = session_action(s, ACT_ANY, now);
    const struct sess_view *v = session_view(s);
    switch (a) {
    case ACT_SAY_AGAIN:
        if (!by_key) {
            k->hold_n = 0;
            say_view(k, v, NULL);
            break;
        }
        k->hold_n = now - k->hold_last <= HOLD_GAP_MS ? k->hold_n + 1 : 1;
        k->hold_last = now;
        if (k->hold_n == 1)
            k->held = false;
        if (k->hold_n >= HOLD_PRESSES) {
            if (!k->held && !v->access_mode) {
                k->held = true;
                r |= toggle_access(k, s, now);
            }
        } else if (k->hold_n == 1) {
            say_view(k, v, NULL);
        }
        break;
    case ACT_VOLUME_UP:
    case ACT_VOLUME_DOWN: {
        speech_volume(k->sp, a == ACT_VOLUME_UP ? VOLUME_STEP : -VOLUME_STEP);
        const struct action_def *d = keytab_def(KS_RESIDENT, a);
        if (k->sp && k->on)
            say_notice(k, v, d->label[keytab_lang(v->lang)]);
        break;
    }
    case ACT_SPEECH:
        if (k->sp && k->on) {
            say_notice(k, v, _("Speech off."));
            k->on = false;
        } else if (k->sp) {
            k->on = true;
            say_view(k, v, _("Speech on."));
        }
        break;
    case ACT_ACCESS:
        r |= toggle_access(k, s, now);
        break;
    default:
        break;
    }
    return r;
}

bool speak_is_action(int a)
{
    for (size_t i = 0; i < sizeof speech_acts / sizeof speech_acts[0]; i++)
        if (a == speech_acts[i])
            return true;
    return false;
}

unsigned speak_touch(struct speak *k, struct session *s, int a, long long now)
{
    speech_stop(k->sp);
    if (!speak_is_action(a))
        return SR_NONE;
    return run(k, s, a, now, false);
}

int speak_acts(const struct speak *k, const struct sess_view *v, int out[8])
{
    int n = 0;
    if (k->sp) {
        /* where a field has the cursor 5 types: no "[5] Say again" button there */
        if (!typing_here(v))
            out[n++] = ACT_SAY_AGAIN;
        out[n++] = ACT_VOLUME_UP;
        out[n++] = ACT_VOLUME_DOWN;
        out[n++] = ACT_SPEECH;
    }
    out[n++] = ACT_ACCESS;   /* the large layout works without speech too */
    return n;
}

void speak_card(struct speak *k)
{
    k->pending_tone = TONE_CARD;
}

void speak_printed(struct speak *k, const struct receipt_model *r)
{
    k->printed = r;
}

/* The receipt that just printed, led by the view's message ("Receipt printed."). */
static void say_receipt(struct speak *k, const struct sess_view *v)
{
    struct speech_prefs p = prefs_of(k, v);
    static struct utterance u;
    if (speech_text_receipt(k->printed, &p, v->message, &u) != 0)
        fprintf(stderr, "kiosk: %s\n", kerr_detail());   /* cut to fit: still said */
    speech_say(k->sp, &u, -1);
    k->printed = NULL;
    k->last_screen = v->screen;
    snprintf(k->last_lang, sizeof k->last_lang, "%s", v->lang);
    snprintf(k->last_msg, sizeof k->last_msg, "%s", v->message);
    k->last_countdown = v->countdown;
    k->last_selected = v->selected;
}

void speak_after(struct speak *k, const struct sess_view *v)
{
    if (!k->sp || !k->on) {
        k->printed = NULL;
        return;
    }
    if (k->printed) {
        say_receipt(k, v);
        return;
    }
    bool changed = v->screen != k->last_screen || strcmp(v->lang, k->last_lang) ||
                   (v->message[0] && strcmp(v->message, k->last_msg)) ||
                   (v->countdown > 0 && k->last_countdown == 0);
    if (!changed && v->selected != k->last_selected && v->selected >= 0 &&
        (v->access_mode || k->private_cfg || !speech_screen_personal(v->screen))) {
        /* the selection moved: say the item (on a result screen only in private audio) */
        struct speech_prefs p = prefs_of(k, v);
        static struct utterance u;
        char line[SV_TEXT + 32];
        snprintf(line, sizeof line, _("Selected: %s"), v->line[v->selected].text);
        if (speech_text_notice(v->lang, &p, line, &u) == 0)
            speech_say(k->sp, &u, -1);
        k->last_selected = v->selected;
        return;
    }
    if (!changed) {
        k->last_selected = v->selected;
        k->last_countdown = v->countdown;
        snprintf(k->last_msg, sizeof k->last_msg, "%s", v->message);
        return;
    }
    if (k->pending_tone < 0) {
        if (v->countdown > 0 && k->last_countdown == 0)
            k->pending_tone = TONE_WARNING;
        else if (v->message[0] && v->message_warn && strcmp(v->message, k->last_msg))
            k->pending_tone = TONE_ERROR;
    }
    say_view(k, v, NULL);
}
