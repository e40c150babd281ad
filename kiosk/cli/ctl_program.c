/* ctl_program.c — kioskctl program: the housing programs are data (SPEC §3):
 * their names, ordering rule and refusal limit can be listed, added and
 * changed.  A changed rule re-keys the program's entries and rebuilds its
 * ranks in the same transaction as the audit record. */
#include <stdlib.h>
#include <string.h>

#include "kiosk/audit.h"
#include "kiosk/audit_detail.h"
#include "kiosk/cli/ctl_queue.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/queue.h"
#include "kiosk/store/store.h"

static const char *const program_help[] = {
    N_("usage: kioskctl [--db FILE] program list\n"
       "       kioskctl [--db FILE] program add CODE --name-zh TEXT --name-en TEXT\n"
       "                [--rule KEYS] [--refusal-limit N]\n"
       "       kioskctl [--db FILE] program set CODE [--name-zh TEXT] [--name-en TEXT]\n"
       "                [--rule KEYS] [--refusal-limit N]\n"),
    N_("KEYS is a comma-separated ordering rule taken from tier, wait_since, insured_since,\n"
       "hukou_since, lottery_no (default: all five in that order); empty values sort last and\n"
       "the receipt number breaks every remaining tie.  Changing a rule re-ranks the program.\n"),
    NULL};

static int program_list(struct ctl_ctx *ctx, struct store *st)
{
    struct program p[32];
    int n = 0;
    int err = st->ops->queue->program_list(st, p, 32, &n);
    if (err)
        return ctl_fail(ctx, err);
    for (int i = 0; i < n; i++) {
        char rule[128];
        long long total = 0;
        queue_rule_text(&p[i], rule, sizeof rule);
        st->ops->queue->total(st, p[i].id, &total);
        char zh[200], en[200];
        printf(_("%-8s %-14s %-30s rule %s; refusal limit %d; %lld waiting\n"), p[i].code,
               ctl_cell(p[i].name_zh, 14, zh, sizeof zh), ctl_cell(p[i].name_en, 30, en, sizeof en),
               rule, p[i].refusal_limit, total);
    }
    return 0;
}

int ctl_program(struct ctl_ctx *ctx, int argc, char **argv)
{
    static const struct option o[] = {{"name-zh", required_argument, 0, 'z'},
                                      {"name-en", required_argument, 0, 'e'},
                                      {"rule", required_argument, 0, 'r'},
                                      {"refusal-limit", required_argument, 0, 'l'},
                                      {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *zh = NULL, *en = NULL, *rule = NULL;
    int limit = -1, c;
    while ((c = getopt_long(argc, argv, "h", o, NULL)) != -1) {
        switch (c) {
        case 'z': zh = optarg; break;
        case 'e': en = optarg; break;
        case 'r': rule = optarg; break;
        case 'l': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 100) {
                fprintf(stderr, "%s", _("kioskctl program: --refusal-limit must be 1 to 100\n"));
                return 2;
            }
            limit = (int)v;
            break;
        }
        case 'h': i18n_print(stdout, program_help); return 0;
        default: i18n_print(stderr, program_help); return 2;
        }
    }
    if (optind >= argc) {
        i18n_print(stderr, program_help);
        return 2;
    }
    const char *verb = argv[optind];
    struct store *st;
    struct secret *sec;
    int err = ctl_store(ctx, &st, &sec);
    if (err)
        return ctl_fail(ctx, err);
    if (!strcmp(verb, "list") && optind + 1 == argc)
        return program_list(ctx, st);
    if ((strcmp(verb, "add") && strcmp(verb, "set")) || optind + 2 != argc) {
        i18n_print(stderr, program_help);
        return 2;
    }
    const char *code = argv[optind + 1];
    bool add = !strcmp(verb, "add");
    struct program p;
    memset(&p, 0, sizeof p);
    if (add) {
        size_t len = strlen(code);
        if (len < 1 || len > 15 || strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789_") != len)
            return ctl_fail(ctx, kerr(KERR_INPUT, "program code '%s': 1-15 lower-case letters, "
                                      "digits or _", code));
        if (!zh || !en)
            return ctl_fail(ctx, kerr(KERR_USAGE, "program add needs --name-zh and --name-en"));
        snprintf(p.code, sizeof p.code, "%s", code);
        p.refusal_limit = ctx->cfg.refusal_limit;
        queue_rule_parse("tier,wait_since,insured_since,hukou_since,lottery_no", &p);
    } else if ((err = st->ops->queue->program_get(st, code, &p))) {
        return ctl_fail(ctx, err);
    }
    if (zh)
        snprintf(p.name_zh, sizeof p.name_zh, "%s", zh);
    if (en)
        snprintf(p.name_en, sizeof p.name_en, "%s", en);
    if (limit > 0)
        p.refusal_limit = limit;
    if (rule && (err = queue_rule_parse(rule, &p)))
        return ctl_fail(ctx, err);
    if (p.n_rule == 0)
        return ctl_fail(ctx, kerr(KERR_INPUT, "--rule needs at least one key"));
    struct actor who;
    if ((err = ctl_admin_actor(ctx, &who)))
        return ctl_fail(ctx, err);
    char text[128];
    queue_rule_text(&p, text, sizeof text);
    if ((err = store_begin(st)) || (err = st->ops->queue->program_save(st, &p)) ||
        (err = audit_append(st, sec, who.name, add ? "program-add" : "program-set", p.code,
                            AD_PROGRAM, p.name_zh, p.name_en, text,
                            p.refusal_limit)) ||
        (err = store_commit(st))) {
        store_rollback(st);
        return ctl_fail(ctx, err);
    }
    printf(_("%s: %s %s; rule %s; refusal limit %d\n"), p.code, p.name_zh, p.name_en, text,
           p.refusal_limit);
    return 0;
}
