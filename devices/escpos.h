/* escpos.h — an ESC/POS encoder: pure functions appending to a byte buffer.
 *
 * Only the commands the receipt needs (DEVICES.md §2): init, alignment,
 * character size, bold, feed, Chinese mode, text in GB18030 (2-byte range),
 * raster images (GS v 0, in stripes), native QR (GS ( k), cut, and the
 * DLE EOT real-time status requests and their replies.  The buffer has a
 * fixed capacity given by the caller (no allocation on the print path);
 * overflow sets b->err and later appends do nothing, so a caller checks once
 * at the end. */
#ifndef DEVICES_ESCPOS_H
#define DEVICES_ESCPOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct escpos_buf {
    uint8_t *data;
    size_t len, cap;
    int err;            /* 0, or KERR_NOMEM after an overflow */
    void *cd;           /* iconv descriptor, opened on first non-ASCII text */
};

enum escpos_align { ESCPOS_LEFT = 0, ESCPOS_CENTER = 1, ESCPOS_RIGHT = 2 };
enum escpos_qr_ec { ESCPOS_QR_L = 0x30, ESCPOS_QR_M = 0x31, ESCPOS_QR_Q = 0x32, ESCPOS_QR_H = 0x33 };

/* Rows per GS v 0 command: many printers cap yH, and python-escpos splits
 * at 960; 256 rows keeps yH ≤ 1 and the line buffer small. */
#define ESCPOS_STRIPE_ROWS 256

void escpos_buf_init(struct escpos_buf *b, uint8_t *storage, size_t cap);
/* Close the iconv descriptor (the bytes stay in the caller's storage). */
void escpos_buf_release(struct escpos_buf *b);

void escpos_raw(struct escpos_buf *b, const void *p, size_t n);
void escpos_init(struct escpos_buf *b);                         /* ESC @ */
void escpos_align(struct escpos_buf *b, enum escpos_align a);   /* ESC a n */
void escpos_size(struct escpos_buf *b, int width, int height);  /* GS ! n, 1–8 each */
void escpos_bold(struct escpos_buf *b, bool on);                /* ESC E n */
void escpos_feed(struct escpos_buf *b, int lines);              /* ESC d n */
void escpos_chinese(struct escpos_buf *b, bool on);             /* FS & / FS . */
void escpos_newline(struct escpos_buf *b);                      /* LF */
/* UTF-8 text → printable bytes.  ASCII as is; other characters as GB18030
 * when they encode in 2 bytes (GBK range, what the printers' fonts have),
 * else a full-width '？' (A3 BF) so columns stay aligned and nothing is
 * garbled; invalid UTF-8 bytes → '?'.  Control bytes (ESC, GS, …) in text
 * are dropped so data can never become a command; '\n' becomes LF.
 * Returns the number of characters replaced. */
int escpos_text(struct escpos_buf *b, const char *utf8);
/* The display width of the text as escpos_text would print it, in
 * half-width columns (2 for each double-byte character). */
int escpos_text_columns(const char *utf8);
/* A 1-bit image, rows of width_bytes bytes, MSB = leftmost dot, 1 = black,
 * as GS v 0 commands of at most stripe_rows rows each (0 → default). */
void escpos_raster(struct escpos_buf *b, const uint8_t *bits, int width_bytes, int rows,
                   int stripe_rows);
/* Native QR: model 2, module size 1–16 dots, EC level, store, print. */
void escpos_qr(struct escpos_buf *b, const char *data, size_t n, int module,
               enum escpos_qr_ec ec);
void escpos_cut(struct escpos_buf *b, bool partial);            /* GS V 0/1 */
void escpos_status_request(struct escpos_buf *b, int n);        /* DLE EOT n, n = 1–4 */

/* A real-time status reply decoded.  Fields not covered by the request n
 * stay false. */
struct escpos_status {
    bool offline;          /* n=1 bit 3 */
    bool cover_open;       /* n=2 bit 2 */
    bool feed_pressed;     /* n=2 bit 3 */
    bool paper_end_stop;   /* n=2 bit 5: stopped because the paper ran out */
    bool error;            /* n=2 bit 6 */
    bool near_end;         /* n=4 bits 2–3 */
    bool paper_out;        /* n=4 bits 5–6 */
};
/* 0, or KERR_INPUT when the byte lacks the fixed bits (0xx1xx10). */
int escpos_status_parse(int n, uint8_t reply, struct escpos_status *st);

/* ---- printer profiles ----------------------------------------------------
 * What the layout needs to know about the paper and the printer. */
struct printer_profile {
    const char *name;     /* "58mm" / "80mm" */
    int dots;             /* printable width: 384 or 576 */
    int columns;          /* Font A (12×24) columns: 32 or 48 */
    bool native_qr;       /* GS ( k understood; else a raster QR */
    int qr_module;        /* dots per module for GS ( k */
    int qr_scale_max;     /* dots per module for a raster QR */
};

/* The profile for a paper width in dots (384 → 58 mm, 576 → 80 mm; other
 * values round down to the nearer one) and the [printer] native_qr key. */
void escpos_profile(int paper_dots, bool native_qr, struct printer_profile *out);

#endif
