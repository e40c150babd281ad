/* speech_espeak.c — libespeak-ng in synchronous mode (speech_espeak.h).
 *
 * AUDIO_OUTPUT_SYNCHRONOUS: espeak_Synth returns when the text is spoken,
 * calling our callback with each 20 ms of samples, so the caller (a worker
 * thread) owns the sound and can stop it; espeak-ng's own playback thread
 * and audio library are not used. */
#include "devices/speech_espeak.h"

#include <espeak-ng/speak_lib.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/err.h"

static synth_sink cur_sink;
static void *cur_ctx;
static int stopped;
static char cur_voice[64];

static int on_samples(short *wav, int n, espeak_EVENT *ev)
{
    (void)ev;
    if (stopped)
        return 1;
    if (wav && n > 0 && cur_sink && cur_sink(cur_ctx, wav, n)) {
        stopped = 1;
        return 1;
    }
    return 0;
}

int synth_init(int *rate)
{
    int r = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 20, NULL, 0);
    if (r <= 0)
        return kerr(KERR_DEVICE, "speech: espeak-ng could not start (its data missing? "
                                 "install espeak-ng-data)");
    espeak_SetSynthCallback(on_samples);
    *rate = r;
    cur_voice[0] = 0;
    return 0;
}

int synth_voice(const char *name)
{
    if (!strcmp(cur_voice, name))
        return 0;
    if (espeak_SetVoiceByName(name) != EE_OK) {
        cur_voice[0] = 0;
        return kerr(KERR_DEVICE, "speech: espeak-ng has no voice \"%s\"", name);
    }
    snprintf(cur_voice, sizeof cur_voice, "%s", name);
    return 0;
}

int synth_volume(int volume)
{
    if (volume < 0)
        volume = 0;
    if (volume > 200)
        volume = 200;
    return espeak_SetParameter(espeakVOLUME, volume, 0) == EE_OK
               ? 0
               : kerr(KERR_DEVICE, "speech: espeak-ng refused volume %d", volume);
}

int synth_say(const char *text, synth_sink sink, void *ctx)
{
    cur_sink = sink;
    cur_ctx = ctx;
    stopped = 0;
    espeak_ERROR e = espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0,
                                  espeakCHARS_UTF8, NULL, NULL);
    if (e == EE_OK && !stopped)
        e = espeak_Synchronize();
    cur_sink = NULL;
    if (stopped)
        return 1;
    return e == EE_OK ? 0 : kerr(KERR_DEVICE, "speech: espeak-ng synthesis failed (%d)", (int)e);
}

void synth_term(void)
{
    espeak_Terminate();
}
