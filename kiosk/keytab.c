/* keytab.c — the action tables generated from keytab.h's X-macros, the
 * bindings in force ([keys] over the defaults), and the hint and help text
 * built from them.  Pure: no terminal here (screens/keymap.c turns key names
 * into key codes). */
#include "kiosk/keytab.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "kiosk/console/console.h"
#include "kiosk/err.h"
#include "kiosk/session/session.h"

#define ROW(id, name, keys, len, lzh, hen, hzh) {id, name, keys, {len, lzh}, {hen, hzh}},
static const struct action_def resident_defs[] = {RESIDENT_ACTIONS(ROW)};
static const struct action_def staff_defs[] = {STAFF_ACTIONS(ROW)};
#undef ROW

_Static_assert(sizeof resident_defs / sizeof resident_defs[0] <= KEYTAB_MAX_ACTIONS, "resident table");
_Static_assert(sizeof staff_defs / sizeof staff_defs[0] <= KEYTAB_MAX_ACTIONS, "staff table");

static const struct action_def *defs(enum key_scope scope, int *n)
{
    if (scope == KS_STAFF) {
        *n = (int)(sizeof staff_defs / sizeof staff_defs[0]);
        return staff_defs;
    }
    *n = (int)(sizeof resident_defs / sizeof resident_defs[0]);
    return resident_defs;
}

int keytab_count(enum key_scope scope)
{
    int n;
    defs(scope, &n);
    return n;
}

const struct action_def *keytab_at(enum key_scope scope, int i)
{
    int n;
    const struct action_def *d = defs(scope, &n);
    return i >= 0 && i < n ? &d[i] : NULL;
}

static int index_of(enum key_scope scope, int id)
{
    int n;
    const struct action_def *d = defs(scope, &n);
    for (int i = 0; i < n; i++)
        if (d[i].id == id)
            return i;
    return -1;
}

const struct action_def *keytab_def(enum key_scope scope, int id)
{
    return keytab_at(scope, index_of(scope, id));
}

int keytab_lang(const char *lang)
{
    return lang && !strcmp(lang, "zh") ? 1 : 0;
}

/* ---- key names ------------------------------------------------------------------ */

static const char *const named_keys[] = {
    "Enter", "Esc", "Backspace", "Delete", "Tab", "BackTab", "Up", "Down", "Left", "Right",
    "PgUp", "PgDn", "Home", "End", "Space",
};

/* The canonical spelling of a key name, written to out; false when unknown. */
static bool canon_key(const char *s, char out[KEYTAB_KEY_NAME])
{
    size_t len = strlen(s);
    if (len == 1 && isprint((unsigned char)s[0]) && s[0] != ' ') {
        out[0] = s[0];
        out[1] = '\0';
        return true;
    }
    for (size_t i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++)
        if (!strcasecmp(s, named_keys[i])) {
            snprintf(out, KEYTAB_KEY_NAME, "%s", named_keys[i]);
            return true;
        }
    int f;
    char extra;
    if ((s[0] == 'F' || s[0] == 'f') && sscanf(s + 1, "%d%c", &f, &extra) == 1 && f >= 1 && f <= 12 &&
        isdigit((unsigned char)s[1])) {
        snprintf(out, KEYTAB_KEY_NAME, "F%d", f);
        return true;
    }
    if (!strncasecmp(s, "Ctrl-", 5) && len == 6 && isalpha((unsigned char)s[5])) {
        snprintf(out, KEYTAB_KEY_NAME, "Ctrl-%c", toupper((unsigned char)s[5]));
        return true;
    }
    return false;
}

bool keytab_key_name_ok(const char *s)
{
    char c[KEYTAB_KEY_NAME];
    return canon_key(s, c);
}

/* Split "F1, 5" / "F1 5" into key names; false (with the detail set) on a bad one. */
static int set_keys(struct keytab *kt, enum key_scope scope, int i, const char *value,
                    const char *name)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", value);
    int n = 0;
    char keys[KEYTAB_MAX_KEYS][KEYTAB_KEY_NAME];
    for (char *save = NULL, *tok = strtok_r(buf, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
        if (!strcasecmp(tok, "none"))
            continue;
        if (n == KEYTAB_MAX_KEYS)
            return kerr(KERR_CONFIG, "%s: at most %d keys per action", name, KEYTAB_MAX_KEYS);
        if (!canon_key(tok, keys[n]))
            return kerr(KERR_CONFIG,
                        "%s: \"%s\" is not a key name (F1…F12, Enter, Esc, Backspace, Delete, Tab, "
                        "Up, Down, Left, Right, PgUp, PgDn, Home, End, Space, Ctrl-X, or one character)",
                        name, tok);
        n++;
    }
    kt->n_keys[scope][i] = n;
    memcpy(kt->keys[scope][i], keys, sizeof keys);
    return 0;
}

void keytab_defaults(struct keytab *kt)
{
    memset(kt, 0, sizeof *kt);
    for (int s = 0; s < KS__COUNT; s++)
        for (int i = 0; i < keytab_count((enum key_scope)s); i++) {
            const struct action_def *d = keytab_at((enum key_scope)s, i);
            /* the defaults are known-good: a failure here is a bug in keytab.h */
            if (set_keys(kt, (enum key_scope)s, i, d->keys, d->name) != 0)
                kt->n_keys[s][i] = 0;
        }
}

int keytab_bind(struct keytab *kt, const char *name, const char *value)
{
    enum key_scope scope = KS_RESIDENT;
    const char *bare = name;
    if (!strncmp(name, "staff.", 6)) {
        scope = KS_STAFF;
        bare = name + 6;
    }
    for (int i = 0; i < keytab_count(scope); i++)
        if (!strcmp(keytab_at(scope, i)->name, bare))
            return set_keys(kt, scope, i, value, name);
    return kerr(KERR_NOTFOUND, "%s: no such action (see the [keys] list in kiosk.conf.example)", name);
}

int keytab_keys(const struct keytab *kt, enum key_scope scope, int id,
                const char *out[KEYTAB_MAX_KEYS])
{
    int i = index_of(scope, id);
    if (i < 0)
        return 0;
    for (int k = 0; k < kt->n_keys[scope][i]; k++)
        out[k] = kt->keys[scope][i][k];
    return kt->n_keys[scope][i];
}

/* ---- hints and help --------------------------------------------------------------- */

size_t keytab_hint(const struct keytab *kt, enum key_scope scope, const int *acts, int n,
                   const char *lang, char *out, size_t cap)
{
    size_t len = 0;
    int l = keytab_lang(lang);
    if (cap)
        out[0] = '\0';
    for (int i = 0; i < n; i++) {
        const struct action_def *d = keytab_def(scope, acts[i]);
        const char *keys[KEYTAB_MAX_KEYS];
        if (!d || keytab_keys(kt, scope, acts[i], keys) == 0)
            continue;
        int w = snprintf(out + len, cap > len ? cap - len : 0, "%s[%s] %s", len ? "  " : "", keys[0],
                         d->label[l]);
        if (w < 0 || (size_t)w >= (cap > len ? cap - len : 0)) {
            if (cap > len)
                out[len] = '\0';   /* whole hints only: never a cut label */
            break;
        }
        len += (size_t)w;
    }
    return len;
}

void keytab_help(const struct keytab *kt, enum key_scope scope, const int *acts, int n,
                 const char *lang, void (*cb)(void *ctx, const char *line), void *ctx)
{
    int l = keytab_lang(lang);
    for (int i = 0; i < n; i++) {
        const struct action_def *d = keytab_def(scope, acts[i]);
        if (!d)
            continue;
        const char *keys[KEYTAB_MAX_KEYS];
        int nk = keytab_keys(kt, scope, acts[i], keys);
        char k[64] = "";
        size_t kl = 0;
        for (int j = 0; j < nk && kl < sizeof k; j++)
            kl += (size_t)snprintf(k + kl, sizeof k - kl, "%s%s", j ? "/" : "", keys[j]);
        char line[320];
        snprintf(line, sizeof line, "%-10s %s", nk ? k : (l ? "（触摸）" : "(touch)"), d->help[l]);
        cb(ctx, line);
    }
}
