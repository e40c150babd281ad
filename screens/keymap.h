/* keymap.h — terminal keys to actions, generated from the one key table.
 *
 * kiosk/keytab.h names every action and its default keys; the bindings in
 * force (struct keytab, the defaults changed by [keys]) say which key names
 * run which action.  This module turns those key names into curses key
 * codes and resolves an incoming key against the actions the current screen
 * offers (the view's acts[]):
 *   1. a key bound to an action in acts[] runs that action;
 *   2. otherwise a printable key types (resident: ACT_DIGIT_n / ACT_CHAR_x;
 *      console: CA_CHAR with its character);
 *   3. otherwise, while acts[] is empty (a core that does not list its
 *      actions yet), the action bound to the key whatever the screen — for
 *      the console before typing, since that core decides itself whether a
 *      printable command key types (it gets the character too);
 *   4. otherwise nothing (resident: ACT_ANY, which only wakes the idle
 *      countdown; console: CA_NONE).
 * Resident mode runs in raw mode: Ctrl-C, Ctrl-Z and Ctrl-\ arrive as keys
 * and, unless [keys] binds them, mean nothing.  The console's Ctrl-C is the
 * default binding of staff.quit. */
#ifndef SCREENS_KEYMAP_H
#define SCREENS_KEYMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "kiosk/keytab.h"
#include "screens/curses.h"

/* One key as get_wch() delivers it. */
struct keycode {
    bool code;      /* a KEY_* code (KEY_CODE_YES) rather than a character */
    int key;
};

#define KEYMAP_CODES_PER_NAME 3

/* The key codes a key name stands for ("Enter" → '\n', '\r', KEY_ENTER);
 * 0 when the name is unknown. */
int keymap_codes(const char *name, struct keycode out[KEYMAP_CODES_PER_NAME]);

#define KEYMAP_MAX (KEYTAB_MAX_ACTIONS * KEYTAB_MAX_KEYS * KEYMAP_CODES_PER_NAME)

struct keymap {
    enum key_scope scope;
    int n;
    struct {
        struct keycode k;
        int act;
    } e[KEYMAP_MAX];
};

/* The key codes of every binding in force for one scope. */
void keymap_build(struct keymap *m, const struct keytab *kt, enum key_scope scope);

/* The action for one key (rules above).  acts/n_acts: the view's available
 * actions.  *ch gets the character a printable key types (0 otherwise). */
int keymap_action(const struct keymap *m, const int *acts, int n_acts, struct keycode k,
                  uint32_t *ch);

/* True when action act is in acts[0..n). */
bool keymap_offered(const int *acts, int n_acts, int act);

/* What a scope answers for "no action": ACT_ANY (resident) or CA_NONE (console). */
int keymap_none(enum key_scope scope);

#endif
