/* loop.c — the one event loop of resident mode.
 *
 * One thread, one poll(): the terminal, the device manager's fds (the
 * simulated-card FIFO, or the USB thread's wake-up pipe) and the timers the
 * session and the devices ask for.  Keys go through the key table to the
 * core session; card events and device states go to the session too; its
 * reactions say what to draw, print or wipe.  KEY_RESIZE is handled here,
 * in the loop (never in a signal handler): layout, then a full redraw.
 * Every frame is drawn into stdscr and sent with one doupdate(). */
#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "devices/devmgr.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "screens/keys.h"
#include "screens/screen.h"
#include "screens/term.h"
#include "screens/ui.h"

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

const struct screen_ops *screen_for(int s)
{
    switch (s) {
    case SS_ATTRACT: return &scr_attract;
    case SS_QUEUE: return &scr_queue;
    case SS_BED: return &scr_bed;
    case SS_QR: return &scr_qr;
    case SS_APPLY_DONE: return &scr_apply_done;
    default: return &scr_lines;
    }
}

static enum sess_dev map_dev(enum dev_state d)
{
    switch (d) {
    case DEV_READY: return SDEV_READY;
    case DEV_PAPER_OUT: return SDEV_PAPER_OUT;
    case DEV_PAPER_LOW: return SDEV_PAPER_LOW;
    case DEV_FAULT: return SDEV_FAULT;
    default: return SDEV_ABSENT;
    }
}

struct loop {
    struct ui ui;
    struct session *s;
    struct devmgr *dm;
    const struct screen_ops *cur;
    bool dirty, full, too_small;
};

static void do_layout(struct loop *L)
{
    getmaxyx(stdscr, L->ui.rows, L->ui.cols);
    L->too_small = L->ui.rows < UI_MIN_ROWS || L->ui.cols < UI_MIN_COLS;
    L->ui.roomy = L->ui.rows >= UI_ROOMY_ROWS && L->ui.cols >= UI_ROOMY_COLS;
    L->ui.body_top = 1;
    L->ui.body_bottom = L->ui.rows - 3;
    if (L->cur && L->cur->layout && !L->too_small)
        L->cur->layout(&L->ui);
    L->dirty = L->full = true;
}

static void draw_frame(struct loop *L)
{
    const struct sess_view *v = session_view(L->s);
    if (L->full)
        clearok(curscr, TRUE);    /* a wipe or a resize: repaint every cell */
    erase();
    if (L->too_small) {
        /* a plain line, in whatever room there is */
        ui_put(0, 0, _("Please enlarge the window (at least 80×24)."), L->ui.cols, A_BOLD);
    } else {
        ui_frame(&L->ui, v);
        L->cur->draw(&L->ui, v);
        ui_countdown(&L->ui, v);
    }
    leaveok(stdscr, TRUE);
    wnoutrefresh(stdscr);
    doupdate();
    L->dirty = L->full = false;
}

static void switch_screen(struct loop *L)
{
    const struct sess_view *v = session_view(L->s);
    const struct screen_ops *next = screen_for(v->screen);
    if (next != L->cur) {
        if (L->cur && L->cur->leave)
            L->cur->leave(&L->ui);
        L->cur = next;
        if (L->cur->enter)
            L->cur->enter(&L->ui, v);
        if (L->cur->layout && !L->too_small)
            L->cur->layout(&L->ui);
    }
}

/* Act on what the session answered; may loop through work and printing. */
static void react(struct loop *L, unsigned r)
{
    while (r) {
        if (r & SR_QUIT)
            quit_requested = 1;
        if (r & SR_GOTO)
            switch_screen(L);
        if (r & (SR_REDRAW | SR_GOTO))
            L->dirty = true;
        if (r & (SR_WIPE | SR_GOTO))
            L->full = true;
        unsigned next = 0;
        if (r & SR_WORK) {
            draw_frame(L);    /* "reading…" shows while the look-up runs */
            next |= session_work(L->s, ui_now_ms());
        }
        if (r & SR_PRINT) {
            draw_frame(L);    /* "printing…" */
            int rc = devmgr_print(L->dm, session_receipt(L->s));
            next |= session_print_result(L->s, rc, ui_now_ms());
        }
        r = next;
    }
}

static void read_keys(struct loop *L)
{
    wint_t ch;
    int rc;
    while ((rc = get_wch(&ch)) != ERR) {
        if (rc == KEY_CODE_YES && ch == KEY_RESIZE) {
            do_layout(L);
            continue;
        }
        enum kiosk_action a = key_action(rc == KEY_CODE_YES, ch);
        react(L, session_action(L->s, a, ui_now_ms()));
    }
}

static void handle_devices(struct loop *L)
{
    struct devmgr_event ev[8];
    int n;
    while ((n = devmgr_handle(L->dm, ui_now_ms(), ev, 8)) > 0) {
        for (int i = 0; i < n; i++) {
            if (ev[i].type == DEVMGR_EV_CARD) {
                react(L, session_card(L->s, &ev[i].card, ui_now_ms()));
            } else {
                react(L, session_devices(L->s, map_dev(devmgr_reader_state(L->dm)),
                                         map_dev(devmgr_printer_state(L->dm))));
            }
            card_event_wipe(&ev[i].card);
        }
        if (n < 8)
            break;
    }
}

int ui_run(struct session *s, struct devmgr *dm, const struct ui_opts *opts)
{
    (void)opts;
    /* Resident mode: the keys that would stop or suspend the program mean
     * nothing (raw() delivers them as keys; the signals are ignored too, in
     * case something sends them).  SIGTERM/SIGHUP end it cleanly. */
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    signal(SIGTSTP, SIG_IGN);
    signal(SIGTTIN, SIG_IGN);
    signal(SIGTTOU, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    SCREEN *scr = term_start();
    if (!scr)
        return kerr(KERR_IO, "cannot start the terminal (TERM=%s)", getenv("TERM"));

    /* SIGWINCH, SIGTERM and SIGHUP are blocked except inside ppoll(): a
     * signal that arrived while a frame was being drawn would otherwise
     * wait in ncurses' flag while poll() sleeps (a lost resize).  ppoll()
     * unblocks them atomically, returns EINTR, and get_wch() then hands out
     * KEY_RESIZE. */
    sigset_t block, during_poll;
    sigemptyset(&block);
    sigaddset(&block, SIGWINCH);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &during_poll);
    sigdelset(&during_poll, SIGWINCH);
    sigdelset(&during_poll, SIGTERM);
    sigdelset(&during_poll, SIGHUP);

    struct loop L = {.s = s, .dm = dm};
    do_layout(&L);
    L.cur = screen_for(session_view(s)->screen);
    react(&L, session_devices(s, map_dev(devmgr_reader_state(dm)),
                              map_dev(devmgr_printer_state(dm))));
    L.dirty = true;

    while (!quit_requested) {
        if (L.dirty)
            draw_frame(&L);
        struct pollfd fds[8];
        fds[0] = (struct pollfd){.fd = STDIN_FILENO, .events = POLLIN};
        int nfds = 1 + devmgr_pollfds(dm, fds + 1, 7);
        long long now = ui_now_ms();
        int t1 = session_next_timeout_ms(s, now);
        int t2 = devmgr_next_timeout_ms(dm, now);
        int timeout = t1 < 0 ? t2 : t2 < 0 ? t1 : (t1 < t2 ? t1 : t2);
        struct timespec ts = {.tv_sec = timeout / 1000, .tv_nsec = (long)(timeout % 1000) * 1000000};
        int rc = ppoll(fds, (nfds_t)nfds, timeout < 0 ? NULL : &ts, &during_poll);
        if (rc < 0 && errno != EINTR)
            break;
        /* after EINTR (SIGWINCH) ncurses has a KEY_RESIZE waiting */
        if (rc < 0 || (fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
            read_keys(&L);
        if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))
            break;   /* the terminal went away */
        handle_devices(&L);
        react(&L, session_tick(s, ui_now_ms()));
    }

    if (L.cur && L.cur->leave)
        L.cur->leave(&L.ui);
    ui_qr_release(&L.ui);
    erase();
    refresh();
    term_stop(scr);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    return 0;
}
