/* ui.h — the resident-mode terminal UI: what main_kiosk.c calls.
 *
 * ui_run() owns the terminal for the life of the kiosk: the one poll()
 * loop over the keyboard, the device manager's fds and the timers; keys
 * become actions through one table (keys.c) and go to the core session;
 * the session's reactions decide what is drawn, printed or wiped. */
#ifndef SCREENS_UI_H
#define SCREENS_UI_H

struct session;
struct devmgr;

struct ui_opts {
    int unused_;               /* reserved: staff mode will add its options here */
};

/* Run until SIGTERM/SIGHUP (resident mode offers no way out from the
 * keypad).  Returns 0 or a negative kiosk_err (the terminal could not be
 * set up); the terminal is restored in every case. */
int ui_run(struct session *s, struct devmgr *dm, const struct ui_opts *opts);

/* Milliseconds on the monotonic clock (the same clock devmgr uses). */
long long ui_now_ms(void);

#endif
