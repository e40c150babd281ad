/* test_screen.c — the resident kiosk in a real terminal (forkpty + libvterm).
 *
 * Runs the real binary (build/asan/kiosk by default, ASan + UBSan) with
 * simulated devices against a demo database, types keys, puts cards in
 * through the --sim-cards FIFO, resizes the terminal, and reads the screen
 * back.  Every wait is "until the screen shows it, or a deadline".  Prints
 * TAP lines (tests/run.sh counts them).
 *
 * usage: test_screen [KIOSK [KIOSKCTL]]   (defaults: $KIOSK_BUILD/asan/kiosk, $KIOSK_BUILD/kioskctl) */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kiosk/demo.h"
#include "kiosk/idnum.h"
#include "tests/tap.h"
#include "vt.h"

#define WAIT 5000          /* ms: the longest a screen may take to show something */
#define SEED 1
#define HOUSEHOLDS 3000

static char kiosk[512], kioskctl[512], dir[512], db[600];
static int instance;


static void dump(struct vt *t, const char *why)
{
    printf("# screen (%s):\n", why);
    const char *s = vt_text(t);
    const char *p = s;
    while (*p) {
        const char *nl = strchr(p, '\n');
        int n = nl ? (int)(nl - p) : (int)strlen(p);
        printf("#   |%.*s|\n", n, p);
        if (!nl)
            break;
        p = nl + 1;
    }
}

/* ---- one kiosk under test ----------------------------------------------------- */
struct k {
    struct vt *t;
    int wfd;               /* our write end of the card FIFO, open all along */
    char fifo[600], print[600];
};

static struct k *k_start(int rows, int cols, const char *lang, const char *idle, char **env)
{
    struct k *k = calloc(1, sizeof *k);
    instance++;
    snprintf(k->fifo, sizeof k->fifo, "%s/cards-%d", dir, instance);
    snprintf(k->print, sizeof k->print, "%s/print-%d", dir, instance);
    unlink(k->fifo);
    mkfifo(k->fifo, 0600);
    mkdir(k->print, 0700);
    /* Hold a write end open for the kiosk's whole life: a FIFO whose last
     * writer left reads as end-of-file, and the simulated reader then
     * reopens it; a line written in that moment would be lost (see the
     * note in docs/kiosk.md).  `echo … > FIFO` by hand is not affected by
     * the test's choice. */
    k->wfd = open(k->fifo, O_RDWR | O_NONBLOCK);
    char *argv[16];
    int a = 0;
    argv[a++] = kiosk;
    argv[a++] = "--sim";
    argv[a++] = "--db";
    argv[a++] = db;
    argv[a++] = "--sim-cards";
    argv[a++] = k->fifo;
    argv[a++] = "--sim-print-dir";
    argv[a++] = k->print;
    argv[a++] = "--lang";
    argv[a++] = (char *)lang;
    if (idle) {
        argv[a++] = "--idle-timeout";
        argv[a++] = (char *)idle;
    }
    argv[a] = NULL;
    k->t = vt_start(rows, cols, argv, env);
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

/* Put a line into the simulated reader's FIFO (the kiosk may still be starting). */
static bool card_line(struct k *k, const char *line)
{
    char buf[600];
    int n = snprintf(buf, sizeof buf, "%s\n", line);
    return k->wfd >= 0 && write(k->wfd, buf, (size_t)n) == n;
}

static bool card_insert(struct k *k, const char *id, const char *name)
{
    char line[512];
    snprintf(line, sizeof line, "insert %s %s", id, name);
    return card_line(k, line);
}

/* ---- what kioskctl says the screen must show ------------------------------------ */
struct expect {
    int n;
    long long pos[8], total[8];
    char receipt[8][40];
};

static void expect_for(const char *id, struct expect *e)
{
    memset(e, 0, sizeof *e);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "%s --db %s position --id %s --json", kioskctl, db, id);
    FILE *p = popen(cmd, "r");
    if (!p)
        return;
    static char out[1 << 16];
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    pclose(p);
    const char *s = out;
    while (e->n < 8 && (s = strstr(s, "\"receipt_no\": \""))) {
        s += 15;
        sscanf(s, "%39[^\"]", e->receipt[e->n]);
        const char *ps = strstr(s, "\"position\": ");
        const char *ts = strstr(s, "\"total\": ");
        if (!ps || !ts)
            break;
        e->pos[e->n] = strncmp(ps + 12, "null", 4) ? atoll(ps + 12) : 0;
        e->total[e->n] = atoll(ts + 9);
        e->n++;
    }
}

static bool private_ok(struct vt *t, const char *id, const char *name)
{
    const char *s = vt_text(t);
    return !strstr(s, id) && !strstr(s, name);
}

/* Wait until the terminal has been quiet for 100 ms (a frame fully drawn). */
static void settle_screen(struct vt *t)
{
    double end = vt_now_ms() + WAIT;
    char *before = strdup(vt_text(t));
    while (vt_now_ms() < end) {
        vt_pump(t, 100);
        if (!strcmp(before, vt_text(t)))
            break;
        free(before);
        before = strdup(vt_text(t));
    }
    free(before);
}

/* ---- the tests ------------------------------------------------------------------ */

static void test_queue_flow(int rows, int cols)
{
    struct k *k = k_start(rows, cols, "en", NULL, NULL);
    double t0 = vt_now_ms();
    bool up = vt_wait(k->t, "Please place your ID card", WAIT);
    ok(up, "%dx%d: attract screen shows (%.0f ms)", cols, rows, vt_now_ms() - t0);
    for (int i = 0; i < 5; i++) {
        char id[19], name[256];
        demo_resident(SEED, i, id, name, sizeof name);
        struct expect e;
        expect_for(id, &e);
        card_insert(k, id, name);
        bool shown = e.n > 0 && vt_wait(k->t, "Your queue entries", WAIT);
        char want[128] = "";
        for (int j = 0; j < e.n; j++) {
            if (!e.pos[j])
                continue;
            snprintf(want, sizeof want, "position %lld of %lld", e.pos[j], e.total[j]);
            if (!vt_wait(k->t, want, WAIT)) {
                shown = false;
                break;
            }
        }
        if (!shown)
            dump(k->t, want);
        ok(shown, "%dx%d: household %d: summary shows every position as kioskctl (%s)", cols, rows,
           i, want);
        ok(private_ok(k->t, id, name), "%dx%d: household %d: no full ID or name on screen", cols,
           rows, i);
        if (i == 0 && e.n > 0 && e.pos[0]) {
            vt_send(k->t, VT_ENTER);
            snprintf(want, sizeof want, "Position %lld of %lld", e.pos[0], e.total[0]);
            bool det = vt_wait(k->t, want, WAIT) && strstr(vt_text(k->t), "█");
            if (!det)
                dump(k->t, "detail");
            ok(det, "%dx%d: detail shows big digits and \"%s\"", cols, rows, want);
            ok(vt_wait(k->t, "Estimated wait", 100) || vt_wait(k->t, "Not enough history", 100),
               "%dx%d: detail shows the wait estimate or says there is too little history", cols,
               rows);
            ok(vt_wait(k->t, "What you need to do:", 100) && vt_wait(k->t, "Who to contact:", 100),
               "%dx%d: detail says what to do next and whom to contact", cols, rows);
            ok(!strstr(vt_text(k->t), "lottery number") && !strstr(vt_text(k->t), "priority tier"),
               "%dx%d: no ordering-key jargon before the details level", cols, rows);
            vt_send(k->t, "8");
            ok(vt_wait(k->t, "Since the list of", WAIT) || vt_wait(k->t, "published", 100),
               "%dx%d: the details level explains the change since the published list", cols,
               rows);
            ok(vt_wait(k->t, "Your place is set by", 100),
               "%dx%d: the details level shows what sets the place", cols, rows);
            ok(private_ok(k->t, id, name), "%dx%d: detail: no full ID or name", cols, rows);
            vt_send(k->t, VT_ESC);
            ok(vt_wait(k->t, "Your queue entries", WAIT), "%dx%d: Esc goes back to the summary",
               cols, rows);
        }
        card_line(k, "remove");
        bool gone = vt_wait(k->t, "Please place your ID card", WAIT) &&
                    vt_wait_gone(k->t, "position", WAIT);
        ok(gone, "%dx%d: household %d: card removed → attract, nothing personal left", cols, rows, i);
    }
    int st;
    ok(vt_alive(k->t, &st), "%dx%d: kiosk still running", cols, rows);
    k_stop(k);
}

/* Detail screen, signals, printing, paper out, Chinese, resize storm: one session. */
static void test_detail_session(void)
{
    struct k *k = k_start(24, 80, "en", NULL, NULL);
    char id[19], name[256];
    demo_resident(SEED, 0, id, name, sizeof name);
    struct expect e;
    expect_for(id, &e);
    vt_wait(k->t, "Please place your ID card", WAIT);
    card_insert(k, id, name);
    vt_wait(k->t, "Your queue entries", WAIT);
    vt_send(k->t, VT_ENTER);
    char want[128];
    snprintf(want, sizeof want, "Position %lld of %lld", e.pos[0], e.total[0]);
    vt_wait(k->t, want, WAIT);

    /* Ctrl-C, Ctrl-Z, Ctrl-\ do nothing */
    vt_send(k->t, "\003\032\034");
    vt_pump(k->t, 200);
    ok(vt_alive(k->t, NULL) && vt_wait(k->t, want, WAIT),
       "Ctrl-C, Ctrl-Z and Ctrl-\\ are ignored (still on the detail screen)");

    /* print */
    vt_send(k->t, VT_F3);
    char f1[700];
    snprintf(f1, sizeof f1, "%s/receipt-0001.bin", k->print);
    bool printed = vt_wait(k->t, "Receipt printed", WAIT) && access(f1, R_OK) == 0;
    ok(printed, "F3 prints a receipt into --sim-print-dir (%s)", f1);

    /* paper out: the QR on screen, the receipt kept for a reprint */
    char po[700];
    snprintf(po, sizeof po, "%s/PAPER_OUT", k->print);
    FILE *f = fopen(po, "w");
    if (f)
        fclose(f);
    vt_send(k->t, VT_F3);
    bool qr = vt_wait(k->t, "out of paper", WAIT) && vt_wait(k->t, "Follow-up code", WAIT) &&
              strstr(vt_text(k->t), "▄") && strstr(vt_text(k->t), "▀");
    if (!qr)
        dump(k->t, "paper out");
    ok(qr, "paper out → the follow-up QR on screen with the reason");
    /* … and the district sees it: the kiosk reported its printer state */
    char cmd[1400], line[256] = "";
    snprintf(cmd, sizeof cmd, "%s --db %s kiosks", kioskctl, db);
    FILE *p = popen(cmd, "r");
    bool reported = false;
    while (p && fgets(line, sizeof line, p))
        reported |= strstr(line, "printer paper_out") != NULL;
    int krc = p ? pclose(p) : -1;
    ok(reported && WIFEXITED(krc) && WEXITSTATUS(krc) == 1,
       "kioskctl kiosks lists this kiosk as out of paper (exit 1)");
    unlink(po);
    vt_send(k->t, VT_F3);
    char f2[700];
    snprintf(f2, sizeof f2, "%s/receipt-0002.bin", k->print);
    bool reprint = vt_wait(k->t, "Receipt printed", WAIT);
    double end = vt_now_ms() + WAIT;
    while (access(f2, R_OK) != 0 && vt_now_ms() < end)
        vt_pump(k->t, 20);
    ok(reprint && access(f2, R_OK) == 0, "paper back → F3 reprints the kept receipt");
    vt_wait(k->t, want, WAIT);

    /* Chinese */
    vt_send(k->t, VT_F2);
    char zh[128];
    snprintf(zh, sizeof zh, "第 %lld 位，共 %lld 位", e.pos[0], e.total[0]);
    bool chinese = vt_wait(k->t, zh, WAIT) && vt_wait(k->t, "公共租赁住房", 100);
    if (!chinese)
        dump(k->t, zh);
    ok(chinese, "F2 → Chinese renders (%s)", zh);
    ok(vt_attr_of(k->t, "公共租赁住房") >= 0, "Chinese title readable cell by cell");
    vt_send(k->t, VT_F2);
    ok(vt_wait(k->t, want, WAIT), "F2 again → English");

    /* resize storm down to 20×6 and back */
    static const int sizes[][2] = {{6, 20}, {23, 79}, {40, 120}, {6, 20}, {10, 30}, {30, 100},
                                   {6, 20}, {50, 160}, {7, 21}, {24, 80}};
    for (int r = 0; r < 3; r++)
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            vt_resize(k->t, sizes[i][0], sizes[i][1]);
            vt_pump(k->t, 2);
        }
    vt_resize(k->t, 6, 20);
    bool small = vt_wait(k->t, "Please enlarge", WAIT);
    ok(small, "20×6: a plain \"please enlarge\" line");
    vt_resize(k->t, 24, 80);
    bool back = vt_wait(k->t, want, WAIT) && vt_alive(k->t, NULL);
    if (!back)
        dump(k->t, "after resize");
    ok(back, "resize storm survived; back at 80×24 the detail is whole again");
    ok(private_ok(k->t, id, name), "after all that: no full ID or name");
    int st = k_stop(k);
    ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "SIGTERM ends the kiosk cleanly (status %d)", st);
}

static void test_idle_wipe(void)
{
    struct k *k = k_start(24, 80, "en", "1", NULL);
    char id[19], name[256], masked[96];
    demo_resident(SEED, 1, id, name, sizeof name);
    name_mask(name, masked, sizeof masked);
    vt_wait(k->t, "Please place your ID card", WAIT);
    card_insert(k, id, name);
    ok(vt_wait(k->t, masked, WAIT), "idle: summary shows the masked name %s", masked);
    bool cd = vt_wait(k->t, "still there", 4000);
    ok(cd, "idle: after --idle-timeout 1 (doubled: the card is on the reader) the warning appears");
    vt_send(k->t, " ");
    ok(vt_wait_gone(k->t, "still there", WAIT) && vt_wait(k->t, masked, 100),
       "idle: a key during the countdown keeps the session");
    double t0 = vt_now_ms();
    bool wiped = vt_wait(k->t, "still there", 4000) &&
                 vt_wait(k->t, "Please place your ID card", 23000) &&
                 vt_wait_gone(k->t, masked, 1000);
    ok(wiped, "idle: after the 20-second warning the screen is back to attract (%.1f s)",
       (vt_now_ms() - t0) / 1000);
    const char *s = vt_text(k->t);
    ok(!strstr(s, masked) && !strstr(s, "4403**") && !strstr(s, "position"),
       "idle: nothing personal left on the screen after the wipe");
    k_stop(k);
}

/* The screen's text with its rows joined (runs of blanks, and the line ends
 * between them, become one space), so a phrase a narrow screen wrapped is
 * found whole. */
static bool wait_joined(struct vt *t, const char *want, int ms)
{
    double end = vt_now_ms() + ms;
    for (;;) {
        const char *s = vt_text(t);
        char *j = malloc(strlen(s) + 1), *o = j;
        for (const char *p = s; *p; p++) {
            bool blank = *p == ' ' || *p == '\n';
            if (blank && o > j && o[-1] == ' ')
                continue;
            *o++ = blank ? ' ' : *p;
        }
        *o = '\0';
        bool found = strstr(j, want) != NULL;
        free(j);
        if (found)
            return true;
        if (vt_now_ms() > end)
            return false;
        vt_pump(t, 20);
    }
}

/* Every resident grid from 40×16 up: the screens work (no "please enlarge"),
 * the summary shows every position, the detail its big digits and the plain
 * "Position N of M", the hint bar keeps Help and Back, and a touch on the
 * on-screen pad types. */
static void test_grid(int rows, int cols)
{
    struct k *k = k_start(rows, cols, "en", NULL, NULL);
    bool up = vt_wait(k->t, "Please place your ID card", WAIT);
    if (!up)
        dump(k->t, "grid attract");
    ok(up && !strstr(vt_text(k->t), "enlarge"), "%dx%d: attract screen, no \"please enlarge\"",
       cols, rows);
    bool hb = vt_wait(k->t, "] Help", WAIT) && vt_wait(k->t, "] Back", WAIT) &&
              vt_wait(k->t, " OK ", WAIT);   /* the frame is whole: the pad's last key */
    settle_screen(k->t);
    ok(hb, "%dx%d: the hint bar keeps Help and Back", cols, rows);
    /* the pad: touch 7, then ⌫ */
    int r = -1, c = -1;
    bool pad = vt_find(k->t, " 7 ", &r, &c);
    if (pad) {
        vt_click(k->t, r, c + 1);
        pad = vt_wait(k->t, "7_", WAIT);
    }
    if (!pad)
        dump(k->t, "grid pad");
    ok(pad, "%dx%d: a touch on the pad's 7 types 7", cols, rows);
    vt_send(k->t, VT_ESC);
    char id[19], name[256];
    demo_resident(SEED, 0, id, name, sizeof name);
    struct expect e;
    expect_for(id, &e);
    card_insert(k, id, name);
    bool shown = vt_wait(k->t, "Your queue entries", WAIT);
    char want[128] = "";
    for (int j = 0; shown && j < e.n; j++) {
        if (!e.pos[j])
            continue;
        /* a narrow screen wraps an item: the rows joined must read the phrase */
        snprintf(want, sizeof want, "position %lld of %lld", e.pos[j], e.total[j]);
        shown = wait_joined(k->t, want, WAIT);
    }
    if (!shown)
        dump(k->t, want);
    ok(shown, "%dx%d: the summary shows every position (%s)", cols, rows, want);
    if (e.n > 0 && e.pos[0]) {
        vt_send(k->t, VT_ENTER);
        snprintf(want, sizeof want, "Position %lld of %lld", e.pos[0], e.total[0]);
        bool det = wait_joined(k->t, want, WAIT) && strstr(vt_text(k->t), "█");
        if (!det)
            dump(k->t, "grid detail");
        ok(det, "%dx%d: the detail shows big digits and \"%s\"", cols, rows, want);
    }
    ok(private_ok(k->t, id, name), "%dx%d: no full ID or name", cols, rows);
    card_line(k, "remove");
    ok(vt_wait(k->t, "Please place your ID card", WAIT) && vt_alive(k->t, NULL),
       "%dx%d: card removed → attract", cols, rows);
    k_stop(k);
}

static void type_text(struct k *k, const char *s)
{
    char one[2] = {0, 0};
    for (; *s; s++) {
        one[0] = *s;
        vt_send(k->t, one);
    }
}

static void test_typed_lookup(void)
{
    struct k *k = k_start(24, 80, "en", NULL, NULL);
    char id[19], name[256];
    demo_resident(SEED, 2, id, name, sizeof name);
    struct expect e;
    expect_for(id, &e);
    vt_wait(k->t, "Please place your ID card", WAIT);
    /* the right receipt and ID ending → the summary */
    type_text(k, e.receipt[0]);
    vt_send(k->t, VT_ENTER);
    type_text(k, id + 12);
    vt_send(k->t, VT_ENTER);
    char want[96];
    snprintf(want, sizeof want, "position %lld of %lld", e.pos[0], e.total[0]);
    bool found = e.pos[0] ? vt_wait(k->t, want, WAIT) : vt_wait(k->t, "Your queue entries", WAIT);
    if (!found)
        dump(k->t, want);
    ok(found, "typed receipt %s + last 6 → the summary (%s)", e.receipt[0], want);
    ok(private_ok(k->t, id, name), "typed look-up: no full ID or name");
    vt_send(k->t, VT_ESC);
    vt_wait(k->t, "Please take your card", WAIT);
    vt_send(k->t, VT_ENTER);
    vt_wait(k->t, "Please place your ID card", WAIT);
    /* five wrong ones → a pause */
    for (int i = 0; i < 5; i++) {
        type_text(k, e.receipt[0]);
        vt_send(k->t, VT_ENTER);
        type_text(k, "99999X");
        vt_send(k->t, VT_ENTER);
        if (i < 4)
            vt_wait(k->t, "attempts left", WAIT);
    }
    bool limited = vt_wait(k->t, "Too many attempts", WAIT);
    ok(limited, "five wrong typed look-ups → \"Too many attempts\"");
    /* even the right one is refused during the pause */
    type_text(k, e.receipt[0]);
    vt_send(k->t, VT_ENTER);
    type_text(k, id + 12);
    vt_send(k->t, VT_ENTER);
    vt_pump(k->t, 300);
    ok(!strstr(vt_text(k->t), "Your queue entries") && strstr(vt_text(k->t), "Too many attempts"),
       "during the pause even the right receipt is refused");
    /* the printer goes away and comes back: the status line follows, the kiosk keeps serving */
    rmdir(k->print);
    ok(vt_wait(k->t, "Printer: not connected", WAIT), "printer unplugged → the status line says so");
    mkdir(k->print, 0700);
    ok(vt_wait(k->t, "Printer: ready", WAIT) && vt_alive(k->t, NULL),
       "printer back → the status line says ready");
    k_stop(k);
}

static void test_terminal_odd(void)
{
    char *env[] = {"TERM=no-such-terminal-xyz", "LANG=C", NULL};
    struct k *k = k_start(24, 80, "zh", NULL, env);
    bool up = vt_wait(k->t, "请将身份证放在读卡区", WAIT);
    if (!up)
        dump(k->t, "odd terminal");
    ok(up, "unknown TERM and LANG=C: starts, and Chinese still renders");
    ok(vt_alive(k->t, NULL), "unknown TERM: still running");
    k_stop(k);
}

/* Move the summary's selection (▶) down onto the first line containing text. */
static void select_item(struct k *k, const char *text)
{
    const char *s = vt_text(k->t);
    const char *target = strstr(s, text);
    int downs = 0;
    for (const char *p = strstr(s, "▶"); p && target && p < target; p = strchr(p + 1, '\n'))
        downs++;
    for (int i = 0; i < downs - 1; i++)
        vt_send(k->t, VT_DOWN);
}

/* The first demo household from k on whose resident may apply for a home
 * care bed: aged 60 ([eldercare] min_age) or more today (households from 40
 * on have no application).  Returns its number. */
static long long elder_from(long long k, char id[19], char *name, size_t cap)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    for (;; k++) {
        demo_resident(SEED, k, id, name, cap);
        int y, m, d;
        if (sscanf(id + 6, "%4d%2d%2d", &y, &m, &d) != 3)
            continue;
        int age = tm.tm_year + 1900 - y - (tm.tm_mon + 1 < m || (tm.tm_mon + 1 == m && tm.tm_mday < d));
        if (age >= 60)
            return k;
    }
}

static void test_bed(void)
{
    struct k *k = k_start(24, 80, "en", NULL, NULL);
    vt_wait(k->t, "Please place your ID card", WAIT);
    char id[19], name[256];
    /* an elder of the demo data (households 0–39 have applications) */
    demo_resident(SEED, 3, id, name, sizeof name);
    card_insert(k, id, name);
    vt_wait(k->t, "Your queue entries", WAIT);
    if (!vt_wait(k->t, "Home care bed application ", WAIT)) {
        ok(false, "bed: the summary lists household 3's application");
    } else {
        select_item(k, "Home care bed application ");
        vt_send(k->t, VT_ENTER);
        bool tl = vt_wait(k->t, "Timeline", WAIT) && vt_wait(k->t, "Current stage", 100);
        if (!tl)
            dump(k->t, "timeline");
        ok(tl, "bed: the application shows its timeline and current stage");
        ok(private_ok(k->t, id, name), "bed: no full ID or name on the timeline");
        vt_send(k->t, VT_F3);
        ok(vt_wait(k->t, "Receipt printed", WAIT) || vt_wait(k->t, "Follow-up code", 100),
           "bed: F3 prints the application's receipt");
    }
    card_line(k, "remove");
    vt_wait(k->t, "Please place your ID card", WAIT);

    /* apply as a family member: the agent's card, a phone number, the elder's card */
    char aid[19], aname[256], eid[19], ename[256];
    demo_resident(SEED, 2500, aid, aname, sizeof aname);
    long long ek = elder_from(2501, eid, ename, sizeof ename);
    card_insert(k, aid, aname);
    vt_wait(k->t, "Your queue entries", WAIT);
    /* the apply item is the last one: Up wraps round to it */
    vt_send(k->t, VT_UP);
    vt_send(k->t, VT_ENTER);
    bool who = vt_wait(k->t, "Who is applying?", WAIT);
    ok(who, "apply: the summary offers an application; it asks who applies");
    vt_send(k->t, "2");
    ok(vt_wait(k->t, "phone number", WAIT), "apply: a family member types a phone number");
    type_text(k, "13800138000");
    vt_send(k->t, VT_ENTER);
    ok(vt_wait(k->t, "place the elder's ID card", WAIT), "apply: then asks for the elder's card");
    card_line(k, "remove");
    card_insert(k, eid, ename);
    ok(vt_wait(k->t, "Consent", WAIT), "apply: the elder's card → consent");
    vt_send(k->t, VT_ENTER);
    vt_wait(k->t, "Which services", WAIT);
    vt_send(k->t, "1");
    vt_send(k->t, "4");
    vt_send(k->t, VT_DOWN VT_DOWN VT_DOWN);
    vt_send(k->t, VT_ENTER);
    bool confirm = vt_wait(k->t, "Please check, then confirm", WAIT) &&
                   vt_wait(k->t, "138****8000", 100);
    if (!confirm)
        dump(k->t, "confirm");
    ok(confirm, "apply: confirmation shows masked elder, agent and phone");
    ok(private_ok(k->t, eid, ename) && private_ok(k->t, aid, aname),
       "apply: no full ID or name of elder or agent");
    vt_send(k->t, VT_ENTER);
    if (vt_wait(k->t, "could not be submitted", 1500)) {
        ok(false, "apply: the application was submitted (the kiosk says it could not be)");
    } else {
        bool done = vt_wait(k->t, "Application submitted", WAIT) && vt_wait(k->t, "Reference", 100) &&
                    strstr(vt_text(k->t), "▄");
        if (!done)
            dump(k->t, "submitted");
        ok(done, "apply: submitted, with a reference and the QR on screen");
        vt_send(k->t, VT_F3);
        ok(vt_wait(k->t, "Receipt printed", WAIT), "apply: F3 prints the application receipt");
        vt_send(k->t, VT_ENTER);
        card_line(k, "remove");
        vt_wait(k->t, "Please place your ID card", WAIT);

        /* the elder applies for themself, then withdraws it */
        elder_from(ek + 1, eid, ename, sizeof ename);
        card_insert(k, eid, ename);
        vt_wait(k->t, "Your queue entries", WAIT);
        vt_send(k->t, VT_UP VT_ENTER);
        vt_wait(k->t, "Who is applying?", WAIT);
        vt_send(k->t, "1");
        vt_wait(k->t, "Consent", WAIT);
        vt_send(k->t, VT_ENTER);
        vt_wait(k->t, "Which services", WAIT);
        vt_send(k->t, "2" VT_DOWN VT_DOWN VT_DOWN VT_DOWN VT_DOWN VT_ENTER);
        vt_wait(k->t, "Please check, then confirm", WAIT);
        vt_send(k->t, VT_ENTER);
        bool sub = vt_wait(k->t, "Application submitted", WAIT);
        ok(sub, "apply: the elder's own application is submitted");
        vt_send(k->t, VT_ENTER);
        bool listed = vt_wait(k->t, "Your queue entries", WAIT) &&
                      vt_wait(k->t, "Home care bed application ", WAIT);
        ok(listed, "apply: the new application is on the summary");
        select_item(k, "Home care bed application ");
        vt_send(k->t, VT_ENTER);
        vt_wait(k->t, "Timeline", WAIT);
        vt_send(k->t, "9");
        ok(vt_wait(k->t, "Withdraw the application?", WAIT), "withdraw: asks for confirmation");
        vt_send(k->t, VT_ENTER);
        bool wd = vt_wait(k->t, "has been withdrawn", WAIT) && vt_wait(k->t, "Withdrawn", WAIT);
        if (!wd)
            dump(k->t, "withdrawn");
        ok(wd, "withdraw: confirmed → the timeline says withdrawn");
    }
    k_stop(k);
}

/* make demo's script: without a terminal it explains and exits 0; in one it starts the kiosk,
 * and the F4 picker puts a demo card in. */
static void test_demo_script(const char *b)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "KIOSK_BUILD=%s DEMO_DB=%s/demo-script.db DEMO_HOUSEHOLDS=500 "
             "sh install/demo.sh </dev/null >%s/demo-script.out 2>&1", b, dir, dir);
    int rc = system(cmd);
    snprintf(cmd, sizeof cmd, "grep -q 'not a terminal' %s/demo-script.out && "
             "grep -q 'insert 440303195303220001' %s/demo-script.out", dir, dir);
    ok(rc == 0 && system(cmd) == 0, "demo.sh without a terminal: instructions, exit 0");
    char envb[600], envd[700];
    snprintf(envb, sizeof envb, "KIOSK_BUILD=%s", b);
    snprintf(envd, sizeof envd, "DEMO_DB=%s/demo-script.db", dir);
    char *env[] = {envb, envd, NULL};
    char *argv[] = {"/bin/sh", "install/demo.sh", NULL};
    struct vt *t = vt_start(24, 80, argv, env);
    bool asked = vt_wait(t, "Press Enter to start", WAIT);
    vt_send(t, VT_ENTER);
    bool attract = vt_wait(t, "请将身份证放在读卡区", WAIT);
    vt_send(t, VT_F4);
    bool picker = vt_wait(t, "演示", WAIT);
    vt_send(t, VT_ENTER);
    bool summary = vt_wait(t, "您的轮候与申请", WAIT) && vt_wait(t, "第 ", WAIT);
    if (!summary)
        dump(t, "demo");
    ok(asked && attract && picker && summary,
       "demo.sh in a terminal: starts the kiosk in Chinese; F4 picks a demo card → summary");
    vt_stop(t);
}

/* ---- touch and [keys] (issue 8): the hint line is buttons, list items take clicks ---- */

/* The text of screen row r. */
static void row_text(struct vt *t, int r, char *out, size_t cap)
{
    const char *p = vt_text(t);
    for (int i = 0; i < r && p; i++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    size_t n = p ? strcspn(p, "\n") : 0;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, p ? p : "", n);
    out[n] = '\0';
}

/* Wait until the selection mark ▶ is on row r. */
static bool wait_selected_row(struct vt *t, int r, int timeout_ms)
{
    double end = vt_now_ms() + timeout_ms;
    for (;;) {
        int row, col;
        if (vt_find(t, "▶", &row, &col) && row == r)
            return true;
        if (vt_now_ms() > end)
            return false;
        vt_pump(t, 20);
    }
}

static void test_touch(void)
{
    struct k *k = k_start(24, 80, "en", NULL, NULL);
    vt_wait(k->t, "Please place your ID card", WAIT);
    settle_screen(k->t);
    /* (the attract screen's hint is cut at 80 columns: its language button is whole only as "[F2]") */
    bool zh = vt_click_on(k->t, "[F2]") && vt_wait(k->t, "请将身份证放在读卡区", WAIT);
    if (!zh)
        dump(k->t, "touch F2");
    ok(zh, "touch: a click on the [F2] hint switches to Chinese");
    settle_screen(k->t);
    ok(vt_click_on(k->t, "[F2]") && vt_wait(k->t, "Please place your ID card", WAIT),
       "touch: a click on [F2] again → English");
    settle_screen(k->t);
    ok(vt_click_on(k->t, "[F1]") && vt_wait(k->t, "Place your ID card on the reader, or type", WAIT),
       "touch: a click on [F1] opens help");
    settle_screen(k->t);
    /* a touch on the label of a button, not on its key */
    bool label = vt_click_on(k->t, "中文/English") &&
                 vt_wait_gone(k->t, "Place your ID card on the reader, or type", WAIT) &&
                 vt_wait(k->t, "身份证", WAIT);
    if (!label)
        dump(k->t, "touch label");
    ok(label, "touch: a click on the label \"中文/English\" switches the help to Chinese");
    settle_screen(k->t);
    ok(vt_click_on(k->t, "[F2]") && vt_wait(k->t, "Place your ID card on the reader, or type", WAIT),
       "touch: and [F2] back to English");
    settle_screen(k->t);
    bool esc = vt_click_on(k->t, "[Esc]") && vt_wait(k->t, "Please place your ID card", WAIT);
    if (!esc)
        dump(k->t, "click Esc");
    ok(esc, "touch: a click on [Esc] goes back");

    /* list items: household 3 has queue entries and a bed application */
    char id[19], name[256];
    demo_resident(SEED, 3, id, name, sizeof name);
    card_insert(k, id, name);
    vt_wait(k->t, "Your queue entries", WAIT);
    bool listed = vt_wait(k->t, "Home care bed application ", WAIT);
    settle_screen(k->t);
    int sr = -1, sc, br = -1, bc;
    vt_find(k->t, "▶", &sr, &sc);
    vt_find(k->t, "Home care bed application ", &br, &bc);
    ok(listed && sr >= 0 && br >= 0 && sr != br,
       "touch: the summary lists the application below the selected item (rows %d, %d)", sr, br);
    vt_click(k->t, br, bc + 5);
    bool sel = br >= 0 && wait_selected_row(k->t, br, WAIT);
    vt_pump(k->t, 200);
    ok(sel && !strstr(vt_text(k->t), "Timeline") && strstr(vt_text(k->t), "Your queue entries"),
       "touch: a click on a list item selects it (and does not open it)");
    if (!sel)
        dump(k->t, "select by click");
    settle_screen(k->t);
    vt_click(k->t, br, bc + 5);
    bool opened = vt_wait(k->t, "Timeline", WAIT);
    if (!opened)
        dump(k->t, "open by click");
    ok(opened, "touch: a second click on the selected item opens it");
    ok(private_ok(k->t, id, name), "touch: no full ID or name");
    card_line(k, "remove");
    vt_wait(k->t, "Please place your ID card", WAIT);
    /* a touch anywhere else changes nothing and the kiosk runs on */
    vt_click(k->t, 5, 70);
    vt_pump(k->t, 200);
    ok(vt_alive(k->t, NULL) && strstr(vt_text(k->t), "Please place your ID card"),
       "touch: a click on nothing leaves the screen as it was");
    k_stop(k);
}

/* [keys] help = F6 in a --config file: F6 opens help, F1 no longer does, the hint shows F6. */
static void test_keys_remap(void)
{
    char conf[700];
    snprintf(conf, sizeof conf, "%s/keys.conf", dir);
    FILE *f = fopen(conf, "w");
    if (f) {
        fputs("[keys]\nhelp = F6\n", f);
        fclose(f);
    }
    instance++;
    char fifo[600];
    snprintf(fifo, sizeof fifo, "%s/cards-%d", dir, instance);
    unlink(fifo);
    mkfifo(fifo, 0600);
    int wfd = open(fifo, O_RDWR | O_NONBLOCK);
    char *argv[] = {kiosk, "--config", conf, "--sim", "--db", db, "--sim-cards", fifo,
                    "--lang", "en", NULL};
    struct vt *t = vt_start(24, 80, argv, NULL);
    bool up = vt_wait(t, "Please place your ID card", WAIT);
    char hint[400];
    vt_wait(t, "] Help", WAIT);   /* the hint row, whatever its key */
    settle_screen(t);
    row_text(t, 22, hint, sizeof hint);
    ok(up && strstr(hint, "[F6] Help") && !strstr(hint, "[F1]"),
       "[keys] help = F6: the hint shows [F6] Help, no [F1] (%s)", hint);
    vt_send(t, VT_F1);
    vt_pump(t, 300);
    ok(!strstr(vt_text(t), "Place your ID card on the reader, or type") &&
       strstr(vt_text(t), "Please place your ID card"),
       "[keys] help = F6: F1 no longer opens help");
    vt_send(t, "\033[17~");   /* F6 as xterm sends it */
    bool help = vt_wait(t, "Place your ID card on the reader, or type", WAIT);
    if (!help)
        dump(t, "F6");
    ok(help, "[keys] help = F6: F6 opens help");
    vt_stop(t);
    close(wfd);
    unlink(fifo);
}

/* The systemd watchdog: with WATCHDOG_USEC and NOTIFY_SOCKET set (as systemd sets them for
 * WatchdogSec=), the loop sends "WATCHDOG=1" every half interval, even with nothing to do. */
static void test_watchdog(void)
{
    /* systemd passes an absolute path (or an abstract name) */
    char path[100];
    snprintf(path, sizeof path, "/tmp/kiosk-notify-%d.sock", (int)getpid());
    unlink(path);
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
    bool bound = fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0;
    char envs[160], envw[64];
    snprintf(envs, sizeof envs, "NOTIFY_SOCKET=%s", path);
    snprintf(envw, sizeof envw, "WATCHDOG_USEC=400000");
    char *env[] = {envs, envw, NULL};
    struct k *k = k_start(24, 80, "en", NULL, env);
    vt_wait(k->t, "Please place your ID card", WAIT);
    /* count pings over 1.5 s of an idle attract screen: every 200 ms → about 7 */
    int pings = 0;
    double end = vt_now_ms() + 1500;
    while (bound && vt_now_ms() < end) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        vt_pump(k->t, 10);
        if (poll(&p, 1, 50) == 1) {
            char buf[64];
            ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
            if (n > 0) {
                buf[n] = '\0';
                pings += strcmp(buf, "WATCHDOG=1") == 0;
            }
        }
    }
    ok(bound && pings >= 4 && pings <= 12,
       "watchdog: WATCHDOG_USEC=400000 → \"WATCHDOG=1\" every 200 ms (%d in 1.5 s)", pings);
    k_stop(k);
    if (fd >= 0)
        close(fd);
    unlink(path);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    const char *b = getenv("KIOSK_BUILD") ? getenv("KIOSK_BUILD") : "build";
    snprintf(kiosk, sizeof kiosk, "%s", argc > 1 ? argv[1] : "");
    if (!*kiosk)
        snprintf(kiosk, sizeof kiosk, "%s/asan/kiosk", b);
    snprintf(kioskctl, sizeof kioskctl, "%s", argc > 2 ? argv[2] : "");
    if (!*kioskctl)
        snprintf(kioskctl, sizeof kioskctl, "%s/kioskctl", b);
    snprintf(dir, sizeof dir, "%s/test-screen", b);
    mkdir(dir, 0700);
    snprintf(db, sizeof db, "%s/demo.db", dir);
    /* a fresh demo database every run: the tests change it (applications) */
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "rm -f %s %s.key %s.key.head %s-wal %s-shm && %s --db %s demo --households %d "
             "--seed %d >/dev/null", db, db, db, db, db, kioskctl, db, HOUSEHOLDS, SEED);
    if (system(cmd) != 0) {
        printf("not ok 1 - could not create the demo database (%s)\n1..1\n", cmd);
        return 1;
    }
    setenv("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0", 0);

    test_queue_flow(24, 80);
    test_queue_flow(40, 120);
    test_queue_flow(30, 100);
    test_grid(16, 40);
    test_grid(32, 40);
    test_grid(20, 64);
    test_grid(24, 80);
    test_grid(29, 136);
    test_detail_session();
    test_typed_lookup();
    test_terminal_odd();
    test_bed();
    test_demo_script(b);
    test_idle_wipe();
    test_touch();
    test_keys_remap();
    test_watchdog();
    return tap_done();
}
