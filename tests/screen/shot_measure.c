/* shot_measure.c — measure a screenshot of the kiosk (tests/screen/test_shots.sh):
 * how tall its text really is in pixels, read from the picture, not from the
 * font size that was asked for.
 *
 * The kiosk's palette makes this simple (screens/palette.c, install/display/foot.ini):
 * the title bar is black on yellow, the status line black on white, the body
 * white on black.  Printed on one line, as NAME=VALUE pairs:
 *   width, height      the picture
 *   title_rows         rows of pixels that are mostly yellow: the title bar, one
 *                      terminal row high — the row pitch foot chose
 *   title_ink          the height of the dark ink inside it (the title's CJK glyphs)
 *   body_ink           the tallest run of rows holding white ink in the body (between
 *                      the title bar and the status line): one line of body text
 *   status_rows        rows of pixels that are mostly white: the status line
 *   lit                per mille of pixels that are not black: 0 is a blank picture
 *   colours            distinct colours (to 4 bits a channel): a picture, not a fill
 *
 * usage: shot_measure FILE.png   exit 0, 1 when the file cannot be read (said on stderr) */
#include <png.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct img {
    int w, h;
    unsigned char *px;   /* RGB, 3 bytes a pixel */
};

static int load(const char *path, struct img *im)
{
    png_image pi;
    memset(&pi, 0, sizeof pi);
    pi.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&pi, path)) {
        fprintf(stderr, "shot_measure: %s: %s\n", path, pi.message);
        return -1;
    }
    pi.format = PNG_FORMAT_RGB;
    im->w = (int)pi.width;
    im->h = (int)pi.height;
    im->px = malloc(PNG_IMAGE_SIZE(pi));
    if (!im->px) {
        png_image_free(&pi);
        fprintf(stderr, "shot_measure: %s: out of memory\n", path);
        return -1;
    }
    if (!png_image_finish_read(&pi, NULL, im->px, 0, NULL)) {
        fprintf(stderr, "shot_measure: %s: %s\n", path, pi.message);
        free(im->px);
        im->px = NULL;
        return -1;
    }
    return 0;
}

static const unsigned char *at(const struct img *im, int x, int y)
{
    return im->px + 3 * ((size_t)y * (size_t)im->w + (size_t)x);
}

static bool yellow(const unsigned char *p) { return p[0] > 200 && p[1] > 200 && p[2] < 80; }
static bool white(const unsigned char *p) { return p[0] > 200 && p[1] > 200 && p[2] > 200; }
static bool dark(const unsigned char *p) { return p[0] < 110 && p[1] < 110 && p[2] < 110; }
static bool black(const unsigned char *p) { return p[0] < 16 && p[1] < 16 && p[2] < 16; }

/* How many pixels of row y satisfy pred. */
static int count_row(const struct img *im, int y, bool (*pred)(const unsigned char *))
{
    int n = 0;
    for (int x = 0; x < im->w; x++)
        n += pred(at(im, x, y));
    return n;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: shot_measure FILE.png\n");
        return 2;
    }
    struct img im = {0};
    if (load(argv[1], &im) != 0)
        return 1;

    /* the title bar: the first run of rows that are mostly yellow */
    int t0 = -1, t1 = -1;
    for (int y = 0; y < im.h; y++) {
        bool band = count_row(&im, y, yellow) * 2 > im.w;
        if (band && t0 < 0)
            t0 = y;
        if (!band && t0 >= 0) {
            t1 = y;
            break;
        }
    }
    if (t0 >= 0 && t1 < 0)
        t1 = im.h;
    /* the ink of the title: dark pixels inside the band, between its yellow ends
     * (foot centres the grid, so a few black columns of margin are left and right) */
    int x0 = im.w, x1 = 0;
    for (int x = 0; t0 >= 0 && x < im.w; x++)
        if (yellow(at(&im, x, t0))) {
            if (x < x0)
                x0 = x;
            x1 = x + 1;
        }
    int i0 = -1, i1 = -1;
    for (int y = t0 < 0 ? im.h : t0; y < t1; y++) {
        int n = 0;
        for (int x = x0; x < x1; x++)
            n += dark(at(&im, x, y));
        if (n > 0) {
            if (i0 < 0)
                i0 = y;
            i1 = y + 1;
        }
    }
    /* the status line: the last run of rows that are mostly white */
    int s0 = -1, s1 = -1;
    for (int y = im.h - 1; y >= 0; y--) {
        bool band = count_row(&im, y, white) * 2 > im.w;
        if (band && s1 < 0)
            s1 = y + 1;
        if (!band && s1 >= 0) {
            s0 = y + 1;
            break;
        }
    }
    if (s1 >= 0 && s0 < 0)
        s0 = 0;
    /* body text: runs of rows holding white ink between the title and the status
     * line; the tallest run (not taller than a row pitch: touching lines) is one
     * line of CJK text */
    int body_ink = 0, run = 0;
    int pitch = t1 > t0 && t0 >= 0 ? t1 - t0 : im.h;
    int b0 = t1 > 0 ? t1 : 0, b1 = s0 > 0 ? s0 : im.h;
    for (int y = b0; y <= b1; y++) {
        bool ink = y < b1 && count_row(&im, y, white) > 0;
        if (ink) {
            run++;
        } else {
            if (run > body_ink && run <= pitch)
                body_ink = run;
            run = 0;
        }
    }
    /* blank or not: lit pixels and distinct colours */
    long lit = 0;
    static bool seen[4096];
    int colours = 0;
    for (int y = 0; y < im.h; y++)
        for (int x = 0; x < im.w; x++) {
            const unsigned char *p = at(&im, x, y);
            lit += !black(p);
            int c = (p[0] >> 4) << 8 | (p[1] >> 4) << 4 | (p[2] >> 4);
            if (!seen[c]) {
                seen[c] = true;
                colours++;
            }
        }
    printf("width=%d height=%d title_rows=%d title_ink=%d body_ink=%d status_rows=%d lit=%ld colours=%d\n",
           im.w, im.h, t0 >= 0 ? t1 - t0 : 0, i0 >= 0 ? i1 - i0 : 0, body_ink,
           s1 >= 0 ? s1 - s0 : 0, lit * 1000 / ((long)im.w * im.h), colours);
    free(im.px);
    return 0;
}
