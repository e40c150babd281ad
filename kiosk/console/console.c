/* console.c — the staff console's dispatch (console.h, console_int.h).
 *
 * Which screen is current, opening and closing screens, the text prompt,
 * the actions available now and the key hint made from them, logging in
 * and out, the idle timer.  What each screen reads, shows and does is in
 * its own file (login.c, home.c, programs.c, queue.c, entry.c, beds.c,
 * bed.c, kiosks.c, accounts.c, audit.c, check.c, help.c), each one
 * `const struct con_screen_ops`.
 *
 * Every input ends the same way: the current screen's build formats its
 * loaded state into the view model — never a store call — so a key that
 * only moves the cursor or types a character costs microseconds.  The
 * store is read only by a screen's load: on open, on F5, after an action
 * wrote (CR_LOAD, or the generation counter on return), and when the
 * queue browser needs another page.
 *
 * All changes go through the core functions (queue_staff_action,
 * eldercare_advance, auth_user_*), which check roles again and write the
 * change, its event and its audit record in one transaction; the screens
 * only decide what to OFFER (least privilege) and how to show the answer.
 *
 * Privacy: lists show masked names and ID numbers; an entry's detail shows
 * the full name and the masked ID; the full ID number only after an
 * explicit, audited "reveal".  On logout (by hand, by the idle timer, at
 * exit) every screen's leave wipes what it loaded, and the view is wiped. */
#include "kiosk/console/console.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/config.h"
#include "kiosk/card_event.h"
#include "kiosk/console/console_int.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/linebreak.h"
#include "kiosk/secret.h"

#define DEFAULT_IDLE_S 600
/* The hint line's budget: an 80-column terminal less its margins. */
#define HINT_COLS 78

/* The ops of each screen, indexed by enum con_screen. */
static const struct con_screen_ops *const screens[CS__COUNT] = {
    [CS_LOGIN] = &con_login,     [CS_HOME] = &con_home,         [CS_PROGRAMS] = &con_programs,
    [CS_QUEUE] = &con_queue,     [CS_ENTRY] = &con_entry,       [CS_BEDS] = &con_beds,
    [CS_BED] = &con_bed,         [CS_KIOSKS] = &con_kiosks,     [CS_ACCOUNTS] = &con_accounts,
    [CS_AUDIT] = &con_audit,     [CS_CHECK] = &con_check,       [CS_HELP] = &con_help,
    [CS_FLEET] = &con_fleet,     [CS_CARD] = &con_card,
    [CS_PERSON] = &con_person,   [CS_REPORTS] = &con_reports,
    [CS_HOUSING] = &con_housing,
};

static const struct con_screen_ops *ops(int s) { return screens[s]; }

int console_layout_of(int screen)
{
    return screen >= 0 && screen < CS__COUNT ? ops(screen)->layout : CL_TABLE;
}

/* ---- actions and the hint ------------------------------------------------------------ */

static const struct keytab *bindings(const struct console *c)
{
    static struct keytab defaults;
    static bool ready;
    if (c->cfg)
        return &c->cfg->keys;
    if (!ready) {
        keytab_defaults(&defaults);
        ready = true;
    }
    return &defaults;
}

static bool in(const int *acts, int n, int a)
{
    for (int i = 0; i < n; i++)
        if (acts[i] == a)
            return true;
    return false;
}

/* Cursor movement: self-evident on a keyboard, so last in the hint. */
static bool is_nav(int a)
{
    return a == CA_UP || a == CA_DOWN || a == CA_PGUP || a == CA_PGDN || a == CA_HOME || a == CA_END;
}

/* The actions available now on screen s: the prompt's while one is open,
 * else the screen's own, then help, log out and quit. */
static int actions_of(const struct console *c, int s, int *acts, int cap)
{
    int n = 0;
    if (c->prompt != PK_NONE) {
        static const int p[] = {CA_ENTER, CA_ESCAPE, CA_BACKSPACE};
        for (int i = 0; i < 3 && n < cap; i++)
            acts[n++] = p[i];
        return n;
    }
    n = ops(s)->actions(c, acts, cap);
    /* n/N once something was searched for in a list that has rows */
    if (ops(s)->find_sel && c->find.text[0]) {
        int rows = 0;
        ops(s)->find_sel((struct console *)c, &rows);
        if (rows > 1 && n + 2 <= cap) {
            acts[n++] = CA_NEXT;
            acts[n++] = CA_PREV;
        }
    }
    if (s != CS_HELP && n < cap && !in(acts, n, CA_HELP))
        acts[n++] = CA_HELP;
    if (c->logged_in && n < cap && !in(acts, n, CA_LOGOUT))
        acts[n++] = CA_LOGOUT;
    if (n < cap && !in(acts, n, CA_QUIT))
        acts[n++] = CA_QUIT;
    /* hint order: the cursor keys last (self-evident on a keyboard), so a
     * narrow hint line drops them first */
    int out[KEYTAB_MAX_ACTIONS], k = 0;
    if (n > KEYTAB_MAX_ACTIONS)
        return n;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < n; i++)
            if (is_nav(acts[i]) == (pass == 1))
                out[k++] = acts[i];
    memcpy(acts, out, (size_t)n * sizeof acts[0]);
    return n;
}

int con_actions(const struct console *c, int s, int *acts, int cap)
{
    return actions_of(c, s, acts, cap);
}

/* The hint: as many of the available actions as fit an 80-column line —
 * the screen's commands, then help, log out and quit, then the cursor
 * keys — always with help (which lists them all).  The text is
 * keytab_hint's: the keys bound now ([keys] remaps show) and the table's
 * labels in the console's language. */
static void make_hint(struct console *c)
{
    const struct keytab *kt = bindings(c);
    const char *lang = con_lang(c);
    int pick[KEYTAB_MAX_ACTIONS], np = 0, used = 0;
    char one[160];
    if (in(c->v.acts, c->v.n_acts, CA_HELP) &&
        keytab_hint(kt, KS_STAFF, (int[]){CA_HELP}, 1, lang, one, sizeof one))
        used = linebreak_width(one) + 2;   /* room kept for help */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < c->v.n_acts; i++) {
            int a = c->v.acts[i];
            if (is_nav(a) != (pass == 1))
                continue;
            if (a == CA_HELP) {
                pick[np++] = a;
                continue;
            }
            if (!keytab_hint(kt, KS_STAFF, &a, 1, lang, one, sizeof one))
                continue;   /* no key bound: touch only */
            int w = linebreak_width(one) + 2;
            if (used + w - 2 > HINT_COLS)
                continue;
            used += w;
            pick[np++] = a;
        }
    keytab_hint(kt, KS_STAFF, pick, np, lang, c->v.hint, sizeof c->v.hint);
}

/* ---- the view ---------------------------------------------------------------------------- */

/* Clear the screen-specific part of the view (message and login fields stay). */
static void clear_body(struct console *c)
{
    struct con_view *v = &c->v;
    secure_wipe(v->caption, sizeof v->caption);
    secure_wipe(v->col, sizeof v->col);
    /* only the rows and lines in use: the rest are zero already */
    secure_wipe(v->row, (size_t)v->n_rows * sizeof v->row[0]);
    secure_wipe(v->line, (size_t)v->n_lines * sizeof v->line[0]);
    secure_wipe(v->item, (size_t)v->n_items * sizeof v->item[0]);
    v->title[0] = '\0';
    v->n_cols = v->n_rows = v->n_lines = v->n_items = 0;
    v->selected = v->item_sel = -1;
    v->bar_col = v->wide_col = -1;
}

/* Rebuild the view from the state: the current screen's build (pure
 * formatting), the available actions and the hint, the prompt line. */
static void rebuild(struct console *c)
{
    clear_body(c);
    c->v.screen = c->screen;
    if (c->logged_in) {
        /* the role codes in the console's language ("street" → 街道; the codes
         * are also msgids, data/po/zh.po) */
        char roles[64], shown[96] = "";
        roles_format(c->me.roles, roles, sizeof roles);
        size_t o = 0;
        for (char *tok = strtok(roles, ","); tok && o < sizeof shown; tok = strtok(NULL, ","))
            o += (size_t)snprintf(shown + o, sizeof shown - o, "%s%s", o ? "," : "", _(tok));
        snprintf(c->v.who, sizeof c->v.who, "%.30s (%.60s)", c->me.name, shown);
    } else {
        c->v.who[0] = '\0';
    }
    ops(c->screen)->build(c);
    c->v.n_acts = actions_of(c, c->screen, c->v.acts, KEYTAB_MAX_ACTIONS);
    make_hint(c);
    c->v.prompting = c->prompt != PK_NONE;
    if (c->v.prompting) {
        if (c->prompt_secret) {
            int n = c->prompt_len < (int)sizeof c->v.prompt_value - 1 ? c->prompt_len
                                                                      : (int)sizeof c->v.prompt_value - 1;
            memset(c->v.prompt_value, '*', (size_t)n);
            c->v.prompt_value[n] = '\0';
        } else {
            snprintf(c->v.prompt_value, sizeof c->v.prompt_value, "%s", c->prompt_buf);
        }
    } else {
        secure_wipe(c->v.prompt_value, sizeof c->v.prompt_value);
    }
}

/* ---- navigation ---------------------------------------------------------------------------- */

static int load(struct console *c, int s)
{
    if (!ops(s)->load)
        return 0;
    kerr_clear();
    int err = ops(s)->load(c);
    if (!err)
        c->loaded_gen[s] = c->gen;
    return err;
}

unsigned con_open(struct console *c, int s)
{
    if (ops(s)->enter)
        ops(s)->enter(c);
    int err = load(c, s);
    if (err) {
        say_err(c, _("Cannot read"), err);
        if (s != c->screen && ops(s)->leave)
            ops(s)->leave(c);
        return CR_REDRAW;
    }
    c->screen = s;
    return CR_GOTO;
}

unsigned con_back(struct console *c, int s)
{
    if (ops(c->screen)->leave)
        ops(c->screen)->leave(c);
    c->screen = s;
    if (c->loaded_gen[s] != c->gen) {
        int err = load(c, s);
        if (err)
            say_err(c, _("Cannot read"), err);
    }
    return CR_GOTO;
}

void con_changed(struct console *c)
{
    c->gen++;
}

/* ---- login / logout ---------------------------------------------------------------------- */

/* Every screen wipes what it holds; then the console's own buffers. */
static void wipe_all(struct console *c)
{
    for (int s = 0; s < CS__COUNT; s++)
        if (ops(s)->leave)
            ops(s)->leave(c);
    secure_wipe(&c->v, sizeof c->v);
    secure_wipe(c->pw, sizeof c->pw);
    c->pw_len = 0;
    prompt_close(c);
    secure_wipe(&c->me, sizeof c->me);
    secure_wipe(c->my_org, sizeof c->my_org);
    secure_wipe(&c->find, sizeof c->find);
    c->home.sel = 0;
}

unsigned console_logout(struct console *c, const char *why)
{
    bool was = c->logged_in;
    wipe_all(c);
    c->logged_in = false;
    c->screen = CS_LOGIN;
    if (why && *why)
        say(c, false, "%s", why);
    rebuild(c);
    return CR_GOTO | (was ? CR_WIPE : 0);
}

/* The login screen hands over here once auth_login accepted (login.c). */
unsigned con_logged_in(struct console *c, const struct actor *a, int64_t now)
{
    c->me = *a;
    c->logged_in = true;
    c->my_org[0] = '\0';
    if (provider_only(c)) {   /* its organisation: the bed screens show only its clients */
        struct org_row o;
        if (auth_actor_org(c->st, a, &o) == 0)
            snprintf(c->my_org, sizeof c->my_org, "%s", o.name);
        kerr_clear();
    }
    c->last_input = now;
    c->gen++;   /* nothing loaded before this login is valid */
    c->home.n = 0;
    if (has_role(c, ROLE_HOUSING | ROLE_ADMIN))
        c->home.item[c->home.n++] = CS_PROGRAMS;
    if (has_role(c, ROLE_STREET | ROLE_DISTRICT | ROLE_ASSESSOR | ROLE_PROVIDER | ROLE_ADMIN))
        c->home.item[c->home.n++] = CS_BEDS;
    c->home.item[c->home.n++] = CS_KIOSKS;
    if (admin_screens(c)) {
        c->home.item[c->home.n++] = CS_ACCOUNTS;
        c->home.item[c->home.n++] = CS_AUDIT;
        c->home.item[c->home.n++] = CS_CHECK;
    } else if (c->opts.admin) {
        say(c, true, "%s", _("The admin screens need the admin role."));
    }
    c->home.item[c->home.n++] = CS_FLEET;   /* last: the numbers above stay as they were */
    if (has_role(c, ROLE_STREET | ROLE_DISTRICT | ROLE_ADMIN))
        c->home.item[c->home.n++] = CS_REPORTS;   /* after fleet, for the same reason */
    if (has_role(c, ROLE_HOUSING))   /* the housing work queue (after: the same numbers above) */
        c->home.item[c->home.n++] = CS_HOUSING;
    if (!c->v.message_warn)
        say(c, false, _("Logged in as %s."), a->name);
    c->home.sel = 0;
    c->beds.filter = BF_ACTIONABLE;
    return con_open(c, CS_HOME);
}

/* ---- `/` over the current list, n/N ---------------------------------------------------------- */

/* ASCII case folded: receipt numbers, refs and account names are ASCII;
 * Chinese text matches byte for byte. */
static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] &&
               (hay[i] == needle[i] ||
                ((unsigned char)hay[i] < 0x80 && (unsigned char)needle[i] < 0x80 &&
                 (hay[i] | 0x20) == (needle[i] | 0x20) && ((hay[i] | 0x20) >= 'a' && (hay[i] | 0x20) <= 'z'))))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

/* Move the current list's selection to the next row (dir +1) or the
 * previous one (-1) that contains text, starting at `from` itself when
 * with_from; wraps around.  False (selection kept) when no row matches. */
static bool find_step(struct console *c, const char *text, int from, int dir, bool with_from)
{
    const struct con_screen_ops *o = ops(c->screen);
    int n = 0;
    int *sel = o->find_sel ? o->find_sel(c, &n) : NULL;
    if (!sel || n <= 0 || !text[0])
        return false;
    char row[CV_COLS * CV_CELL];
    for (int k = with_from ? 0 : 1; k <= n; k++) {
        int i = ((from + dir * k) % n + n) % n;
        o->row_text(c, i, row, sizeof row);
        bool hit = contains_ci(row, text);
        secure_wipe(row, sizeof row);
        if (hit) {
            *sel = i;
            return true;
        }
    }
    return false;
}

/* The prompt's text changed: search again from where the prompt opened. */
static void find_typed(struct console *c)
{
    int n = 0;
    int *sel = ops(c->screen)->find_sel(c, &n);
    c->find.matched = find_step(c, c->prompt_buf, c->find.from, +1, true);
    if (!c->find.matched && sel && c->find.from < n)
        *sel = c->find.from;
    if (c->prompt_buf[0] && !c->find.matched)
        say(c, true, "%s", ops(c->screen)->find_everyone
                               ? _("No match in this list; Enter searches everyone.")
                               : _("No match in this list."));
}

/* n / N: the last search again, from the row after (before) the selection. */
static unsigned find_again(struct console *c, int dir)
{
    int n = 0;
    int *sel = ops(c->screen)->find_sel(c, &n);
    if (!sel)
        return CR_NONE;
    if (!find_step(c, c->find.text, *sel, dir, false))
        say(c, true, "%s", _("No match in this list."));
    return CR_REDRAW;
}

/* `/` on a screen with a list: open the find prompt. */
static unsigned find_open(struct console *c)
{
    int n = 0;
    int *sel = ops(c->screen)->find_sel(c, &n);
    c->find.from = sel ? *sel : 0;
    c->find.matched = false;
    prompt_open(c, PK_FIND, false,
                ops(c->screen)->find_everyone ? _("Find (Enter with no match: everyone):")
                                              : _("Find in this list:"));
    return CR_REDRAW;
}

/* Enter on the find prompt: keep the match, or search everyone. */
static unsigned find_done(struct console *c, const char *text)
{
    secure_wipe(c->find.text, sizeof c->find.text);
    snprintf(c->find.text, sizeof c->find.text, "%.127s", text);
    if (!text[0])
        return CR_REDRAW;
    if (c->find.matched) {
        say(c, false, "%s", _("Found: n next, N previous."));
        return CR_REDRAW;
    }
    if (ops(c->screen)->find_everyone)
        return con_find_person(c, text);
    say(c, true, "%s", _("No match in this list."));
    return CR_REDRAW;
}

/* ---- the prompt ------------------------------------------------------------------------------ */

static unsigned prompt_input(struct console *c, enum con_action a, uint32_t ch)
{
    if (c->prompt == PK_CONFIRM_LOGOUT) {   /* a question, not a text: Enter or y, Esc or n */
        if (a == CA_ENTER || ch == 'y' || ch == 'Y') {
            prompt_close(c);
            return console_logout(c, _("Logged out."));
        }
        if (a != CA_ESCAPE && ch != 'n' && ch != 'N')
            return CR_NONE;
        prompt_close(c);
        say(c, false, "%s", _("Cancelled."));
        return CR_REDRAW;
    }
    switch (a) {
    case CA_ENTER: {
        int kind = c->prompt;
        char text[256];
        memcpy(text, c->prompt_buf, sizeof text);
        prompt_close(c);
        kerr_clear();
        unsigned r = kind == PK_FIND     ? find_done(c, text)
                     : kind == PK_PERSON ? (text[0] ? con_find_person(c, text) : CR_REDRAW)
                     : ops(c->screen)->prompt_done ? ops(c->screen)->prompt_done(c, kind, text)
                                                   : CR_REDRAW;
        secure_wipe(text, sizeof text);
        return r;
    }
    case CA_ESCAPE:
        if (c->prompt == PK_FIND) {   /* back where the find started */
            int n = 0;
            int *sel = ops(c->screen)->find_sel(c, &n);
            if (sel && c->find.from < n)
                *sel = c->find.from;
        }
        bool form = c->prompt == PK_BED_ITEM;
        prompt_close(c);
        if (!form) {   /* the assessment form keeps what was typed until the application is left */
            secure_wipe(&c->bed.assess, sizeof c->bed.assess);
            c->bed.filled = 0;
        }
        c->bed.have_assess = false;
        secure_wipe(&c->pending_notice, sizeof c->pending_notice);
        secure_wipe(c->pending_note, sizeof c->pending_note);
        say(c, false, "%s", _("Cancelled."));
        return CR_REDRAW;
    case CA_BACKSPACE:
        if (c->prompt == PK_BED_ITEM && c->prompt_len == 0) {
            con_bed_item_back(c);
            return CR_REDRAW;
        }
        text_backspace(c->prompt_buf, &c->prompt_len);
        if (c->prompt == PK_FIND)
            find_typed(c);
        return CR_REDRAW;
    default:
        if (!ch)
            return CR_NONE;
        text_append(c->prompt_buf, &c->prompt_len, (int)sizeof c->prompt_buf, ch);
        if (c->prompt == PK_FIND)
            find_typed(c);
        return CR_REDRAW;
    }
}

/* ---- the public face ---------------------------------------------------------------------- */

int console_new(struct store *st, const struct secret *sec, const struct kiosk_config *cfg,
                const struct console_opts *opts, struct console **out)
{
    struct console *c = calloc(1, sizeof *c);
    if (!c)
        return KERR_NOMEM;
    c->st = st;
    c->sec = sec;
    c->cfg = cfg;
    if (opts)
        c->opts = *opts;
    int err = cfg && cfg->next_steps[0] ? next_steps_load(cfg->next_steps, &c->ns)
                                        : next_steps_load_default(&c->ns);
    if (err) {
        free(c);
        return err;
    }
    int idle = c->opts.idle_seconds > 0 ? c->opts.idle_seconds : DEFAULT_IDLE_S;
    c->idle_ms = (int64_t)idle * 1000;
    i18n_set_lang(con_lang(c));
    c->screen = CS_LOGIN;
    c->beds.filter = BF_ACTIONABLE;
    c->help_back = CS_LOGIN;
    rebuild(c);
    *out = c;
    return 0;
}

void console_free(struct console **cp)
{
    struct console *c = *cp;
    if (!c)
        return;
    wipe_all(c);
    next_steps_free(&c->ns);
    free(c->progs.list);
    free(c->progs.total);
    free(c->beds.list);
    free(c->kiosks.list);
    free(c->acc.list);
    free(c->audit.list);
    free(c->check.line);
    free(c->entry.ev);
    secure_wipe(c, sizeof *c);
    free(c);
    *cp = NULL;
}

unsigned console_input(struct console *c, enum con_action a, uint32_t ch, int64_t now_ms)
{
    if (a == CA_QUIT) {
        console_logout(c, "");
        return CR_QUIT | CR_WIPE;
    }
    c->v.message[0] = '\0';
    c->v.message_warn = false;
    c->last_input = now_ms;
    if (a != CA_ESCAPE)
        c->quit_armed = false;   /* the second Esc must follow the first */
    if (c->logged_in) {
        if (a == CA_LOGOUT)
            return console_logout(c, _("Logged out."));
    }
    unsigned r = CR_NONE;
    if (c->prompt != PK_NONE) {
        r = prompt_input(c, a, ch);
    } else {
        /* an action the screen does not offer now is typing, if it is a
         * character (a bound letter on a screen without that command, a
         * '?' in a password), else nothing */
        int acts[KEYTAB_MAX_ACTIONS];
        int n = actions_of(c, c->screen, acts, KEYTAB_MAX_ACTIONS);
        if (a != CA_CHAR && a != CA_NONE && !in(acts, n, a))
            a = ch ? CA_CHAR : CA_NONE;
        if (c->screen == CS_LOGIN && ch && a != CA_ENTER)
            a = CA_CHAR;   /* everything printable is typed into the login form */
        if (a == CA_HELP && c->screen != CS_HELP) {
            c->help_back = c->screen;
            c->screen = CS_HELP;
            r = CR_GOTO;
        } else if (a == CA_SEARCH && ops(c->screen)->find_sel) {
            r = find_open(c);
        } else if ((a == CA_NEXT || a == CA_PREV) && ops(c->screen)->find_sel) {
            r = find_again(c, a == CA_NEXT ? +1 : -1);
        } else if (a == CA_REFRESH && ops(c->screen)->load) {
            r = CR_LOAD;
        } else if (a != CA_NONE) {
            r = ops(c->screen)->input(c, a, ch);
        }
    }
    if (r & CR_LOAD) {
        int err = load(c, c->screen);
        if (err)
            say_err(c, _("Cannot read"), err);
        r = (r & ~CR_LOAD) | CR_REDRAW;
    }
    rebuild(c);
    return r | CR_REDRAW;
}

unsigned console_card(struct console *c, const struct card_event *ev, int64_t now_ms)
{
    unsigned r;
    if ((c->prompt == PK_PERSON || c->prompt == PK_FIND) && ev->type == CARD_EV_INSERT) {
        /* a find prompt open: the card is what the clerk was about to type —
         * the look-up by the keyed hash of its ID number, the ID never shown
         * (nor put in the prompt's text) */
        prompt_close(c);
        r = con_card_event(c, ev, now_ms);
    } else if (c->prompt != PK_NONE && ev->type == CARD_EV_INSERT) {
        /* mid-prompt (a reason being typed): never swap the screen under it */
        say(c, true, "%s", _("Finish or cancel the prompt first, then place the card again."));
        r = CR_REDRAW;
    } else {
        r = con_card_event(c, ev, now_ms);
    }
    rebuild(c);
    return r;
}

unsigned console_tick(struct console *c, int64_t now_ms)
{
    if (c->logged_in && now_ms - c->last_input >= c->idle_ms) {
        char why[160];
        snprintf(why, sizeof why, _("Logged out after %lld minutes without a key."),
                 (long long)(c->idle_ms / 60000));
        return console_logout(c, why);
    }
    return CR_NONE;
}

int console_next_timeout_ms(const struct console *c, int64_t now_ms)
{
    if (!c->logged_in)
        return -1;
    int64_t left = c->last_input + c->idle_ms - now_ms;
    if (left < 0)
        left = 0;
    return left > 0x7fffffff ? 0x7fffffff : (int)left;
}

const struct con_view *console_view(const struct console *c) { return &c->v; }

bool console_logged_in(const struct console *c) { return c->logged_in; }
