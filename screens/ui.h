/* ui.h — the resident-mode terminal UI: what main_kiosk.c calls.
 *
 * ui_run() owns the terminal for the life of the kiosk: the one UI loop
 * (ui_loop.h) over the keyboard and touch screen, the device manager's fds
 * and the timers; keys become actions through the bindings in force
 * (keymap.h), a touch on a hint button runs its action, and the session's
 * reactions decide what is drawn, printed or wiped. */
#ifndef SCREENS_UI_H
#define SCREENS_UI_H

#include "screens/ui_loop.h"

struct session;
struct devmgr;
struct keytab;

struct speech;

struct ui_opts {
    const struct keytab *keys;   /* the bindings in force (cfg->keys); NULL = the defaults */
    /* speech (issue 9): the device (NULL: none), headphones fitted, how Chinese is spoken */
    struct speech *speech;
    bool speech_private;
    int speech_chinese;          /* enum speech_lang: SPL_ZH or SPL_YUE */
};

/* Run until SIGTERM/SIGHUP (resident mode offers no way out from the
 * keypad).  Returns 0 or a negative kiosk_err (the terminal could not be
 * set up); the terminal is restored in every case. */
int ui_run(struct session *s, struct devmgr *dm, const struct ui_opts *opts);

#endif
