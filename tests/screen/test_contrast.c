/* test_contrast.c — every colour pair the kiosk draws reaches 7:1 (WCAG 1.4.6),
 * computed from the shipped palette: screens/palette.c (what the kiosk sets)
 * and install/display/foot.ini (what the kiosk's terminal starts with), which
 * must agree.  TAP.
 *
 * usage: test_contrast [FOOT_INI]   (default install/display/foot.ini) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/palette.h"
#include "tests/tap.h"

static bool ini_colour(const char *path, const char *key, struct palette_rgb *out)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[256];
    bool found = false;
    size_t kl = strlen(key);
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, key, kl) && line[kl] == '=') {
            unsigned v = (unsigned)strtoul(line + kl + 1, NULL, 16);
            *out = (struct palette_rgb){(unsigned char)(v >> 16), (unsigned char)(v >> 8),
                                        (unsigned char)v};
            found = true;
        }
    fclose(f);
    return found;
}

int main(int argc, char **argv)
{
    const char *ini = argc > 1 ? argv[1] : "install/display/foot.ini";
    /* the formula against WCAG's own anchors */
    struct palette_rgb black = {0, 0, 0}, white = {255, 255, 255};
    double bw = palette_contrast(black, white);
    ok(bw > 20.99 && bw < 21.01, "black on white is 21:1 (%.2f)", bw);
    double grey = palette_contrast(white, (struct palette_rgb){0x76, 0x76, 0x76});
    ok(grey > 4.49 && grey < 4.6, "white on #767676 is 4.5:1 (%.2f)", grey);
    double min = 99;
    for (int p = 1; p < palette_n_pairs; p++) {
        double c = palette_contrast(palette_colour[palette_pair[p].fg],
                                    palette_colour[palette_pair[p].bg]);
        min = c < min ? c : min;
        ok(c >= PALETTE_MIN_CONTRAST, "%s: %.2f:1 ≥ 7:1", palette_pair[p].name, c);
    }
    printf("# lowest pair: %.2f:1\n", min);
    /* the terminal's palette is the same */
    for (int i = 0; i < PALETTE_COLOURS; i++) {
        char key[16];
        struct palette_rgb c;
        snprintf(key, sizeof key, "regular%d", i);
        bool got = ini_colour(ini, key, &c);
        ok(got && c.r == palette_colour[i].r && c.g == palette_colour[i].g &&
               c.b == palette_colour[i].b,
           "%s: %s is the kiosk's colour %d (%02x%02x%02x)", ini, key, i, palette_colour[i].r,
           palette_colour[i].g, palette_colour[i].b);
    }
    struct palette_rgb fg, bg;
    bool both = ini_colour(ini, "foreground", &fg) && ini_colour(ini, "background", &bg);
    ok(both && palette_contrast(fg, bg) >= PALETTE_MIN_CONTRAST,
       "%s: the terminal's own foreground on background ≥ 7:1 (%.2f)", ini,
       both ? palette_contrast(fg, bg) : 0.0);
    return tap_done();
}
