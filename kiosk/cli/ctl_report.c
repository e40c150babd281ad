/* ctl_report.c — `kioskctl report NAME [--csv FILE]`: the staff console's
 * reports (kiosk/report.h) for scripts and spreadsheets.  Without --csv a
 * plain text table goes to standard output; --csv FILE writes the CSV
 * (formula-leading cells neutralised, replaced atomically), --csv - to
 * standard output.  Aggregates only, so nothing is audited. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/cli/ctl.h"
#include "kiosk/eldercare.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/report.h"
#include "kiosk/store/store.h"

static const char *const help[] = {
    N_("usage: kioskctl [--db FILE] report NAME [--csv FILE|-] [--months N]\n"),
    N_("NAME: allocations (housed per month per programme), queue (waiting at each published\n"
       "list and now), wait (waiting households by years since registration), funnel (bed\n"
       "applications that reached each stage), stage-days (median days per stage), overdue\n"
       "(bed applications past their [deadlines], by street: the application's; \"no street\n"
       "recorded\" when it has none).  Counts below [reports] min_count show as \"<N\".\n"
       "--as a street office's account: the bed reports of its street only.\n"
       "--csv writes CSV to FILE (or - for standard output).\n"),
    NULL};

int ctl_report(struct ctl_ctx *ctx, int argc, char **argv)
{
    static const struct option o[] = {{"csv", required_argument, 0, 'c'},
                                      {"months", required_argument, 0, 'm'},
                                      {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *csv = NULL;
    int months = 12, c;
    while ((c = getopt_long(argc, argv, "h", o, NULL)) != -1) {
        switch (c) {
        case 'c': csv = optarg; break;
        case 'm':
            if (sscanf(optarg, "%d", &months) != 1 || months < 1 || months > 120) {
                fprintf(stderr, _("%s: report --months %s: a number of months from 1 to 120\n"),
                        ctx->prog, optarg);
                return 2;
            }
            break;
        case 'h': i18n_print(stdout, help); return 0;
        default: i18n_print(stderr, help); return 2;
        }
    }
    if (optind + 1 != argc) {
        i18n_print(stderr, help);
        return 2;
    }
    int id;
    int err = report_find(argv[optind], &id);
    if (err) {
        kerr_print_local(ctx->prog, err);
        return 2;
    }
    struct store *st;
    struct secret *sec;
    if ((err = ctl_store(ctx, &st, &sec)))
        return ctl_fail(ctx, err);
    static struct report r;   /* ~40 KB: not on the stack */
    char today[32];
    store_now(today);
    /* --as a street office's account: the bed reports of its street only */
    struct actor who;
    if (ctx->as_user && (err = ctl_admin_actor(ctx, &who)))
        return ctl_fail(ctx, err);
    struct report_opts ro = {.today = today, .months = months, .min_count = ctx->cfg.report_min_count,
                             .deadline_days = ctx->cfg.stage_deadline_days,
                             .street = ctx->as_user ? bed_actor_street(&who) : NULL};
    if ((err = report_run(st, id, &ro, &r)))
        return ctl_fail(ctx, err);
    if (csv && !strcmp(csv, "-"))
        err = report_write_csv(&r, stdout);
    else if (csv)
        err = report_save_csv(&r, csv);
    if (err)
        return ctl_fail(ctx, err);
    if (csv) {
        if (strcmp(csv, "-"))
            fprintf(stderr, _("%s: report %s: %d rows written to %s\n"), ctx->prog, report_name(id), r.n,
                    csv);
        return 0;
    }
    printf("%s (%s)\n", _(report_title(id)), today);
    for (int i = 0; i < r.n; i++) {
        const struct report_row *w = &r.row[i];
        /* street names and Chinese labels padded by display width (ctl_cell) */
        char g[sizeof w->group + 16], l[sizeof w->label + 32];
        ctl_cell(w->group, 12, g, sizeof g);
        ctl_cell(w->label, 24, l, sizeof l);
        if (w->suppressed)
            printf("%-12s %-24s <%d\n", g, l, r.min_count);
        else if (id == REP_STAGE_DAYS)
            printf(_("%-12s %-24s %lld (%lld stays)\n"), g, l, w->value, w->basis);
        else
            printf("%-12s %-24s %lld\n", g, l, w->value);
    }
    if (r.cut)
        printf(_("(only the first %d rows)\n"), REPORT_ROWS);
    return 0;
}
