/* test_fleet.c — fleet health over SSH, end to end (issue 12).
 *
 * The real resident kiosk (build/asan/kiosk, simulated devices) runs in a
 * real terminal (libvterm through forkpty, tests/screen/vt.c) with a short
 * configured heartbeat ([fleet] heartbeat = 1, silent_after = 3); the real
 * `build/kioskctl kiosks` reads the same database:
 *   - the kiosk's heartbeat lists it as alive, with its screen, version and
 *     device states, in text, --json and --prometheus;
 *   - a kiosk stopped with SIGSTOP is flagged SILENT (exit 1, kiosk_up 0)
 *     once silent_after has passed, and comes back after SIGCONT;
 *   - its systemd watchdog pings (sd_notify "WATCHDOG=1" to NOTIFY_SOCKET)
 *     stop while it is stopped — what makes systemd restart a hung kiosk
 *     (WatchdogSec= in install/systemd/kiosk.service).  TAP. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/tap.h"
#include "tests/screen/vt.h"

#define WAIT 15000

static char kiosk[512], kioskctl[512], dir[512], db[600], conf[600];

/* Run a command; its stdout into out; returns the exit status (-1: did not run). */
static int run(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int run(char *out, size_t cap, const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Watchdog pings received on fd within ms (the terminal pumped meanwhile). */
static int pings(struct vt *t, int fd, int ms)
{
    int n = 0;
    double end = vt_now_ms() + ms;
    while (vt_now_ms() < end) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        vt_pump(t, 5);
        if (poll(&p, 1, 50) == 1) {
            char buf[64];
            ssize_t k = recv(fd, buf, sizeof buf - 1, 0);
            if (k > 0) {
                buf[k] = '\0';
                n += strstr(buf, "WATCHDOG=1") != NULL;
            }
        }
    }
    return n;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    const char *b = getenv("KIOSK_BUILD") ? getenv("KIOSK_BUILD") : "build";
    snprintf(kiosk, sizeof kiosk, "%s", argc > 1 ? argv[1] : "");
    if (!*kiosk)
        snprintf(kiosk, sizeof kiosk, "%s/asan/kiosk", b);
    snprintf(kioskctl, sizeof kioskctl, "%s/kioskctl", b);
    snprintf(dir, sizeof dir, "%s/test-fleet", b);
    mkdir(dir, 0700);
    snprintf(db, sizeof db, "%s/fleet.db", dir);
    snprintf(conf, sizeof conf, "%s/fleet.conf", dir);
    FILE *f = fopen(conf, "w");
    if (!f) {
        printf("not ok 1 - cannot write %s\n1..1\n", conf);
        return 1;
    }
    fprintf(f, "[kiosk]\nkiosk_id = FLEET-T1\n[fleet]\nheartbeat = 1\nsilent_after = 3\n");
    fclose(f);
    char out[16384];
    int rc = run(out, sizeof out, "rm -f %s %s.key %s.key.head %s-wal %s-shm && %s --db %s init",
                 db, db, db, db, db, kioskctl, db);
    if (rc == 0)
        rc = run(out, sizeof out, "printf 'fleet-clerk-password\\n' | %s --db %s user add fleetclerk "
                 "--roles street --password-stdin", kioskctl, db);
    if (rc != 0) {
        printf("not ok 1 - kioskctl init / user add failed\n1..1\n");
        return 1;
    }
    setenv("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0", 0);

    /* a watchdog socket, as systemd gives with WatchdogSec= */
    char sock[100];
    snprintf(sock, sizeof sock, "/tmp/kiosk-fleet-%d.sock", (int)getpid());
    unlink(sock);
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "%s", sock);
    bool bound = fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0;
    char envs[260], envw[64];
    snprintf(envs, sizeof envs, "NOTIFY_SOCKET=%s", sock);
    snprintf(envw, sizeof envw, "WATCHDOG_USEC=400000");
    char *env[] = {envs, envw, NULL};

    char prints[700], cards[700];
    snprintf(prints, sizeof prints, "%s/print", dir);
    snprintf(cards, sizeof cards, "%s/cards", dir);
    mkdir(prints, 0700);
    f = fopen(cards, "w");
    if (f)
        fclose(f);
    char *kargv[] = {kiosk, "--sim", "--config", conf, "--db", db, "--sim-cards", cards,
                     "--sim-print-dir", prints, "--lang", "en", NULL};
    struct vt *t = vt_start(24, 80, kargv, env);
    ok(vt_wait(t, "Please place your ID card", WAIT), "the kiosk is up (attract screen)");
    /* the first heartbeat goes out at start (the ASan kiosk may take a while) */
    for (int i = 0; i < 50; i++) {
        vt_pump(t, 100);
        rc = run(out, sizeof out, "%s --config %s --db %s kiosks", kioskctl, conf, db);
        if (strstr(out, "FLEET-T1") && strstr(out, "screen attract"))
            break;
    }
    printf("# kiosks: %s", out);
    ok(rc == 0 && strstr(out, "FLEET-T1") && strstr(out, " ok ") &&
           strstr(out, "screen attract") && strstr(out, "v0.1.0") && strstr(out, "printer ready"),
       "kioskctl kiosks: alive, screen attract, version, printer ready (exit %d)", rc);
    rc = run(out, sizeof out, "%s --config %s --db %s kiosks --json", kioskctl, conf, db);
    ok(rc == 0 && strstr(out, "\"kiosk_id\": \"FLEET-T1\"") && strstr(out, "\"silent\": false") &&
           strstr(out, "\"screen\": \"attract\"") && strstr(out, "\"reader\": \"ready\""),
       "kioskctl kiosks --json: the same");
    rc = run(out, sizeof out, "%s --config %s --db %s kiosks --prometheus", kioskctl, conf, db);
    ok(rc == 0 && strstr(out, "# TYPE kiosk_up gauge\n") && strstr(out, "kiosk_up{kiosk=\"FLEET-T1\"} 1\n") &&
           strstr(out, "kiosk_paper_out{kiosk=\"FLEET-T1\"} 0\n") &&
           strstr(out, "kiosk_info{kiosk=\"FLEET-T1\",version=\"0.1.0\",screen=\"attract\"} 1\n"),
       "kioskctl kiosks --prometheus: node-exporter textfile format, kiosk_up 1");
    int before = pings(t, fd, 1200);
    ok(bound && before >= 3, "watchdog pings while running (%d in 1.2 s)", before);

    /* paper near end: the heartbeat says so at once (a change) */
    char pl[800];
    snprintf(pl, sizeof pl, "%s/NEAR_END", prints);
    f = fopen(pl, "w");
    if (f)
        fclose(f);
    vt_pump(t, 2500);
    rc = run(out, sizeof out, "%s --config %s --db %s kiosks --prometheus", kioskctl, conf, db);
    ok(rc == 1 && strstr(out, "kiosk_paper_low{kiosk=\"FLEET-T1\"} 1\n") &&
           strstr(out, "kiosk_printer_ok{kiosk=\"FLEET-T1\"} 1\n"),
       "paper near end: kiosk_paper_low 1, printer still ok, exit 1 (needs attention)");
    unlink(pl);
    vt_pump(t, 2500);

    /* SIGSTOP: a hung kiosk */
    pid_t pid = vt_pid(t);
    kill(pid, SIGSTOP);
    /* pings sent before the stop may still wait in the socket: drop them */
    usleep(100000);
    char junk[64];
    while (recv(fd, junk, sizeof junk, MSG_DONTWAIT) > 0)
        ;
    int stopped = pings(t, fd, 4500);   /* > silent_after */
    rc = run(out, sizeof out, "%s --config %s --db %s kiosks", kioskctl, conf, db);
    printf("# kiosks (stopped): %s", out);
    ok(rc == 1 && strstr(out, "FLEET-T1") && strstr(out, "SILENT") && strstr(out, "<- silent"),
       "a kiosk stopped with SIGSTOP is flagged SILENT after silent_after (exit %d)", rc);
    rc = run(out, sizeof out, "%s --config %s --db %s kiosks --prometheus", kioskctl, conf, db);
    ok(rc == 1 && strstr(out, "kiosk_up{kiosk=\"FLEET-T1\"} 0\n"), "--prometheus: kiosk_up 0");
    ok(stopped == 0, "no watchdog pings while stopped (%d): systemd's WatchdogSec restarts it",
       stopped);

    /* the staff console's fleet panel shows the same (a street clerk: item 3) */
    char *sargv[] = {kiosk, "--staff", "--config", conf, "--db", db, "--lang", "en", NULL};
    struct vt *s2 = vt_start(24, 80, sargv, NULL);
    bool login = vt_wait(s2, "User name:", WAIT);
    vt_send(s2, "fleetclerk\r");
    vt_pump(s2, 200);
    vt_send(s2, "fleet-clerk-password\r");
    bool home = login && vt_wait(s2, "Fleet health (heartbeats)", WAIT);
    vt_send(s2, "3");
    bool panel = home && vt_wait(s2, "FLEET-T1", WAIT) && vt_wait(s2, "SILENT", WAIT) &&
                 vt_wait(s2, "attract", WAIT) && vt_wait(s2, "1 silent for more than 3 s", WAIT);
    if (!panel)
        printf("# console:\n# %s\n", vt_text(s2));
    ok(panel, "the console's fleet panel lists the stopped kiosk as SILENT, its last screen");
    int cst = vt_stop(s2);
    ok(WIFEXITED(cst) && WEXITSTATUS(cst) == 0, "the console ends cleanly (status %d)", cst);

    kill(pid, SIGCONT);
    int after = pings(t, fd, 2500);
    rc = run(out, sizeof out, "%s --config %s --db %s kiosks", kioskctl, conf, db);
    ok(rc == 0 && strstr(out, " ok ") && !strstr(out, "SILENT") && after >= 3,
       "after SIGCONT it beats again (exit %d, %d pings)", rc, after);

    int st = vt_stop(t);
    ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the kiosk ends cleanly (status %d)", st);
    if (fd >= 0)
        close(fd);
    unlink(sock);
    return tap_done();
}
