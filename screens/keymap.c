/* keymap.c — key names to curses key codes, and a key to an action
 * (keymap.h explains the resolution rule).  The bindings come from
 * kiosk/keytab.h through struct keytab; nothing here names an action's key. */
#include "screens/keymap.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "kiosk/console/console.h"
#include "kiosk/session/session.h"

static const struct {
    const char *name;
    struct keycode k[KEYMAP_CODES_PER_NAME];
    int n;
} named[] = {
    /* a terminal sends Enter as CR (nonl() keeps it so) or LF; a keypad's Enter may be KEY_ENTER */
    {"Enter", {{false, '\r'}, {false, '\n'}, {true, KEY_ENTER}}, 3},
    /* Esc, and the Cancel/Exit keys some keypads send */
    {"Esc", {{false, 27}, {true, KEY_CANCEL}, {true, KEY_EXIT}}, 3},
    /* DEL or BS, whichever the terminal sends, and the terminfo key */
    {"Backspace", {{true, KEY_BACKSPACE}, {false, 127}, {false, 8}}, 3},
    {"Delete", {{true, KEY_DC}}, 1},
    {"Tab", {{false, '\t'}}, 1},
    {"BackTab", {{true, KEY_BTAB}}, 1},
    {"Up", {{true, KEY_UP}}, 1},
    {"Down", {{true, KEY_DOWN}}, 1},
    {"Left", {{true, KEY_LEFT}}, 1},
    {"Right", {{true, KEY_RIGHT}}, 1},
    {"PgUp", {{true, KEY_PPAGE}}, 1},
    {"PgDn", {{true, KEY_NPAGE}}, 1},
    {"Home", {{true, KEY_HOME}}, 1},
    {"End", {{true, KEY_END}}, 1},
    {"Space", {{false, ' '}}, 1},
};

int keymap_codes(const char *name, struct keycode out[KEYMAP_CODES_PER_NAME])
{
    size_t len = strlen(name);
    if (len == 1 && isprint((unsigned char)name[0])) {
        out[0] = (struct keycode){false, (unsigned char)name[0]};
        return 1;
    }
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (!strcasecmp(name, named[i].name)) {
            memcpy(out, named[i].k, sizeof named[i].k);
            return named[i].n;
        }
    if ((name[0] == 'F' || name[0] == 'f') && len >= 2 && len <= 3 && isdigit((unsigned char)name[1]) &&
        (len == 2 || isdigit((unsigned char)name[2]))) {
        int f = name[1] - '0';
        if (len == 3)
            f = f * 10 + (name[2] - '0');
        if (f < 1 || f > 12)
            return 0;
        out[0] = (struct keycode){true, KEY_F(f)};
        return 1;
    }
    if (len == 6 && !strncasecmp(name, "Ctrl-", 5) && isalpha((unsigned char)name[5])) {
        out[0] = (struct keycode){false, toupper((unsigned char)name[5]) - 'A' + 1};
        return 1;
    }
    return 0;
}

void keymap_build(struct keymap *m, const struct keytab *kt, enum key_scope scope)
{
    m->scope = scope;
    m->n = 0;
    /* table order: when [keys] gives one key to two actions, the earlier row is
     * the one a screen offering both gets (and the fallback too) */
    for (int i = 0; i < keytab_count(scope); i++) {
        const struct action_def *d = keytab_at(scope, i);
        const char *names[KEYTAB_MAX_KEYS];
        int nk = keytab_keys(kt, scope, d->id, names);
        for (int j = 0; j < nk; j++) {
            struct keycode k[KEYMAP_CODES_PER_NAME];
            int nc = keymap_codes(names[j], k);
            for (int c = 0; c < nc && m->n < KEYMAP_MAX; c++) {
                m->e[m->n].k = k[c];
                m->e[m->n].act = d->id;
                m->n++;
            }
        }
    }
}

bool keymap_offered(const int *acts, int n_acts, int act)
{
    for (int i = 0; i < n_acts; i++)
        if (acts[i] == act)
            return true;
    return false;
}

int keymap_none(enum key_scope scope)
{
    return scope == KS_STAFF ? CA_NONE : ACT_ANY;
}

static bool same(struct keycode a, struct keycode b)
{
    return a.code == b.code && a.key == b.key;
}

/* The first action bound to k that acts[] offers (any action when acts is NULL); -1 none. */
static int bound(const struct keymap *m, const int *acts, int n_acts, struct keycode k)
{
    for (int i = 0; i < m->n; i++)
        if (same(m->e[i].k, k) && (!acts || keymap_offered(acts, n_acts, m->e[i].act)))
            return m->e[i].act;
    return -1;
}

static bool printable(struct keycode k)
{
    return !k.code && k.key >= 0x20 && k.key != 0x7f && !(k.key >= 0xd800 && k.key < 0xe000) &&
           k.key <= 0x10ffff;
}

/* What a printable key types, or -1 when it types nothing here. */
static int typed(enum key_scope scope, struct keycode k)
{
    if (scope == KS_STAFF)
        return CA_CHAR;
    if (k.key >= '0' && k.key <= '9')
        return ACT_DIGIT_0 + (k.key - '0');
    if (k.key >= 'a' && k.key <= 'z')
        return ACT_CHAR_A + (k.key - 'a');
    if (k.key >= 'A' && k.key <= 'Z')
        return ACT_CHAR_A + (k.key - 'A');
    return -1;
}

int keymap_action(const struct keymap *m, const int *acts, int n_acts, struct keycode k,
                  uint32_t *ch)
{
    bool pr = printable(k);
    /* the console core types a printable key into an open prompt whatever the action */
    *ch = pr && m->scope == KS_STAFF ? (uint32_t)k.key : 0;
    int a;
    if (n_acts > 0 && (a = bound(m, acts, n_acts, k)) >= 0)
        return a;
    if (n_acts == 0 && m->scope == KS_STAFF && (a = bound(m, NULL, 0, k)) >= 0)
        return a;
    if (pr && (a = typed(m->scope, k)) >= 0)
        return a;
    if (n_acts == 0 && (a = bound(m, NULL, 0, k)) >= 0)
        return a;
    return keymap_none(m->scope);
}
