/* speech_bench.c — the speech figures of issue 9 for `make bench`, measured on
 * the real kiosk (build/kiosk, optimised) in a real terminal (forkpty +
 * libvterm, tests/screen/vt.c) with --speech-dir, in private-audio mode:
 *
 *   speech_first_audio_ms   a key that changes the screen (Enter on the
 *                           summary → the entry; Esc → back) until the new
 *                           utterance's first sound is "played" (the first
 *                           samples written to NNNN.wav, which the dir sink
 *                           writes at the pace of playback)   target ≤ 300 ms
 *   speech_silence_ms       a key while an utterance plays until it has
 *                           stopped (NNNN.stopped written after the last
 *                           chunk was cut)                     target ≤ 50 ms
 *
 * Median and worst of ROUNDS rounds.  Reference, same run: the espeak-ng
 * command line's time to its first audio byte for the same entry text
 * (`espeak-ng --stdout`), i.e. starting a synthesiser per utterance.
 *
 * usage: speech_bench KIOSK KIOSKCTL [ROUNDS] */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiosk/demo.h"
#include "tests/bench/bench_line.h"
#include "tests/screen/vt.h"

static long file_size(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

static int newest(const char *d)
{
    int best = 0;
    DIR *dd = opendir(d);
    struct dirent *e;
    while (dd && (e = readdir(dd))) {
        int n;
        char ext[8];
        if (sscanf(e->d_name, "%4d.%7s", &n, ext) == 2 && !strcmp(ext, "txt") && n > best)
            best = n;
    }
    if (dd)
        closedir(dd);
    return best;
}

/* ms from t0 until the first utterance after `after` has sound in its WAV; -1 on timeout. */
static double until_audio(struct vt *t, const char *d, int after, double t0, int *which)
{
    char p[700];
    while (vt_now_ms() - t0 < 5000) {
        int n = newest(d);
        if (n > after) {
            snprintf(p, sizeof p, "%s/%04d.wav", d, n);
            if (file_size(p) > 44) {
                *which = n;
                return vt_now_ms() - t0;
            }
        }
        vt_pump(t, 0);
        usleep(200);
    }
    return -1;
}

static double until_stopped(struct vt *t, const char *d, int n, double t0)
{
    char p[700];
    snprintf(p, sizeof p, "%s/%04d.stopped", d, n);
    while (vt_now_ms() - t0 < 5000) {
        if (file_size(p) >= 0)
            return vt_now_ms() - t0;
        vt_pump(t, 0);
        usleep(200);
    }
    return -1;
}

/* The espeak-ng command line's ms to its first audio byte for the text of file txt. */
static double cli_first_byte(const char *txt)
{
    char cmd[900];
    snprintf(cmd, sizeof cmd, "tail -n +2 %s | espeak-ng -v cmn-latn-pinyin --stdout", txt);
    double t0 = vt_now_ms();
    FILE *p = popen(cmd, "r");
    char buf[64];
    size_t n = p ? fread(buf, 1, 45, p) : 0;   /* the header, then the first sample */
    double ms = vt_now_ms() - t0;
    if (p)
        pclose(p);
    return n == 45 ? ms : -1;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: speech_bench KIOSK KIOSKCTL [ROUNDS]\n");
        return 2;
    }
    int rounds = argc > 3 ? atoi(argv[3]) : 15;
    char dir[] = "/tmp/kiosk-speech-bench-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char db[600], sd[600], fifo[600], cmd[2048];
    snprintf(db, sizeof db, "%s/demo.db", dir);
    snprintf(sd, sizeof sd, "%s/speech", dir);
    snprintf(fifo, sizeof fifo, "%s/cards", dir);
    mkdir(sd, 0700);
    mkfifo(fifo, 0600);
    snprintf(cmd, sizeof cmd, "%s --db %s demo --households 300 --seed 1 >/dev/null", argv[2], db);
    if (system(cmd) != 0) {
        printf("speech_first_audio_ms                    FAIL (no demo database)\n");
        return 1;
    }
    int wfd = open(fifo, O_RDWR | O_NONBLOCK);
    char *kargv[] = {argv[1], "--sim", "--db", db, "--sim-cards", fifo, "--lang", "zh",
                     "--speech-dir", sd, "--speech-private", NULL};
    struct vt *t = vt_start(24, 80, kargv, NULL);
    if (!vt_wait(t, "请将身份证放在读卡区", 5000)) {
        printf("speech_first_audio_ms                    FAIL (the kiosk did not start)\n");
        return 1;
    }
    char id[19], name[64], line[200];
    demo_resident(1, 0, id, name, sizeof name);
    int n = snprintf(line, sizeof line, "insert %s %s\n", id, name);
    if (write(wfd, line, (size_t)n) != n || !vt_wait(t, "您的轮候与申请", 5000)) {
        printf("speech_first_audio_ms                    FAIL (no summary)\n");
        return 1;
    }
    double *first = calloc((size_t)rounds * 2, sizeof *first);
    double *silence = calloc((size_t)rounds * 2, sizeof *silence);
    int nf = 0, ns = 0, which = 0, entry_utt = 0;
    int cur = 0;
    until_audio(t, sd, 0, vt_now_ms(), &cur);   /* the summary is speaking */
    for (int r = 0; r < rounds; r++) {
        static const char *const keys[2] = {"\r", "\033"};   /* into the entry, and back */
        for (int k = 0; k < 2; k++) {
            vt_pump(t, 300);                  /* let it speak a while */
            double t0 = vt_now_ms();
            vt_send(t, "x");                  /* a key that does nothing but silence */
            double s = until_stopped(t, sd, cur, t0);
            if (s >= 0)
                silence[ns++] = s;
            int before = newest(sd);
            t0 = vt_now_ms();
            vt_send(t, keys[k]);
            double f = until_audio(t, sd, before, t0, &which);
            if (f >= 0)
                first[nf++] = f;
            cur = which;
            if (k == 0)
                entry_utt = which;
        }
    }
    double ref[5];
    int nr = 0;
    char txt[700];
    snprintf(txt, sizeof txt, "%s/%04d.txt", sd, entry_utt);
    for (int i = 0; i < 5; i++) {
        double c = cli_first_byte(txt);
        if (c >= 0)
            ref[nr++] = c;
    }
    double ref_med = bench_median(ref, nr);
    double fmax = bench_max(first, nf), smax = bench_max(silence, ns);
    bench_line("speech_first_audio_ms", bench_median(first, nf), "ms", ref_med, 300, true,
               "median of %d screen changes, worst %.1f ms; ref: espeak-ng CLI first byte", nf, fmax);
    bench_line("speech_first_audio_worst_ms", fmax, "ms", 0, 300, true, "worst of %d", nf);
    bench_line("speech_silence_ms", bench_median(silence, ns), "ms", 0, 50, true,
               "median of %d keys, worst %.1f ms", ns, smax);
    bench_line("speech_silence_worst_ms", smax, "ms", 0, 50, true, "worst of %d", ns);
    vt_stop(t);
    close(wfd);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 && nf == rounds * 2 && ns == rounds * 2 ? 0 : 1;
}
