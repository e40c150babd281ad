/* keys.c — the one key → action table.  Screens never see raw keys.
 *
 * Keypad-only operation: digits, Enter, Backspace/Esc, arrows, F-keys.
 * Letters are accepted too (a receipt number has some, and a kiosk may have
 * a full keyboard), but every letter can also be entered with ↑/↓.  Ctrl-C,
 * Ctrl-Z and Ctrl-\ arrive here as plain keys (raw mode) and mean nothing. */
#include "screens/keys.h"

static const struct {
    int key;
    enum kiosk_action act;
} keymap[] = {
    {'\n', ACT_ENTER}, {'\r', ACT_ENTER}, {KEY_ENTER, ACT_ENTER},
    {KEY_BACKSPACE, ACT_BACKSPACE}, {127, ACT_BACKSPACE}, {8, ACT_BACKSPACE},
    {KEY_DC, ACT_BACKSPACE},
    {27, ACT_ESCAPE}, {KEY_CANCEL, ACT_ESCAPE}, {KEY_EXIT, ACT_ESCAPE},
    {KEY_UP, ACT_UP}, {KEY_DOWN, ACT_DOWN}, {KEY_LEFT, ACT_LEFT}, {KEY_RIGHT, ACT_RIGHT},
    {KEY_F(1), ACT_HELP}, {KEY_F(2), ACT_LANG}, {KEY_F(3), ACT_PRINT}, {KEY_F(4), ACT_PICKER},
    {KEY_HELP, ACT_HELP}, {KEY_PRINT, ACT_PRINT},
    /* numeric keypad in application mode */
    {KEY_A1, ACT_NONE}, {KEY_B2, ACT_NONE},
};

enum kiosk_action key_action(int is_key_code, wint_t key)
{
    if (!is_key_code) {
        if (key >= L'0' && key <= L'9')
            return (enum kiosk_action)(ACT_DIGIT_0 + (int)(key - L'0'));
        if (key >= L'a' && key <= L'z')
            return (enum kiosk_action)(ACT_CHAR_A + (int)(key - L'a'));
        if (key >= L'A' && key <= L'Z')
            return (enum kiosk_action)(ACT_CHAR_A + (int)(key - L'A'));
    }
    for (size_t i = 0; i < sizeof keymap / sizeof keymap[0]; i++)
        if ((int)key == keymap[i].key) {
            /* a plain character code (≥ KEY_MIN is never one) must not alias a key code */
            if (!is_key_code && keymap[i].key >= KEY_MIN)
                continue;
            if (is_key_code && keymap[i].key < KEY_MIN)
                continue;
            return keymap[i].act;
        }
    return ACT_ANY;
}
