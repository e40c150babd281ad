/* ctl_keys.c — `kioskctl keys`: the key table in force (defaults changed by
 * the configuration's [keys] section), so an administrator fitting a kiosk
 * keypad sees every action's name, keys, labels and help line — the same
 * table the screens, hints and help screens are generated from. */
#include <stdio.h>
#include <string.h>

#include "kiosk/cli/ctl.h"
#include "kiosk/i18n.h"
#include "kiosk/keytab.h"

static void print_scope(const struct keytab *kt, enum key_scope scope, const char *prefix, int l)
{
    for (int i = 0; i < keytab_count(scope); i++) {
        const struct action_def *d = keytab_at(scope, i);
        const char *keys[KEYTAB_MAX_KEYS];
        int n = keytab_keys(kt, scope, d->id, keys);
        char k[80] = "";
        size_t len = 0;
        for (int j = 0; j < n; j++)
            len += (size_t)snprintf(k + len, sizeof k - len, "%s%s", j ? ", " : "", keys[j]);
        char name[48];
        snprintf(name, sizeof name, "%s%s", prefix, d->name);
        printf("%-18s = %-18s ; %s — %s\n", name, n ? k : "none", d->label[l], d->help[l]);
    }
}

int ctl_keys(struct ctl_ctx *ctx, int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        static const char *const help[] = {
            N_("usage: kioskctl keys\n"),
            N_("The key table in force, as [keys] lines: resident actions, then the staff\n"
               "console's (staff.NAME).  Copy a line into the configuration to change it.\n"),
            NULL};
        i18n_print(stdout, help);
        return 0;
    }
    if (argc > 1) {
        fprintf(stderr, _("%s: keys: unexpected argument \"%s\" (try keys --help)\n"), ctx->prog, argv[1]);
        return 2;
    }
    int l = keytab_lang(ctx->cfg.language);
    /* a configuration file: the comments in the language asked for, the rest as typed */
    printf("[keys]\n%s", _("; resident kiosk\n"));
    print_scope(&ctx->cfg.keys, KS_RESIDENT, "", l);
    printf("%s", _("; staff console\n"));
    print_scope(&ctx->cfg.keys, KS_STAFF, "staff.", l);
    return 0;
}
