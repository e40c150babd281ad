/* receipt_render.h — draw an ESC/POS byte stream as the paper would look.
 *
 * `kioskctl receipt render FILE --png OUT` and the tests use it to see a
 * simulated receipt: text (a built-in 5×7 bitmap font for ASCII, scaled to
 * the printer's 12×24 Font A cell; double-byte GB characters in Chinese mode
 * are drawn as outlined 24×24 boxes, because the kiosk ships no CJK bitmap
 * font — the box shows where a character is and how wide, not which),
 * character size, alignment, feeds, cuts (a dashed line), raster images
 * (GS v 0, exact) and native QR codes (GS ( k, re-encoded with libqrencode
 * at the stored module size and EC level, so a decoder reads the same data a
 * real printer would print).  Robust against any input (it is fuzzed):
 * unknown commands are skipped, the page height is capped. */
#ifndef DEVICES_RECEIPT_RENDER_H
#define DEVICES_RECEIPT_RENDER_H

#include <stddef.h>
#include <stdint.h>

#define RENDER_MARGIN 24           /* white paper left and right of the printable width */
#define RENDER_MAX_HEIGHT 16000    /* dots (2 m of paper): beyond, the page is cut short */

struct render_page {
    int width, height;             /* pixels */
    uint8_t *px;                   /* width*height, 0 = black, 255 = white (8-bit grey) */
    int truncated;                 /* the stream ran past RENDER_MAX_HEIGHT */
    int unknown_commands;          /* commands skipped as unknown */
};

/* Interpret the stream for a printer of paper_dots printable dots (384, 576).
 * Returns 0 or KERR_NOMEM.  Free with render_page_free. */
int receipt_render(const uint8_t *stream, size_t n, int paper_dots, struct render_page *out);
void render_page_free(struct render_page *p);
/* Write the page as a greyscale PNG.  0 or KERR_IO (detail: path). */
int render_page_write_png(const struct render_page *p, const char *path);

#endif
