/* login.c — the console's login form: user name and password, typed here
 * and checked by auth_login (the same words whichever was wrong).  The
 * password is kept only between keys and the attempt; the view carries its
 * length, never the characters. */
#include <string.h>

#include "kiosk/console/console_int.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/secret.h"

static unsigned do_login(struct console *c)
{
    struct actor a;
    memset(&a, 0, sizeof a);
    kerr_clear();
    int err = auth_login(c->st, c->sec, c->cfg, c->v.login_name, c->pw, &a);
    secure_wipe(c->pw, sizeof c->pw);
    c->pw_len = 0;
    if (err) {
        say(c, true, "%s", err == KERR_LOCKED ? _("Account locked or disabled.")
                           : err == KERR_AUTH  ? _("Wrong user name or password.")
                                               : kiosk_strerror(err));
        c->v.login_field = 1;
        return CR_REDRAW;
    }
    secure_wipe(c->v.login_name, sizeof c->v.login_name);
    c->v.login_field = 0;
    unsigned r = con_logged_in(c, &a, c->last_input);
    secure_wipe(&a, sizeof a);
    return r;
}

static void login_build(struct console *c)
{
    snprintf(c->v.title, sizeof c->v.title, "%s",
             c->opts.admin ? _("Staff console (admin) — log in") : _("Staff console — log in"));
    c->v.login_pw_len = c->pw_len;
}

static unsigned login_input(struct console *c, enum con_action a, uint32_t ch)
{
    struct con_view *v = &c->v;
    switch (a) {
    case CA_TAB: case CA_UP: case CA_DOWN:
        v->login_field = !v->login_field;
        return CR_REDRAW;
    case CA_ENTER:
        if (v->login_field == 0) {
            v->login_field = 1;
            return CR_REDRAW;
        }
        if (!v->login_name[0]) {
            v->login_field = 0;
            say(c, true, "%s", _("Type your user name."));
            return CR_REDRAW;
        }
        return do_login(c);
    case CA_BACKSPACE:
        if (v->login_field == 0) {
            int n = (int)strlen(v->login_name);
            text_backspace(v->login_name, &n);
        } else {
            text_backspace(c->pw, &c->pw_len);
        }
        return CR_REDRAW;
    case CA_ESCAPE:
        if (!v->login_name[0] && !c->pw_len) {
            /* quitting ends the console on this terminal: a second Esc confirms */
            if (c->quit_armed)
                return CR_QUIT;
            c->quit_armed = true;
            say(c, false, "%s", _("Press Esc again to quit the console."));
            return CR_REDRAW;
        }
        secure_wipe(c->pw, sizeof c->pw);
        c->pw_len = 0;
        secure_wipe(v->login_name, sizeof v->login_name);
        v->login_field = 0;
        return CR_REDRAW;
    default:
        if (!ch)
            return CR_NONE;
        if (v->login_field == 0) {
            int n = (int)strlen(v->login_name);
            text_append(v->login_name, &n, (int)sizeof v->login_name, ch);
        } else {
            text_append(c->pw, &c->pw_len, AUTH_PASSWORD_MAX + 1, ch);
        }
        return CR_REDRAW;
    }
}

static int login_actions(const struct console *c, int *acts, int cap)
{
    (void)c;
    static const int a[] = {CA_ENTER, CA_TAB, CA_BACKSPACE, CA_ESCAPE, CA_UP, CA_DOWN};
    int n = 0;
    for (int i = 0; i < (int)(sizeof a / sizeof a[0]) && n < cap; i++)
        acts[n++] = a[i];
    return n;
}

const struct con_screen_ops con_login = {
    .name = "login",
    .layout = CL_LOGIN,
    .build = login_build,
    .input = login_input,
    .actions = login_actions,
};
