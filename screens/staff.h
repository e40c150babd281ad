/* staff.h — the staff console's terminal UI (`kiosk --staff`, `kiosk --admin`).
 *
 * console_main() owns the terminal for a console session: its own poll()
 * loop (a console has no devices, only the keyboard and the idle timer),
 * keys → actions through one table (staff_keys.c), and the console core
 * (kiosk/console.h) deciding everything.  The screens are ops tables that
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
int console_main(const struct kiosk_config *cfg, struct store *st, struct secret *sec, bool admin,
                 int idle_seconds);

/* ---- inside screens/ ------------------------------------------------------------- */

/* The area a screen draws in: rows [top, bottom) of a cols-wide terminal. */
struct staff_ui {
    int rows, cols;
    int top, bottom;
    int scroll;                /* detail screens: first line shown */
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

/* The key table: one key (get_wch result) → an action and the character
 * it types (0 for function keys). */
enum con_action staff_key_action(int is_key_code, uint32_t key, uint32_t *ch);

#endif
