/* staff.h — the staff console's terminal UI (`kiosk --staff`, `kiosk --admin`).
 *
 * console_main() owns the terminal for a console session on the one UI loop
 * (ui_loop.h; a console has no devices, only the keyboard, the mouse and
 * the idle timer), keys → actions through the bindings in force (keymap.h),
 * clicks on hint buttons and rows, and the console core
 * (kiosk/console/console.h) deciding everything.  The screens are ops tables that
 * lay out the core's view model.  The core formats each screen's content,
 * so three layouts cover every screen: the login form (staff_login.c), a
 * table with a selection (staff_table.c: home, queues, queue browser, bed
 * list, kiosks, accounts, audit) and detail lines with a menu of allowed
 * actions (staff_detail.c: entry, application, check). */
#ifndef SCREENS_STAFF_H
#define SCREENS_STAFF_H

#include <stdbool.h>
#include <stdint.h>

#include "kiosk/console/console.h"

struct kiosk_config;
struct store;
struct secret;

/* Run the console until the user quits (F10, or Esc on an empty login
 * form) or SIGTERM/SIGHUP; everything personal is wiped before returning.
 * idle_seconds 0 = the console's default (10 minutes).  Returns 0 or a
 * negative kiosk_err when the terminal could not be set up. */
struct devmgr;
/* dm: the card reader at the staff counter (issue 12), or NULL for none. */
int console_main(const struct kiosk_config *cfg, struct store *st, struct secret *sec, bool admin,
                 int idle_seconds, struct devmgr *dm);

/* ---- inside screens/ ------------------------------------------------------------- */

/* The area a screen draws in: rows [top, bottom) of a cols-wide terminal. */
struct staff_ui {
    int rows, cols;
    int top, bottom;
    int scroll;                /* detail screens: first line shown */
    /* what a click can hit, remembered while the frame is drawn */
    int n_row_at;
    struct { int y, row; } row_at[CV_ROWS];        /* table rows shown */
    int n_item_at;
    struct { int y, item; } item_at[CV_ITEMS];     /* detail menu items shown */
    int field_y[2];                                /* login: the two fields' rows (-1 none) */
};

struct staff_screen_ops {
    const char *name;
    /* a chance to use an action locally (scrolling a long detail); true = consumed (may be NULL) */
    bool (*on_action)(struct staff_ui *ui, const struct con_view *v, enum con_action a);
    /* the screen became current: reset local state (may be NULL) */
    void (*enter)(struct staff_ui *ui);
    /* draw the body into stdscr between ui->top and ui->bottom */
    void (*draw)(struct staff_ui *ui, const struct con_view *v);
};

extern const struct staff_screen_ops staff_login, staff_table, staff_detail;

#endif
