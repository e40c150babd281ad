/* palette.h — the kiosk's colours, as numbers: the eight terminal colours
 * it uses (sRGB) and the foreground/background of every colour pair
 * (enum ui_pair in screen.h).  No curses here, so a test can compute the
 * contrast of every pair from the same table term.c sets up (WCAG 2.x
 * relative luminance; the kiosk promises at least 7:1, WCAG 1.4.6).
 * install/display/foot.ini ships the same eight colours to the terminal. */
#ifndef SCREENS_PALETTE_H
#define SCREENS_PALETTE_H

#define PALETTE_COLOURS 8    /* terminal colours 0..7: black red green yellow blue magenta cyan white */
#define PALETTE_MIN_CONTRAST 7.0

struct palette_rgb {
    unsigned char r, g, b;
};

struct palette_pair {
    const char *name;        /* "warning" */
    int fg, bg;              /* terminal colour numbers (0..7) */
};

/* The sRGB value of terminal colour i (0..7). */
extern const struct palette_rgb palette_colour[PALETTE_COLOURS];
/* The pairs, indexed by enum ui_pair (index 0 unused: name NULL). */
extern const struct palette_pair palette_pair[];
extern const int palette_n_pairs;

/* WCAG relative luminance of a colour (0 black .. 1 white). */
double palette_luminance(struct palette_rgb c);
/* WCAG contrast ratio of two colours (1 .. 21). */
double palette_contrast(struct palette_rgb a, struct palette_rgb b);

#endif
