/* accounts.c — the admin's table of staff accounts: roles (and a street
 * office's street), state, last login; add an account (a street account is
 * asked its street: issue 14), disable or enable one, change its roles, reset
 * its password (auth_user_*, which check the admin role again and audit
 * each change).  Every account is listed (a growable array), a page of
 * CONSOLE_PAGE at a time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/config.h"
#include "kiosk/console/console_int.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/secret.h"

static int acc_one(void *ctx, const struct staff_row *u)
{
    struct console *c = ctx;
    int err = grow((void **)&c->acc.list, &c->acc.cap, c->acc.n + 1, sizeof *c->acc.list);
    if (err)
        return err;
    struct acc_line *a = &c->acc.list[c->acc.n++];
    memset(a, 0, sizeof *a);
    snprintf(a->name, sizeof a->name, "%s", u->name);
    a->roles = u->roles;
    a->disabled = u->disabled;
    snprintf(a->locked_until, sizeof a->locked_until, "%s", u->locked_until);
    snprintf(a->last_login, sizeof a->last_login, "%s", u->last_login);
    snprintf(a->street, sizeof a->street, "%s", u->street);
    return 0;
}

static void accounts_leave(struct console *c)
{
    if (c->acc.list)
        secure_wipe(c->acc.list, (size_t)c->acc.cap * sizeof *c->acc.list);
    c->acc.n = 0;
    secure_wipe(c->acc.pending_name, sizeof c->acc.pending_name);
    secure_wipe(c->acc.pending_street, sizeof c->acc.pending_street);
}

static void accounts_enter(struct console *c) { c->acc.sel = 0; }

static int accounts_load(struct console *c)
{
    if (c->acc.list)
        secure_wipe(c->acc.list, (size_t)c->acc.cap * sizeof *c->acc.list);
    c->acc.n = 0;
    int err = auth_user_each(c->st, acc_one, c);
    if (c->acc.sel >= c->acc.n)
        c->acc.sel = c->acc.n - 1;
    if (c->acc.sel < 0)
        c->acc.sel = 0;
    return err;
}

static void accounts_build(struct console *c)
{
    static const struct cv_col cols[] = {
        {N_("Account"), 16, false}, {N_("Roles"), 22, false}, {N_("State"), 12, false},
        {N_("Last login"), 0, false}};
    set_cols(c, 4, cols);
    snprintf(c->v.title, sizeof c->v.title, "%s", _("Staff accounts"));
    int n = c->acc.n, off = c->acc.sel / CONSOLE_PAGE * CONSOLE_PAGE;
    if (n > CONSOLE_PAGE)
        snprintf(c->v.caption, sizeof c->v.caption, _("Accounts %d–%d of %d"), off + 1,
                 off + CONSOLE_PAGE < n ? off + CONSOLE_PAGE : n, n);
    else
        snprintf(c->v.caption, sizeof c->v.caption, _("%d accounts"), n);
    for (int i = off; i < n && i < off + CONSOLE_PAGE; i++) {
        const struct acc_line *a = &c->acc.list[i];
        char roles[96], shown[192] = "";
        roles_format(a->roles, roles, sizeof roles);
        /* the role codes in the console's language, as on the top line (they are msgids too:
         * "street" → 街道), as the title line shows them */
        size_t o = 0;
        for (char *tok = strtok(roles, ","); tok && o < sizeof shown; tok = strtok(NULL, ","))
            o += (size_t)snprintf(shown + o, sizeof shown - o, "%s%s", o ? "," : "", _(tok));
        if (a->street[0] && o < sizeof shown)   /* the street it works for */
            snprintf(shown + o, sizeof shown - o, " (%s)", a->street);
        struct cv_row *r = add_row(c, a->disabled ? CVK_NOTE : a->locked_until[0] ? CVK_WARN
                                                                                  : CVK_NORMAL);
        cell(r, 0, "%s", a->name);
        cell(r, 1, "%s", shown);
        cell(r, 2, "%s", a->disabled ? _("disabled") : a->locked_until[0] ? _("locked") : _("active"));
        cell(r, 3, "%s", a->last_login[0] ? a->last_login : "—");
    }
    c->v.selected = n ? c->acc.sel - off : -1;
}

static unsigned accounts_input(struct console *c, enum con_action a, uint32_t ch)
{
    (void)ch;
    if (move_sel(&c->acc.sel, c->acc.n, a, CONSOLE_PAGE))
        return CR_REDRAW;
    const struct acc_line *sel = c->acc.n ? &c->acc.list[c->acc.sel] : NULL;
    switch (a) {
    case CA_ADD:
        c->acc.pending_roles = 0;
        c->acc.pending_street[0] = '\0';
        prompt_open(c, PK_ACC_NAME, false, _("New account name:"));
        return CR_REDRAW;
    case CA_DISABLE: {
        bool to = !sel->disabled;
        char name[64];
        snprintf(name, sizeof name, "%s", sel->name);
        kerr_clear();
        int err = auth_user_disable(c->st, c->sec, &c->me, name, to);
        if (err) {
            say_err(c, _("Refused"), err);
            return CR_REDRAW;
        }
        say(c, false, to ? _("%s disabled.") : _("%s enabled."), name);
        con_changed(c);
        return CR_LOAD;
    }
    case CA_ROLES:
    case CA_PASSWD:
        snprintf(c->acc.pending_name, sizeof c->acc.pending_name, "%s", sel->name);
        if (a == CA_ROLES)
            prompt_open(c, PK_ACC_ROLES, false, _("New roles (comma-separated):"));
        else
            prompt_open(c, PK_ACC_PW, true, _("New password (at least 8 characters):"));
        return CR_REDRAW;
    case CA_ESCAPE: return con_back(c, CS_HOME);
    default: return CR_NONE;
    }
}

/* The prompts of this screen, so a refused field opens again holding what
 * was typed (issue 14: a form never discards input). */
static const char *acc_label(int kind)
{
    switch (kind) {
    case PK_ACC_NAME: return _("New account name:");
    case PK_ACC_NEW_ROLES: return _("Roles (street,district,assessor,provider,housing,admin):");
    case PK_ACC_ROLES: return _("New roles (comma-separated):");
    case PK_ACC_NEW_PW: return _("Password (at least 8 characters):");
    case PK_ACC_NEW_STREET: return _("Street of this street account (empty: none):");
    default: return _("New password (at least 8 characters):");
    }
}

static unsigned accounts_prompt_done(struct console *c, int kind, const char *text)
{
    int err;
    switch (kind) {
    case PK_ACC_NAME:
        if (auth_name_valid(text) != 0) {
            say(c, true, "%s", _("A name is 1-63 of a-z 0-9 . _ - (starting with a letter or digit)."));
            prompt_reopen(c, kind, acc_label(kind), text);
            return CR_REDRAW;
        }
        /* auth_name_valid() allows at most 63 bytes */
        snprintf(c->acc.pending_name, sizeof c->acc.pending_name, "%.*s",
                 (int)sizeof c->acc.pending_name - 1, text);
        if (c->acc.pending_roles) {   /* back here after the name was refused: roles kept */
            char roles[96];
            roles_format(c->acc.pending_roles, roles, sizeof roles);
            prompt_reopen(c, PK_ACC_NEW_ROLES, acc_label(PK_ACC_NEW_ROLES), roles);
        } else {
            prompt_open(c, PK_ACC_NEW_ROLES, false, acc_label(PK_ACC_NEW_ROLES));
        }
        return CR_REDRAW;
    case PK_ACC_NEW_ROLES:
    case PK_ACC_ROLES: {
        unsigned roles;
        if (roles_parse(text, &roles) != 0 || !roles) {
            say(c, true, _("Unknown roles: %s"), text);
            prompt_reopen(c, kind, acc_label(kind), text);
            return CR_REDRAW;
        }
        if (kind == PK_ACC_NEW_ROLES) {
            c->acc.pending_roles = roles;
            if (!(roles & ROLE_STREET)) {
                c->acc.pending_street[0] = '\0';
                prompt_open(c, PK_ACC_NEW_PW, true, acc_label(PK_ACC_NEW_PW));
            } else if (c->acc.pending_street[0]) {   /* asked before: what was typed stays */
                prompt_reopen(c, PK_ACC_NEW_STREET, acc_label(PK_ACC_NEW_STREET),
                              c->acc.pending_street);
            } else {
                prompt_open(c, PK_ACC_NEW_STREET, false, acc_label(PK_ACC_NEW_STREET));
            }
            return CR_REDRAW;
        }
        if ((err = auth_user_roles(c->st, c->sec, &c->me, c->acc.pending_name, roles)))
            say_err(c, _("Refused"), err);
        else
            say(c, false, _("Roles of %s: %s."), c->acc.pending_name, text);
        break;
    }
    case PK_ACC_NEW_STREET:
        /* [district] streets: a typo is refused here, what was typed kept */
        if (strlen(text) >= sizeof c->acc.pending_street || config_street_check(c->cfg, text)) {
            if (strlen(text) >= sizeof c->acc.pending_street)
                kerr(KERR_INPUT, "street name too long");
            say_err(c, _("Refused"), KERR_INPUT);
            prompt_reopen(c, kind, acc_label(kind), text);
            return CR_REDRAW;
        }
        snprintf(c->acc.pending_street, sizeof c->acc.pending_street, "%s", text);
        prompt_open(c, PK_ACC_NEW_PW, true, acc_label(PK_ACC_NEW_PW));
        return CR_REDRAW;
    case PK_ACC_NEW_PW: {
        long id = 0;
        if ((err = auth_user_add_street(c->st, c->sec, c->cfg, &c->me, c->acc.pending_name,
                                        c->acc.pending_roles, text, NULL, NULL,
                                        c->acc.pending_street, &id))) {
            say_err(c, _("Refused"), err);
            /* the name and roles stay: a name already taken goes back to the name
             * (then the roles, held), anything else to the password */
            if (err == KERR_EXISTS)
                prompt_reopen(c, PK_ACC_NAME, acc_label(PK_ACC_NAME), c->acc.pending_name);
            else
                prompt_open(c, PK_ACC_NEW_PW, true, acc_label(PK_ACC_NEW_PW));
        } else
            say(c, false, _("Account %s added."), c->acc.pending_name);
        break;
    }
    case PK_ACC_PW:
        if ((err = auth_user_passwd(c->st, c->sec, &c->me, c->acc.pending_name, text))) {
            say_err(c, _("Refused"), err);
            prompt_open(c, PK_ACC_PW, true, acc_label(PK_ACC_PW));
        } else
            say(c, false, _("New password set for %s; the account is unlocked."), c->acc.pending_name);
        break;
    default: return CR_REDRAW;
    }
    if (!err)
        con_changed(c);
    return err ? CR_REDRAW : CR_LOAD;
}

static int accounts_actions(const struct console *c, int *acts, int cap)
{
    static const int per_row[] = {CA_DISABLE, CA_ROLES, CA_PASSWD};
    int n = 0;
    if (n < cap)
        acts[n++] = CA_ADD;
    for (int i = 0; i < 3 && c->acc.n && n < cap; i++)
        acts[n++] = per_row[i];
    if (n < cap)
        acts[n++] = CA_ESCAPE;
    if (n < cap)
        acts[n++] = CA_REFRESH;
    if (c->acc.n && n < cap)
        acts[n++] = CA_SEARCH;
    if (c->acc.n)
        n = nav_actions(acts, n, cap, c->acc.n > CONSOLE_PAGE);
    return n;
}

static int *acc_sel(struct console *c, int *n)
{
    *n = c->acc.n;
    return &c->acc.sel;
}

static void acc_row_text(const struct console *c, int i, char *buf, size_t cap)
{
    char roles[64];
    roles_format(c->acc.list[i].roles, roles, sizeof roles);
    snprintf(buf, cap, "%s %s", c->acc.list[i].name, roles);
}

const struct con_screen_ops con_accounts = {
    .find_sel = acc_sel,
    .row_text = acc_row_text,
    .name = "accounts",
    .layout = CL_TABLE,
    .enter = accounts_enter,
    .leave = accounts_leave,
    .load = accounts_load,
    .build = accounts_build,
    .input = accounts_input,
    .prompt_done = accounts_prompt_done,
    .actions = accounts_actions,
};
