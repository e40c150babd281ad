/* speech_text.h — what the kiosk says for a view: built from the view model
 * (kiosk/session/session.h), never scraped from the screen.
 *
 * The text is already translated (the view's language: Mandarin or
 * Cantonese for Chinese, English), already masked (the view holds only
 * masked strings), and already run through the pronunciation lexicon
 * (speech_lex.h), so it is exactly what the synthesiser is given.  Privacy:
 * on the loudspeaker (public audio) only prompts, errors and warnings are
 * said; personal content (names, ID fragments, positions, receipt numbers,
 * the lines of the result screens) only in private-audio mode (headphones).
 * When something was held back, the utterance says how to hear it.  Pure. */
#ifndef KIOSK_SPEECH_TEXT_H
#define KIOSK_SPEECH_TEXT_H

#include <stdbool.h>

#include "kiosk/keytab.h"
#include "kiosk/receipt_model.h"
#include "kiosk/session/session.h"
#include "kiosk/speech_lex.h"

#define SPEECH_TEXT_MAX 4096

/* One utterance: what is given to the synthesiser. */
struct utterance {
    enum speech_lang lang;     /* the voice to use */
    bool private_audio;        /* personal content may be (and may have been) included */
    char text[SPEECH_TEXT_MAX];
};

struct speech_prefs {
    enum speech_lang chinese;  /* SPL_ZH (Mandarin) or SPL_YUE (Cantonese) for a "zh" view */
    bool private_audio;        /* headphones: personal content may be spoken */
    const struct keytab *keys; /* the bindings in force, to name the keys (NULL: defaults) */
};

/* True when the lines of this screen are personal (a result, a form, the picker). */
bool speech_screen_personal(int screen);

/* The utterance for view v.  KERR_INPUT when the text was cut to fit. */
int speech_text(const struct sess_view *v, const struct speech_prefs *p, struct utterance *out);

/* A short fixed utterance in the view's language (speech on, headphone mode
 * on, …): text is already translated; the lexicon is applied. */
int speech_text_notice(const char *view_lang, const struct speech_prefs *p, const char *text,
                       struct utterance *out);

/* What a printed receipt says, spoken after it printed: built from the
 * same receipt model the printer was given (never from the paper or the
 * screen).  lead comes first ("Receipt printed. Please take it.").  In
 * private audio: the title, the programme, the position
 * (or the stage), what the status means, the next step and its date, whom
 * to contact, and the receipt number spelled one character at a time.  On
 * the loudspeaker only the lead, the title and how to hear the rest.  The
 * language is the receipt's (r->language). */
int speech_text_receipt(const struct receipt_model *r, const struct speech_prefs *p,
                        const char *lead, struct utterance *out);

#endif
