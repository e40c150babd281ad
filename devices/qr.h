/* qr.h — a QR code as a grid of modules, for paper and for the screen.
 *
 * One encoder (libqrencode, EC level M, 8-bit mode so URLs keep their case)
 * feeds both the printer raster (receipt.c) and the on-screen half-block
 * drawing (qr_text_make, for screens/).  Screens do not include qrencode.h:
 * they get plain UTF-8 lines from here. */
#ifndef DEVICES_QR_H
#define DEVICES_QR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct qr_grid {
    int version;
    int width;            /* modules per side, without quiet zone */
    uint8_t *dark;        /* width*width, row-major, 1 = dark module */
};

/* Encode text (EC M).  0, KERR_INPUT (empty or too long: detail), KERR_NOMEM. */
int qr_make(const char *text, struct qr_grid *out);
void qr_free(struct qr_grid *g);
static inline bool qr_dark(const struct qr_grid *g, int x, int y)
{
    return x >= 0 && y >= 0 && x < g->width && y < g->width && g->dark[y * g->width + x];
}

/* The grid as text for a terminal: two module rows per line with the half
 * blocks ▀ ▄ █ and space, `quiet` light modules all round (use 2).
 *
 * DARK ON LIGHT WHATEVER THE TERMINAL: the glyph's ink is a DARK module, so
 * the caller must draw every line with an explicit colour pair black
 * foreground on white background (e.g. init_pair(n, COLOR_BLACK,
 * COLOR_WHITE)), never the terminal's default colours — a white-on-black
 * terminal would otherwise show a negative that many phones will not scan.
 * Every line has exactly `cols` columns (spaces are the light modules, so
 * they must be drawn too, in the same pair).
 *
 * A version-4 code (URLs up to ~60 bytes at EC M) with quiet = 2 is 37
 * columns × 19 lines: it fits 80×24 with room for a caption. */
struct qr_text {
    int lines, cols;
    char **line;          /* lines pointers, each a NUL-terminated UTF-8 string */
};
int qr_text_make(const struct qr_grid *g, int quiet, struct qr_text *out);
/* qr_make + qr_text_make in one call. */
int qr_text_for(const char *text, int quiet, struct qr_text *out);
void qr_text_free(struct qr_text *t);

/* The grid scaled to a 1-bit raster (MSB left, 1 = black) with `quiet`
 * light modules round it: *width_bytes × *rows bytes written to bits, which
 * must hold qr_raster_size() bytes.  Used for printers without GS ( k. */
size_t qr_raster_size(const struct qr_grid *g, int scale, int quiet);
void qr_raster(const struct qr_grid *g, int scale, int quiet, uint8_t *bits, int *width_bytes,
               int *rows);

#endif
