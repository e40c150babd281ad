/* test_speech_screen.c — speech (issue 9) with the real kiosk in a real
 * terminal: build/asan/kiosk under forkpty + libvterm (tests/screen/vt.c),
 * simulated devices, a demo database, and --speech-dir, so no sound card is
 * needed.  Checks, per screen, the text given to the synthesiser (DIR/NNNN.txt)
 * against what the screen shows; that the loudspeaker never hears personal
 * details and headphone mode does; that NNNN.wav holds sound, not silence;
 * that a key cuts speech short (NNNN.stopped); the printed receipt said (its
 * number spelled, the same as on the paper; personal parts only in headphone
 * mode); the speech keys (say again,
 * louder, speech off/on, accessibility F6 and "hold 5"); the card tone; and
 * that a kiosk whose speech cannot start still runs and says why.  TAP.
 *
 * usage: test_speech_screen [KIOSK [KIOSKCTL]]  (defaults: $KIOSK_BUILD/asan/kiosk, …/kioskctl) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kiosk/demo.h"
#include "tests/screen/vt.h"
#include "tests/tap.h"

#define WAIT 8000
#define SEED 1

static char kiosk[512], kioskctl[512], dir[512], db[600];

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* Read a whole small file ("" when missing). */
static char *slurp(const char *path)
{
    static char buf[16384];
    buf[0] = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return buf;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

/* The number of the newest utterance in d (0 when none). */
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

/* Wait (pumping the terminal) for an utterance newer than after; its number or 0. */
static int wait_utterance(struct vt *t, const char *d, int after)
{
    double end = vt_now_ms() + WAIT;
    while (vt_now_ms() < end) {
        int n = newest(d);
        if (n > after)
            return n;
        vt_pump(t, 10);
    }
    return 0;
}

static char *utt(const char *d, int n, const char *ext);
static char *slurp(const char *path);

/* Wait for an utterance newer than after whose text holds want; its number or 0
 * (and the directory listed, to see what was said instead). */
static int wait_saying(struct vt *t, const char *d, int after, const char *want)
{
    double end = vt_now_ms() + WAIT;
    int seen = after;
    while (vt_now_ms() < end) {
        int n = newest(d);
        for (; seen < n; seen++)
            if (strstr(slurp(utt(d, seen + 1, "txt")), want))
                return seen + 1;
        vt_pump(t, 10);
    }
    printf("# no utterance after %04d says \"%s\"; said:\n", after, want);
    for (int i = after + 1; i <= newest(d); i++)
        printf("#   %04d: %.200s\n", i, slurp(utt(d, i, "txt")));
    return 0;
}

static char *utt(const char *d, int n, const char *ext)
{
    static char path[700];
    snprintf(path, sizeof path, "%s/%04d.%s", d, n, ext);
    return path;
}

/* Wait until path exists. */
static bool wait_file(struct vt *t, const char *path, int ms)
{
    double end = vt_now_ms() + ms;
    while (vt_now_ms() < end) {
        if (exists(path))
            return true;
        vt_pump(t, 10);
    }
    return exists(path);
}

/* RMS and peak of a 16-bit mono WAV's data, once it holds at least min_bytes. */
static bool wav_sound(struct vt *t, const char *path, long min_bytes, double *rms, int *peak)
{
    double end = vt_now_ms() + WAIT;
    while (file_size(path) < 44 + min_bytes && vt_now_ms() < end)
        vt_pump(t, 20);
    *rms = 0;
    *peak = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    unsigned char h[44];
    bool okh = fread(h, 1, 44, f) == 44 && !memcmp(h, "RIFF", 4) && !memcmp(h + 8, "WAVEfmt ", 8) &&
               h[22] == 1 && h[34] == 16;
    double sum = 0;
    long n = 0;
    int16_t s;
    while (fread(&s, 2, 1, f) == 1) {
        sum += (double)s * s;
        n++;
        if (abs(s) > *peak)
            *peak = abs(s);
    }
    fclose(f);
    *rms = n ? sqrt(sum / (double)n) : 0;
    return okh && n * 2 >= min_bytes;
}

struct k {
    struct vt *t;
    int wfd;
    char fifo[600], sd[600];
};

static struct k *k_start_at(const char *name, const char *lang, const char *extra, int rows, int cols);

static struct k *k_start(const char *name, const char *lang, const char *extra)
{
    return k_start_at(name, lang, extra, 24, 80);
}

static struct k *k_start_at(const char *name, const char *lang, const char *extra, int rows, int cols)
{
    struct k *k = calloc(1, sizeof *k);
    snprintf(k->fifo, sizeof k->fifo, "%s/cards-%s", dir, name);
    snprintf(k->sd, sizeof k->sd, "%s/speech-%s", dir, name);
    unlink(k->fifo);
    mkfifo(k->fifo, 0600);
    mkdir(k->sd, 0700);
    k->wfd = open(k->fifo, O_RDWR | O_NONBLOCK);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "exec %s --sim --db %s --sim-cards %s --lang %s --speech-dir %s %s 2>%s/stderr-%s",
             kiosk, db, k->fifo, lang, k->sd, extra, dir, name);
    char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    k->t = vt_start(rows, cols, argv, NULL);
    return k;
}

static int k_stop(struct k *k)
{
    int st = vt_stop(k->t);
    close(k->wfd);
    unlink(k->fifo);
    free(k);
    return st;
}

static void card(struct k *k, int i)
{
    char id[19], name[64], line[200];
    demo_resident(SEED, i, id, name, sizeof name);
    int n = snprintf(line, sizeof line, "insert %s %s\n", id, name);
    if (write(k->wfd, line, (size_t)n) != n)
        printf("# card write failed: %s\n", strerror(errno));
}

/* The first "第 N 位，共 M 位" on the screen (the summary's first entry). */
static bool screen_position(struct vt *t, char *out, size_t cap)
{
    const char *s = strstr(vt_text(t), "第 ");
    const char *e = s ? strstr(s, " 位") : NULL;
    e = e ? strstr(e + 1, " 位") : NULL;
    if (!s || !e)
        return false;
    snprintf(out, cap, "%.*s", (int)(e - s + strlen(" 位")), s);
    return true;
}

static void test_resident_zh(void)
{
    struct k *k = k_start("zh", "zh", "");
    struct vt *t = k->t;
    ok(vt_wait(t, "请将身份证放在读卡区", WAIT), "the attract screen shows");
    int n1 = wait_utterance(t, k->sd, 0);
    char *txt = slurp(utt(k->sd, n1, "txt"));
    ok(n1 == 1 && !strncmp(txt, "lang=zh private=no\n", 19), "attract: 0001.txt is zh, loudspeaker (%.30s)", txt);
    ok(strstr(txt, "住房轮候与家庭养老床位查询。") && strstr(txt, "请将身份证放在读卡区。") &&
           strstr(txt, "按回车键：确认。"),
       "attract: the title, the prompt and the keys are said");
    ok(strstr(txt, "艾弗 1") != NULL, "attract: the F1 key is spelled for the Mandarin voice");
    double rms = 0;
    int peak = 0;
    bool sound = wav_sound(t, utt(k->sd, n1, "wav"), 22050, &rms, &peak);
    ok(sound && rms > 300 && peak > 3000,
       "attract: 0001.wav holds sound (RMS %.0f, peak %d over its first 0.5 s and on)", rms, peak);

    /* a card: the tone, the summary on the loudspeaker — no personal details */
    card(k, 0);
    ok(vt_wait(t, "您的轮候与申请", WAIT), "a card opens the summary");
    int n2 = wait_saying(t, k->sd, n1, "您的轮候与申请");
    txt = slurp(utt(k->sd, n2, "txt"));
    char pos[64] = "";
    bool have_pos = screen_position(t, pos, sizeof pos);
    char id[19], name[64];
    demo_resident(SEED, 0, id, name, sizeof name);
    ok(have_pos && !strncmp(txt, "lang=zh private=no\n", 19) && strstr(txt, "您的轮候与申请。") &&
           !strstr(txt, pos) && !strstr(txt, "4 4 0 3") && !strstr(txt, "持卡人"),
       "summary on the loudspeaker: the title, no position (%s), no ID, no name", pos);
    ok(strstr(txt, "个人信息只在耳机模式下朗读。请按艾弗 6键打开耳机模式。") != NULL,
       "summary on the loudspeaker: says how to hear the rest");
    ok(wait_file(t, utt(k->sd, n1, "stopped"), 2000), "the card cut the attract utterance short: 0001.stopped");
    char tone[700];
    snprintf(tone, sizeof tone, "%s/tone-0001-card.wav", k->sd);
    sound = wav_sound(t, tone, 4000, &rms, &peak);
    ok(sound && rms > 1000, "the card tone was played (RMS %.0f)", rms);

    /* F6: headphone mode — the same screen, now with the position in words */
    vt_send(t, "\033[17~");   /* F6 */
    int n3 = wait_saying(t, k->sd, n2, "耳机模式已打开");
    txt = slurp(utt(k->sd, n3, "txt"));
    ok(!strncmp(txt, "lang=zh private=yes\n", 20) && strstr(txt, "耳机模式已打开") && strstr(txt, pos) &&
           strstr(txt, "持卡人") && strstr(txt, "4 4 0 3, 0 0 0 1"),
       "F6: headphone mode says the position (%s), the holder and the ID ending", pos);
    ok(wait_file(t, utt(k->sd, n2, "stopped"), 2000), "F6 cut the summary utterance short: %04d.stopped", n2);

    /* Down: silence, then the selected item */
    vt_send(t, "\033[B");
    int n4 = wait_utterance(t, k->sd, n3);
    txt = slurp(utt(k->sd, n4, "txt"));
    ok(wait_file(t, utt(k->sd, n3, "stopped"), 2000) && strstr(txt, "已选："),
       "Down: the utterance stops, the new selection is said (%.60s)", txt + 20);

    /* 5: say the screen again */
    vt_send(t, "5");
    int n5 = wait_utterance(t, k->sd, n4);
    txt = slurp(utt(k->sd, n5, "txt"));
    ok(strstr(txt, "您的轮候与申请。") && strstr(txt, "持卡人") && !strstr(txt, "耳机模式已打开"),
       "5 says the screen again");

    /* +: louder, said */
    vt_send(t, "+");
    int n6 = wait_utterance(t, k->sd, n5);
    ok(n6 && strstr(slurp(utt(k->sd, n6, "txt")), "大声"), "+ says louder");

    /* /: speech off; a new screen is then not spoken; / again says it */
    vt_send(t, "/");
    int n7 = wait_utterance(t, k->sd, n6);
    ok(n7 && strstr(slurp(utt(k->sd, n7, "txt")), "语音已关闭"), "/ switches speech off, saying so");
    vt_send(t, "\r");
    bool opened = vt_wait(t, "排序依据", WAIT);
    vt_pump(t, 500);
    ok(opened && newest(k->sd) == n7, "with speech off, opening an entry says nothing");
    vt_send(t, "/");
    int n8 = wait_utterance(t, k->sd, n7);
    txt = slurp(utt(k->sd, n8, "txt"));
    ok(strstr(txt, "语音已打开") && strstr(txt, "排序依据"), "/ again: speech on, and the entry is said");
    bool est = strstr(txt, "预计等待") || strstr(txt, "预计还要等") || strstr(txt, "历史数据不足") ||
               strstr(txt, "无法估计等候时间");
    ok(est, "the entry's estimate is said");
    if (!est)
        printf("# said: %s\n", txt);

    /* Esc → summary: a screen change is spoken, and the wipe ends headphone mode */
    vt_send(t, "\033");
    int n9 = wait_utterance(t, k->sd, n8);
    ok(n9 && strstr(slurp(utt(k->sd, n9, "txt")), "您的轮候与申请"), "Esc back: the summary is said");
    /* SIGTERM while it speaks: the speech thread is joined and the kiosk exits 0
     * (given 10 s: an ASan build's exit under a loaded machine is slow) */
    double t0 = vt_now_ms();
    kill(vt_pid(t), SIGTERM);
    int st = 0;
    while (vt_alive(t, &st) && vt_now_ms() - t0 < 10000)
        vt_pump(t, 20);
    double took = vt_now_ms() - t0;
    bool ended = !vt_alive(t, &st);
    int st2 = k_stop(k);
    if (!ended)
        st = st2;
    ok(ended && WIFEXITED(st) && WEXITSTATUS(st) == 0, "SIGTERM while speaking: the kiosk exits 0 (status %d, %.0f ms)",
       st, took);
}

static void test_hold_5_en(void)
{
    struct k *k = k_start("en", "en", "");
    struct vt *t = k->t;
    ok(vt_wait(t, "ID card", WAIT), "en: the attract screen shows");
    int n1 = wait_utterance(t, k->sd, 0);
    ok(n1 && !strncmp(slurp(utt(k->sd, n1, "txt")), "lang=en private=no\n", 19), "en: lang=en");
    card(k, 1);
    ok(vt_wait(t, "Your queue entries", WAIT), "en: the summary shows");
    int n2 = wait_saying(t, k->sd, n1, "Your queue entries");
    /* "hold 5": the key's autorepeat, three presses within 150 ms */
    vt_send(t, "555");
    int n3 = wait_saying(t, k->sd, n2, "Headphone mode on");
    char *txt = slurp(utt(k->sd, n3, "txt"));
    ok(n2 && !strncmp(txt, "lang=en private=yes\n", 20) && strstr(txt, "Headphone mode on") &&
           strstr(txt, "position"),
       "en: holding 5 switches headphone mode on; the positions are said (%.80s)", txt + 20);
    k_stop(k);
}

static void test_yue_and_private_config(void)
{
    char conf[700];
    snprintf(conf, sizeof conf, "%s/yue.conf", dir);
    FILE *f = fopen(conf, "w");
    fprintf(f, "[speech]\nchinese = yue\nprivate = yes\n");
    fclose(f);
    char extra[800];
    snprintf(extra, sizeof extra, "--config %s", conf);
    struct k *k = k_start("yue", "zh", extra);
    struct vt *t = k->t;
    ok(vt_wait(t, "请将身份证放在读卡区", WAIT), "yue: the attract screen shows");
    card(k, 2);
    ok(vt_wait(t, "您的轮候与申请", WAIT), "yue: the summary shows");
    int n = wait_saying(t, k->sd, 0, "您的轮候与申请");
    char *txt = slurp(utt(k->sd, n, "txt"));
    ok(!strncmp(txt, "lang=yue private=yes\n", 21) && strstr(txt, "持卡人"),
       "[speech] chinese = yue, private = yes: Cantonese, personal details said (%04d: %.60s)", n, txt);
    double rms = 0;
    int peak = 0;
    bool sound = wav_sound(t, utt(k->sd, n, "wav"), 22050, &rms, &peak);
    ok(sound && rms > 300,
       "yue: the WAV holds sound (RMS %.0f)", rms);
    k_stop(k);
}

/* Speech that cannot start: the kiosk runs and says why on stderr. */
static void test_no_speech_device(void)
{
    char err[700];
    snprintf(err, sizeof err, "%s/stderr-bad", dir);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "exec %s --sim --db %s --lang zh --speech-dir %s/no-such-dir 2>%s", kiosk,
             db, dir, err);
    char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    struct vt *t = vt_start(24, 80, argv, NULL);
    ok(vt_wait(t, "请将身份证放在读卡区", WAIT), "a bad --speech-dir: the kiosk still runs");
    ok(strstr(slurp(err), "is not a writable directory; speech is off") != NULL,
       "a bad --speech-dir: stderr says speech is off (%s)", slurp(err));
    vt_stop(t);
    /* no --speech-dir: the default audio device, which a test machine may not have */
    snprintf(cmd, sizeof cmd, "exec %s --sim --db %s --lang zh 2>%s", kiosk, db, err);
    t = vt_start(24, 80, argv, NULL);
    ok(vt_wait(t, "请将身份证放在读卡区", WAIT), "no --speech-dir: the kiosk runs");
    bool has_card = access("/dev/snd", F_OK) == 0;
    const char *log = slurp(err);
    ok(has_card ? strstr(log, "speech is off") == NULL : strstr(log, "no audio device") != NULL,
       "no --speech-dir on a machine %s a sound card: %s", has_card ? "with" : "without",
       has_card ? "speech runs" : "stderr says there is no audio device");
    vt_stop(t);
}

/* Whole file into buf (binary); its length, -1 when missing. */
static long slurp_bin(const char *path, char *buf, long cap)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    long n = (long)fread(buf, 1, (size_t)cap, f);
    fclose(f);
    return n;
}

/* The printed receipt is said, from the same receipt model the printer got:
 * in headphone mode (English) the position, the status, the next step and the
 * receipt number spelled one character at a time — the same number that is in
 * the printed file; on the loudspeaker (Chinese) only that it printed and its
 * title, never the number or the position. */
static void test_receipt_spoken(void)
{
    char extra[800], pdir[700], bin[800];
    snprintf(pdir, sizeof pdir, "%s/print-rcpt-en", dir);
    mkdir(pdir, 0700);
    snprintf(extra, sizeof extra, "--speech-private --sim-print-dir %s", pdir);
    struct k *k = k_start("rcpt-en", "en", extra);
    struct vt *t = k->t;
    ok(vt_wait(t, "ID card", WAIT), "receipt (en): the attract screen shows");
    card(k, 0);
    ok(vt_wait(t, "Your queue entries", WAIT), "receipt (en): the summary shows");
    int n1 = wait_saying(t, k->sd, 0, "Your queue entries");
    vt_send(t, "\r");
    ok(vt_wait(t, "Estimated wait", WAIT) || vt_wait(t, "estimate", 100), "receipt (en): the entry opens");
    int n2 = wait_saying(t, k->sd, n1, "Status");
    char pos[64] = "";
    const char *sp = strstr(vt_text(t), "Position ");
    if (sp)
        snprintf(pos, sizeof pos, "%.*s", (int)strcspn(sp, "\n"), sp);
    char *gap = strstr(pos, "  ");   /* the chart beside it */
    if (gap)
        *gap = 0;
    /* what the status means, as the entry said it (its view model): the receipt says the same */
    char means[40] = "", entry[16384];
    snprintf(entry, sizeof entry, "%s", slurp(utt(k->sd, n2, "txt")));
    const char *wm = strstr(entry, "What this means: ");
    if (wm)
        snprintf(means, sizeof means, "%.*s", (int)strcspn(wm + 17, "."), wm + 17);
    if (strlen(means) > 20)
        means[20] = 0;
    vt_send(t, "\033OR");   /* F3: print */
    int n3 = wait_saying(t, k->sd, n2, "Receipt printed");
    char txt[16384];
    snprintf(txt, sizeof txt, "%s", slurp(utt(k->sd, n3, "txt")));
    ok(n3 && !strncmp(txt, "lang=en private=yes\n", 20) && strstr(txt, "Receipt printed. Please take it.") &&
           strstr(txt, "Housing queue receipt."),
       "receipt (en, headphones): said after printing, led by the message and the title");
    ok(*pos && strstr(txt, pos) && *means && strstr(txt, means) && strstr(txt, "What you need to do: ") &&
           !strstr(txt, "Name:"),
       "receipt (en, headphones): the position (%s), the status line (%s…) and the next step are said",
       pos, means);
    /* "Receipt number: B H J 0 0 0 0 0 0 1." — spelled, one character at a time */
    const char *rn = strstr(txt, "Receipt number: ");
    char ref[64] = "";
    bool spelled = rn != NULL;
    if (rn) {
        rn += strlen("Receipt number: ");
        size_t m = 0;
        for (const char *c = rn; *c && *c != '.' && m + 1 < sizeof ref; c++) {
            if (*c == ' ')
                continue;
            /* every character stands alone: a space (or the end) after each */
            spelled &= c[1] == ' ' || c[1] == '.';
            ref[m++] = *c;
        }
        ref[m] = 0;
    }
    snprintf(bin, sizeof bin, "%s/receipt-0001.bin", pdir);
    static char paper[65536];
    long pn = slurp_bin(bin, paper, sizeof paper);
    ok(spelled && strlen(ref) >= 6 && pn > 0 && memmem(paper, (size_t)pn, ref, strlen(ref)),
       "receipt (en, headphones): the receipt number %s is spelled one character at a time and is the "
       "one on the printed receipt", ref);
    double rms = 0;
    int peak = 0;
    bool sound = wav_sound(t, utt(k->sd, n3, "wav"), 22050, &rms, &peak);
    ok(sound && rms > 300 && peak > 3000, "receipt (en): %04d.wav holds sound (RMS %.0f, peak %d)", n3, rms, peak);
    if (!n3 || !*pos)
        printf("# said: %s\n# screen:\n%s\n", txt, vt_text(t));
    k_stop(k);

    /* the loudspeaker: what printed, not what it says */
    snprintf(pdir, sizeof pdir, "%s/print-rcpt-zh", dir);
    mkdir(pdir, 0700);
    snprintf(extra, sizeof extra, "--sim-print-dir %s", pdir);
    k = k_start("rcpt-zh", "zh", extra);
    t = k->t;
    ok(vt_wait(t, "请将身份证放在读卡区", WAIT), "receipt (zh): the attract screen shows");
    card(k, 0);
    ok(vt_wait(t, "您的轮候与申请", WAIT), "receipt (zh): the summary shows");
    n1 = wait_saying(t, k->sd, 0, "您的轮候与申请");
    vt_send(t, "\r");
    ok(vt_wait(t, "排序依据", WAIT), "receipt (zh): the entry opens");
    n2 = wait_utterance(t, k->sd, n1);
    vt_send(t, "\033OR");
    n3 = wait_saying(t, k->sd, n2, "回执已打印");
    snprintf(txt, sizeof txt, "%s", slurp(utt(k->sd, n3, "txt")));
    ok(n3 && !strncmp(txt, "lang=zh private=no\n", 19) && strstr(txt, "回执已打印，请取走。") &&
           strstr(txt, "住房轮候查询回执。") && strstr(txt, "个人信息只在耳机模式下朗读") &&
           !strstr(txt, "回执编号") && !strstr(txt, "位，共") && !strstr(txt, "您需要做什么"),
       "receipt (zh, loudspeaker): that it printed and its title; no number, position or next step");
    /* headphone mode, print again: Mandarin, the number spelled with the letters' names */
    vt_send(t, "\033[17~");   /* F6 */
    int n4 = wait_saying(t, k->sd, n3, "耳机模式已打开");
    vt_send(t, "\033OR");
    int n5 = wait_saying(t, k->sd, n4, "回执已打印");
    snprintf(txt, sizeof txt, "%s", slurp(utt(k->sd, n5, "txt")));
    ok(n5 && !strncmp(txt, "lang=zh private=yes\n", 20) && strstr(txt, "位，共") &&
           strstr(txt, "您需要做什么：") && strstr(txt, "回执编号：比 艾尺 杰 0 0 0 0 0 0 1"),
       "receipt (zh, headphones): the position and the receipt number are said");
    if (!n5)
        printf("# said: %s\n", txt);
    k_stop(k);
}

/* Pump until the screen is drawn whole: unchanged for 200 ms (a frame can
 * arrive in pieces; a busy machine takes its time). */
static void settle(struct vt *t)
{
    static char before[8192];
    double quiet = vt_now_ms(), end = quiet + WAIT;
    while (vt_now_ms() - quiet < 200 && vt_now_ms() < end) {
        snprintf(before, sizeof before, "%s", vt_text(t));
        vt_pump(t, 20);
        if (strcmp(vt_text(t), before))
            quiet = vt_now_ms();
    }
}

/* Turn the hint bar's pages with its More button until every label of want[]
 * was seen (or the pages come round again); returns how many were seen, and
 * leaves the bar on the page showing stop_at when it is given. */
static int find_buttons(struct vt *t, const char *const *want, int n, bool *seen, const char *stop_at)
{
    int found = 0;
    for (int page = 0; page < 6; page++) {
        settle(t);
        const char *text = vt_text(t);
        for (int i = 0; i < n; i++)
            if (!seen[i] && strstr(text, want[i])) {
                seen[i] = true;
                found++;
            }
        if (stop_at && strstr(text, stop_at))
            return found;
        if (found == n && !stop_at)
            return found;
        /* turn the page, then wait until the bar shows the next one (a busy
         * machine may take longer to redraw than any fixed pause) */
        static char before[8192];
        snprintf(before, sizeof before, "%s", vt_text(t));
        if (!vt_click_on(t, "More ▸"))
            return found;
        double end = vt_now_ms() + WAIT;
        while (!strcmp(vt_text(t), before) && vt_now_ms() < end)
            vt_pump(t, 20);
    }
    return found;
}

/* The speech keys can be found: as buttons (a More page away on a full bar,
 * each runs its action when touched) and in the help, which is spoken. */
static void test_speech_keys_discoverable(void)
{
    struct k *k = k_start("keys", "en", "");
    struct vt *t = k->t;
    ok(vt_wait(t, "ID card", WAIT), "keys: the attract screen shows");
    card(k, 1);
    ok(vt_wait(t, "Your queue entries", WAIT), "keys: the summary shows");
    int n1 = wait_saying(t, k->sd, 0, "Your queue entries");
    ok(vt_wait(t, "More ▸", WAIT), "keys: the summary's full hint bar ends in a More button");
    static const char *const want[] = {"[Enter] OK", "[Esc] Back", "[F1] Help", "[5] Say again",
                                       "[+] Louder", "[-] Quieter", "[/] Speech on/off",
                                       "[F6] Headphones, large text"};
    bool seen[8] = {0};
    int found = find_buttons(t, want, 8, seen, NULL);
    ok(found == 8, "keys: turning the pages shows every button, the speech keys too (%d of 8)", found);
    for (int i = 0; i < 8; i++)
        if (!seen[i])
            printf("# not seen: %s\n", want[i]);
    /* touch "Say again": the screen is said again */
    bool seen2[1] = {0};
    static const char *const sa[] = {"[5] Say again"};
    find_buttons(t, sa, 1, seen2, "[5] Say again");
    int before = newest(k->sd);
    ok(vt_click_on(t, "[5] Say again") && wait_saying(t, k->sd, before, "Your queue entries"),
       "keys: touching [5] Say again says the summary again");
    before = newest(k->sd);
    bool seen3[1] = {0};
    static const char *const hp[] = {"[F6] Headphones"};
    find_buttons(t, hp, 1, seen3, "[F6] Headphones");
    int n2 = 0;
    ok(vt_click_on(t, "[F6] Headphones") && (n2 = wait_saying(t, k->sd, before, "Headphone mode on")) &&
           !strncmp(slurp(utt(k->sd, n2, "txt")), "lang=en private=yes\n", 20),
       "keys: touching [F6] Headphones switches headphone mode on");
    (void)n1;
    /* the help lists the speech keys, and says them */
    before = newest(k->sd);
    vt_send(t, "\033OP");   /* F1 */
    ok(vt_wait(t, "Speech and large text, on every screen", WAIT), "keys: the help has the speech keys' section");
    int n3 = wait_saying(t, k->sd, before, "Speech and large text");
    const char *txt = slurp(utt(k->sd, n3, "txt"));
    ok(n3 && strstr(txt, "Say this screen again.") && strstr(txt, "Speak louder.") &&
           strstr(txt, "Speak more quietly.") && strstr(txt, "Switch speech on or off.") &&
           strstr(txt, "Headphone mode: personal details are read aloud"),
       "keys: the help says each speech key's help line");
    bool shown = false;
    for (int i = 0; i < 12 && !shown; i++) {   /* scroll down to the accessibility line */
        shown = strstr(vt_text(t), "F6") && strstr(vt_text(t), "Headphone mode: personal");
        if (!shown)
            vt_send(t, "\033OB");
        vt_pump(t, 100);
    }
    ok(shown, "keys: scrolling the help shows the accessibility key and what it does");
    k_stop(k);
}

/* At 40×16 every action of an entry is within reach of a finger: Print and
 * QR on the first page of buttons (two rows), the rest a More away; touching
 * Print prints. */
static void test_reach_40x16(void)
{
    char extra[800], pdir[700], bin[800];
    snprintf(pdir, sizeof pdir, "%s/print-40x16", dir);
    mkdir(pdir, 0700);
    snprintf(extra, sizeof extra, "--sim-print-dir %s", pdir);
    struct k *k = k_start_at("40x16", "en", extra, 16, 40);
    struct vt *t = k->t;
    ok(vt_wait(t, "ID card", WAIT), "40×16: the attract screen shows");
    card(k, 0);
    ok(vt_wait(t, "Your queue", WAIT), "40×16: the summary shows");
    vt_send(t, "\r");
    ok(vt_wait(t, "Position", WAIT), "40×16: the entry opens");
    ok(vt_wait(t, "[F3] Print receipt", 2000) && vt_wait(t, "[0] QR code", 100),
       "40×16: Print and QR are buttons on the first page");
    static const char *const want[] = {"[F3] Print receipt", "[0] QR code", "[Esc] Back", "[F1] Help",
                                       "[F2] 中文/English", "[8] Details", "[5] Say again",
                                       "[F6] Headphones, large text"};
    bool seen[8] = {0};
    int found = find_buttons(t, want, 8, seen, NULL);
    ok(found == 8, "40×16: every action of the entry is a button on some page (%d of 8)", found);
    for (int i = 0; i < 8; i++)
        if (!seen[i])
            printf("# not seen: %s\n", want[i]);
    bool seen2[1] = {0};
    static const char *const pr[] = {"[F3] Print receipt"};
    find_buttons(t, pr, 1, seen2, "[F3] Print receipt");
    snprintf(bin, sizeof bin, "%s/receipt-0001.bin", pdir);
    ok(vt_click_on(t, "[F3] Print receipt") && wait_file(t, bin, WAIT),
       "40×16: touching Print prints the receipt (%s)", bin);
    ok(!strstr(vt_text(t), "enlarge") && !strstr(vt_text(t), "放大"), "40×16: no \"please enlarge\"");
    k_stop(k);
}

int main(int argc, char **argv)
{
    const char *b = getenv("KIOSK_BUILD") ? getenv("KIOSK_BUILD") : "build";
    snprintf(kiosk, sizeof kiosk, "%s", argc > 1 ? argv[1] : "");
    if (!*kiosk)
        snprintf(kiosk, sizeof kiosk, "%s/asan/kiosk", b);
    snprintf(kioskctl, sizeof kioskctl, "%s", argc > 2 ? argv[2] : "");
    if (!*kioskctl)
        snprintf(kioskctl, sizeof kioskctl, "%s/kioskctl", b);
    snprintf(dir, sizeof dir, "/tmp/kiosk-speech-XXXXXX");
    if (!mkdtemp(dir)) {
        printf("Bail out! mkdtemp: %s\n", strerror(errno));
        return 1;
    }
    snprintf(db, sizeof db, "%s/demo.db", dir);
    char cmd[1600];
    snprintf(cmd, sizeof cmd, "%s --db %s demo --households 300 --seed %d >/dev/null", kioskctl, db, SEED);
    if (system(cmd) != 0) {
        printf("Bail out! could not create the demo database (%s)\n", cmd);
        return 1;
    }
    test_resident_zh();
    test_hold_5_en();
    test_yue_and_private_config();
    test_receipt_spoken();
    test_speech_keys_discoverable();
    test_reach_40x16();
    test_no_speech_device();
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (tap_failed == 0 && system(cmd) != 0)
        printf("# could not remove %s\n", dir);
    return tap_done();
}
