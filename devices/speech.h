/* speech.h — the speech output device: says utterances the core built
 * (kiosk/speech_text.h) on its own thread, so the UI never waits for it.
 *
 *     speech_new(&opts, &sp);          before the terminal is set up: errors print plainly
 *     speech_say(sp, &utterance);      a screen changed: cuts what is playing, says this
 *     speech_stop(sp);                 any key: silence at once
 *     speech_tone(sp, TONE_CARD);      a card was read / a warning / an error
 *
 * Where the sound goes:
 *   - opts.dir (--speech-dir): each utterance becomes DIR/NNNN.txt (first
 *     line "lang=zh|yue|en private=yes|no", then the exact text given to the
 *     synthesiser) and DIR/NNNN.wav, written as it is "played" — at the pace
 *     of real playback, so a key can cut it short, which leaves DIR/NNNN.stopped.
 *     Tones become DIR/tone-NNNN-NAME.wav.  No sound card needed (tests).
 *   - otherwise the default ALSA device.
 * The synthesiser is espeak-ng (speech_espeak.h); the voices per language
 * are opts.voice[] (defaults: cmn-latn-pinyin, yue, en).  */
#ifndef DEVICES_SPEECH_H
#define DEVICES_SPEECH_H

#include <stdbool.h>

#include "kiosk/speech_text.h"

struct speech;

enum speech_tone { TONE_CARD = 0, TONE_WARNING, TONE_ERROR };

struct speech_opts {
    const char *dir;                 /* --speech-dir, or NULL for the audio device */
    int volume;                      /* 0..200 (100 normal) */
    const char *voice[SPL__COUNT];   /* NULL or "" = the default voice of that language */
};

/* The default espeak-ng voice of a language. */
const char *speech_default_voice(enum speech_lang l);

/* Start the synthesiser and the worker thread.  KERR_NODEV when there is
 * no audio device (and no dir), KERR_DEVICE when espeak-ng cannot start or
 * a voice is missing, KERR_IO when dir is not a writable directory; the
 * detail says which.  The caller logs it and runs without speech. */
int speech_new(const struct speech_opts *opts, struct speech **out);
void speech_free(struct speech **sp);

/* Say u, cutting short whatever is playing or waiting; tone (enum
 * speech_tone, or -1 for none) plays first — one request, so the tone of a
 * card read is not cut by the screen it opens. */
void speech_say(struct speech *sp, const struct utterance *u, int tone);
/* Silence now (whatever is playing is cut, anything waiting dropped). */
void speech_stop(struct speech *sp);
/* A short tone (it cuts what is playing, like any new sound). */
void speech_tone(struct speech *sp, enum speech_tone t);
/* Change the volume by delta (clamped to 10..200); returns the new volume. */
int speech_volume(struct speech *sp, int delta);

/* True while an utterance or a tone is playing or waiting (tests, bench). */
bool speech_busy(struct speech *sp);

#endif
