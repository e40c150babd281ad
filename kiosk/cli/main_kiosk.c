/* main_kiosk.c — the kiosk program: options (SPEC §2), configuration, the
 * database and site secret, the devices, the core session, and the
 * terminal UI's loop.  Resident mode is the default; the staff console
 * (--staff, --admin) is a later issue.
 *
 * Order matters at start-up: the locale first (ncursesw needs a UTF-8
 * LC_CTYPE to draw Chinese; a kiosk started from getty often has none), then
 * everything that can fail with a plain message on stderr, and only then
 * the terminal, so an error is never hidden behind a curses screen. */
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/config.h"
#include "devices/devmgr.h"
#include "devices/speech.h"
#include "kiosk/cli/proc_hygiene.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/outbox.h"
#include "screens/staff.h"
#include "screens/ui.h"
#include "kiosk/secret.h"
#include "kiosk/session/session.h"
#include "kiosk/store/store.h"

#define KIOSK_VERSION "0.1.0"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: kiosk [--config FILE] [--db URL] [--lang zh|en] [--idle-timeout SECONDS]\n"
            "             [--sim] [--sim-cards PATH] [--sim-print-dir DIR]\n"
            "             [--speech-dir DIR] [--speech-private] [--no-speech]\n"
            "       kiosk --staff | --admin [--config FILE] [--db URL] [--lang zh|en] [--idle-timeout SECS]\n"
            "                                   (staff console; --admin adds the admin screens)\n"
            "\n"
            "The resident kiosk: place an ID card (or type a receipt number and the last 6\n"
            "characters of the ID number) to see housing-queue positions and home-care-bed\n"
            "applications.  Keys: digits, Enter, Backspace/Esc, arrows; F1 help, F2 中文/English,\n"
            "F3 print, F4 demo card picker (--sim).\n"
            "\n"
            "  --config FILE        configuration (default /etc/kiosk/kiosk.conf, if present)\n"
            "  --db URL             database (SQLite path); overrides [kiosk] database\n"
            "  --lang zh|en         starting language; overrides [kiosk] language\n"
            "  --idle-timeout SECS  seconds before the 20-second warning and the wipe\n"
            "  --sim                simulated card reader and printer (SPEC §6)\n"
            "  --sim-cards PATH     FIFO or file of 'insert ID NAME' / 'remove' lines\n"
            "  --sim-print-dir DIR  the simulated printer writes DIR/receipt-NNNN.bin\n"
            "  --speech-dir DIR     speech goes to DIR/NNNN.txt and NNNN.wav, not to a sound card\n"
            "  --speech-private     headphone mode: personal details are spoken ([speech] private)\n"
            "  --no-speech          do not speak ([speech] enabled = no)\n"
            "  --help, --version\n"
            "\n"
            "Exit codes: 0 success, 1 failure, 2 usage.\n");
}

/* ncursesw draws wide characters only under a UTF-8 LC_CTYPE.  Keep the
 * user's locale when it is UTF-8; otherwise (LANG=C, unset, or a legacy
 * charset over SSH) force C.UTF-8 for LC_CTYPE, which glibc always has. */
static void setup_locale(void)
{
    setlocale(LC_ALL, "");
    const char *cs = nl_langinfo(CODESET);
    if (!cs || strcmp(cs, "UTF-8") != 0) {
        if (!setlocale(LC_CTYPE, "C.UTF-8"))
            setlocale(LC_CTYPE, "en_US.UTF-8");
    }
}

/* The outbox (kiosk/outbox.h): [kiosk] outbox, or outbox.db beside the site
 * secret; only for a PostgreSQL database (a SQLite kiosk has its database on
 * board, nothing to keep apart). */
static int open_outbox(const struct kiosk_config *cfg, const char *secret_path,
                       struct outbox **ob)
{
    *ob = NULL;
    if (!store_url_is_pg(cfg->database))
        return 0;
    char path[600];
    if (cfg->outbox[0]) {
        snprintf(path, sizeof path, "%s", cfg->outbox);
    } else {
        const char *slash = strrchr(secret_path, '/');
        int dir = slash ? (int)(slash - secret_path) : 1;
        snprintf(path, sizeof path, "%.*s/outbox.db", dir, slash ? secret_path : ".");
    }
    return outbox_open(path, ob);
}

int main(int argc, char **argv)
{
    /* before anything personal can be in memory */
    if (proc_no_core_dumps() != 0) {
        kerr_print("kiosk", KERR_IO);
        return 1;
    }
    setup_locale();
    const char *config = NULL, *db = NULL, *lang = NULL;
    struct devmgr_opts dopts = {0};
    int idle = -1;
    int staff = 0;   /* 1 --staff, 2 --admin (the staff console) */
    const char *speech_dir = NULL;   /* speech (issue 9) */
    int speech_private = 0, no_speech = 0;
    static const struct option opts[] = {
        {"config", required_argument, 0, 'c'},
        {"db", required_argument, 0, 'd'},
        {"lang", required_argument, 0, 'l'},
        {"idle-timeout", required_argument, 0, 'i'},
        {"sim", no_argument, 0, 's'},
        {"sim-cards", required_argument, 0, 'C'},
        {"sim-print-dir", required_argument, 0, 'P'},
        {"speech-dir", required_argument, 0, 'D'},
        {"speech-private", no_argument, 0, 'p'},
        {"no-speech", no_argument, 0, 'n'},
        {"staff", no_argument, 0, 'S'},
        {"admin", no_argument, 0, 'A'},
        {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'},
        {0, 0, 0, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
        switch (c) {
        case 'c': config = optarg; break;
        case 'd': db = optarg; break;
        case 'l': lang = optarg; break;
        case 'i': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || end == optarg || v < 1 || v > 86400) {
                fprintf(stderr, "kiosk: --idle-timeout must be 1 to 86400 seconds (got \"%s\")\n",
                        optarg);
                return 2;
            }
            idle = (int)v;
            break;
        }
        case 's': dopts.sim = true; break;
        case 'C': dopts.sim_cards = optarg; break;
        case 'P': dopts.sim_print_dir = optarg; break;
        case 'D': speech_dir = optarg; break;
        case 'p': speech_private = 1; break;
        case 'n': no_speech = 1; break;
        case 'S': staff = staff ? staff : 1; break;
        case 'A': staff = 2; break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("kiosk %s\n", KIOSK_VERSION); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "kiosk: unexpected argument '%s' (see kiosk --help)\n", argv[optind]);
        return 2;
    }
    if (lang && strcmp(lang, "zh") && strcmp(lang, "en")) {
        fprintf(stderr, "kiosk: --lang must be zh or en (got \"%s\")\n", lang);
        return 2;
    }
    if ((dopts.sim_cards || dopts.sim_print_dir) && !dopts.sim) {
        fprintf(stderr, "kiosk: --sim-cards and --sim-print-dir need --sim\n");
        return 2;
    }

    /* --lang zh: a bad configuration is refused in Chinese too (the words are
     * chosen as the problem is found, so the language is set before reading) */
    if (lang && !strcmp(lang, "zh")) {
        if (i18n_init(argv[0]) != 0)
            kerr_clear();   /* said again below, once the configuration is read */
        i18n_set_lang("zh");
    }
    struct kiosk_config cfg;
    config_defaults(&cfg);
    int err = config_load(&cfg, config ? config : "/etc/kiosk/kiosk.conf", config != NULL);
    if (err) {
        kerr_print_local("kiosk", err);
        return kiosk_exit_code(err);
    }
    if (db)
        snprintf(cfg.database, sizeof cfg.database, "%s", db);
    store_set_write_wait(cfg.write_wait, NULL);   /* a write waits out an import */
    if (lang)
        snprintf(cfg.language, sizeof cfg.language, "%s", lang);
    if (idle > 0)
        cfg.idle_timeout = idle;
    if (speech_private)
        cfg.speech_private = true;
    if (no_speech)
        cfg.speech_enabled = false;
    if (speech_dir)
        cfg.speech_enabled = !no_speech;   /* --speech-dir asks for speech */

    if (i18n_init(argv[0]) != 0)
        fprintf(stderr, "kiosk: warning: %s; Chinese text will show in English\n", kerr_detail());

    enum { KIOSK_STATEMENT_TIMEOUT_MS = 10000 };
    struct store *st = NULL;
    struct outbox *ob = NULL;
    struct store *st_read = NULL;   /* [kiosk] database_read: a hot standby */
    struct secret *sec = NULL;
    struct devmgr *dm = NULL;
    struct session *s = NULL;
    struct speech *sp = NULL;   /* speech (issue 9) */
    int rc = 1;
    if ((err = store_open(cfg.database, 0, &st)))
        goto fail;
    int version, latest;
    if ((err = st->ops->schema_version(st, &version, &latest)))
        goto fail;
    if (version < latest) {
        err = kerr(KERR_SCHEMA, "%s: schema version %d, this program needs %d: run kioskctl init",
                   cfg.database, version, latest);
        goto fail;
    }
    char secret_path[600];
    if ((err = config_secret_path(&cfg, secret_path, sizeof secret_path)) ||
        (err = secret_load(secret_path, &sec)))
        goto fail;
    /* a wrong key would make every resident "not found": refuse to start */
    char fp[80];
    if (st->ops->meta_get(st, "key_fingerprint", fp, sizeof fp) == 0 &&
        strcmp(fp, sec->fingerprint) != 0) {
        err = kerr(KERR_SECRET, "%s is not this database's site secret (key fingerprint %s, %s "
                   "expects %s)", secret_path, sec->fingerprint, cfg.database, fp);
        goto fail;
    }
    /* curses on a non-terminal reads EOF forever: the loop would spin and a
     * service misconfigured without TTYPath would look alive.  Say so (after
     * the database, so its errors come first). */
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        err = kerr(KERR_USAGE, "standard input and output must be a terminal (run it on a tty; "
                   "under systemd: TTYPath=/dev/tty1, StandardInput=tty)");
        goto fail;
    }
    /* a resident's look-up never waits long on a stuck district server (the
     * console's clerk actions may run longer: publishing a list) */
    if (!staff && (err = store_set_statement_timeout(st, KIOSK_STATEMENT_TIMEOUT_MS)))
        goto fail;
    if (staff) {
        /* The staff console has no printer; a card reader at the counter when
         * [console] card_reader = yes (or a simulated one, --sim-cards, for
         * tests) opens a card holder's entries (issue 12).  Its idle logout
         * defaults to 10 minutes. */
        if (cfg.console_card_reader || (dopts.sim && dopts.sim_cards)) {
            struct devmgr_opts ro = {.sim = dopts.sim, .sim_cards = dopts.sim_cards};
            struct kiosk_config rc_cfg = cfg;
            if (!dopts.sim)
                snprintf(rc_cfg.printer_usb, sizeof rc_cfg.printer_usb, "ffff:ffff");  /* none */
            if ((err = devmgr_new(&rc_cfg, &ro, &dm)))
                goto fail;
        }
        if ((err = console_main(&cfg, st, sec, staff == 2, idle > 0 ? idle : 0, dm)))
            goto fail;
        rc = 0;
        goto out;
    }
    if ((err = devmgr_new(&cfg, &dopts, &dm)))
        goto fail;
    struct session_opts sopts = {.sim = dopts.sim};
    /* a kiosk on a district PostgreSQL keeps applications while it is away */
    if ((err = open_outbox(&cfg, secret_path, &ob)))
        goto fail;
    sopts.outbox = ob;
    /* look-ups on a hot standby, when configured; a standby that is away at
     * start is not fatal: the session reads the primary until it answers */
    if (cfg.database_read[0]) {
        int rerr = store_open_readonly(cfg.database_read, &st_read);
        if (rerr)
            fprintf(stderr, "kiosk: database_read: %s; look-ups go to the primary\n",
                    kerr_detail());
        else
            store_set_statement_timeout(st_read, KIOSK_STATEMENT_TIMEOUT_MS);
    }
    sopts.read_store = st_read;
    if ((err = session_new(st, sec, &cfg, &sopts, &s)))
        goto fail;
    struct ui_opts uopts = {.keys = &cfg.keys};
    /* speech (issue 9): a kiosk without a sound card still runs, and says so */
    if (cfg.speech_enabled) {
        struct speech_opts so = {.dir = speech_dir, .volume = cfg.speech_volume,
                                 .voice = {cfg.voice_zh, cfg.voice_yue, cfg.voice_en}};
        int serr = speech_new(&so, &sp);
        if (serr)
            fprintf(stderr, "kiosk: %s; speech is off%s\n", kerr_detail(),
                    speech_dir ? "" : " (--speech-dir DIR writes it to files)");
        else if (speech_dir)
            fprintf(stderr, "kiosk: speech: to %s (no sound card used)\n", speech_dir);
    } else {
        fprintf(stderr, "kiosk: speech: off ([speech] enabled = no, or --no-speech)\n");
    }
    uopts.speech = sp;
    uopts.speech_private = cfg.speech_private;
    uopts.speech_chinese = strcmp(cfg.speech_chinese, "yue") ? SPL_ZH : SPL_YUE;
    if ((err = ui_run(s, dm, &uopts)))
        goto fail;
    rc = 0;
    goto out;
fail:
    if (lang && !strcmp(lang, "zh"))
        kerr_print_local("kiosk", err);   /* a next-steps file's problem, a store refused, … */
    else
        kerr_print("kiosk", err);
    rc = kiosk_exit_code(err);
out:
    speech_free(&sp);
    session_free(&s);
    outbox_close(&ob);
    devmgr_free(&dm);
    secret_free(&sec);
    store_close(&st_read);
    store_close(&st);
    return rc;
}
