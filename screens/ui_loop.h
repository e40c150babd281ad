/* ui_loop.h — the one event loop of the resident kiosk and the staff console.
 *
 * One thread, one ppoll(): the terminal, the caller's extra fds (the device
 * manager's, in resident mode), the caller's timer (idle countdown, device
 * polling) and the systemd watchdog when the service manager asked for one
 * (WATCHDOG_USEC + NOTIFY_SOCKET).  The loop owns what both programs used
 * to repeat: the signals (SIGTERM/SIGHUP end the loop cleanly; SIGWINCH,
 * SIGTERM and SIGHUP are blocked except inside ppoll so none is lost while
 * a frame is drawn), starting and stopping curses (term.c), KEY_RESIZE →
 * layout then a full redraw (in the loop, never in a signal handler), the
 * "please enlarge" line below 80×24, and sending each frame with one
 * doupdate().  What a key, a device or the clock means is the caller's:
 * it gets them through a small ops table. */
#ifndef SCREENS_UI_LOOP_H
#define SCREENS_UI_LOOP_H

#include <poll.h>
#include <stdbool.h>

#include "screens/curses.h"

enum ui_loop_mode {
    /* the resident kiosk: raw keys; SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU ignored
     * (there is no way out from the keypad); SIGTERM/SIGHUP end it */
    UI_LOOP_RESIDENT,
    /* the staff console: SIGTSTP ignored (a suspended console would stay logged in);
     * SIGTERM, SIGHUP (the SSH connection dropped) and SIGINT end it cleanly */
    UI_LOOP_STAFF,
};

struct ui_loop;

struct ui_loop_ops {
    /* extra fds to watch beside the terminal; returns how many (NULL: none) */
    int (*fds)(void *ctx, struct pollfd *out, int cap);
    /* milliseconds until on_tick has work; -1 = nothing pending (NULL: none) */
    int (*timeout_ms)(void *ctx, long long now_ms);
    /* the terminal has a new size (and once at the start); L's rows/cols/too_small are set */
    void (*layout)(void *ctx, struct ui_loop *L);
    /* one key from get_wch(): KEY_MOUSE included, KEY_RESIZE never */
    void (*on_key)(void *ctx, struct ui_loop *L, bool is_code, wint_t key);
    /* every wake-up, after the keys: the extra fds (their revents) may be ready */
    void (*on_fds)(void *ctx, struct ui_loop *L, const struct pollfd *fds, int n);
    /* every wake-up, last: the clock */
    void (*on_tick)(void *ctx, struct ui_loop *L, long long now_ms);
    /* draw the whole frame into stdscr (erased already; not called below 80×24) */
    void (*draw)(void *ctx, struct ui_loop *L);
    /* once before the loop, once the terminal is up (may be NULL) */
    void (*start)(void *ctx, struct ui_loop *L);
};

struct ui_loop {
    const struct ui_loop_ops *ops;
    void *ctx;
    int rows, cols;
    int min_rows, min_cols; /* the smallest grid drawn: 16×40 resident, 24×80 staff */
    bool too_small;        /* below that: only the "please enlarge" line */
    bool dirty, full;      /* a frame is due; repaint every cell (a wipe, a new screen) */
    bool mouse;            /* the terminal reports clicks */
};

/* Start curses, run until ui_loop_quit() or a terminating signal, stop curses
 * (the screen is erased first).  Returns 0 or a negative kiosk_err when the
 * terminal could not be set up. */
int ui_loop_run(const struct ui_loop_ops *ops, void *ctx, enum ui_loop_mode mode);

/* Ask for a frame; full = repaint every cell. */
void ui_loop_redraw(struct ui_loop *L, bool full);
/* Draw the frame now (e.g. "reading…" before a slow look-up). */
void ui_loop_frame(struct ui_loop *L);
/* End the loop after the current event. */
void ui_loop_quit(struct ui_loop *L);
bool ui_loop_quitting(const struct ui_loop *L);

/* Milliseconds on the monotonic clock (the same clock devmgr uses). */
long long ui_now_ms(void);

#endif
