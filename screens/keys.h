/* keys.h — keys to actions, once (keys.c holds the table). */
#ifndef SCREENS_KEYS_H
#define SCREENS_KEYS_H

#include "kiosk/session/session.h"
#include "screens/curses.h"

/* is_key_code: get_wch returned KEY_CODE_YES (function/arrow keys). */
enum kiosk_action key_action(int is_key_code, wint_t key);

#endif
