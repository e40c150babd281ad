/* screen.h — screens as ops tables, the layout they share, and the widgets.
 *
 * Each resident screen is one `const struct screen_ops` (scr_*.c) that draws
 * a view model the core built (kiosk/session.h): it lays strings out, it
 * never decides what they say.  The loop (loop.c) calls layout() after every
 * size change and draw() for every frame; enter()/leave() bracket the time a
 * screen is current (for resources such as the QR text). */
#ifndef SCREENS_SCREEN_H
#define SCREENS_SCREEN_H

#include <stdbool.h>

#include "kiosk/session/session.h"
#include "screens/curses.h"
#include "screens/hintbar.h"

/* The resident screens work from 40×16 (a portrait panel, or large type on
 * a small one); below UI_NARROW_COLS / UI_SHORT_ROWS they use their compact
 * layouts.  The staff console needs 80×24. */
#define UI_MIN_COLS 40
#define UI_MIN_ROWS 16
#define UI_NARROW_COLS 64
#define UI_SHORT_ROWS 24
#define UI_STAFF_MIN_COLS 80
#define UI_STAFF_MIN_ROWS 24
#define UI_ROOMY_COLS 120
#define UI_ROOMY_ROWS 40

/* Colour pairs (high contrast; attributes alone when the terminal has no colour). */
enum ui_pair {
    UP_NORMAL = 1,   /* white on black */
    UP_TITLE,        /* black on yellow: the title bar */
    UP_SELECT,       /* black on cyan: the chosen item */
    UP_WARN,         /* white on red */
    UP_GOOD,         /* black on green */
    UP_QR,           /* black on white: QR modules, dark on light whatever the terminal */
    UP_STATUS,       /* black on white: the status line */
    UP_ACCENT,       /* yellow on black: headings, big digits */
    UP__COUNT
};

/* What a warning starts with: a sign, so it never speaks by colour alone. */
#define UI_WARN_SIGN "⚠ "

#define UI_MAX_TAPS 64
/* tap targets that scroll the screen's text instead of running an action */
#define UI_TAP_SCROLL_UP (-1)
#define UI_TAP_SCROLL_DOWN (-2)

struct qr_text;

/* What every screen sees: the terminal size and the shared caches. */
struct ui {
    int rows, cols;
    bool roomy;              /* ≥ 120×40: bigger digits, taller chart */
    bool large;              /* the accessibility key is on (view.access_mode): each screen
                                takes its largest layout that fits — the double-size digits,
                                list items two rows tall — whatever the grid */
    bool colour;
    /* the content area between the title bar and the message/hint/status rows */
    int body_top, body_bottom;   /* rows [body_top, body_bottom); the message is on body_bottom */
    int hint_rows;           /* 2 on a narrow screen (< 64 columns): the own actions fit, More pages the rest */
    /* the key bindings in force (hints show their keys) */
    const struct keytab *keys;
    /* what a click can hit, remembered while the frame is drawn */
    struct hintbar hints;    /* hints.page: the page of a paged bar, 0 on each new screen */
    int hint_screen;         /* the view's screen the page belongs to */
    /* buttons after the view's own: the loop's speech keys (speak_acts), so a
     * touch user finds them too (on a later page when the bar is full) */
    int n_extra;
    int extra[8];
    int n_item_rows;
    struct { int y, line; } item_row[SV_MAX_LINES];   /* rows showing an SVL_ITEM */
    int scroll;              /* first line shown of a text without items (0 on a new screen) */
    bool more;               /* lines below the last one shown */
    int n_taps;
    struct { int y, x0, x1, act; } tap[UI_MAX_TAPS];   /* on-screen pad keys: a touch runs act */
    /* QR cache: regenerated only when the URL changes */
    char qr_for[256];
    struct qr_text *qr;
};

struct screen_ops {
    const char *name;
    /* the screen becomes current / stops being current (may be NULL) */
    void (*enter)(struct ui *ui, const struct sess_view *v);
    void (*leave)(struct ui *ui);
    /* a chance to use an action locally (scrolling); true = consumed (may be NULL) */
    bool (*on_action)(struct ui *ui, enum kiosk_action a);
    /* the terminal size changed (ui->rows/cols are set; may be NULL) */
    void (*layout)(struct ui *ui);
    /* draw the body of the frame into stdscr (the frame around it is drawn by the loop) */
    void (*draw)(struct ui *ui, const struct sess_view *v);
};

/* The ops for a session screen (enum sess_screen). */
const struct screen_ops *screen_for(int sess_screen);

extern const struct screen_ops scr_attract, scr_lines, scr_queue, scr_bed, scr_qr, scr_apply_done;

/* ---- widgets (widgets.c) ----------------------------------------------------- */
int ui_attr(enum ui_pair p);
/* Columns a UTF-8 string takes (wcwidth; CJK = 2; unprintable = 0). */
int ui_width(const char *s);
/* Draw a UTF-8 string at (y, x), at most maxcols columns; returns columns drawn. */
int ui_put(int y, int x, const char *s, int maxcols, int attr);
/* The same, word-wrapped into rows [y, ymax) of width maxcols; returns rows used. */
int ui_put_wrapped(int y, int ymax, int x, const char *s, int maxcols, int attr);
/* The frame: title bar, message, key hints (touch buttons) and the status line. */
void ui_frame(struct ui *ui, const struct sess_view *v);
/* The view's lines from row y to ymax, scrolled so the selected one shows;
 * the rows of selectable items are remembered for clicks (ui->item_row).  A
 * text without items starts at ui->scroll, with ▲/▼ signs (tap targets)
 * where there is more; ui->more says whether lines are left below. */
void ui_lines(struct ui *ui, const struct sess_view *v, int y, int ymax, int x, int maxcols);
/* Big dot-matrix digits (ui_big_height rows); returns the width used.  scale 1 or 2. */
int ui_big_digits(int y, int x, const char *digits, int scale);
int ui_big_width(const char *digits, int scale);
int ui_big_height(int scale);
/* The monthly bar chart in a box of h rows × w columns at (y, x). */
void ui_chart(int y, int x, int h, int w, const struct sess_view *v);
/* The input fields (attract, phone): label and box on one row when they fit,
 * else the box under its label; gap: a blank row between fields.  Returns rows used. */
int ui_fields(int y, int x, const struct sess_view *v, int maxcols, bool gap);
/* The width of a field's box next to a label of label_w columns. */
int ui_field_box(int label_w, int maxcols);
/* The on-screen pad the view asks for (v->pad: keys to touch) or the keypad's
 * letter picker (v->n_pick), in rows [y, ymax); keys are remembered in
 * ui->tap.  Returns rows used (0: nothing to draw or no room). */
int ui_pad(struct ui *ui, const struct sess_view *v, int y, int ymax, int x, int maxcols);
/* Rows ui_pad needs for this view at this width. */
int ui_pad_rows(const struct sess_view *v, int maxcols);
/* The QR code for url at (y, x), if it fits in h × w; returns its width or 0. */
int ui_qr(struct ui *ui, int y, int x, int h, int w, const char *url);
void ui_qr_release(struct ui *ui);
/* The idle countdown, drawn over everything. */
void ui_countdown(struct ui *ui, const struct sess_view *v);

#endif
