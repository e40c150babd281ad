/* ns_drive.c — the terminal half of tests/followup/test_next_agree.sh: the
 * real kiosk (build/asan/kiosk --sim) in a real terminal (forkpty +
 * libvterm, tests/screen/vt.c), simulated card reader and printer, speech
 * recorded with --speech-dir in headphone mode.  It puts a demo resident's
 * card in, opens summary item N (its digit key), waits for the detail screen
 * with its next steps, and writes what a resident gets from it:
 *
 *     OUT.screen    the screen's text as shown (rows joined by '\n')
 *     OUT.speech    the text given to the synthesiser for that screen
 *     OUT.bin       the receipt printed with F3 (ESC/POS, as sent to the printer)
 *
 *     ns_drive drive KIOSK DB CONF DIR ID NAME ITEM OUT [LANG]   (LANG zh, the default, or en)
 *     ns_drive lex zh|en TEXT     TEXT through the speech lexicon (what is said)
 *     ns_drive resident SEED I    demo household I's "ID NAME" (kiosk/demo.h)
 *
 * Exit 0 when all three were captured; else 1 with the reason on stderr. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiosk/demo.h"
#include "kiosk/speech_lex.h"
#include "tests/screen/vt.h"

#define WAIT 15000

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

static bool put(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, n, f) == n;
    return fclose(f) == 0 && ok;
}

/* The newest utterance (NNNN.txt) in dir whose text holds want, waiting up to WAIT ms. */
static char *wait_saying(struct vt *t, const char *dir, const char *want)
{
    static char found[16384];
    double end = vt_now_ms() + WAIT;
    while (vt_now_ms() < end) {
        for (int n = 9999; n >= 1; n--) {
            char p[700];
            snprintf(p, sizeof p, "%s/%04d.txt", dir, n);
            if (access(p, F_OK) != 0)
                continue;
            const char *s = slurp(p);
            if (strstr(s, want)) {
                snprintf(found, sizeof found, "%s", s);
                return found;
            }
            break;   /* only the newest counts: the detail screen's own */
        }
        vt_pump(t, 20);
    }
    return NULL;
}

static int drive(char **a)
{
    const char *kiosk = a[0], *db = a[1], *conf = a[2], *dir = a[3], *id = a[4], *name = a[5];
    int item = atoi(a[6]);
    const char *out = a[7];
    bool en = a[8] && !strcmp(a[8], "en");
    /* what each screen says, in the kiosk's language */
    const char *attract = en ? "ID card" : "身份证";
    const char *summary = en ? "Your queue entries and applications" : "您的轮候与申请";
    const char *todo = en ? "What you need to do" : "您需要做什么";
    char fifo[600], sd[600], pd[600], cmd[4096];
    snprintf(fifo, sizeof fifo, "%s/cards", dir);
    snprintf(sd, sizeof sd, "%s/speech", dir);
    snprintf(pd, sizeof pd, "%s/paper", dir);
    unlink(fifo);
    if (mkfifo(fifo, 0600) || mkdir(sd, 0700) || mkdir(pd, 0700)) {
        fprintf(stderr, "ns_drive: cannot make %s/{cards,speech,paper} (fresh DIR needed)\n", dir);
        return 1;
    }
    int wfd = open(fifo, O_RDWR | O_NONBLOCK);
    snprintf(cmd, sizeof cmd,
             "exec %s --sim --config %s --db %s --sim-cards %s --sim-print-dir %s --speech-dir %s "
             "--lang %s 2>%s/stderr",
             kiosk, conf, db, fifo, pd, sd, en ? "en" : "zh", dir);
    char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    /* tall and wide: every next-step line on one screen */
    struct vt *t = vt_start(60, 120, argv, NULL);
    int rc = 1;
    char line[256];
    int n = snprintf(line, sizeof line, "insert %s %s\n", id, name);
    if (!vt_wait(t, attract, WAIT)) {
        fprintf(stderr, "ns_drive: no attract screen:\n%s\n", vt_text(t));
        goto out;
    }
    if (write(wfd, line, (size_t)n) != n || !vt_wait(t, summary, WAIT)) {
        fprintf(stderr, "ns_drive: no summary after the card:\n%s\n", vt_text(t));
        goto out;
    }
    char key[2] = {(char)('0' + item), 0};
    vt_send(t, key);
    /* every detail screen says what to do (the next steps' "todo" line) */
    if (!vt_wait(t, todo, WAIT)) {
        fprintf(stderr, "ns_drive: item %d: no next steps on screen:\n%s\n", item, vt_text(t));
        goto out;
    }
    /* the whole screen drawn: the hint bar is there and nothing changed for 300 ms */
    static char before[65536];
    double until = vt_now_ms() + WAIT;
    do {
        snprintf(before, sizeof before, "%s", vt_text(t));
        vt_pump(t, 300);
    } while (vt_now_ms() < until && (strcmp(before, vt_text(t)) || !strstr(before, "[F3]")));
    char path[700];
    snprintf(path, sizeof path, "%s.screen", out);
    const char *scr = vt_text(t);
    if (!put(path, scr, strlen(scr)))
        goto out;
    const char *said = wait_saying(t, sd, todo);
    if (!said) {
        fprintf(stderr, "ns_drive: item %d: nothing said with the next steps\n", item);
        goto out;
    }
    snprintf(path, sizeof path, "%s.speech", out);
    if (!put(path, said, strlen(said)))
        goto out;
    vt_send(t, VT_F3);
    char bin[700];
    snprintf(bin, sizeof bin, "%s/receipt-0001.bin", pd);
    double end = vt_now_ms() + WAIT;
    struct stat st;
    long last = -1;
    /* printed: the file exists and stopped growing */
    while (vt_now_ms() < end) {
        vt_pump(t, 100);
        if (stat(bin, &st) == 0 && st.st_size > 0 && st.st_size == last)
            break;
        last = stat(bin, &st) == 0 ? (long)st.st_size : -1;
    }
    if (stat(bin, &st) != 0 || st.st_size == 0) {
        fprintf(stderr, "ns_drive: item %d: no receipt printed:\n%s\n", item, vt_text(t));
        goto out;
    }
    snprintf(path, sizeof path, "%s.bin", out);
    if (rename(bin, path) != 0)
        goto out;
    rc = 0;
out:
    vt_stop(t);
    close(wfd);
    unlink(fifo);
    return rc;
}

int main(int argc, char **argv)
{
    if ((argc == 10 || argc == 11) && !strcmp(argv[1], "drive"))
        return drive(argv + 2);   /* argv[argc] is NULL: no LANG → zh */
    if (argc == 4 && !strcmp(argv[1], "lex")) {
        static char out[16384];
        int err = speech_lex_apply(strcmp(argv[2], "en") ? SPL_ZH : SPL_EN, argv[3], out, sizeof out);
        puts(out);
        return err ? 1 : 0;
    }
    if (argc == 4 && !strcmp(argv[1], "resident")) {
        char id[19], name[64];
        demo_resident(strtoull(argv[2], NULL, 10), atoll(argv[3]), id, name, sizeof name);
        printf("%s %s\n", id, name);
        return 0;
    }
    fprintf(stderr, "usage: ns_drive drive KIOSK DB CONF DIR ID NAME ITEM OUT | ns_drive lex zh|en TEXT | ns_drive resident SEED I\n");
    return 2;
}
