/* speak.h — the resident loop's speech glue (issue 9).
 *
 * The loop (loop.c) calls four hooks; this module decides what to say and
 * hands it to the speech device (devices/speech.h), which speaks on its own
 * thread.  What is said comes from the view model (kiosk/speech_text.h):
 *   - a key: silence at once (speech_stop), then the speech keys from the
 *     one key table — say again, louder, quieter, speech on/off, and the
 *     accessibility key (headphone mode + largest type, also "hold 5");
 *   - after the session reacted: a new screen, a new message, the idle
 *     warning or a language switch is spoken, with a tone for a card read,
 *     a warning or an error; after a receipt printed, what it says.
 * With no speech device (none configured, or none could start) every hook
 * still works: the accessibility key still sets the large layout. */
#ifndef SCREENS_SPEAK_H
#define SCREENS_SPEAK_H

#include <stdbool.h>

#include "kiosk/session/session.h"
#include "kiosk/speech_text.h"
#include "screens/keymap.h"

struct speech;

struct speak {
    struct speech *sp;          /* NULL: no speech device */
    bool on;                    /* speech on (the speech key switches it) */
    bool private_cfg;           /* [speech] private / --speech-private: headphones fitted */
    enum speech_lang chinese;   /* SPL_ZH or SPL_YUE */
    const struct keytab *keys;

    int last_screen;            /* what was last said, to speak only changes */
    char last_lang[4];
    char last_msg[SV_TEXT];
    int last_countdown;
    int last_selected;
    int pending_tone;           /* -1 none; TONE_CARD after a card event */
    long long hold_last;        /* "hold 5": the say-again key's autorepeat */
    int hold_n;
    bool held;                  /* this hold already switched headphone mode */
    const struct receipt_model *printed;   /* a receipt just printed: said next (borrowed) */
};

struct speak_opts {
    struct speech *speech;      /* borrowed; NULL for none */
    bool private_audio;
    enum speech_lang chinese;
    const struct keytab *keys;  /* the bindings in force */
};

void speak_init(struct speak *k, const struct speak_opts *o);

/* A key or a touch arrived.  Silences speech.  When the key is a speech key
 * it is handled here: *reaction gets the session's reaction flags (the key
 * also wakes the idle countdown) and true is returned; false: the loop
 * handles the key as usual. */
bool speak_key(struct speak *k, struct session *s, const struct keymap *m, struct keycode kc,
               long long now_ms, unsigned *reaction);

/* True for the speech actions (say again, louder, quieter, speech on/off, accessibility). */
bool speak_is_action(int a);

/* The speech actions to offer as touch buttons after the screen's own (out:
 * up to 8): all of them with a speech device — but "say again" not where a
 * field has the cursor (its key types a digit there) — and the
 * accessibility key always (it also switches the largest layout on). */
int speak_acts(const struct speak *k, const struct sess_view *v, int out[8]);

/* A touch on a speech button: runs speech action a as its key would
 * (silencing first); returns the session's reaction flags. */
unsigned speak_touch(struct speak *k, struct session *s, int a, long long now);

/* A card was read: the next utterance starts with the card tone. */
void speak_card(struct speak *k);

/* A receipt printed: the next utterance is what it says (speech_text_receipt),
 * led by the view's message, instead of the whole screen again.  r is the
 * session's receipt model, the one the printer was given. */
void speak_printed(struct speak *k, const struct receipt_model *r);

/* The session reacted: say what changed (a new screen, message, warning, language). */
void speak_after(struct speak *k, const struct sess_view *v);

#endif
