/* ctl_user.c — `kioskctl user add|passwd|roles|street|disable|enable|list`: staff
 * accounts (SPEC §2).  Passwords come only from standard input
 * (--password-stdin), never from the command line where `ps` would show
 * them.  kioskctl runs as the administrator or the --as account (ctl_admin_actor): every change
 * is audited under "kioskctl:USER". */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/auth.h"
#include "kiosk/cli/ctl.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/queue_types.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

static const char *const user_help[] = {
    N_("usage: kioskctl [--db FILE] user add NAME --roles R,... --password-stdin [--org NAME]\n"
       "                                     [--org-phone PHONE] [--street STREET]\n"
       "       kioskctl user passwd NAME --password-stdin\n"
       "       kioskctl user roles NAME R,...\n"
       "       kioskctl user street NAME STREET       ('' clears it)\n"
       "       kioskctl user disable NAME | user enable NAME\n"
       "       kioskctl user list\n"),
    N_("Staff accounts.  Roles: street (街道), district (区民政), assessor (评估机构),\n"
       "provider (服务机构), housing (住房轮候), admin.  A provider or assessor belongs to an\n"
       "organisation (--org; its --org-phone is what residents see once it is assigned);\n"
       "without --org the account is its own organisation.  The password (at least 8\n"
       "characters) is the first line of standard input; it is stored as an Argon2id hash.\n"
       "passwd also clears a lock; enable re-enables a disabled account.\n"),
    N_("A street office's account given a street (街道, e.g. 东门街道) sees only that street's\n"
       "bed applications; district and admin accounts see every street.  With [district]\n"
       "streets set in the configuration the street must be one of them.\n"),
    N_("Exit codes: 0 done, 2 usage, 3 bad input (name, role, password), 4 no such user,\n"
       "5 refused.\n"),
    NULL};

static int usage(void)
{
    i18n_print(stderr, user_help);
    return 2;
}

static int print_user(void *p, const struct staff_row *u)
{
    struct store *st = p;
    char roles[96];
    roles_format(u->roles, roles, sizeof roles);
    struct org_row o = {0};
    if (u->org_id)
        st->ops->user->org_get(st, u->org_id, &o);
    char now[32];
    store_now(now);
    const char *state = u->disabled ? N_("disabled")
                      : (u->locked_until[0] && strcmp(now, u->locked_until) < 0) ? N_("locked")
                      : N_("active");
    /* cells padded by display width (ctl_cell): a Chinese state or
     * organisation would push the next column left under %-8s / %-24s */
    char c1[96], c2[96], c3[240];
    printf(_("%-20s %-8s %-30s %-24s failed=%d last_login=%s street=%s\n"),
           ctl_cell(u->name, 20, c1, sizeof c1), ctl_cell(_(state), 8, c2, sizeof c2), roles,
           ctl_cell(o.name[0] ? o.name : "-", 24, c3, sizeof c3), u->failed_logins, u->last_login[0] ? u->last_login : "-",
           u->street[0] ? u->street : "-");
    return 0;
}

int ctl_user(struct ctl_ctx *ctx, int argc, char **argv)
{
    static const struct option o[] = {
        {"roles", required_argument, 0, 'r'}, {"password-stdin", no_argument, 0, 'p'},
        {"org", required_argument, 0, 'o'},   {"org-phone", required_argument, 0, 'P'},
        {"street", required_argument, 0, 's'}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char *roles_text = NULL, *org = NULL, *org_phone = NULL, *street = NULL;
    bool pw_stdin = false;
    int c;
    while ((c = getopt_long(argc, argv, "h", o, NULL)) != -1) {
        switch (c) {
        case 'r': roles_text = optarg; break;
        case 'p': pw_stdin = true; break;
        case 'o': org = optarg; break;
        case 'P': org_phone = optarg; break;
        case 's': street = optarg; break;
        case 'h': i18n_print(stdout, user_help); return 0;
        default: return usage();
        }
    }
    if (optind >= argc)
        return usage();
    const char *verb = argv[optind];
    const char *name = optind + 1 < argc ? argv[optind + 1] : NULL;
    int extra = argc - optind - 2;     /* positional words after NAME */

    struct store *st;
    struct secret *sec;
    struct actor who;
    char pw[AUTH_PASSWORD_MAX + 2];
    unsigned roles = 0;
    int err = 0;

    if (!strcmp(verb, "list")) {
        if (argc - optind != 1)
            return usage();
        if ((err = ctl_store(ctx, &st, &sec)) ||
            (err = auth_user_each(st, print_user, st)))
            return ctl_fail(ctx, err);
        return 0;
    }
    if (!name)
        return usage();
    if ((err = ctl_admin_actor(ctx, &who)))
        return ctl_fail(ctx, err);
    if (!strcmp(verb, "add")) {
        if (extra != 0 || !roles_text || !pw_stdin)
            return usage();
        if ((err = roles_parse(roles_text, &roles)))
            return ctl_fail(ctx, err);
        if ((err = auth_read_password(stdin, pw, sizeof pw)) == 0) {
            long id = 0;
            if (!(err = ctl_store(ctx, &st, &sec)))
                err = auth_user_add_street(st, sec, &ctx->cfg, &who, name, roles, pw, org,
                                           org_phone, street ? street : "", &id);
            if (!err && street && *street)
                printf(_("user %s added (roles %s, street %s)\n"), name, roles_text, street);
            else if (!err)
                printf(_("user %s added (roles %s)\n"), name, roles_text);
        }
    } else if (!strcmp(verb, "passwd")) {
        if (extra != 0 || !pw_stdin || roles_text || org)
            return usage();
        if ((err = auth_read_password(stdin, pw, sizeof pw)) == 0 &&
            !(err = ctl_store(ctx, &st, &sec)) &&
            !(err = auth_user_passwd(st, sec, &who, name, pw)))
            printf(_("user %s: password set\n"), name);
    } else if (!strcmp(verb, "roles")) {
        if (extra != 1 || pw_stdin)
            return usage();
        if (!(err = roles_parse(argv[optind + 2], &roles)) && !(err = ctl_store(ctx, &st, &sec)) &&
            !(err = auth_user_roles(st, sec, &who, name, roles)))
            printf(_("user %s: roles %s\n"), name, argv[optind + 2]);
    } else if (!strcmp(verb, "street")) {
        if (extra != 1 || pw_stdin || roles_text || org || street)
            return usage();
        const char *s = argv[optind + 2];
        if (!(err = ctl_store(ctx, &st, &sec)) &&
            !(err = auth_user_street(st, sec, &ctx->cfg, &who, name, s)))
            printf(_("user %s: street %s\n"), name, s[0] ? s : _("(none)"));
    } else if (!strcmp(verb, "disable") || !strcmp(verb, "enable")) {
        if (extra != 0 || pw_stdin || roles_text)
            return usage();
        bool dis = !strcmp(verb, "disable");
        if (!(err = ctl_store(ctx, &st, &sec)) && !(err = auth_user_disable(st, sec, &who, name, dis)))
            printf(dis ? _("user %s disabled\n") : _("user %s enabled\n"), name);
    } else {
        fprintf(stderr, _("kioskctl user: unknown action '%s'\n"), verb);
        return usage();
    }
    secure_wipe(pw, sizeof pw);
    return err ? ctl_fail(ctx, err) : 0;
}
