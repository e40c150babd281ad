/* ui_loop.c — the one event loop (ui_loop.h): signals, ppoll, resize,
 * timers and the systemd watchdog, for both the resident kiosk and the
 * staff console. */
#include "screens/ui_loop.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "screens/screen.h"
#include "screens/term.h"

static volatile sig_atomic_t quit_requested;

static void on_term(int sig)
{
    (void)sig;
    quit_requested = 1;
}

long long ui_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void ui_loop_redraw(struct ui_loop *L, bool full)
{
    L->dirty = true;
    L->full |= full;
}

void ui_loop_quit(struct ui_loop *L)
{
    (void)L;
    quit_requested = 1;
}

bool ui_loop_quitting(const struct ui_loop *L)
{
    (void)L;
    return quit_requested != 0;
}

void ui_loop_frame(struct ui_loop *L)
{
    if (L->full)
        clearok(curscr, TRUE);   /* a wipe or a resize: repaint every cell */
    erase();
    if (L->too_small)
        /* a plain line, in whatever room there is */
    {
        char msg[160];
        snprintf(msg, sizeof msg, _("Please enlarge the window (at least %d×%d)."), L->min_cols,
                 L->min_rows);
        ui_put_wrapped(0, L->rows, 0, msg, L->cols, A_BOLD);
    }
    else
        L->ops->draw(L->ctx, L);
    leaveok(stdscr, TRUE);
    wnoutrefresh(stdscr);
    doupdate();
    L->dirty = L->full = false;
}

static void do_layout(struct ui_loop *L)
{
    getmaxyx(stdscr, L->rows, L->cols);
    L->too_small = L->rows < L->min_rows || L->cols < L->min_cols;
    if (L->ops->layout)
        L->ops->layout(L->ctx, L);
    ui_loop_redraw(L, true);
}

/* ---- the systemd watchdog (sd_watchdog_enabled(3), sd_notify(3), libsystemd) ---- */

/* WatchdogSec= in the unit (install/systemd/kiosk.service): the loop pings
 * every half interval from its own wake-ups, so a hung UI — stuck in a
 * draw, a store call, or stopped — stops pinging and systemd restarts it.
 * The kiosk runs under cage and foot, not as the unit's main process: the
 * unit says NotifyAccess=all and kiosk-display.sh drops WATCHDOG_PID, which
 * would otherwise name cage and make sd_watchdog_enabled() say "not us". */
struct watchdog {
    long long every_ms;    /* half the interval systemd asked for; 0 = off */
    long long next_ms;
};

static void watchdog_init(struct watchdog *w)
{
    memset(w, 0, sizeof *w);
    uint64_t us = 0;
    int r = sd_watchdog_enabled(0, &us);
    if (r < 0)
        fprintf(stderr, "kiosk: watchdog: %s\n", strerror(-r));
    if (r <= 0 || us == 0)
        return;
    w->every_ms = us / 2000 > 0 ? (long long)(us / 2000) : 1;
    w->next_ms = 0;   /* the first ping at once */
    (void)sd_notify(0, "READY=1");
}

static void watchdog_ping(struct watchdog *w, long long now)
{
    if (!w->every_ms || now < w->next_ms)
        return;
    /* a lost ping is retried next interval; systemd restarts us if they all are */
    (void)sd_notify(0, "WATCHDOG=1");
    w->next_ms = now + w->every_ms;
}

static int watchdog_timeout(const struct watchdog *w, long long now)
{
    if (!w->every_ms)
        return -1;
    return w->next_ms > now ? (int)(w->next_ms - now) : 0;
}

/* ---- the loop ------------------------------------------------------------------------- */

static void read_keys(struct ui_loop *L)
{
    wint_t ch;
    int rc;
    while (!quit_requested && (rc = get_wch(&ch)) != ERR) {
        if (rc == KEY_CODE_YES && ch == KEY_RESIZE) {
            do_layout(L);
            continue;
        }
        L->ops->on_key(L->ctx, L, rc == KEY_CODE_YES, ch);
    }
}

static int min_timeout(int a, int b)
{
    return a < 0 ? b : b < 0 ? a : (a < b ? a : b);
}

int ui_loop_run(const struct ui_loop_ops *ops, void *ctx, enum ui_loop_mode mode)
{
    quit_requested = 0;
    if (mode == UI_LOOP_RESIDENT) {
        /* the keys that would stop or suspend the program mean nothing (raw()
         * delivers them as keys; the signals are ignored too, in case something
         * sends them) */
        signal(SIGINT, SIG_IGN);
        signal(SIGQUIT, SIG_IGN);
        signal(SIGTTIN, SIG_IGN);
        signal(SIGTTOU, SIG_IGN);
    }
    signal(SIGTSTP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    if (mode == UI_LOOP_STAFF)
        sigaction(SIGINT, &sa, NULL);   /* a kill -INT logs out and wipes like F10 */

    SCREEN *scr = term_start(mode == UI_LOOP_RESIDENT);
    if (!scr)
        return kerr(KERR_IO, "cannot start the terminal (TERM=%s)", getenv("TERM"));

    /* SIGWINCH and the terminating signals are blocked except inside ppoll():
     * one that arrived while a frame was being drawn would otherwise wait in a
     * flag while ppoll() sleeps (a lost resize, a late exit).  ppoll() unblocks
     * them atomically, returns EINTR, and get_wch() then hands out KEY_RESIZE. */
    sigset_t block, during_poll;
    sigemptyset(&block);
    sigaddset(&block, SIGWINCH);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    if (mode == UI_LOOP_STAFF)
        sigaddset(&block, SIGINT);
    sigprocmask(SIG_BLOCK, &block, &during_poll);
    sigdelset(&during_poll, SIGWINCH);
    sigdelset(&during_poll, SIGTERM);
    sigdelset(&during_poll, SIGHUP);
    sigdelset(&during_poll, SIGINT);

    struct watchdog wd;
    watchdog_init(&wd);

    struct ui_loop L = {.ops = ops, .ctx = ctx, .mouse = term_has_mouse()};
    L.min_rows = mode == UI_LOOP_RESIDENT ? UI_MIN_ROWS : UI_STAFF_MIN_ROWS;
    L.min_cols = mode == UI_LOOP_RESIDENT ? UI_MIN_COLS : UI_STAFF_MIN_COLS;
    do_layout(&L);
    if (ops->start)
        ops->start(ctx, &L);
    ui_loop_redraw(&L, true);

    while (!quit_requested) {
        if (L.dirty)
            ui_loop_frame(&L);
        struct pollfd fds[16];
        fds[0] = (struct pollfd){.fd = STDIN_FILENO, .events = POLLIN};
        int nfds = 1 + (ops->fds ? ops->fds(ctx, fds + 1, 15) : 0);
        long long now = ui_now_ms();
        watchdog_ping(&wd, now);
        int timeout = min_timeout(ops->timeout_ms ? ops->timeout_ms(ctx, now) : -1,
                                  watchdog_timeout(&wd, now));
        struct timespec ts = {.tv_sec = timeout / 1000, .tv_nsec = (long)(timeout % 1000) * 1000000};
        int rc = ppoll(fds, (nfds_t)nfds, timeout < 0 ? NULL : &ts, &during_poll);
        if (rc < 0 && errno != EINTR)
            break;
        if (rc < 0)
            for (int i = 0; i < nfds; i++)
                fds[i].revents = 0;
        /* after EINTR (SIGWINCH) ncurses has a KEY_RESIZE waiting */
        if (rc < 0 || (fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
            read_keys(&L);
        if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))
            break;   /* the terminal went away */
        if (quit_requested)
            break;
        if (ops->on_fds)
            ops->on_fds(ctx, &L, fds + 1, nfds - 1);
        if (ops->on_tick)
            ops->on_tick(ctx, &L, ui_now_ms());
    }

    erase();
    refresh();
    term_stop(scr);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    return 0;
}
