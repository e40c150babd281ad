/* golden.c — golden screen dumps, the way tig tests its views: a small key script per
 * screen (tests/screen/golden/NAME.script) drives the real kiosk or staff console at
 * 80×24 through the forkpty + libvterm harness (vt.h), and the screen it ends on is
 * compared, as text, with NAME.LANG.screen — once in Chinese and once in English.
 * A mismatch prints a unified diff; UPDATE_GOLDENS=1 (`make goldens`) rewrites the
 * files instead.  TAP output, one result per script and language.
 *
 * What makes a dump the same on every run: a demo database made once per run from a
 * fixed seed with a fixed site secret (so follow-up codes and QR codes are fixed),
 * KIOSK_NOW for every program (dates, "since the list of …", wait estimates, audit
 * times), a fixed kiosk id, an idle timeout too long to start a countdown, and a fresh
 * copy of the database for every script (a script's changes never reach the next one).
 * What still differs — the references of applications, drawn from randombytes — each
 * script masks with `mask REGEX`.  Every wait is "until the screen shows it"; before
 * the dump the screen must have stopped changing.
 *
 * Script lines (a '#' starts a comment; "en: LINE" / "zh: LINE" run in one language only):
 *   size ROWS COLS                the terminal's size for the next start (default 24 80:
 *                                 the resident grids from 16 40 up have their own scripts)
 *   start kiosk | staff | admin   start the resident kiosk (--sim, cards FIFO, print dir)
 *                                 or the staff console (--staff / --admin)
 *   include NAME                  run NAME.script's lines first (all but its dump)
 *   wait TEXT                     until the screen shows TEXT (fails after 10 s)
 *   gone TEXT                     until the screen no longer shows TEXT
 *   key NAME...                   Enter Esc Up Down Left Right Tab Backspace Space PgUp PgDn
 *                                 Home End F1…F10, or one printable character
 *   type TEXT                     the characters of TEXT
 *   card N | card remove          demo household N's card in the reader / out of it
 *   paper out | paper back        the simulated printer runs out of paper / is refilled
 *   dblock | dbunlock             hold the database locked (a slow look-up) / let go
 *   mask REGEX                    in the dump, each character of each match (or of its
 *                                 last parenthesised group, if it has one) becomes '#';
 *                                 matched against each full 80-column row (trailing
 *                                 blanks are cut after masking)
 *   qrmask                        in the dump, a QR code becomes a rectangle of '#' (for
 *                                 one whose content is random)
 *   dump                          settle, then compare the screen with NAME.LANG.screen
 *
 * usage: golden [NAME...]   (default: every script; KIOSK_BUILD, GOLDEN_DIR,
 *                            UPDATE_GOLDENS, KIOSK=path of the kiosk binary) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wchar.h>

#include "kiosk/demo.h"
#include "tests/tap.h"
#include "vt.h"

#define ROWS 24
#define COLS 80
#define WAIT 10000          /* ms: the longest a screen may take (Argon2id under ASan) */
#define QUIET 250           /* ms the screen must stay unchanged before a dump */
#define SEED 1
#define HOUSEHOLDS 3000
#define NOW "2030-06-03 10:00:00"
/* a fixed site secret: the follow-up codes (and their QR codes) come out the same */
#define SECRET "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n"
#define MAX_MASKS 16

static char build[512], kiosk[600], kioskctl[600], gdir[512], work[600], base_db[700];
static bool update;

/* ---- one run of one script in one language ------------------------------------------ */
struct run {
    const char *name, *lang;
    char dir[900], db[1000], fifo[1000], print[1000], conf[1000];
    struct vt *t;
    int wfd;                    /* our write end of the card FIFO */
    int lock_fd;                /* dblock's hold on the wal-index */
    regex_t masks[MAX_MASKS];
    int n_masks;
    bool dumped;
    bool qrmask;                /* qrmask given */
    int rows, cols;             /* size: the terminal (0: ROWS × COLS) */
    char why[600];              /* the first failure */
};

/* Keep the first failure of a run (later ones follow from it). */
static void fail(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct run *r, const char *fmt, ...)
{
    if (r->why[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->why, sizeof r->why, fmt, ap);
    va_end(ap);
}

static void comment_screen(struct vt *t)
{
    const char *p = vt_text(t);
    while (*p) {
        const char *nl = strchr(p, '\n');
        int n = nl ? (int)(nl - p) : (int)strlen(p);
        printf("#   |%.*s|\n", n, p);
        if (!nl)
            break;
        p = nl + 1;
    }
}

static int sh(const char *cmd)
{
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : 1;
}

static bool write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    bool good = fputs(text, f) >= 0;
    return fclose(f) == 0 && good;
}

/* The demo database every script starts from (copied per run). */
static bool make_base(void)
{
    char cmd[4096], key[800];
    snprintf(base_db, sizeof base_db, "%s/base.db", work);
    snprintf(key, sizeof key, "%s.key", base_db);
    snprintf(cmd, sizeof cmd, "rm -f %s %s.key %s.key.head %s-wal %s-shm", base_db, base_db, base_db, base_db, base_db);
    sh(cmd);
    if (!write_file(key, SECRET) || chmod(key, 0600) != 0)
        return false;
    snprintf(cmd, sizeof cmd,
             "KIOSK_NOW='" NOW "' %s --db %s demo --households %d --seed %d >/dev/null && "
             "printf 'clerk-password\\n' | KIOSK_NOW='" NOW "' %s --db %s user add clerk "
             "--roles housing,admin --password-stdin >/dev/null",
             kioskctl, base_db, HOUSEHOLDS, SEED, kioskctl, base_db);
    return sh(cmd) == 0;
}

static void run_start(struct run *r, const char *what)
{
    if (r->t) {
        fail(r, "start %s: already started", what);
        return;
    }
    char *argv[24];
    int a = 0;
    argv[a++] = kiosk;
    argv[a++] = "--config";
    argv[a++] = r->conf;
    argv[a++] = "--db";
    argv[a++] = r->db;
    argv[a++] = "--lang";
    argv[a++] = (char *)r->lang;
    argv[a++] = "--idle-timeout";
    argv[a++] = "86400";
    if (!strcmp(what, "kiosk")) {
        mkfifo(r->fifo, 0600);
        mkdir(r->print, 0700);
        /* a write end held for the kiosk's whole life (see test_screen.c) */
        r->wfd = open(r->fifo, O_RDWR | O_NONBLOCK);
        argv[a++] = "--sim";
        argv[a++] = "--sim-cards";
        argv[a++] = r->fifo;
        argv[a++] = "--sim-print-dir";
        argv[a++] = r->print;
        /* the same buttons on a machine with a sound card and one without: the
         * speech keys' buttons show only with a speech device (tests/speech) */
        argv[a++] = "--no-speech";
    } else if (!strcmp(what, "staff")) {
        argv[a++] = "--staff";
    } else if (!strcmp(what, "admin")) {
        argv[a++] = "--admin";
    } else {
        fail(r, "start %s: kiosk, staff or admin", what);
        return;
    }
    argv[a] = NULL;
    static char *env[] = {"KIOSK_NOW=" NOW, "ASAN_OPTIONS=detect_leaks=1:abort_on_error=0", NULL};
    r->t = vt_start(r->rows ? r->rows : ROWS, r->cols ? r->cols : COLS, argv, env);
    if (!r->t)
        fail(r, "start %s: forkpty failed", what);
}

static const struct { const char *name, *seq; } keys[] = {
    {"Enter", "\r"}, {"Esc", "\033"}, {"Up", "\033OA"}, {"Down", "\033OB"},
    {"Right", "\033OC"}, {"Left", "\033OD"}, {"Tab", "\t"}, {"Backspace", "\177"},
    {"Space", " "}, {"PgUp", "\033[5~"}, {"PgDn", "\033[6~"}, {"Home", "\033OH"},
    {"End", "\033OF"}, {"F1", "\033OP"}, {"F2", "\033OQ"}, {"F3", "\033OR"},
    {"F4", "\033OS"}, {"F5", "\033[15~"}, {"F6", "\033[17~"}, {"F7", "\033[18~"},
    {"F8", "\033[19~"}, {"F9", "\033[20~"}, {"F10", "\033[21~"},
};

static void run_keys(struct run *r, char *args)
{
    for (char *k = strtok(args, " "); k; k = strtok(NULL, " ")) {
        const char *seq = NULL;
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            if (!strcmp(k, keys[i].name))
                seq = keys[i].seq;
        if (!seq && strlen(k) == 1)
            seq = k;
        if (!seq) {
            fail(r, "key %s: no such key", k);
            return;
        }
        vt_send(r->t, seq);
    }
}

static void run_card(struct run *r, const char *arg)
{
    char line[600];
    if (!strcmp(arg, "remove")) {
        snprintf(line, sizeof line, "remove\n");
    } else {
        char id[19], name[256];
        demo_resident(SEED, atoll(arg), id, name, sizeof name);
        snprintf(line, sizeof line, "insert %s %s\n", id, name);
    }
    if (r->wfd < 0 || write(r->wfd, line, strlen(line)) != (ssize_t)strlen(line))
        fail(r, "card %s: the card FIFO is not open (start kiosk first)", arg);
}

/* dblock: stall every reader of the database, so a look-up waits (the kiosk's busy
 * timeout is 5 s, SQLite's own retries for a WAL read lock about 10 s).  A WAL reader
 * must take one of the five read-mark locks of the wal-index (the -shm file, bytes
 * 123–127: https://www.sqlite.org/walformat.html §2.3.1); we hold all five, with a
 * plain fcntl lock from this process, until dbunlock. */
static void run_lock(struct run *r, bool on)
{
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 123, .l_len = 5};
    if (on) {
        char shm[1100];
        snprintf(shm, sizeof shm, "%s-shm", r->db);
        r->lock_fd = open(shm, O_RDWR | O_CLOEXEC);
        if (r->lock_fd < 0 || fcntl(r->lock_fd, F_SETLKW, &fl) != 0)
            fail(r, "dblock: %s: %s", shm, strerror(errno));
    } else if (r->lock_fd >= 0) {
        fl.l_type = F_UNLCK;
        fcntl(r->lock_fd, F_SETLK, &fl);
        close(r->lock_fd);
        r->lock_fd = -1;
    }
}

/* Until the screen has not changed for QUIET ms (within the deadline). */
static void settle(struct vt *t)
{
    double end = vt_now_ms() + WAIT;
    char *before = strdup(vt_text(t));
    while (vt_now_ms() < end) {
        double quiet_end = vt_now_ms() + QUIET;
        bool changed = false;
        while (vt_now_ms() < quiet_end && !changed) {
            vt_pump(t, (int)(quiet_end - vt_now_ms()) + 1);
            changed = strcmp(before, vt_text(t)) != 0;
        }
        if (!changed)
            break;
        free(before);
        before = strdup(vt_text(t));
    }
    free(before);
}

static bool is_block(const char *p)
{
    return !strncmp(p, "▀", 3) || !strncmp(p, "▄", 3) || !strncmp(p, "█", 3);
}

/* qrmask: a QR code drawn with half blocks becomes a solid rectangle of '#' — the
 * columns from the leftmost to the rightmost block cell on the screen, on every row
 * that has one (each row of a QR has a dark module in its finder or timing pattern, so
 * the rectangle is the symbol's own size).  Works on the text in place: cells right of
 * a wide character are counted as two columns. */
static void mask_qr(char *text)
{
    int lo = 1 << 30, hi = -1;
    for (int pass = 0; pass < 2; pass++) {
        int col = 0;
        bool row_has = false;
        char *row = text;
        for (char *p = text; *p; ) {
            if (*p == '\n') {
                int c = 0;
                if (pass == 1 && row_has)
                    for (char *q = row; q < p; ) {
                        int w = 1, len = 1;
                        wchar_t wc;
                        mbstate_t st = {0};
                        size_t n = mbrtowc(&wc, q, (size_t)(p - q), &st);
                        if (n != (size_t)-1 && n != (size_t)-2 && n > 0) {
                            len = (int)n;
                            w = wcwidth(wc) > 1 ? 2 : 1;
                        }
                        if (c >= lo && c <= hi && len == 3 && (is_block(q) || *q == ' '))
                            memcpy(q, "\x01\x01\x01", 3);   /* marked; squeezed below */
                        else if (c >= lo && c <= hi && *q == ' ')
                            *q = '#';
                        q += len;
                        c += w;
                    }
                col = 0;
                row_has = false;
                row = ++p;
                continue;
            }
            wchar_t wc;
            mbstate_t st = {0};
            size_t n = mbrtowc(&wc, p, strlen(p), &st);
            int len = n == (size_t)-1 || n == (size_t)-2 || n == 0 ? 1 : (int)n;
            int w = len > 1 && wcwidth(wc) > 1 ? 2 : 1;
            if (is_block(p)) {
                row_has = true;
                if (pass == 0) {
                    lo = col < lo ? col : lo;
                    hi = col > hi ? col : hi;
                }
            }
            p += len;
            col += w;
        }
        if (hi < 0)
            return;
    }
    /* each marked 3-byte block cell becomes one '#' */
    char *w = text;
    for (char *p = text; *p; ) {
        if (p[0] == '\x01' && p[1] == '\x01' && p[2] == '\x01') {
            *w++ = '#';
            p += 3;
        } else {
            *w++ = *p++;
        }
    }
    *w = '\0';
}

/* The screen as the .screen file holds it: every row, trailing blanks cut, masks applied. */
static char *screen_text(struct run *r)
{
    char *text = strdup(vt_text(r->t));
    if (r->qrmask)
        mask_qr(text);
    const char *s = text;
    size_t cap = strlen(s) * 2 + 64, len = 0;
    char *out = malloc(cap);
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        char row[4096];
        if (n >= sizeof row)
            n = sizeof row - 1;
        memcpy(row, s, n);
        row[n] = '\0';
        for (int m = 0; m < r->n_masks; m++) {
            regmatch_t mt[10];
            size_t off = 0;
            while (off < n && regexec(&r->masks[m], row + off, 10, mt, off ? REG_NOTBOL : 0) == 0 &&
                   mt[0].rm_eo > mt[0].rm_so) {
                /* each character (not byte) of the match, or of its last (group),
                 * becomes one '#' */
                size_t last = r->masks[m].re_nsub < 10 ? r->masks[m].re_nsub : 9;
                size_t g = last > 0 && mt[last].rm_so >= 0 ? last : 0;
                char *a = row + off + mt[g].rm_so, *b = row + off + mt[g].rm_eo, *w = a;
                for (char *p = a; p < b; p++)
                    if (((unsigned char)*p & 0xC0) != 0x80)
                        *w++ = '#';
                memmove(w, b, strlen(b) + 1);
                off = (size_t)(w - row) + (size_t)(mt[0].rm_eo - mt[g].rm_eo);
                n = strlen(row);
            }
        }
        while (n && row[n - 1] == ' ')
            row[--n] = '\0';
        memcpy(out + len, row, n);
        len += n;
        out[len++] = '\n';
        if (!nl)
            break;
        s = nl + 1;
    }
    out[len] = '\0';
    free(text);
    return out;
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, n, m);
    fclose(f);
    fclose(m);
    return buf;
}

static void run_dump(struct run *r, bool top)
{
    if (!top)
        return;             /* an included script's dump is its own, not ours */
    if (!r->t) {
        fail(r, "dump: %s", "nothing started");
        return;
    }
    settle(r->t);
    r->dumped = true;
    char *got = screen_text(r);
    char want_path[1400], got_path[1400];
    snprintf(want_path, sizeof want_path, "%s/%s.%s.screen", gdir, r->name, r->lang);
    snprintf(got_path, sizeof got_path, "%s/%s.%s.screen", work, r->name, r->lang);
    write_file(got_path, got);
    char *want = read_all(want_path);
    if (update) {
        if (!want || strcmp(want, got)) {
            if (!write_file(want_path, got))
                fail(r, "cannot write %s", want_path);
            else
                printf("# updated %s\n", want_path);
        }
    } else if (!want) {
        fail(r, "no %s (make goldens writes it)", want_path);
    } else if (strcmp(want, got)) {
        fail(r, "the screen differs from %s", want_path);
        char cmd[3000];
        snprintf(cmd, sizeof cmd, "diff -u %s %s | sed 's/^/# /'", want_path, got_path);
        fflush(stdout);
        sh(cmd);
    }
    free(want);
    free(got);
}

static bool run_script(struct run *r, const char *name, bool top, int depth);

static void run_line(struct run *r, char *line, bool top, int depth)
{
    char *cmd = line, *arg = strchr(line, ' ');
    if (arg) {
        *arg++ = '\0';
        while (*arg == ' ')
            arg++;
    } else {
        arg = "";
    }
    if (strcmp(cmd, "start") && strcmp(cmd, "include") && strcmp(cmd, "mask") &&
        strcmp(cmd, "qrmask") && strcmp(cmd, "size") && !r->t) {
        fail(r, "%s before start", cmd);
        return;
    }
    if (!strcmp(cmd, "size")) {
        if (r->t || sscanf(arg, "%d %d", &r->rows, &r->cols) != 2 || r->rows < 1 || r->cols < 1)
            fail(r, "size %s: ROWS COLS, before start", arg);
    } else if (!strcmp(cmd, "start")) {
        run_start(r, arg);
    } else if (!strcmp(cmd, "include")) {
        if (depth > 8 || !run_script(r, arg, false, depth + 1))
            fail(r, "include %s: no such script (or includes too deep)", arg);
    } else if (!strcmp(cmd, "wait") || !strcmp(cmd, "gone")) {
        bool seen = cmd[0] == 'w' ? vt_wait(r->t, arg, WAIT) : vt_wait_gone(r->t, arg, WAIT);
        if (!seen) {
            fail(r, "%s \"%.250s\": timed out", cmd, arg);
            comment_screen(r->t);
        }
    } else if (!strcmp(cmd, "key")) {
        run_keys(r, arg);
    } else if (!strcmp(cmd, "type")) {
        vt_send(r->t, arg);
    } else if (!strcmp(cmd, "card")) {
        run_card(r, arg);
    } else if (!strcmp(cmd, "paper")) {
        char path[1100];
        snprintf(path, sizeof path, "%s/PAPER_OUT", r->print);
        if (!strcmp(arg, "out"))
            write_file(path, "");
        else
            unlink(path);
    } else if (!strcmp(cmd, "dblock") || !strcmp(cmd, "dbunlock")) {
        run_lock(r, cmd[2] == 'l');
    } else if (!strcmp(cmd, "mask")) {
        if (r->n_masks == MAX_MASKS || regcomp(&r->masks[r->n_masks], arg, REG_EXTENDED) != 0)
            fail(r, "mask %s: bad regular expression (or too many)", arg);
        else
            r->n_masks++;
    } else if (!strcmp(cmd, "qrmask")) {
        r->qrmask = true;
    } else if (!strcmp(cmd, "dump")) {
        run_dump(r, top);
    } else {
        fail(r, "unknown command \"%s\"", cmd);
    }
}

static bool run_script(struct run *r, const char *name, bool top, int depth)
{
    char path[1600];
    snprintf(path, sizeof path, "%s/%s.script", gdir, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[1024];
    while (!r->why[0] && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *l = line;
        while (*l == ' ')
            l++;
        if (!*l || *l == '#')
            continue;
        if ((l[0] == 'e' || l[0] == 'z') && l[2] == ':' && l[3] == ' ') {
            if (strncmp(l, r->lang, 2))
                continue;
            l += 4;
        }
        run_line(r, l, top, depth);
    }
    fclose(f);
    return true;
}

static void run_one(const char *name, const char *lang)
{
    struct run r = {.name = name, .lang = lang, .wfd = -1, .lock_fd = -1};
    snprintf(r.dir, sizeof r.dir, "%s/run/%s.%s", work, name, lang);
    char cmd[6000];
    snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s && cp %s %s/k.db && cp -p %s.key %s/k.db.key",
             r.dir, r.dir, base_db, r.dir, base_db, r.dir);
    snprintf(r.db, sizeof r.db, "%s/k.db", r.dir);
    snprintf(r.fifo, sizeof r.fifo, "%s/cards", r.dir);
    snprintf(r.print, sizeof r.print, "%s/print", r.dir);
    snprintf(r.conf, sizeof r.conf, "%s/kiosk.conf", r.dir);
    if (sh(cmd) != 0 || !write_file(r.conf, "[kiosk]\nkiosk_id = GOLDEN-01\n"))
        fail(&r, "cannot prepare %s", r.dir);
    else if (!run_script(&r, name, true, 0))
        fail(&r, "no script %s", name);
    else if (!r.why[0] && !r.dumped)
        fail(&r, "%s", "the script has no dump");
    if (r.t && !r.why[0] && !vt_alive(r.t, NULL))
        fail(&r, "%s", "the program under test exited");
    ok(!r.why[0], "%s.%s%s%s", name, lang, r.why[0] ? ": " : "", r.why);
    run_lock(&r, false);
    if (r.t) {
        int st = vt_stop(r.t);
        /* a sanitizer report or a crash shows as a non-zero exit after SIGTERM */
        if (!(WIFEXITED(st) && WEXITSTATUS(st) == 0) && !(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM))
            printf("# %s.%s: the program ended with status %d\n", name, lang, st);
    }
    if (r.wfd >= 0)
        close(r.wfd);
    for (int m = 0; m < r.n_masks; m++)
        regfree(&r.masks[m]);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    /* masks are regular expressions over UTF-8 text: "." and [▀▄█] are characters */
    if (!setlocale(LC_ALL, "C.UTF-8"))
        setlocale(LC_ALL, "en_US.UTF-8");
    snprintf(build, sizeof build, "%s", getenv("KIOSK_BUILD") ? getenv("KIOSK_BUILD") : "build");
    snprintf(kiosk, sizeof kiosk, "%s", getenv("KIOSK") ? getenv("KIOSK") : "");
    if (!kiosk[0])
        snprintf(kiosk, sizeof kiosk, "%s/asan/kiosk", build);
    snprintf(kioskctl, sizeof kioskctl, "%s/kioskctl", build);
    snprintf(gdir, sizeof gdir, "%s",
             getenv("GOLDEN_DIR") ? getenv("GOLDEN_DIR") : "tests/screen/golden");
    snprintf(work, sizeof work, "%s/goldens", build);
    update = getenv("UPDATE_GOLDENS") && strcmp(getenv("UPDATE_GOLDENS"), "0");

    /* the scripts: named on the command line, or every NAME.script */
    char **names = NULL;
    int n = 0;
    if (argc > 1) {
        names = argv + 1;
        n = argc - 1;
    } else {
        DIR *d = opendir(gdir);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            size_t l = strlen(e->d_name);
            if (l > 7 && !strcmp(e->d_name + l - 7, ".script")) {
                names = realloc(names, sizeof *names * (size_t)(n + 1));
                names[n++] = strndup(e->d_name, l - 7);
            }
        }
        if (d)
            closedir(d);
        qsort(names, (size_t)n, sizeof *names, by_name);
    }
    static const char *langs[] = {"zh", "en"};
    tap_plan(n ? n * 2 : 1);
    if (!n) {
        ok(false, "no scripts in %s", gdir);
        return 1;
    }
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", work);
    if (sh(cmd) != 0 || !make_base()) {
        for (int i = 0; i < n * 2; i++)
            ok(false, "%s: the demo database could not be made in %s", names[i / 2], work);
        return 1;
    }
    for (int i = 0; i < n; i++)
        for (int l = 0; l < 2; l++)
            run_one(names[i], langs[l]);
    return tap_done();
}
