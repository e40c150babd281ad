/* ctl_queue.c — kioskctl init, demo, import, export, position, publish,
 * entry, backup, restore, check and audit. */
#include "kiosk/cli/ctl_queue.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiosk/audit.h"
#include "kiosk/audit_detail.h"
#include "kiosk/cli/ctl_notice.h"
#include "kiosk/demo.h"
#include "kiosk/eldercare.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/idnum.h"
#include "kiosk/importer.h"
#include "kiosk/json.h"
#include "kiosk/person.h"
#include "kiosk/queue.h"
#include "kiosk/report.h"
#include "kiosk/bureau_row.h"
#include "kiosk/store/report_store.h"
#include "kiosk/secret.h"
#include "kiosk/store/row_check.h"
#include "kiosk/store/row_migrate.h"
#include "kiosk/store/store.h"

/* Parse the options of a subcommand; `help` is printed for --help. */
#define HELP_OPT {"help", no_argument, 0, 'h'}

static int usage_error(struct ctl_ctx *ctx, const char *const help[])
{
    i18n_print(stderr, help);
    (void)ctx;
    return 2;
}

/* ---- init ----------------------------------------------------------------- */

static const char *const init_help[] = {
    N_("usage: kioskctl [--db FILE] init\n"),
    N_("Create the database (or migrate it to this program's schema) and the site secret.\n"
       "Idempotent: running it again changes nothing.\n"),
    NULL};

/* The site secret for a database init (or demo) has just opened and
 * migrated: create it only when the database holds nothing sealed yet,
 * refuse to pair a populated database with a new or foreign key, record the
 * key's fingerprint, and start the audit anchor if there is none. */
static int ctl_init_key(struct ctl_ctx *ctx)
{
    struct store *st = ctx->store;
    char key[600], anchor[600];
    int err;
    if ((err = config_secret_path(&ctx->cfg, key, sizeof key)))
        return err;
    if (access(key, F_OK) != 0) {
        if (ctl_populated(st))
            return kerr(KERR_REFUSED, "%s already holds data sealed with its site secret, but %s "
                        "is missing: restore that key file from your key backup; init will not "
                        "create a new key for a populated database (it would make every "
                        "resident unreadable)", ctx->cfg.database, key);
        if ((err = secret_create(key)))
            return err;
    }
    if ((err = secret_load(key, &ctx->secret)))
        return ctl_secret_problem(ctx, key, err);
    if ((err = ctl_key_matches(ctx, st, ctx->secret)))
        return err;
    long long n = 0, bad;
    unsigned char head[32] = {0};
    char fp[80];
    if (st->ops->meta_get(st, "key_fingerprint", fp, sizeof fp) == KERR_NOTFOUND) {
        /* a database from before fingerprints: the key is the right one if
         * it verifies the audit trail (a wrong key fails at record 1) */
        if ((err = audit_verify_chain(st, ctx->secret, &n, &bad, head)))
            return kerr(err, "%s; %s is not the key of %s or its trail is damaged: not recording "
                        "its fingerprint", kerr_detail(), key, ctx->cfg.database);
        if ((err = store_begin(st)) ||
            (err = st->ops->meta_set(st, "key_fingerprint", ctx->secret->fingerprint)) ||
            (err = store_commit(st))) {
            store_rollback(st);
            return err;
        }
    }
    if (!audit_anchor_exists(ctx->secret, anchor, sizeof anchor)) {
        /* the key came without its anchor (an old install, a moved key):
         * anchor the trail as it stands now, verified first, and say so */
        if ((err = audit_anchor_start(st, ctx->secret, &n)))
            return err;
        printf(_("%s: audit anchor started at record %lld\n"), anchor, n);
    }
    /* once per database: identities bound to their rows, every row sealed
     * (issue 11; row_migrate.h) — only init holds the key to do it */
    if (st->ops->meta_get(st, "row_seal", fp, sizeof fp) == KERR_NOTFOUND) {
        long long rebound = 0, sealed = 0;
        if ((err = store_begin(st)) || (err = row_migrate(st, ctx->secret, &rebound, &sealed)) ||
            (err = st->ops->meta_set(st, "row_seal", "1")) || (err = store_commit(st))) {
            store_rollback(st);
            return err;
        }
        if (rebound || sealed)
            printf(_("%s: %lld rows sealed, %lld sealed fields bound to their rows\n"),
                   ctx->cfg.database, sealed, rebound);
    }
    return 0;
}

int ctl_init(struct ctl_ctx *ctx, int argc, char **argv)
{
    static const struct option o[] = {HELP_OPT, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", o, NULL)) != -1) {
        if (c == 'h') {
            i18n_print(stdout, init_help);
            return 0;
        }
        return usage_error(ctx, init_help);
    }
    if (optind != argc)
        return usage_error(ctx, init_help);
    int from = 0, to = 0, err;
    if ((err = store_open(ctx->cfg.database, 1, &ctx->store)) ||
        (err = ctx->store->ops->migrate(ctx->store, &from, &to)) ||
        (err = ctl_init_key(ctx)))
        return ctl_fail(ctx, err);
    /* rows stored before the person index (migration 7) get their keyed
     * name hashes now: the console finds people by name through them */
    long long n_entries = 0, n_apps = 0;
    if ((err = person_index_sync(ctx->store, ctx->secret, &n_entries, &n_apps)))
        return ctl_fail(ctx, err);
    if (n_entries || n_apps)
        printf(_("%s: person index: %lld entries and %lld applications indexed\n"),
               ctx->cfg.database, n_entries, n_apps);
    if (from != to) {
        struct actor who;
        ctl_os_actor(&who);
        if ((err = store_begin(ctx->store)) ||
            (err = audit_append(ctx->store, ctx->secret, who.name, "init", "database",
                                AD_INIT, from, to)) ||
            (err = store_commit(ctx->store))) {
            store_rollback(ctx->store);
            return ctl_fail(ctx, err);
        }
        printf(_("%s: schema version %d (was %d); site secret %s\n"), ctx->cfg.database, to, from,
               ctx->secret->path);
    } else {
        printf(_("%s: schema version %d, up to date; site secret %s\n"), ctx->cfg.database, to,
               ctx->secret->path);
    }
    return 0;
}

/* ---- demo ----------------------------------------------------------------- */

static const char *const demo_help[] = {
    N_("usage: kioskctl [--db FILE] demo [--households N] [--seed S]\n"),
    N_("Fill the database with deterministic synthetic households on the three programs\n"
       "(24 months of allocation history, a published list, recent changes) and home-care-bed\n"
       "applications in every stage.  Creates the database first when needed.  Replaces the\n"
       "programs' lists.  Defaults: 10000 households, seed 1.\n"),
    NULL};

int ctl_demo(struct ctl_ctx *ctx, int argc, char **argv)
{
    static const struct option o[] = {{"households", required_argument, 0, 'n'},
                                      {"seed", required_argument, 0, 's'}, HELP_OPT, {0, 0, 0, 0}};
    long long households = 10000;
    unsigned long long seed = 1;
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, "h", o, NULL)) != -1) {
        switch (c) {
        case 'n':
            errno = 0;
            households = strtoll(optarg, &end, 10);
            if (errno || *end || households < 10 || households > 5000000) {
                fprintf(stderr, "%s", _("kioskctl demo: --households must be 10 to 5000000\n"));
                return 2;
            }
            break;
        case 's':
            errno = 0;
            seed = strtoull(optarg, &end, 10);
            if (errno || *end || !*optarg) {
                fprintf(stderr, "%s", _("kioskctl demo: --seed must be a number\n"));
                return 2;
            }
            break;
        case 'h': i18n_print(stdout, demo_help); return 0;
        default: return usage_error(ctx, demo_help);
        }
    }
    if (optind != argc)
        return usage_error(ctx, demo_help);
    int from, to, err;
    if ((err = store_open(ctx->cfg.database, 1, &ctx->store)) ||
        (err = ctx->store->ops->migrate(ctx->store, &from, &to)) || (err = ctl_init_key(ctx)) ||
        (err = ctl_store(ctx, NULL, NULL)))
        return ctl_fail(ctx, err);
    struct demo_summary sum;
    if ((err = demo_fill(ctx->store, ctx->secret, households, seed, &sum)))
        return ctl_fail(ctx, err);
    printf(_("%s: %lld households (%lld entries) on 3 programs, %lld allocation events, "
             "%lld applications; seed %llu\n"), ctx->cfg.database, households, sum.entries,
           sum.events, sum.applications, seed);
    printf("%s", _("demo residents (for --sim-cards: insert ID NAME):\n"));
    for (int i = 0; i < 5; i++) {
        char id[19], name[64];
        demo_resident(seed, i, id, name, sizeof name);
        printf("  insert %s %s\n", id, name);
    }
    /* someone to try the application with: 60 or older, none filed yet */
    char today[32];
    store_now(today);
    int ty = atoi(today), shown = 0;
    printf("%s", _("elders with no home care bed application yet (to try applying):\n"));
    for (long long i = 5; i < households && shown < 2; i++) {
        char id[19], name[64];
        demo_resident(seed, i, id, name, sizeof name);
        int by = 0;
        if (sscanf(id + 6, "%4d", &by) != 1 || ty - by <= 60)
            continue;
        struct bed_view bv[2];
        int n = 0;
        int lerr = bed_lookup_id(ctx->store, ctx->secret, id, "en", bv, 2, &n);
        bed_view_wipe(bv, n);
        if ((lerr && lerr != KERR_NOTFOUND) || n > 0)
            continue;
        printf("  insert %s %s\n", id, name);
        shown++;
    }
    return 0;
}

/* ---- import / export ------------------------------------------------------ */

static const char *const import_help[] = {
    N_("usage: kioskctl [--db FILE] import queue --program CODE [--no-progress] [--dry-run]\n"
       "                [--allow-removals N] FILE\n"),
    N_("Import a housing-bureau list (CSV, SPEC §4) as the program's new list: new rows are\n"
       "added, known rows updated, rows absent from the file marked removed.  All or nothing:\n"
       "any bad row rejects the file (exit 3) and every problem is printed as\n"
       "FILE:LINE: column: what is wrong.  FILE - reads standard input.\n"),
    N_("An import that would remove more than [import] max_removal_share (5%) of the\n"
       "program's active entries, or any housed, offered or frozen entry, is refused (exit 5)\n"
       "unless --allow-removals N covers them.  --dry-run validates, counts and changes nothing.\n"),
    NULL};

int ctl_import(struct ctl_ctx *ctx, int argc, char **argv)
{
    static const struct option o[] = {{"program", required_argument, 0, 'p'},
                                      {"no-progress", no_argument, 0, 'q'},
                                      {"dry-run", no_argument, 0, 'n'},
                                      {"allow-removals", required_argument, 0, 'a'},
                                      HELP_OPT, {0, 0, 0, 0}};
    const char *program = NULL;
    bool progress = true;
    struct import_guard guard = {.max_share = ctx->cfg.max_removal_share, .allow_removals = -1};
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, "h", o, NULL)) != -1) {
        switch (c) {
        case 'p': program = optarg; break;
        case 'q': progress = false; break;
        case 'n': guard.dry_run = true; break;
        case 'a':
            errno = 0;
            guard.allow_removals = strtoll(optarg, &end, 10);
            if (errno || *end || !*optarg || guard.allow_removals < 0) {
                fprintf(stderr, "%s", _("kioskctl import: --allow-removals must be a number >= 0\n"));
                return 2;
            }
            break;
        case 'h': i18n_print(stdout, import_help); return 0;
        default: return usage_error(ctx, import_help);
        }
    }
    if (optind + 2 != argc || strcmp(argv[optind], "queue") != 0 || !program)
        return usage_error(ctx, import_help);
    struct store *st;
    struct secret *sec;
    int err = ctl_store(ctx, &st, &sec);
    if (err)
        return ctl_fail(ctx, err);
    struct actor who;
    if ((err = ctl_admin_actor(ctx, &who)))
        return ctl_fail(ctx, err);
    struct import_result res;
    err = import_queue(st, sec, &who, program, argv[optind + 1], progress, stderr, &guard, &res);
    if (err)
        return ctl_fail(ctx, err);
    if (guard.dry_run) {
        printf(_("%s: dry run, nothing changed: %lld valid rows; %lld of %lld active entries would "
                 "be removed as absent (%lld waiting, %lld frozen, %lld offered, %lld housed)\n"),
               program, res.rows, res.absent, res.active, res.absent_by_status[ST_WAITING],
               res.absent_by_status[ST_FROZEN], res.absent_by_status[ST_OFFERED],
               res.absent_by_status[ST_HOUSED]);
        return 0;
    }
    printf(_("%s: %lld rows: %lld added, %lld updated, %lld removed as absent, %lld unchanged "
             "(%.2f s parse, %.2f s write)\n"), program, res.rows, res.added, res.updated, res.removed,
           res.unchanged, res.parse_seconds, res.write_seconds);
    return 0;
}

static const char *const export_help[] = {
    N_("usage: kioskctl [--db FILE] export queue --program CODE [--public]\n"),
    N_("Write the program's list as CSV to standard output: the import columns (names and ID\n"
       "numbers in full: for the bureau only), or with --public the published-notice form\n"
       "(position, receipt_no, household_size, hukou_district; waiting entries in order).\n"),
    NULL};

int ctl_export(struct ctl_ctx *ctx, int argc, char **argv)
{
    static const struct option o[] = {{"program", required_argument, 0, 'p'},
                                      {"public", no_argument, 0, 'P'}, HELP_OPT, {0, 0, 0, 0}};
    const char *program = NULL;
    bool pub = false;
    int c;
    while ((c = getopt_long(argc, argv, "h", o, NULL)) != -1) {
        switch (c) {
        case 'p': program = optarg; break;
        case 'P': pub = true; break;
        case 'h': i18n_print(stdout, export_help); return 0;
        default: return usage_error(ctx, export_help);
        }
    }
    if (optind + 1 != argc || strcmp(argv[optind], "queue") != 0 || !program)
        return usage_error(ctx, export_help);
    struct store *st;
    struct secret *sec;
    int err = ctl_store(ctx, &st, &sec);
    if (!err && !pub) {
        /* the full form carries personal data: leave a trace */
        struct actor who;
        if (!(err = ctl_admin_actor(ctx, &who)) && !(err = store_begin(st)) &&
            !(err = audit_append(st, sec, who.name, "export", program, AD_EXPORT)))
            err = store_commit(st);
        if (err)
            store_rollback(st);
    }
    if (err || (err = export_queue(st, sec, program, pub, stdout)))
        return ctl_fail(ctx, err);
    return 0;
}

/* ---- position ------------------------------------------------------------- */

static const char *const position_help[] = {
    N_("usage: kioskctl [--db FILE] position (--id IDNUM | --receipt NO --id-last6 DDDDDD)\n"
       "                [--program CODE] [--json]\n"),
    N_("What the resident screen shows: every queue entry (position, total, masked identity,\n"
       "change since the last published list, wait estimate) and every home-care-bed\n"
       "application of the person.  Exit 4 when nothing is found.\n"),
    NULL};

static const char *status_zh[ST__COUNT] = {"轮候中", "暂停轮候", "已通知选房", "已配租", "已放弃",
                                           "已取消资格"};

static void print_view_text(const struct queue_view *v, FILE *out)
{
    fprintf(out, "%s %s (%s)\n", v->program_zh, v->program_en, v->program);
    /* in English the status code stays (scripts and staff know it), its Chinese
     * label beside it; in Chinese the label alone (the code is an English word) */
    if (strcmp(i18n_lang(), "en"))
        fprintf(out, _("  receipt %s   status %s\n"), v->receipt_no, status_zh[v->status]);
    else
        fprintf(out, _("  receipt %s   status %s %s\n"), v->receipt_no, entry_status_name(v->status),
                status_zh[v->status]);
    if (v->status == ST_WAITING)
        fprintf(out, _("  position %lld of %lld\n"), v->position, v->total);
    else
        fprintf(out, _("  no position (not waiting); %lld waiting in the program\n"), v->total);
    fprintf(out, _("  name %s   ID %s   household %d   hukou %s\n"), v->name_masked, v->id_masked,
            v->household_size, v->hukou_district[0] ? v->hukou_district : "-");
    fprintf(out, "%s", _("  ordered by:"));
    for (int i = 0; i < v->n_rule; i++)
        fprintf(out, "%s %s=%s", i ? "," : "", order_key_name(v->rule[i]),
                v->key_text[v->rule[i]][0] ? v->key_text[v->rule[i]] : _("(empty)"));
    fprintf(out, "%s", _(", then receipt number\n"));
    if (v->has_publication) {
        fprintf(out, _("  since the list published %s: "), v->published_at);
        if (v->own_record_changed)
            fprintf(out, _("your own record changed since (position then %lld)\n"), v->position_then);
        else if (v->position_then && v->status == ST_WAITING)
            fprintf(out, _("position %lld -> %lld: %lld housed or offered, %lld withdrew or were "
                           "removed, %lld frozen, %lld moved behind, %lld entered ahead\n"),
                    v->position_then, v->position, v->left_housed, v->left_withdrawn,
                    v->left_frozen, v->moved_behind, v->entered_ahead);
        else
            fprintf(out, "%s", _("not on that list\n"));
    }
    if (v->status == ST_WAITING) {
        if (v->has_estimate)
            fprintf(out, _("  estimate: %d to %d months (%.1f housed per month over the last %d months)\n"),
                    v->estimate_lo_months, v->estimate_hi_months, v->housed_per_month,
                    ESTIMATE_MONTHS);
        else
            fprintf(out, "%s", _("  estimate: not enough allocation history for an estimate\n"));
    }
}

static void print_view_json(const struct queue_view *v, FILE *out)
{
    int f = 1;
    fputc('{', out);
    json_kv_str(out, &f, "program", v->program);
    json_kv_str(out, &f, "program_zh", v->program_zh);
    json_kv_str(out, &f, "program_en", v->program_en);
    json_kv_str(out, &f, "receipt_no", v->receipt_no);
    json_kv_str(out, &f, "status", entry_status_name(v->status));
    if (v->status == ST_WAITING)
        json_kv_int(out, &f, "position", v->position);
    else
        json_kv_raw(out, &f, "position", "null");
    json_kv_int(out, &f, "total", v->total);
    json_kv_str(out, &f, "name", v->name_masked);
    json_kv_str(out, &f, "id", v->id_masked);
    json_kv_int(out, &f, "household_size", v->household_size);
    json_kv_str(out, &f, "hukou_district", v->hukou_district);
    json_kv_int(out, &f, "refusals", v->refusals);
    fputs(", \"ordering\": [", out);
    for (int i = 0; i < v->n_rule; i++) {
        int g = 1;
        fputs(i ? ", {" : "{", out);
        json_kv_str(out, &g, "key", order_key_name(v->rule[i]));
        json_kv_str(out, &g, "value", v->key_text[v->rule[i]]);
        fputc('}', out);
    }
    fputc(']', out);
    if (v->has_publication) {
        fputs(", \"change\": {", out);
        int g = 1;
        json_kv_str(out, &g, "published_at", v->published_at);
        if (v->position_then)
            json_kv_int(out, &g, "position_then", v->position_then);
        else
            json_kv_raw(out, &g, "position_then", "null");
        json_kv_raw(out, &g, "own_record_changed", v->own_record_changed ? "true" : "false");
        json_kv_int(out, &g, "housed_or_offered", v->left_housed);
        json_kv_int(out, &g, "withdrawn_or_removed", v->left_withdrawn);
        json_kv_int(out, &g, "frozen", v->left_frozen);
        json_kv_int(out, &g, "moved_behind", v->moved_behind);
        json_kv_int(out, &g, "entered_ahead", v->entered_ahead);
        fputc('}', out);
    } else {
        json_kv_raw(out, &f, "change", "null");
    }
    fputs(", \"estimate\": ", out);
    if (v->has_estimate)
        fprintf(out, "{\"months_min\": %d, \"months_max\": %d, \"housed_per_month\": %.2f}",
                v->estimate_lo_months, v->estimate_hi_months, v->housed_per_month);
    else
        fputs("null", out);
    fprintf(out, ", \"monthly_housed\": {\"from\": \"%s\", \"counts\": [", v->first_month);
    for (int i = 0; i < ESTIMATE_MONTHS; i++)
        fprintf(out, "%s%d", i ? ", " : "", v->monthly[i]);
    fputs("]}}", out);
}

#define MAX_VIEWS 16

int ctl_position(struct ctl_ctx *ctx, int argc, char **argv)
{
    static const struct option o[] = {
        {"id", required_argument, 0, 'i'}, {"receipt", required_argument, 0, 'r'},
        {"id-last6", required_argument, 0, 'l'}, {"program", required_argument, 0, 'p'},
        {"json", no_argument, 0, 'j'}, HELP_OPT, {0, 0, 0, 0}};
    const char *id = NULL, *receipt = NULL, *last6 = NULL, *program = NULL;
    bool json = false;
    int c;
    while ((c = getopt_long(argc, argv, "h", o, NULL)) != -1) {
        switch (c) {
        case 'i': id = optarg; break;
        case 'r': receipt = optarg; break;
        case 'l': last6 = optarg; break;
        case 'p': program = optarg; break;
        case 'j': json = true; break;
        case 'h': i18n_print(stdout, position_help); return 0;
        default: return usage_error(ctx, position_help);
        }
    }
    if (optind != argc || (!id == !receipt) || (receipt && !last6) || (id && last6))
        return usage_error(ctx, position_help);
    struct store *st;
    struct secret *sec;
    int err = ctl_store(ctx, &st, &sec);
    if (err)
        return ctl_fail(ctx, err);

    struct queue_view *views = calloc(MAX_VIEWS, sizeof *views);
    if (!views)
        return ctl_fail(ctx, KERR_NOMEM);
    int n = 0;
    unsigned char hash[SECRET_HASH_BYTES];
    bool have_hash = false;
    /* one read snapshot for everything shown */
    if ((err = st->ops->begin_read(st)))
        goto out;
    if (id) {
        char norm[IDNUM_LEN + 1];
        const char *why = NULL;
        if (idnum_normalise(id, norm, &why) != 0) {
            err = kerr(KERR_INPUT, "--id: %s", why ? why : "not a valid ID number");
            goto out;
        }
        secret_lookup_hash(sec, norm, hash);
        secure_wipe(norm, sizeof norm);
        have_hash = true;
        err = queue_lookup_id(st, sec, id, program, views, MAX_VIEWS, &n);
    } else {
        err = queue_lookup_receipt(st, sec, receipt, last6, program, views, MAX_VIEWS, &n);
        if (!err && n > 0) {
            struct entry_row e;
            struct program p;
            /* the person behind the receipt, for their applications */
            if (!st->ops->queue->program_get(st, views[0].program, &p) &&
                !st->ops->queue->entry_get(st, p.id, views[0].receipt_no, &e)) {
                memcpy(hash, e.id_hash, sizeof hash);
                have_hash = true;
            }
        }
    }
    if (err && err != KERR_NOTFOUND)
        goto out;
    int apps = 0;
    if (json) {
        /* applications are printed in the same object; count first (no output) */
        FILE *null = fopen("/dev/null", "w");
        if (have_hash && null && !program)
            ctl_print_applications(ctx, hash, 1, null, &apps);
        if (null)
            fclose(null);
        if (n == 0 && apps == 0) {
            err = kerr(KERR_NOTFOUND, "no queue entry or application for this person");
            goto out;
        }
        fputs("{\"entries\": [", stdout);
        for (int i = 0; i < n; i++) {
            if (i)
                fputs(", ", stdout);
            print_view_json(&views[i], stdout);
        }
        fputs("], \"applications\": [", stdout);
        if (have_hash && !program)
            ctl_print_applications(ctx, hash, 1, stdout, &apps);
        fputs("]}\n", stdout);
    } else {
        for (int i = 0; i < n; i++)
            print_view_text(&views[i], stdout);
        if (have_hash && !program)
            ctl_print_applications(ctx, hash, 0, stdout, &apps);
        if (n == 0 && apps == 0)
            err = kerr(KERR_NOTFOUND, "no queue entry or application for this person");
    }
    if (err == KERR_NOTFOUND && (n > 0 || apps > 0))
        err = 0;
out:
    store_rollback(st);
    queue_view_wipe(views, MAX_VIEWS);
    free(views);
    secure_wipe(hash, sizeof hash);
    return err ? ctl_fail(ctx, err) : 0;
}

/* ---- publish / entry ------------------------------------------------------ */

static const char *const publish_help[] = {
    N_("usage: kioskctl [--db FILE] publish --program CODE\n"),
    N_("Snapshot the program's current positions as the published list that residents'\n"
       "changes are explained against.\n"),
    NULL};

int ctl_publish(struct ctl_ctx *ctx, int argc, char **argv)
{
    static const struct option o[] = {{"program", required_argument, 0, 'p'}, HELP_OPT, {0, 0, 0, 0}};
    const char *program = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "h", o, NULL)) != -1) {
        if (c == 'p')
            program = optarg;
        else if (c == 'h') {
            i18n_print(stdout, publish_help);
            return 0;
        } else
            return usage_error(ctx, publish_help);
    }
    if (optind != argc || !program)
        return usage_error(ctx, publish_help);
    struct store *st;
    struct secret *sec;
    struct actor who;
    long long total = 0;
    int err = ctl_store(ctx, &st, &sec);
    if (err || (err = ctl_admin_actor(ctx, &who)) || (err = queue_publish(st, sec, &who, program, &total)))
        return ctl_fail(ctx, err);
    printf(_("%s: published %lld waiting positions\n"), program, total);
    return 0;
}

static const char *const entry_help[] = {
    N_("usage: kioskctl [--db FILE] entry ACTION --program CODE --receipt NO --reason TEXT\n"
       "           [--resident-reason CODE [--resident-text TEXT]]\n"
       "           [--answer-by YYYY-MM-DD] [--place TEXT] [--contact TEXT]   (offer)\n"),
    N_("A staff action on a queue entry, recorded with the reason and audited:\n"
       "  offer, accept (housed), refuse (counted; removed at the program's limit), freeze,\n"
       "  unfreeze, withdraw, remove, reinstate.\n"),
    N_("--reason is the internal note (history, audit).  What the resident is told is recorded\n"
       "as the console records it: --resident-reason names a reason of the next-steps file's\n"
       "[reasons] (required for freeze and remove), --resident-text adds words for the resident;\n"
       "an offer may carry its answer-by date, place and contact.  The kiosk screen, receipt,\n"
       "speech and follow-up page show them (docs/next_steps.md).\n"),
    N_("Exit 5 when the entry's status does not allow the action.\n"),
    NULL};

int ctl_entry(struct ctl_ctx *ctx, int argc, char **argv)
{
    static const struct option o[] = {{"program", required_argument, 0, 'p'},
                                      {"receipt", required_argument, 0, 'r'},
                                      {"reason", required_argument, 0, 'R'},
                                      {"resident-reason", required_argument, 0, 'C'},
                                      {"resident-text", required_argument, 0, 'T'},
                                      {"answer-by", required_argument, 0, 'D'},
                                      {"place", required_argument, 0, 'P'},
                                      {"contact", required_argument, 0, 'K'},
                                      HELP_OPT, {0, 0, 0, 0}};
    const char *program = NULL, *receipt = NULL, *reason = NULL;
    struct ctl_notice_args na = {0};
    int c;
    while ((c = getopt_long(argc, argv, "h", o, NULL)) != -1) {
        switch (c) {
        case 'p': program = optarg; break;
        case 'r': receipt = optarg; break;
        case 'R': reason = optarg; break;
        case 'C': na.reason = optarg; break;
        case 'T': na.text = optarg; break;
        case 'D': na.deadline = optarg; break;
        case 'P': na.place = optarg; break;
        case 'K': na.contact = optarg; break;
        case 'h': i18n_print(stdout, entry_help); return 0;
        default: return usage_error(ctx, entry_help);
        }
    }
    int action;
    if (optind + 1 != argc || !program || !receipt)
        return usage_error(ctx, entry_help);
    int err = queue_action_parse(argv[optind], &action);
    if (err)
        return ctl_fail(ctx, err);
    /* what the resident is told is checked before anything changes */
    struct notice tell;
    if ((err = ctl_notice_prepare(ctx, &na, action == QA_FREEZE || action == QA_REMOVE,
                                  action == QA_OFFER, &tell)))
        return ctl_fail(ctx, err);
    struct store *st;
    struct secret *sec;
    struct actor who;
    int to;
    if ((err = ctl_store(ctx, &st, &sec)) || (err = ctl_admin_actor(ctx, &who)) ||
        (err = queue_staff_action(st, sec, &who, program, receipt, action, reason, &to)))
        return ctl_fail(ctx, err);
    /* every decision gets a notice, as in the console: its date is what the
     * resident's deadlines and appeal dates count from */
    char ref[64];
    notice_entry_ref(program, receipt, ref, sizeof ref);
    if ((err = ctl_notice_save(st, NOTICE_ENTRY, ref, to, &tell)))
        return ctl_fail(ctx, err);
    /* the status in the language asked for: its code is the English word */
    printf(_("%s/%s: %s\n"), program, receipt, _(entry_status_name(to)));
    return 0;
}

/* ---- backup / restore ----------------------------------------------------- */

int ctl_backup(struct ctl_ctx *ctx, int argc, char **argv)
{
    static const char *const help[] = {
        N_("usage: kioskctl [--db FILE] backup [--force] FILE\n"),
        N_("A consistent copy of the live database (SQLite online backup), written to a\n"
           "temporary file, fsynced and then put in place, mode 0600.  An existing FILE is\n"
           "refused (exit 3) unless --force; the live database and its key never.\n"),
        N_("The site secret is NOT in it: keep the key file safe separately.\n"),
        NULL};
    static const struct option o[] = {{"force", no_argument, 0, 'f'}, HELP_OPT, {0, 0, 0, 0}};
    int force = 0, c;
    while ((c = getopt_long(argc, argv, "h", o, NULL)) != -1) {
        if (c == 'f')
            force = 1;
        else if (c == 'h') {
            i18n_print(stdout, help);
            return 0;
        } else
            return usage_error(ctx, help);
    }
    if (optind + 1 != argc)
        return usage_error(ctx, help);
    struct store *st;
    int err = ctl_store(ctx, &st, NULL);
    if (err || (err = st->ops->backup(st, argv[optind], force)))
        return ctl_fail(ctx, err);
    printf(_("backed up %s to %s\n"), ctx->cfg.database, argv[optind]);
    return 0;
}

/* Copy the backup to a private file beside the database (mode 0600), so
 * what is verified is what is restored, whatever happens to the original
 * meanwhile, and the backup itself is never opened read-write. */
static int stage_copy(const char *from, const char *db, char *staged, size_t cap)
{
    if (snprintf(staged, cap, "%s.restore.XXXXXX", db) >= (int)cap)
        return kerr(KERR_IO, "%s: path too long", db);
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return kerr(errno == ENOENT ? KERR_NOTFOUND : KERR_IO, "%s: %s", from, strerror(errno));
    int out = mkstemp(staged), err = 0;
    if (out < 0) {
        err = kerr(KERR_IO, "%s: cannot create: %s", staged, strerror(errno));
        staged[0] = '\0';
        close(in);
        return err;
    }
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n) {
            n = -1;
            break;
        }
    if (n < 0)
        err = kerr(KERR_IO, "%s: copying to %s: %s", from, staged, strerror(errno));
    close(in);
    close(out);
    return err;
}

static void unstage(const char *staged)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    if (!staged[0])
        return;
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char p[700];
        snprintf(p, sizeof p, "%s%s", staged, suffix[i]);
        unlink(p);
    }
}

int ctl_restore(struct ctl_ctx *ctx, int argc, char **argv)
{
    static const char *const help[] = {
        N_("usage: kioskctl [--db FILE] restore FILE\n"),
        N_("Replace the database with a backup made by kioskctl backup, after checking the\n"
           "backup's integrity and audit chain with this site's secret.  Refused (exit 5)\n"
           "while any other program has the database open (each is named: stop them first).\n"
           "The result is proved equal to the backup (content digest and audit head), and\n"
           "the audit anchor records the restore.\n"),
        NULL};
    if (argc == 2 && !strcmp(argv[1], "--help")) {
        i18n_print(stdout, help);
        return 0;
    }
    if (argc != 2)
        return usage_error(ctx, help);
    struct store *live = NULL, *src = NULL;
    struct secret *sec = NULL;
    char key[600], staged[700] = "", report[256];
    unsigned char head_b[32], head_l[32], dig_b[32], dig_l[32];
    long long n_b = 0, n_l = 0, bad;
    int err, version, latest;
    /* the live database may be missing altogether (that is why one restores) */
    if ((err = store_open(ctx->cfg.database, 1, &ctx->store)) ||
        (err = config_secret_path(&ctx->cfg, key, sizeof key)))
        goto out;
    live = ctx->store;
    if ((err = secret_load(key, &ctx->secret))) {
        err = ctl_secret_problem(ctx, key, err);
        goto out;
    }
    sec = ctx->secret;
    if (!live->ops->restore || !live->ops->digest) {
        err = kerr(KERR_UNSUPPORTED, "%s: restore with the database server's tools", ctx->cfg.database);
        goto out;
    }
    if ((err = stage_copy(argv[1], ctx->cfg.database, staged, sizeof staged)) ||
        (err = store_open(staged, 0, &src)))
        goto out;
    if ((err = src->ops->schema_version(src, &version, &latest)))
        goto out;
    if (version == 0) {
        err = kerr(KERR_INPUT, "%s: not a kiosk backup (no schema)", argv[1]);
        goto out;
    }
    if ((err = src->ops->integrity(src, report, sizeof report)) ||
        (err = ctl_key_matches(ctx, src, sec)) ||
        (err = audit_verify_chain(src, sec, &n_b, &bad, head_b)) ||
        (err = src->ops->digest(src, dig_b)))
        goto out;
    if ((err = live->ops->restore(live, src)))
        goto out;
    /* prove it: the same rows in every table and the same audit head */
    if ((err = live->ops->digest(live, dig_l)) ||
        (err = audit_verify_chain(live, sec, &n_l, &bad, head_l)))
        goto out;
    if (sodium_memcmp(dig_b, dig_l, 32) != 0 || n_b != n_l || sodium_memcmp(head_b, head_l, 32) != 0) {
        err = kerr(KERR_DB, "%s: after the restore the database differs from %s (audit head %lld "
                   "vs %lld): do not start the kiosks; restore again", ctx->cfg.database, argv[1],
                   n_l, n_b);
        goto out;
    }
    /* the trail now legitimately ends earlier than the anchor had seen */
    if ((err = audit_anchor_write(sec, n_b, head_b, 1)))
        goto out;
    printf(_("restored %s from %s (%lld audit records verified; content digest equal)\n"),
           ctx->cfg.database, argv[1], n_b);
out:
    store_close(&src);
    unstage(staged);
    return err ? ctl_fail(ctx, err) : 0;
}

/* ---- check / audit -------------------------------------------------------- */

static const char *const check_help[] = {
    N_("usage: kioskctl [--config FILE] [--db FILE] check\n"),
    N_("Database integrity, schema version, the audit chain, every row against its seal\n"
       "and its history (a status, household size, tier, sort key, role, lock-out or\n"
       "stage edited in the database is named, as is an identity copied from another\n"
       "row), the queues' rank structure and unknown configuration keys.  Exit 0 when\n"
       "all is well, 1 otherwise.\n"),
    NULL};

static void print_row_problem(void *ctx, const char *line)
{
    (void)ctx;
    char safe[1200];
    printf(_("rows: %s\n"), ctl_safe(line, safe, sizeof safe));
}

int ctl_check(struct ctl_ctx *ctx, int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "--help")) {
        i18n_print(stdout, check_help);
        return 0;
    }
    if (argc != 1)
        return usage_error(ctx, check_help);
    int problems = 0;
    for (int i = 0; i < ctx->cfg.n_unknown; i++) {
        printf(_("config: unknown key %s in %s\n"), ctx->cfg.unknown[i], ctx->cfg.path);
        problems++;
    }
    struct store *st;
    struct secret *sec;
    int err = ctl_store(ctx, &st, &sec);
    if (err)
        return ctl_fail(ctx, err);
    int version, latest;
    char report[256];
    if ((err = st->ops->schema_version(st, &version, &latest)) == 0)
        printf(_("schema: version %d of %d\n"), version, latest);
    else {
        fprintf(stderr, "check: %s\n", ctl_detail(err));
        problems++;
    }
    if ((err = st->ops->integrity(st, report, sizeof report)) == 0)
        printf("%s", _("integrity: ok\n"));
    else {
        printf(_("integrity: FAILED: %s\n"), ctl_detail(err));
        problems++;
    }
    long long n, bad;
    if ((err = audit_verify(st, sec, &n, &bad)) == 0)
        printf(_("audit: %lld records, chain verified\n"), n);
    else {
        printf(_("audit: FAILED: %s\n"), err == KERR_TAMPER ? ctl_detail(err) : kiosk_strerror_local(err));
        problems++;
    }
    struct row_check_result rr;
    if ((err = row_check(st, sec, 50, print_row_problem, NULL, &rr)) != 0) {
        printf(_("rows: FAILED: %s\n"), ctl_detail(err));
        problems++;
    } else if (rr.problems) {
        if (rr.problems > 50)
            printf(_("rows: … and %lld more\n"), rr.problems - 50);
        printf(_("rows: %lld of %lld rows are not what the programs wrote or their history "
                 "implies\n"), rr.problems, rr.rows);
        problems++;
    } else {
        printf(_("rows: %lld rows sealed and consistent with their histories\n"), rr.rows);
    }
    struct program progs[16];
    int np = 0;
    if ((err = st->ops->queue->program_list(st, progs, 16, &np)) == 0) {
        for (int i = 0; i < np; i++) {
            long long total = 0, counted = 0;
            struct entry_row last;
            err = st->ops->queue->total(st, progs[i].id, &total);
            /* the rank tree's total must match the waiting entries, and the
             * last position must resolve to an entry */
            if (!err)
                err = st->ops->queue->count_waiting(st, progs[i].id, &counted);
            if (!err && total != counted)
                err = kerr(KERR_DB, "rank tree says %lld waiting, the entries say %lld", total, counted);
            if (!err && total > 0)
                err = st->ops->queue->entry_at(st, progs[i].id, total, &last);
            /* every count the triggers keep (entry_open_n, housed_month) against a
             * recount: the first that differs named with both numbers */
            long long n_bad = 0, kept = 0, recount = 0;
            char what[64];
            if (!err)
                err = st->ops->queue->check_kept_counts(st, progs[i].id, &n_bad, what, &kept, &recount);
            if (!err && n_bad)
                err = n_bad == 1
                    ? kerr(KERR_DB, "kept count %s is %lld, a recount finds %lld (%lld kept count differ)",
                           what, kept, recount, n_bad)
                    : kerr(KERR_DB, "kept count %s is %lld, a recount finds %lld (%lld kept counts differ)",
                           what, kept, recount, n_bad);
            /* the kept allocation counts the wait estimate reads (housed_month) */
            long long bad_months = 0;
            if (!err)
                err = st->ops->queue->check_allocations(st, progs[i].id, &bad_months);
            if (!err && bad_months)
                err = bad_months == 1
                    ? kerr(KERR_DB, "%lld month of allocation counts differ from the history", bad_months)
                    : kerr(KERR_DB, "%lld months of allocation counts differ from the history", bad_months);
            if (err) {
                printf(_("queue %s: FAILED: %s (repair: kioskctl check cannot fix this; re-import)\n"),
                       progs[i].code, ctl_detail(err));
                problems++;
            } else {
                printf(_("queue %s: %lld waiting, rank structure consistent\n"), progs[i].code, total);
            }
        }
    }
    if (problems == 1)
        printf("%s", _("1 problem found\n"));
    else if (problems)
        printf(_("%d problems found\n"), problems);
    return problems ? 1 : 0;
}

/* One record a line.  In English the codes stay codes (--action and --entry
 * take them); the detail is in the language asked for (audit_detail_local: English is
 * the stored text, which scripts read). */
static int print_audit(void *p, const struct audit_rec *r)
{
    (void)p;
    char a[400], b[400], c[400], d[6200], local[sizeof r->detail * 3], ca[420], cb[420], cc[420];
    const char *detail = r->detail;
    if (strcmp(i18n_lang(), "en"))
        detail = audit_detail_local(r->action, r->detail, local, sizeof local);
    /* in Chinese the action's label and the object's words ("登录", "床位 7K…"), as
     * the console shows them; English keeps the codes (scripts read them) */
    const char *action = r->action, *object = r->object;
    char obj[sizeof r->object * 3];
    if (strcmp(i18n_lang(), "en")) {
        action = audit_action_label(r->action);
        audit_object_label(r->object, obj, sizeof obj);
        object = obj;
    }
    printf("%6lld  %s  %-20s %-10s %-24s %s\n", r->seq, r->at,
           ctl_cell(ctl_safe(r->actor, a, sizeof a), 20, ca, sizeof ca),
           ctl_cell(ctl_safe(action, b, sizeof b), 10, cb, sizeof cb),
           ctl_cell(ctl_safe(object, c, sizeof c), 24, cc, sizeof cc),
           ctl_safe(detail, d, sizeof d));
    return 0;
}

/* audit tail's records come newest first from the filtered read; printed oldest first */
struct tail_acc {
    struct audit_rec *r;
    int n;
};

static int tail_keep(void *p, const struct audit_rec *r)
{
    struct tail_acc *t = p;
    t->r[t->n++] = *r;
    return 0;
}

static int audit_tail(struct ctl_ctx *ctx, struct store *st, int argc, char **argv,
                      const char *const help[])
{
    static const struct option o[] = {{"actor", required_argument, 0, 'a'},
                                      {"action", required_argument, 0, 'x'},
                                      {"since", required_argument, 0, 's'},
                                      {"until", required_argument, 0, 'u'},
                                      {"entry", required_argument, 0, 'e'}, HELP_OPT, {0, 0, 0, 0}};
    struct audit_filter f = {0};
    long long count = 20;
    const char *entry = "";
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "n:h", o, NULL)) != -1) {
        switch (c) {
        case 'n':
            if (sscanf(optarg, "%lld", &count) != 1 || count < 1 || count > 100000) {
                fprintf(stderr, _("%s: audit tail -n %s: a count from 1 to 100000\n"), ctx->prog, optarg);
                return 2;
            }
            break;
        case 'a': snprintf(f.actor, sizeof f.actor, "%s", optarg); break;
        case 'x': snprintf(f.action, sizeof f.action, "%s", optarg); break;
        case 's': snprintf(f.since, sizeof f.since, "%s", optarg); break;
        case 'u': snprintf(f.until, sizeof f.until, "%s", optarg); break;
        case 'e': entry = optarg; break;
        case 'h': i18n_print(stdout, help); return 0;
        default: return usage_error(ctx, help);
        }
    }
    if (optind != argc)
        return usage_error(ctx, help);
    int32_t day;
    if ((f.since[0] && (strlen(f.since) != 10 || date_parse(f.since, &day))) ||
        (f.until[0] && (strlen(f.until) != 10 || date_parse(f.until, &day)))) {
        fprintf(stderr, _("%s: audit tail --since/--until %s: not a date (YYYY-MM-DD)\n"), ctx->prog,
                f.since[0] && (strlen(f.since) != 10 || date_parse(f.since, &day)) ? f.since : f.until);
        kerr_clear();
        return 2;
    }
    int err = audit_filter_object(st, entry, &f);
    struct tail_acc t = {.r = calloc((size_t)count, sizeof *t.r)};
    if (!err && !t.r)
        err = KERR_NOMEM;
    if (!err)
        err = report_store_audit(st, &f, NULL, (int)count, tail_keep, &t);
    for (int i = t.n - 1; !err && i >= 0; i--)
        print_audit(NULL, &t.r[i]);
    free(t.r);
    return err ? ctl_fail(ctx, err) : 0;
}

int ctl_audit(struct ctl_ctx *ctx, int argc, char **argv)
{
    static const char *const help[] = {
        N_("usage: kioskctl [--db FILE] audit verify | audit tail [-n N] [--actor NAME]\n"
           "       [--action ACTION] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--entry REF]\n"),
        N_("verify: walk the keyed hash chain; exit 1 at the first edited,\n"
           "deleted or reordered record.  tail: the last N records (20) that match every\n"
           "filter given (--until takes its whole day; --entry a receipt, CODE/RECEIPT or a\n"
           "bed reference), oldest first.\n"),
        NULL};
    if (argc < 2 || !strcmp(argv[1], "--help")) {
        i18n_print(argc < 2 ? stderr : stdout, help);
        return argc < 2 ? 2 : 0;
    }
    struct store *st;
    struct secret *sec;
    int err = ctl_store(ctx, &st, &sec);
    if (err)
        return ctl_fail(ctx, err);
    if (!strcmp(argv[1], "verify") && argc == 2) {
        long long n, bad;
        if ((err = audit_verify(st, sec, &n, &bad)))
            return ctl_fail(ctx, err);
        printf(_("audit: %lld records, chain verified\n"), n);
        return 0;
    }
    if (!strcmp(argv[1], "tail"))
        return audit_tail(ctx, st, argc - 1, argv + 1, help);
    return usage_error(ctx, help);
}
