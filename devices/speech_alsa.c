/* speech_alsa.c — PCM output through alsa-lib (speech_alsa.h). */
#include "devices/speech_alsa.h"

#include <alsa/asoundlib.h>
#include <stdlib.h>

#include "kiosk/err.h"

struct pcm_out {
    snd_pcm_t *h;
};

int pcm_open(int rate, struct pcm_out **out)
{
    *out = NULL;
    snd_pcm_t *h = NULL;
    int e = snd_pcm_open(&h, "default", SND_PCM_STREAM_PLAYBACK, 0);
    if (e < 0)
        return kerr(KERR_NODEV, "speech: no audio device (ALSA default: %s)", snd_strerror(e));
    /* 40 ms of latency: a key's silence must come within 50 ms */
    e = snd_pcm_set_params(h, SND_PCM_FORMAT_S16, SND_PCM_ACCESS_RW_INTERLEAVED, 1,
                           (unsigned)rate, 1, 40000);
    if (e < 0) {
        snd_pcm_close(h);
        return kerr(KERR_NODEV, "speech: audio device refused 16-bit mono at %d Hz: %s", rate,
                    snd_strerror(e));
    }
    struct pcm_out *p = calloc(1, sizeof *p);
    if (!p) {
        snd_pcm_close(h);
        return KERR_NOMEM;
    }
    p->h = h;
    *out = p;
    return 0;
}

int pcm_write(struct pcm_out *p, const short *pcm, int n)
{
    while (n > 0) {
        snd_pcm_sframes_t w = snd_pcm_writei(p->h, pcm, (snd_pcm_uframes_t)n);
        if (w < 0)
            w = snd_pcm_recover(p->h, (int)w, 1);   /* an underrun between sentences */
        if (w < 0)
            return kerr(KERR_DEVICE, "speech: audio write failed: %s", snd_strerror((int)w));
        pcm += w;
        n -= (int)w;
    }
    return 0;
}

void pcm_drop(struct pcm_out *p)
{
    snd_pcm_drop(p->h);
    snd_pcm_prepare(p->h);
}

void pcm_drain(struct pcm_out *p)
{
    snd_pcm_drain(p->h);
    snd_pcm_prepare(p->h);
}

void pcm_close(struct pcm_out **p)
{
    if (!*p)
        return;
    snd_pcm_close((*p)->h);
    free(*p);
    *p = NULL;
}
