/* test_counter.c — a card reader at the staff counter (issue 12, item 6).
 *
 * The real staff console (build/asan/kiosk --staff) in a real terminal
 * (tests/screen/vt.c) with a simulated reader (--sim --sim-cards FIFO) on a
 * demo database: a housing + street clerk logs in, a demo resident's card is
 * placed, the console opens that person's entries and applications (the ID
 * masked, never in clear), Enter opens the entry; a card placed while
 * find-anyone (`/`) asks answers it (issue 14); `kioskctl audit tail`
 * shows the look-up audited like a search; a card before login is refused.
 * TAP. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kiosk/demo.h"
#include "kiosk/idnum.h"
#include "tests/tap.h"
#include "tests/screen/vt.h"

#define WAIT 15000
#define SEED 3

static int run(char *out, size_t cap, const char *cmd)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    const char *b = getenv("KIOSK_BUILD") ? getenv("KIOSK_BUILD") : "build";
    char kiosk[512], kioskctl[512], dir[512], db[600], fifo[600], cmd[8192], out[16384];
    snprintf(kiosk, sizeof kiosk, "%s", argc > 1 ? argv[1] : "");
    if (!*kiosk)
        snprintf(kiosk, sizeof kiosk, "%s/asan/kiosk", b);
    snprintf(kioskctl, sizeof kioskctl, "%s/kioskctl", b);
    snprintf(dir, sizeof dir, "%s/test-counter", b);
    mkdir(dir, 0700);
    snprintf(db, sizeof db, "%s/counter.db", dir);
    snprintf(fifo, sizeof fifo, "%s/cards", dir);
    snprintf(cmd, sizeof cmd,
             "rm -f %s %s.key %s.key.head %s-wal %s-shm && %s --db %s demo --households 40 --seed %d "
             ">/dev/null && printf 'counter-clerk-pw\\n' | %s --db %s user add counter "
             "--roles housing,street --password-stdin >/dev/null",
             db, db, db, db, db, kioskctl, db, SEED, kioskctl, db);
    if (run(out, sizeof out, cmd) != 0) {
        printf("not ok 1 - demo database and clerk (%s)\n1..1\n", cmd);
        return 1;
    }
    setenv("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0", 0);
    unlink(fifo);
    mkfifo(fifo, 0600);
    int wfd = open(fifo, O_RDWR | O_NONBLOCK);   /* held open: see tests/screen k_start */

    char id[19], name[256], masked[32], line[600];
    demo_resident(SEED, 0, id, name, sizeof name);
    idnum_mask(id, masked, sizeof masked);
    snprintf(line, sizeof line, "insert %s %s\n", id, name);

    char *sargv[] = {kiosk, "--staff", "--sim", "--sim-cards", fifo, "--db", db, "--lang", "en", NULL};
    struct vt *t = vt_start(24, 80, sargv, NULL);
    ok(vt_wait(t, "User name:", WAIT), "the console is up");
    /* a card before anyone logged in opens nothing */
    ok(write(wfd, line, strlen(line)) == (ssize_t)strlen(line), "card placed before login");
    ok(vt_wait(t, "Log in first", WAIT) && !strstr(vt_text(t), masked),
       "before login: \"Log in first\", nothing about the holder");
    vt_send(t, "counter\r");
    vt_pump(t, 200);
    vt_send(t, "counter-clerk-pw\r");
    ok(vt_wait(t, "Housing queues", WAIT), "logged in");

    ok(write(wfd, line, strlen(line)) == (ssize_t)strlen(line), "the card placed again");
    char title[80];
    snprintf(title, sizeof title, "Card holder %s", masked);
    bool opened = vt_wait(t, title, WAIT) && vt_wait(t, "Housing queue", WAIT);
    if (!opened) {
        const char *p = vt_text(t);
        printf("# screen:\n# ");
        for (; *p; p++)
            *p == '\n' ? (void)fputs("\n# ", stdout) : (void)putchar(*p);
        putchar('\n');
    }
    ok(opened, "the console opens the card holder (%s) with a queue entry", masked);
    ok(!strstr(vt_text(t), id), "the full ID number is never shown");
    vt_send(t, "\r");
    ok(vt_wait(t, "Queue entry", WAIT) && vt_wait(t, masked, WAIT), "Enter opens the entry");
    vt_send(t, "\x1b");
    ok(vt_wait(t, title, WAIT), "Esc returns to the card holder");
    vt_send(t, "\x1b");
    ok(vt_wait(t, "Housing queues", WAIT), "Esc again: home");
    /* the card feeds find-anyone (issue 14): `/` open, the card placed instead of typing */
    vt_send(t, "/");
    ok(vt_wait(t, "Find anyone", WAIT), "/ opens find-anyone");
    ok(write(wfd, line, strlen(line)) == (ssize_t)strlen(line), "the card placed at the find prompt");
    ok(vt_wait(t, title, WAIT) && !strstr(vt_text(t), "Find anyone"),
       "the card answers the find prompt: the holder opens, the prompt closed");
    ok(!strstr(vt_text(t), id), "the full ID number is never shown (nor typed into the prompt)");
    vt_send(t, "\x1b");
    ok(vt_wait(t, "Housing queues", WAIT), "Esc: home");
    int st = vt_stop(t);
    ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the console ends cleanly (status %d)", st);

    snprintf(cmd, sizeof cmd, "%s --db %s audit tail -n 5", kioskctl, db);
    int rc = run(out, sizeof out, cmd);
    printf("# audit tail:\n# %s", out);
    char object[64];
    snprintf(object, sizeof object, "card %s", masked);
    ok(rc == 0 && strstr(out, "card_lookup") && strstr(out, object) && strstr(out, "counter") &&
           !strstr(out, id),
       "audited like a search: card_lookup by counter, the ID masked");
    close(wfd);
    unlink(fifo);
    return tap_done();
}
