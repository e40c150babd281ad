/* console.h — the staff console (`kiosk --staff`, `kiosk --admin`) as a
 * state machine in the core.
 *
 * Like the resident session (session.h): inputs go in (an action from the
 * key table, with the character typed when there is one; the clock), a
 * reaction comes out as flags, and the console builds a VIEW MODEL — plain
 * structs of already formatted strings — that screens/staff_*.c only lay
 * out.  Every decision lives here: who is logged in, what a clerk may see
 * (least privilege: masked identities in lists, the full ID number only
 * through an audited "reveal"), which actions and stage moves to offer (the
 * core functions check roles again and write events and audit records in
 * one transaction), the idle auto-logout and the wipe of every personal
 * string on logout.  No terminal: tests/unit/test_console.c drives it.
 *
 * Inside (console_int.h): console.c dispatches to one file per screen
 * (login.c, home.c, programs.c, queue.c, entry.c, beds.c, bed.c, kiosks.c,
 * accounts.c, audit.c, check.c, help.c), each a `struct con_screen_ops`
 * whose `load` does the database work (on open, F5, after a change) and
 * whose `build` only formats: a key that moves the cursor or types a
 * character never reaches the store.  The key hint and the help screen
 * are generated from the key table (kiosk/keytab.h) for the actions the
 * screen lists as available now (con_view.acts).
 *
 * Time is passed in (now_ms, any monotonic origin) so tests drive the clock. */
#ifndef KIOSK_CONSOLE_H
#define KIOSK_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>

#include "kiosk/keytab.h"

struct store;
struct secret;
struct kiosk_config;
struct console;

/* What a key means: the named actions come from the one key table
 * (kiosk/keytab.h: STAFF_ACTIONS, with keys, labels and help).  A
 * printable key also carries its character: while a text prompt or the
 * login form is open the character is typed, otherwise the action counts. */
enum con_action {
    CA_NONE = 0,
    CA_CHAR,          /* a printable key with no command available: typed */
#define KT_ENUM(id, ...) id,
    STAFF_ACTIONS(KT_ENUM)
#undef KT_ENUM
    CA__COUNT
};

/* Reaction flags. */
enum {
    CR_NONE = 0,
    CR_REDRAW = 1 << 0,    /* the view changed */
    CR_GOTO = 1 << 1,      /* another screen: full repaint */
    CR_WIPE = 1 << 2,      /* personal data was wiped: clear the terminal too */
    CR_QUIT = 1 << 3,
};

enum con_screen {
    CS_LOGIN = 0, CS_HOME, CS_PROGRAMS, CS_QUEUE, CS_ENTRY, CS_BEDS, CS_BED, CS_KIOSKS,
    CS_ACCOUNTS, CS_AUDIT, CS_CHECK,
    CS_FLEET,           /* every kiosk's heartbeat (fleet.c, issue 12) */
    CS_CARD,            /* the holder of a card read at the counter (card.c, issue 12) */
    CS_PERSON,          /* what a search found: a person's entries and applications */
    CS_HELP,            /* the keys of the screen it was opened on (F1/?); Esc returns */
    CS_REPORTS,         /* reports with bars, CSV export (reports.c, issue 14 item 6) */
    CS_HOUSING,         /* the housing work queue: offers awaiting an answer, frozen entries */
    CS__COUNT
};
/* How a screen is laid out: the login form, a table, or detail lines with a menu. */
enum con_layout { CL_LOGIN = 0, CL_TABLE, CL_DETAIL };
int console_layout_of(int screen);

/* ---- the view model ------------------------------------------------------------ */
#define CV_COLS 7
#define CV_CELL 96
#define CV_ROWS 48          /* a page of 40 and some room */
#define CV_LINES 96
#define CV_TEXT 240
#define CV_ITEMS 16
#define CONSOLE_PAGE 40     /* rows fetched per page (PERF: next page of 40) */

enum cv_kind { CVK_NORMAL = 0, CVK_HEAD, CVK_NOTE, CVK_WARN, CVK_GOOD };

struct cv_col {
    char title[32];
    int width;              /* columns; 0 = whatever is left */
    bool right;             /* right-aligned (numbers) */
};
struct cv_row {
    unsigned char kind;     /* enum cv_kind */
    unsigned short bar;     /* with con_view.bar_col: the bar's length in 1/1000 of the column */
    char cell[CV_COLS][CV_CELL];
    bool span;              /* a note under the row above: cell[0] runs across the whole
                               table; never selected (v.selected counts rows, spans too) */
};
struct cv_line {
    unsigned char kind;
    char text[CV_TEXT];
};
struct cv_item {
    char label[96];
};

struct con_view {
    int screen;             /* enum con_screen */
    char title[160];
    char who[100];          /* "demo-street (street)", "" when logged out */
    char hint[480];         /* the keys that do something here: keytab_hint of as many of
                               acts[] as fit 80 columns, always with help (which lists all) */
    int n_acts;             /* the actions available now, in hint order (touch buttons) */
    int acts[KEYTAB_MAX_ACTIONS];
    char message[CV_TEXT];  /* the status line: a result or the core's refusal */
    bool message_warn;

    /* login form */
    char login_name[64];
    int login_pw_len;       /* only the count: the password is never in the view */
    int login_field;        /* 0 name, 1 password */

    /* table screens */
    char caption[160];      /* "Positions 1–40 of 1000000" */
    int n_cols;
    struct cv_col col[CV_COLS];
    int n_rows;
    struct cv_row row[CV_ROWS];
    int selected;           /* row index, -1 none */
    int bar_col;            /* the column drawn as a bar of each row's `bar` (block
                               characters scaled to the column's width); -1 none */
    int wide_col;           /* a column drawn only on a terminal at least wide_min
                               columns wide; -1 none.  When it is the 0-width one,
                               the last column shown takes what is left instead */
    int wide_min;

    /* detail screens: lines, then a menu of what may be done now */
    int n_lines;
    struct cv_line line[CV_LINES];
    int n_items;
    struct cv_item item[CV_ITEMS];
    int item_sel;           /* -1 none */

    /* a one-line text prompt over the screen */
    bool prompting;
    char prompt_label[160];
    char prompt_value[256]; /* stars when secret */
};

/* Options; idle_seconds 0 = the default (600: ten minutes). */
struct console_opts {
    bool admin;             /* --admin: offer the admin screens (to admin-role accounts) */
    int idle_seconds;
};

/* Create over an open store and secret (borrowed).  Starts at the login screen. */
int console_new(struct store *st, const struct secret *sec, const struct kiosk_config *cfg,
                const struct console_opts *opts, struct console **out);
/* Logs out (wiping everything personal), then frees. */
void console_free(struct console **c);

/* One key: action a; ch is the character for printable keys (0 otherwise). */
unsigned console_input(struct console *c, enum con_action a, uint32_t ch, int64_t now_ms);
/* The clock: idle auto-logout. */
unsigned console_tick(struct console *c, int64_t now_ms);
/* Milliseconds until console_tick has something to do; -1 = nothing pending. */
int console_next_timeout_ms(const struct console *c, int64_t now_ms);

const struct con_view *console_view(const struct console *c);
bool console_logged_in(const struct console *c);

/* Log out now: every personal string in the view and the console's buffers
 * is wiped (secure_wipe). */
unsigned console_logout(struct console *c, const char *why);

/* A card read on the reader at the staff counter (issue 12): the holder's
 * entries and applications, audited like a search (card.c).  The caller
 * wipes ev afterwards. */
struct card_event;
unsigned console_card(struct console *c, const struct card_event *ev, int64_t now_ms);

#endif
