/* term.c — curses set-up and tear-down shared by both loops (see term.h). */
#include "screens/term.h"

#include <stdio.h>
#include <stdlib.h>

#include "screens/palette.h"
#include "screens/screen.h"

/* An unknown TERM makes initscr() exit the process, so use newterm() and
 * fall back to terminal types every system has. */
static SCREEN *open_terminal(void)
{
    const char *term = getenv("TERM");
    SCREEN *scr = newterm(term && *term ? term : NULL, stdout, stdin);
    if (!scr) {
        fprintf(stderr, "kiosk: terminal type \"%s\" unknown; using xterm-256color\n",
                term ? term : "");
        scr = newterm("xterm-256color", stdout, stdin);
    }
    if (!scr)
        scr = newterm("vt100", stdout, stdin);
    return scr;
}

/* The pairs of screen.h from the palette (palette.c).  When the terminal
 * lets colours be redefined, the kiosk's own sRGB values are set too (the
 * resident kiosk only: the staff console leaves an administrator's
 * terminal as it is); install/display/foot.ini ships the same colours. */
static void init_colours(bool set_palette)
{
    if (!has_colors())
        return;
    start_color();
    if (set_palette && can_change_color() && COLORS >= PALETTE_COLOURS)
        for (int i = 0; i < PALETTE_COLOURS; i++)
            init_color((short)i, (short)(palette_colour[i].r * 1000 / 255),
                       (short)(palette_colour[i].g * 1000 / 255),
                       (short)(palette_colour[i].b * 1000 / 255));
    for (int p = 1; p < UP__COUNT && p < palette_n_pairs; p++)
        init_pair((short)p, (short)palette_pair[p].fg, (short)palette_pair[p].bg);
    bkgd((chtype)COLOR_PAIR(UP_NORMAL));
}

static bool mouse_on;

/* Clicks and touches on the key hints and list rows (screens/hintbar.h).
 * ncurses turns the terminal's reporting on from terminfo: with
 * kmous=\E[< and XM (xterm, foot) that is the SGR 1006 format, which has no
 * 223-column limit; a terminal without kmous reports nothing and the kiosk
 * stays keyboard-only.  Every press and release comes separately
 * (mouseinterval 0): a click acts at once, without waiting to see whether
 * it becomes a double click. */
static void start_mouse(void)
{
    mmask_t want = BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED |
                   BUTTON4_PRESSED | BUTTON5_PRESSED;
    mouseinterval(0);
    mouse_on = mousemask(want, NULL) != 0;
}

SCREEN *term_start(bool kiosk_palette)
{
    set_escdelay(25);   /* a lone Esc must not take a second */
    SCREEN *scr = open_terminal();
    if (!scr)
        return NULL;
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    /* Arrows arrive in either cursor-key mode, whatever terminfo says the
     * terminal sends: a USB keypad or a terminal that ignores smkx must
     * not turn ↓ into Esc (which would end a session). */
    static const struct { const char *seq; int key; } arrows[] = {
        {"\033[A", KEY_UP}, {"\033[B", KEY_DOWN}, {"\033[C", KEY_RIGHT}, {"\033[D", KEY_LEFT},
        {"\033OA", KEY_UP}, {"\033OB", KEY_DOWN}, {"\033OC", KEY_RIGHT}, {"\033OD", KEY_LEFT},
    };
    for (size_t i = 0; i < sizeof arrows / sizeof arrows[0]; i++)
        define_key(arrows[i].seq, arrows[i].key);
    nodelay(stdscr, TRUE);
    /* Every frame is sent whole.  By default ncurses stops an update half way
     * when input is waiting (typeahead) and finishes it at the next refresh;
     * but the release that follows a click's press arrives exactly then and
     * asks for no new frame, so half a screen could stay up for good. */
    typeahead(-1);
    curs_set(0);
    init_colours(kiosk_palette);
    start_mouse();
    return scr;
}

bool term_has_mouse(void)
{
    return mouse_on;
}

void term_stop(SCREEN *scr)
{
    if (mouse_on)
        mousemask(0, NULL);   /* the terminal stops reporting clicks to whatever runs next */
    mouse_on = false;
    endwin();
    delscreen(scr);
}
