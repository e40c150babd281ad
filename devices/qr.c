/* qr.c — libqrencode → module grid → half-block text or printer raster. */
#include "qr.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "kiosk/err.h"

int qr_make(const char *text, struct qr_grid *out)
{
    memset(out, 0, sizeof *out);
    if (!text || !*text)
        return kerr(KERR_INPUT, "nothing to encode in the QR code");
    /* 8-bit mode: an URL's lower-case letters would break alphanumeric mode,
     * and the receipt and the screen must show the same code. */
    QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
    if (!q)
        return errno == ENOMEM ? KERR_NOMEM
                               : kerr(KERR_INPUT, "text of %zu bytes does not fit a QR code",
                                      strlen(text));
    size_t n = (size_t)q->width * (size_t)q->width;
    out->dark = malloc(n);
    if (!out->dark) {
        QRcode_free(q);
        return KERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        out->dark[i] = q->data[i] & 1;      /* bit 0 = dark; other bits are bookkeeping */
    out->width = q->width;
    out->version = q->version;
    QRcode_free(q);
    return 0;
}

void qr_free(struct qr_grid *g)
{
    free(g->dark);
    memset(g, 0, sizeof *g);
}

int qr_text_make(const struct qr_grid *g, int quiet, struct qr_text *out)
{
    static const char *const glyph[4] = {
        " ",            /* top light, bottom light */
        "\u2580",       /* ▀ top dark */
        "\u2584",       /* ▄ bottom dark */
        "\u2588",       /* █ both dark */
    };
    memset(out, 0, sizeof *out);
    if (quiet < 0)
        quiet = 0;
    int side = g->width + 2 * quiet;
    int lines = (side + 1) / 2;
    out->line = calloc((size_t)lines, sizeof *out->line);
    if (!out->line)
        return KERR_NOMEM;
    out->lines = lines;
    out->cols = side;
    for (int l = 0; l < lines; l++) {
        char *s = malloc((size_t)side * 3 + 1);      /* ≤ 3 UTF-8 bytes per column */
        if (!s) {
            qr_text_free(out);
            return KERR_NOMEM;
        }
        size_t o = 0;
        for (int c = 0; c < side; c++) {
            int x = c - quiet, y = 2 * l - quiet;
            int k = qr_dark(g, x, y) | qr_dark(g, x, y + 1) << 1;
            size_t gl = strlen(glyph[k]);
            memcpy(s + o, glyph[k], gl);
            o += gl;
        }
        s[o] = '\0';
        out->line[l] = s;
    }
    return 0;
}

int qr_text_for(const char *text, int quiet, struct qr_text *out)
{
    struct qr_grid g;
    memset(out, 0, sizeof *out);
    int rc = qr_make(text, &g);
    if (rc)
        return rc;
    rc = qr_text_make(&g, quiet, out);
    qr_free(&g);
    return rc;
}

void qr_text_free(struct qr_text *t)
{
    if (t->line)
        for (int i = 0; i < t->lines; i++)
            free(t->line[i]);
    free(t->line);
    memset(t, 0, sizeof *t);
}

size_t qr_raster_size(const struct qr_grid *g, int scale, int quiet)
{
    size_t dots = (size_t)(g->width + 2 * quiet) * (size_t)scale;
    return (dots + 7) / 8 * dots;
}

void qr_raster(const struct qr_grid *g, int scale, int quiet, uint8_t *bits, int *width_bytes,
               int *rows)
{
    int dots = (g->width + 2 * quiet) * scale;
    int wb = (dots + 7) / 8;
    memset(bits, 0, (size_t)wb * (size_t)dots);
    for (int y = 0; y < dots; y++) {
        uint8_t *row = bits + (size_t)y * (size_t)wb;
        int my = y / scale - quiet;
        for (int x = 0; x < dots; x++)
            if (qr_dark(g, x / scale - quiet, my))
                row[x >> 3] |= (uint8_t)(0x80 >> (x & 7));
    }
    *width_bytes = wb;
    *rows = dots;
}
