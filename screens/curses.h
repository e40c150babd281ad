/* curses.h — the one place that includes ncurses (wide-character build).
 *
 * Everything in screens/ includes this instead of <curses.h>, so the
 * feature macros that make the wide API (cchar_t, get_wch, addnwstr)
 * visible are set once, before the header, in the same way everywhere. */
#ifndef SCREENS_CURSES_H
#define SCREENS_CURSES_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <ncursesw/curses.h>
#include <wchar.h>

#endif
