/* pointer.c — KEY_MOUSE to a click or a wheel turn (pointer.h). */
#include "screens/pointer.h"

#include <stdbool.h>

#include "screens/curses.h"

static bool pressed;   /* a press acted; its release must not act again */

struct ptr_event pointer_read(void)
{
    struct ptr_event e = {PTR_NONE, 0, 0};
    MEVENT m;
    if (getmouse(&m) != OK)
        return e;
    e.y = m.y;
    e.x = m.x;
    if (m.bstate & BUTTON4_PRESSED) {
        e.kind = PTR_WHEEL_UP;
    } else if (m.bstate & BUTTON5_PRESSED) {
        e.kind = PTR_WHEEL_DOWN;
    } else if (m.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED)) {
        e.kind = PTR_CLICK;
        pressed = (m.bstate & BUTTON1_PRESSED) != 0;
    } else if (m.bstate & BUTTON1_RELEASED) {
        if (!pressed)
            e.kind = PTR_CLICK;
        pressed = false;
    }
    return e;
}
