/* staff_keys.c — the staff console's one key → action table.
 *
 * Printable keys carry their character as well: the core types it into an
 * open prompt or the login form and otherwise takes the command (g, /, f,
 * …).  Function keys never type anything.  Ctrl-C ends the console like
 * F10 (it is a staff tool, often over SSH, not resident mode); the core
 * logs out and wipes first either way. */
#include "screens/curses.h"
#include "screens/staff.h"

static const struct {
    bool code;          /* a KEY_* code (get_wch KEY_CODE_YES) rather than a character */
    int key;
    enum con_action act;
} keymap[] = {
    {false, '\n', CA_ENTER}, {false, '\r', CA_ENTER}, {true, KEY_ENTER, CA_ENTER},
    {true, KEY_BACKSPACE, CA_BACKSPACE}, {false, 127, CA_BACKSPACE}, {false, 8, CA_BACKSPACE},
    {true, KEY_DC, CA_BACKSPACE},
    {false, 27, CA_ESCAPE}, {true, KEY_CANCEL, CA_ESCAPE}, {true, KEY_EXIT, CA_ESCAPE},
    {false, '\t', CA_TAB}, {true, KEY_BTAB, CA_TAB},
    {true, KEY_UP, CA_UP}, {true, KEY_DOWN, CA_DOWN},
    {true, KEY_PPAGE, CA_PGUP}, {true, KEY_NPAGE, CA_PGDN},
    {true, KEY_HOME, CA_HOME}, {true, KEY_END, CA_END},
    {true, KEY_F(1), CA_HELP}, {false, '?', CA_HELP},
    {true, KEY_F(5), CA_REFRESH}, {true, KEY_F(9), CA_LOGOUT}, {true, KEY_F(10), CA_QUIT},
    {false, 3, CA_QUIT},   /* Ctrl-C */
    /* command letters (typed as text while a prompt is open) */
    {false, 'g', CA_JUMP}, {false, '/', CA_SEARCH}, {false, 'f', CA_FILTER},
    {false, 'r', CA_REVEAL}, {false, 'v', CA_VERIFY}, {false, 'a', CA_ADD},
    {false, 'd', CA_DISABLE}, {false, 'o', CA_ROLES}, {false, 'p', CA_PASSWD},
};

enum con_action staff_key_action(int is_key_code, uint32_t key, uint32_t *ch)
{
    *ch = 0;
    for (size_t i = 0; i < sizeof keymap / sizeof keymap[0]; i++)
        if (keymap[i].code == (is_key_code != 0) && (uint32_t)keymap[i].key == key) {
            if (!is_key_code && key >= 0x20 && key != 0x7f)
                *ch = key;
            return keymap[i].act;
        }
    if (!is_key_code && key >= 0x20 && key != 0x7f) {
        *ch = key;
        return CA_CHAR;
    }
    return CA_NONE;
}
