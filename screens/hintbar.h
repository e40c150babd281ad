/* hintbar.h — the key-hint line as touch buttons.
 *
 * The core lists the actions a screen offers (the view's acts[], in hint
 * order); the hint bar draws one button per action — "[F1] Help": the
 * first key bound to it now (struct keytab, so a [keys] remap shows) and
 * its label from kiosk/keytab.h in the view's language — and remembers
 * each button's columns so a click or touch on it runs the action.
 *
 * When the buttons do not all fit (40×16, or a screen with many actions),
 * a resident style pages them instead of dropping any: each page ends in a
 * "More" button (HINTBAR_MORE) that shows the next page, the last one goes
 * back to the first, and help and back stay on the first page.  So every
 * action stays within reach of a finger, not only of a key. */
#ifndef SCREENS_HINTBAR_H
#define SCREENS_HINTBAR_H

#include <stdbool.h>

#include "kiosk/keytab.h"
#include "screens/keymap.h"

#define HINTBAR_MAX 32
/* The action of the "More" button: the caller turns the page (hb->page++) and redraws. */
#define HINTBAR_MORE (-100)

struct hintbar {
    int y;                 /* the (last) row the buttons are on; -1 none drawn */
    int page;              /* the page shown (the caller's: 0 on a new screen) */
    int pages;             /* how many pages the last draw needed (1: all fit) */
    int n;
    struct {
        int y;             /* the button's row (y, or y - 1 on a two-row bar) */
        int x0, x1;        /* columns [x0, x1) that answer a click */
        struct hint_hit {
            int act;               /* the action of the button */
        } hit;
    } b[HINTBAR_MAX];
};

struct hintbar_style {
    int pad;               /* blank columns inside a button, each side */
    int gap;               /* columns between buttons */
    int min_gap;           /* narrowest gap before buttons are dropped (at least 1) */
    int keep[2];           /* actions never dropped for room: help (which lists them
                              all) and back; -1 none */
    int rows;              /* 2: buttons that do not fit on row y go on row y - 1 first
                              (a narrow, tall screen); 0 or 1: one row */
    bool more;             /* page with a "More" button instead of dropping buttons */
    int attr;              /* a button */
    int key_attr;          /* the "[F1]" part of a button */
};

/* Draw the hint line at row y, columns [x, x + w), and remember the buttons. */
void hintbar_draw(struct hintbar *hb, const struct keytab *kt, enum key_scope scope,
                  const int *acts, int n_acts, const char *lang, int y, int x, int w,
                  const struct hintbar_style *st);

/* The button at (y, x); false when the click is on none. */
bool hintbar_hit(const struct hintbar *hb, int y, int x, struct hint_hit *out);

#endif
