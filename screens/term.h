/* term.h — starting and stopping curses the same way for the resident kiosk
 * and the staff console: a terminal type every system has when TERM is
 * unknown, raw keys, both cursor-key modes, a 25 ms Esc, high-contrast
 * colour pairs (enum ui_pair in screen.h), and mouse clicks where the
 * terminal reports them. */
#ifndef SCREENS_TERM_H
#define SCREENS_TERM_H

#include <stdbool.h>

#include "screens/curses.h"

/* Start curses on stdin/stdout; NULL when no terminal type works.
 * kiosk_palette: redefine the terminal's colours to the kiosk's (palette.h). */
SCREEN *term_start(bool kiosk_palette);
/* True when the terminal reports mouse clicks (KEY_MOUSE). */
bool term_has_mouse(void);
/* Restore the terminal and free the screen. */
void term_stop(SCREEN *scr);

#endif
