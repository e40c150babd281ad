/* main_kioskctl.c — the scriptable administration CLI: global options,
 * configuration, and the table of subcommands (SPEC §2). */
#include <getopt.h>
#include <locale.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/cli/ctl.h"
#include "kiosk/cli/ctl_queue.h"
#include "kiosk/cli/proc_hygiene.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/queue_types.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

#define KIOSK_VERSION "0.1.0"

static const struct {
    const char *name;
    ctl_cmd_fn fn;
    const char *summary;
} commands[] = {
    {"init", ctl_init, N_("create or migrate the database and the site secret")},
    {"demo", ctl_demo, N_("fill the database with deterministic synthetic data")},
    {"import", ctl_import, N_("import queue --program CODE FILE: a housing-bureau list")},
    {"export", ctl_export, N_("export queue --program CODE [--public]: CSV to stdout")},
    {"position", ctl_position, N_("what the resident screen shows for a person")},
    {"program", ctl_program, N_("program list | add CODE … | set CODE …: programs and their ordering rules")},
    {"publish", ctl_publish, N_("publish --program CODE: snapshot the current positions")},
    {"entry", ctl_entry, N_("entry ACTION --program CODE --receipt NO --reason TEXT: staff actions")},
    {"bed", ctl_bed, N_("home elderly-care bed applications (list, show, advance)")},
    {"user", ctl_user, N_("staff accounts (add, passwd, roles, disable, list)")},
    {"backup", ctl_backup, N_("backup FILE: consistent online copy")},
    {"restore", ctl_restore, N_("restore FILE: replace the database with a backup")},
    {"check", ctl_check, N_("integrity, schema version, audit chain, configuration")},
    {"audit", ctl_audit, N_("audit verify | audit tail [-n N] [--actor A] [--action X] [--since D] [--until D] [--entry REF]")},
    {"report", ctl_report, N_("report NAME [--csv FILE]: allocations, queue, wait, funnel, stage-days, overdue")},
    {"receipt", ctl_receipt, N_("receipt verify REF CODE | receipt render FILE --png OUT")},
    {"kiosks", ctl_kiosks, N_("each kiosk's reader and printer state (who needs paper)")},
    {"keys", ctl_keys, N_("the key table in force: every action, its keys, labels and help")},
    {"devices", ctl_devices, N_("devices list | test-print | test-read")},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

/* In the language asked for (--lang, else LC_ALL / LC_MESSAGES / LANG):
 * the text is message ids, the option and command names stay as typed. */
static void usage(FILE *out)
{
    fprintf(out, "%s",
            _("usage: kioskctl [--config FILE] [--db URL] [--lang zh|en] [--sim] [--sim-cards PATH]\n"
              "                [--sim-print-dir DIR] [--as USER] COMMAND [ARGS]\n"
              "--as USER: staff actions run as that account (password on the first line of stdin)\n"
              "\ncommands:\n"));
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
    fprintf(out, "%s", _("\n`kioskctl COMMAND --help` describes each.  Exit codes: 0 success, 1 failure,\n"
                         "2 usage, 3 bad input data, 4 not found, 5 refused.\n"));
}

/* The language kioskctl speaks: --lang, else a zh locale in the environment
 * (LC_ALL, then LC_MESSAGES, then LANG, as setlocale reads them); English
 * otherwise — scripts read kioskctl's English, so Chinese only when asked. */
static const char *cli_lang(const char *opt)
{
    if (opt)
        return opt;
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (int i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return !strncmp(v, "zh", 2) ? "zh" : "en";
    }
    return "en";
}

/* Said once when a write has waited a second for another program's (an
 * import's) write transaction: the administrator sees why nothing happens. */
static void wait_notice(int seconds)
{
    fprintf(stderr, _("kioskctl: waiting for another program's write to finish (an import?); "
                      "up to %d s ([kiosk] write_wait)\n"), seconds);
}

int main(int argc, char **argv)
{
    /* an export or a position look-up holds names and ID numbers in memory */
    if (proc_no_core_dumps() != 0) {
        kerr_print("kioskctl", KERR_IO);
        return 1;
    }
    setlocale(LC_ALL, "");
    struct ctl_ctx ctx = {.prog = "kioskctl"};
    config_defaults(&ctx.cfg);
    const char *config = NULL, *db = NULL, *lang = NULL;
    bool want_help = false, bad_option = false;
    static const struct option opts[] = {
        {"config", required_argument, 0, 'c'}, {"db", required_argument, 0, 'd'},
        {"lang", required_argument, 0, 'l'},   {"sim", no_argument, 0, 's'},
        {"sim-cards", required_argument, 0, 'C'}, {"sim-print-dir", required_argument, 0, 'P'},
        {"as", required_argument, 0, 'A'},
        {"help", no_argument, 0, 'h'},         {"version", no_argument, 0, 'V'},
        {0, 0, 0, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
        switch (c) {
        case 'c': config = optarg; break;
        case 'd': db = optarg; break;
        case 'l': lang = optarg; break;
        case 's': ctx.sim = true; break;
        case 'C': ctx.sim_cards = optarg; break;
        case 'P': ctx.sim_print_dir = optarg; break;
        case 'A': ctx.as_user = optarg; break;
        case 'h': want_help = true; break;
        case 'V': printf("kioskctl %s\n", KIOSK_VERSION); return 0;
        default: bad_option = true; break;
        }
    }
    if (lang && strcmp(lang, "zh") && strcmp(lang, "en")) {
        fprintf(stderr, "kioskctl: --lang must be zh or en (got \"%s\")\n", lang);
        return 2;
    }
    /* Chinese from the catalogue when asked; without it, English and a warning */
    if (!strcmp(cli_lang(lang), "zh")) {
        if (i18n_init(argv[0]) != 0) {
            fprintf(stderr, "kioskctl: %s (English instead)\n", kerr_detail());
            kerr_clear();
        }
        i18n_set_lang("zh");
    } else {
        i18n_set_lang("en");
    }
    if (want_help) {
        usage(stdout);
        return 0;
    }
    if (bad_option) {
        usage(stderr);
        return 2;
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    int err = config_load(&ctx.cfg, config ? config : "/etc/kiosk/kiosk.conf", config != NULL);
    if (err)
        return ctl_fail(&ctx, err);
    if (db)
        snprintf(ctx.cfg.database, sizeof ctx.cfg.database, "%s", db);
    store_set_write_wait(ctx.cfg.write_wait, wait_notice);
    if (lang)
        snprintf(ctx.cfg.language, sizeof ctx.cfg.language, "%s", lang);

    const char *name = argv[optind];
    int rc = 2;
    size_t i;
    for (i = 0; i < N_COMMANDS; i++)
        if (strcmp(name, commands[i].name) == 0)
            break;
    if (i == N_COMMANDS) {
        fprintf(stderr, _("kioskctl: unknown command '%s' (see kioskctl --help)\n"), name);
    } else {
        int first = optind;
        optind_reset();
        rc = commands[i].fn(&ctx, argc - first, argv + first);
    }
    store_close(&ctx.store);
    secret_free(&ctx.secret);
    return rc;
}
