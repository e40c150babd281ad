/* speech.c — the speech worker thread (speech.h).
 *
 * One request slot, one generation counter.  speech_say/stop/tone (UI
 * thread) bump the generation under the mutex and signal; the worker takes
 * the newest request and synthesises it chunk by chunk.  Every chunk first
 * checks the generation: when it moved, the chunk is not played, the
 * synthesis is stopped and (dir mode) NNNN.stopped is written.  So a key
 * costs the UI one mutex and one signal, and silence comes within one chunk
 * (20 ms of sound) — the ALSA buffer (40 ms) is dropped at once.  The dir
 * sink waits out each chunk's duration (on the condition variable, so a stop
 * wakes it) to behave like a real device. */
#include "devices/speech.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "devices/speech_alsa.h"
#include "devices/speech_espeak.h"
#include "kiosk/err.h"

enum req_kind { REQ_NONE = 0, REQ_SAY };

/* espeak-ng's fixed output rate (checked when it starts) */
#define SPEECH_RATE 22050

struct speech {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool quit;
    unsigned gen;              /* bumped by every say/stop/tone */
    enum req_kind pending;
    struct utterance u;        /* the pending utterance */
    int tone;                  /* the pending tone, -1 none (played before u) */
    bool busy;
    bool started_up;           /* the worker has started espeak-ng (or failed to) */
    bool dead;                 /* it failed: requests are dropped (it was logged) */
    int volume;

    /* worker only */
    char dir[512];
    char voice[SPL__COUNT][64];
    int rate;
    struct pcm_out *pcm;
    unsigned seq;              /* NNNN of the last utterance written */
    unsigned tone_seq;         /* and of the last tone */
    unsigned my_gen;           /* the generation of what plays now */
    int wav_fd;
    uint32_t wav_bytes;
    struct timespec started;   /* dir sink: when the first chunk "played" */
    uint64_t played;           /* dir sink: samples so far */
};

const char *speech_default_voice(enum speech_lang l)
{
    switch (l) {
    case SPL_ZH: return "cmn-latn-pinyin";   /* plain cmn reads pinyin letters as English */
    case SPL_YUE: return "yue";
    default: return "en";
    }
}

/* ---- WAV files ------------------------------------------------------------------ */

static void le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16); p[3] = (unsigned char)(v >> 24);
}

static void wav_header(unsigned char h[44], int rate, uint32_t data_bytes)
{
    memcpy(h, "RIFF", 4);
    le32(h + 4, 36 + data_bytes);
    memcpy(h + 8, "WAVEfmt ", 8);
    le32(h + 16, 16);
    h[20] = 1; h[21] = 0;                      /* PCM */
    h[22] = 1; h[23] = 0;                      /* mono */
    le32(h + 24, (uint32_t)rate);
    le32(h + 28, (uint32_t)rate * 2);
    h[32] = 2; h[33] = 0;
    h[34] = 16; h[35] = 0;
    memcpy(h + 36, "data", 4);
    le32(h + 40, data_bytes);
}

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return KERR_IO;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Written whole under a temporary name, then renamed: a reader (a test, the
 * bench) never sees a half-written NNNN.txt. */
static int write_file(const char *path, const char *text)
{
    char tmp[700];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return kerr(KERR_IO, "speech: %s: %s", tmp, strerror(errno));
    int err = write_all(fd, text, strlen(text));
    close(fd);
    if (!err && rename(tmp, path))
        err = KERR_IO;
    if (err)
        unlink(tmp);
    return err ? kerr(KERR_IO, "speech: %s: write failed", path) : 0;
}

static int wav_open(struct speech *sp, const char *path)
{
    sp->wav_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (sp->wav_fd < 0)
        return kerr(KERR_IO, "speech: %s: %s", path, strerror(errno));
    unsigned char h[44];
    wav_header(h, sp->rate, 0);
    sp->wav_bytes = 0;
    return write_all(sp->wav_fd, h, sizeof h);
}

static void wav_close(struct speech *sp)
{
    if (sp->wav_fd < 0)
        return;
    unsigned char h[44];
    wav_header(h, sp->rate, sp->wav_bytes);
    if (pwrite(sp->wav_fd, h, sizeof h, 0) != (ssize_t)sizeof h)
        fprintf(stderr, "kiosk: speech: could not finish a WAV header: %s\n", strerror(errno));
    close(sp->wav_fd);
    sp->wav_fd = -1;
}

/* ---- the sink: one chunk of sound ----------------------------------------------- */

static bool cancelled(struct speech *sp)
{
    pthread_mutex_lock(&sp->mu);
    bool c = sp->gen != sp->my_gen || sp->quit;
    pthread_mutex_unlock(&sp->mu);
    return c;
}

/* Dir sink: wait until the samples played so far would have played. */
static bool pace(struct speech *sp)
{
    uint64_t ns = sp->played * 1000000000ull / (uint64_t)sp->rate;
    struct timespec until = sp->started;
    until.tv_sec += (time_t)(ns / 1000000000ull);
    until.tv_nsec += (long)(ns % 1000000000ull);
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&sp->mu);
    while (sp->gen == sp->my_gen && !sp->quit)
        if (pthread_cond_timedwait(&sp->cv, &sp->mu, &until) == ETIMEDOUT)
            break;
    bool c = sp->gen != sp->my_gen || sp->quit;
    pthread_mutex_unlock(&sp->mu);
    return !c;
}

static int sink(void *ctx, const short *pcm, int n)
{
    struct speech *sp = ctx;
    if (cancelled(sp))
        return 1;
    if (sp->wav_fd >= 0) {
        if (!sp->played)
            clock_gettime(CLOCK_MONOTONIC, &sp->started);
        if (write_all(sp->wav_fd, pcm, (size_t)n * sizeof *pcm)) {
            fprintf(stderr, "kiosk: speech: WAV write failed: %s\n", strerror(errno));
            return 1;
        }
        sp->wav_bytes += (uint32_t)n * sizeof *pcm;
        sp->played += (uint64_t)n;
        return pace(sp) ? 0 : 1;
    }
    if (sp->pcm) {
        /* in 10 ms pieces, so a stop between them is heard at once */
        int piece = sp->rate / 100;
        for (int off = 0; off < n; off += piece) {
            if (off && cancelled(sp))
                return 1;
            int m = n - off < piece ? n - off : piece;
            if (pcm_write(sp->pcm, pcm + off, m)) {
                fprintf(stderr, "kiosk: %s\n", kerr_detail());
                return 1;
            }
        }
    }
    return 0;
}

/* ---- the worker ----------------------------------------------------------------- */

static void finish_sound(struct speech *sp, bool stopped, const char *stopped_path)
{
    if (sp->wav_fd >= 0) {
        wav_close(sp);
        if (stopped && stopped_path && write_file(stopped_path, "stopped by a key or a new screen\n"))
            fprintf(stderr, "kiosk: %s\n", kerr_detail());
    }
    if (sp->pcm) {
        if (stopped)
            pcm_drop(sp->pcm);
        else
            pcm_drain(sp->pcm);
    }
}

static void say_one(struct speech *sp, const struct utterance *u)
{
    char path[640], stopped_path[640] = "";
    sp->played = 0;
    sp->wav_fd = -1;
    if (sp->dir[0]) {
        sp->seq++;
        char head[SPEECH_TEXT_MAX + 64];
        snprintf(head, sizeof head, "lang=%s private=%s\n%s\n", speech_lang_name(u->lang),
                 u->private_audio ? "yes" : "no", u->text);
        snprintf(path, sizeof path, "%s/%04u.txt", sp->dir, sp->seq);
        if (write_file(path, head))
            fprintf(stderr, "kiosk: %s\n", kerr_detail());
        snprintf(path, sizeof path, "%s/%04u.wav", sp->dir, sp->seq);
        if (wav_open(sp, path)) {
            fprintf(stderr, "kiosk: %s\n", kerr_detail());
            return;
        }
        snprintf(stopped_path, sizeof stopped_path, "%s/%04u.stopped", sp->dir, sp->seq);
    }
    int err = synth_voice(sp->voice[u->lang]);
    if (!err)
        err = synth_say(u->text, sink, sp);
    if (err < 0)
        fprintf(stderr, "kiosk: %s\n", kerr_detail());
    finish_sound(sp, err == 1 || cancelled(sp), stopped_path);
}

/* A tone: 880 Hz (card), two 660 Hz beeps (warning), a low 330 Hz (error). */
static void tone_one(struct speech *sp, enum speech_tone t)
{
    static const char *const names[] = {"card", "warning", "error"};
    char path[640];
    sp->played = 0;
    sp->wav_fd = -1;
    if (sp->dir[0]) {
        sp->tone_seq++;
        snprintf(path, sizeof path, "%s/tone-%04u-%s.wav", sp->dir, sp->tone_seq, names[t]);
        if (wav_open(sp, path)) {
            fprintf(stderr, "kiosk: %s\n", kerr_detail());
            return;
        }
    }
    double freq = t == TONE_CARD ? 880 : t == TONE_WARNING ? 660 : 330;
    int ms = t == TONE_ERROR ? 300 : 150;
    int beeps = t == TONE_WARNING ? 2 : 1;
    int n = sp->rate * ms / 1000, gap = sp->rate / 10;
    double amp = 8000.0 * sp->volume / 100.0;
    short buf[441];
    bool stopped = false;
    for (int b = 0; b < beeps && !stopped; b++) {
        for (int i = 0; i < n + (b + 1 < beeps ? gap : 0) && !stopped; i += 441) {
            int m = 0;
            for (; m < 441 && i + m < n + (b + 1 < beeps ? gap : 0); m++) {
                int k = i + m;
                double env = k < n ? fmin(1.0, fmin(k, n - k) / (sp->rate * 0.005)) : 0;
                buf[m] = (short)(amp * env * sin(2 * M_PI * freq * k / sp->rate));
            }
            stopped = sink(sp, buf, m) != 0;
        }
    }
    finish_sound(sp, stopped, NULL);
}

/* Start espeak-ng and check every voice; false (logged) when speech cannot work. */
static bool worker_start(struct speech *sp)
{
    int rate = 0;
    int err = synth_init(&rate);
    if (!err && rate != sp->rate)
        err = kerr(KERR_DEVICE, "speech: espeak-ng speaks at %d Hz, expected %d", rate, sp->rate);
    for (int l = 0; !err && l < SPL__COUNT; l++)
        err = synth_voice(sp->voice[l]);
    /* the Chinese voice is the likely first: its dictionary loaded now, not on the first card */
    if (!err)
        err = synth_voice(sp->voice[SPL_ZH]);
    if (err) {
        fprintf(stderr, "kiosk: %s; speech is off\n", kerr_detail());
        return false;
    }
    return true;
}

static void *worker(void *arg)
{
    struct speech *sp = arg;
    static struct utterance u;   /* one worker per process: espeak-ng is global anyway */
    bool ok = worker_start(sp);
    pthread_mutex_lock(&sp->mu);
    sp->dead = !ok;
    sp->started_up = true;
    pthread_cond_broadcast(&sp->cv);
    pthread_mutex_unlock(&sp->mu);
    if (!ok)
        return NULL;
    for (;;) {
        pthread_mutex_lock(&sp->mu);
        sp->busy = false;
        while (!sp->pending && sp->tone < 0 && !sp->quit)
            pthread_cond_wait(&sp->cv, &sp->mu);
        if (sp->quit) {
            pthread_mutex_unlock(&sp->mu);
            break;
        }
        enum req_kind k = sp->pending;
        sp->pending = REQ_NONE;
        sp->busy = true;
        sp->my_gen = sp->gen;
        int volume = sp->volume;
        int t = sp->tone;
        sp->tone = -1;
        if (k == REQ_SAY)
            u = sp->u;
        pthread_mutex_unlock(&sp->mu);
        if (synth_volume(volume))
            fprintf(stderr, "kiosk: %s\n", kerr_detail());
        if (t >= 0)
            tone_one(sp, (enum speech_tone)t);
        if (k == REQ_SAY && !cancelled(sp))
            say_one(sp, &u);
    }
    synth_term();
    return NULL;
}

/* ---- the UI thread's side ------------------------------------------------------- */

int speech_new(const struct speech_opts *o, struct speech **out)
{
    *out = NULL;
    struct speech *sp = calloc(1, sizeof *sp);
    if (!sp)
        return KERR_NOMEM;
    sp->wav_fd = -1;
    sp->tone = -1;
    sp->volume = o->volume > 0 ? o->volume : 100;
    int err = 0;
    if (o->dir) {
        struct stat st;
        if (stat(o->dir, &st) || !S_ISDIR(st.st_mode) || access(o->dir, W_OK)) {
            free(sp);
            return kerr(KERR_IO, "speech: --speech-dir %s is not a writable directory", o->dir);
        }
        snprintf(sp->dir, sizeof sp->dir, "%s", o->dir);
    }
    for (int l = 0; l < SPL__COUNT; l++) {
        const char *v = o->voice[l] && *o->voice[l] ? o->voice[l] : speech_default_voice(l);
        snprintf(sp->voice[l], sizeof sp->voice[l], "%s", v);
    }
    /* espeak-ng's output rate; the synthesiser itself starts on the worker
     * (loading the Mandarin dictionary takes ~60 ms: not on the start-up path) */
    sp->rate = SPEECH_RATE;
    if (!sp->dir[0] && (err = pcm_open(sp->rate, &sp->pcm)))
        goto fail;
    pthread_mutex_init(&sp->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);   /* pace() waits on monotonic time */
    pthread_cond_init(&sp->cv, &ca);
    pthread_condattr_destroy(&ca);
    /* the worker takes no signals: a SIGTERM delivered to it would set the
     * UI loop's flag without waking its ppoll(), and the kiosk would end
     * only at its next timer (seen: 10 s under load) */
    sigset_t all, old_mask;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old_mask);
    int started = pthread_create(&sp->th, NULL, worker, sp);
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    if (started) {
        err = kerr(KERR_DEVICE, "speech: could not start its thread");
        pthread_cond_destroy(&sp->cv);
        pthread_mutex_destroy(&sp->mu);
        goto fail;
    }
    *out = sp;
    return 0;
fail:
    pcm_close(&sp->pcm);
    free(sp);
    return err;
}

void speech_free(struct speech **psp)
{
    struct speech *sp = *psp;
    if (!sp)
        return;
    pthread_mutex_lock(&sp->mu);
    sp->quit = true;
    sp->gen++;
    bool starting = !sp->started_up;
    pthread_cond_broadcast(&sp->cv);
    pthread_mutex_unlock(&sp->mu);
    if (starting) {
        /* espeak-ng is still loading its dictionaries (seconds on a loaded
         * machine) and cannot be interrupted: never make SIGTERM wait for
         * it.  The process is ending; the worker and sp go with it. */
        pthread_detach(sp->th);
        *psp = NULL;
        return;
    }
    pthread_join(sp->th, NULL);
    pcm_close(&sp->pcm);
    pthread_cond_destroy(&sp->cv);
    pthread_mutex_destroy(&sp->mu);
    free(sp);
    *psp = NULL;
}

static void request(struct speech *sp, enum req_kind k, const struct utterance *u, int t)
{
    pthread_mutex_lock(&sp->mu);
    if (sp->dead) {
        pthread_mutex_unlock(&sp->mu);
        return;
    }
    sp->gen++;
    sp->pending = k;
    if (u)
        sp->u = *u;
    sp->tone = t;
    if (k || t >= 0)
        sp->busy = true;
    pthread_cond_broadcast(&sp->cv);
    pthread_mutex_unlock(&sp->mu);
}

void speech_say(struct speech *sp, const struct utterance *u, int tone)
{
    if (sp)
        request(sp, REQ_SAY, u, tone);
}

void speech_stop(struct speech *sp)
{
    if (sp)
        request(sp, REQ_NONE, NULL, -1);
}

void speech_tone(struct speech *sp, enum speech_tone t)
{
    if (sp)
        request(sp, REQ_NONE, NULL, (int)t);
}

int speech_volume(struct speech *sp, int delta)
{
    if (!sp)
        return 0;
    pthread_mutex_lock(&sp->mu);
    int v = sp->volume + delta;
    sp->volume = v < 10 ? 10 : v > 200 ? 200 : v;
    v = sp->volume;
    pthread_mutex_unlock(&sp->mu);
    return v;
}

bool speech_busy(struct speech *sp)
{
    if (!sp)
        return false;
    pthread_mutex_lock(&sp->mu);
    bool b = !sp->dead && (!sp->started_up || sp->busy || sp->pending || sp->tone >= 0);
    pthread_mutex_unlock(&sp->mu);
    return b;
}
