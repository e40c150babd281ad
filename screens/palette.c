/* palette.c — the kiosk's colours and the contrast of its pairs (palette.h).
 *
 * Red is a dark red (#A40000): white on it is 8.2:1, where the usual
 * terminal red (#CD0000 or brighter) gives 5:1 or less and a pink one
 * (the old warning look) 1.9:1.  White is pure white, not the light grey
 * most terminals use for colour 7. */
#include "screens/palette.h"

#include <math.h>

const struct palette_rgb palette_colour[PALETTE_COLOURS] = {
    {0x00, 0x00, 0x00},   /* 0 black */
    {0xA4, 0x00, 0x00},   /* 1 red: dark, so white text on it reads */
    {0x00, 0xF0, 0x00},   /* 2 green */
    {0xFF, 0xFF, 0x00},   /* 3 yellow */
    {0x5F, 0xAF, 0xFF},   /* 4 blue (not used by the kiosk's pairs) */
    {0xFF, 0x87, 0xFF},   /* 5 magenta (not used) */
    {0x00, 0xFF, 0xFF},   /* 6 cyan */
    {0xFF, 0xFF, 0xFF},   /* 7 white */
};

/* Must follow enum ui_pair (screen.h). */
const struct palette_pair palette_pair[] = {
    {0, 0, 0},
    {"normal: white on black", 7, 0},
    {"title: black on yellow", 0, 3},
    {"selected: black on cyan", 0, 6},
    {"warning: white on dark red", 7, 1},
    {"good: black on green", 0, 2},
    {"QR: black on white", 0, 7},
    {"status line: black on white", 0, 7},
    {"accent: yellow on black", 3, 0},
};
const int palette_n_pairs = (int)(sizeof palette_pair / sizeof palette_pair[0]);

static double channel(unsigned char v)
{
    double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double palette_luminance(struct palette_rgb c)
{
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

double palette_contrast(struct palette_rgb a, struct palette_rgb b)
{
    double la = palette_luminance(a), lb = palette_luminance(b);
    double hi = la > lb ? la : lb, lo = la > lb ? lb : la;
    return (hi + 0.05) / (lo + 0.05);
}
