/* pointer.h — a mouse or touch event (KEY_MOUSE) as the screens use it: a
 * click at a cell, or the wheel.  A press acts at once; its release is then
 * ignored (a release with no press seen — a terminal that reports only
 * releases — acts instead). */
#ifndef SCREENS_POINTER_H
#define SCREENS_POINTER_H

enum ptr_kind { PTR_NONE = 0, PTR_CLICK, PTR_WHEEL_UP, PTR_WHEEL_DOWN };

struct ptr_event {
    enum ptr_kind kind;
    int y, x;
};

/* Read the event behind a KEY_MOUSE from get_wch(). */
struct ptr_event pointer_read(void);

#endif
