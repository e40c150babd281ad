/* speech_espeak.h — the synthesiser: libespeak-ng behind a small interface.
 *
 * Only devices/speech.c's worker thread calls these (espeak-ng keeps global
 * state; one caller means no locking).  Synthesis is synchronous: the text
 * comes back as 16-bit mono PCM in chunks through a sink, and the sink
 * returning non-zero stops the synthesis at once — that is how a key
 * silences speech within one chunk (20 ms). */
#ifndef DEVICES_SPEECH_ESPEAK_H
#define DEVICES_SPEECH_ESPEAK_H

/* Receives n samples; returns 0 to go on, non-zero to stop. */
typedef int (*synth_sink)(void *ctx, const short *pcm, int n);

/* Load the synthesiser's data; *rate gets the sample rate (22050).
 * KERR_DEVICE with a detail when espeak-ng or its data is missing. */
int synth_init(int *rate);
/* Select a voice by name ("cmn-latn-pinyin", "yue", "en-gb"); cached, so a
 * repeat of the current voice costs nothing. */
int synth_voice(const char *name);
/* 0..200, 100 = espeak-ng's normal. */
int synth_volume(int volume);
/* Speak UTF-8 text into sink.  1 when the sink stopped it, 0 when complete,
 * KERR_DEVICE on a synthesiser error. */
int synth_say(const char *text, synth_sink sink, void *ctx);
void synth_term(void);

#endif
