/* ctl_kiosks.c — kioskctl kiosks: every kiosk's last reported reader and
 * printer state (the same list the staff console shows), for scripts and
 * for an administrator over SSH.  Exit 1 when any kiosk needs attention,
 * so a cron job can mail it. */
#include <string.h>

#include "kiosk/cli/ctl_queue.h"
#include "kiosk/err.h"
#include "kiosk/json.h"
#include "kiosk/kiosk_status.h"
#include "kiosk/store/store.h"

static const char kiosks_help[] =
    "usage: kioskctl [--db URL] kiosks [--json]\n"
    "Each kiosk's last reported reader and printer state (absent, ready, paper_out,\n"
    "paper_low, fault), those needing attention first.  Exit 0 when all are well, 1 when\n"
    "any needs paper or has a missing or faulty device.\n";

int ctl_kiosks(struct ctl_ctx *ctx, int argc, char **argv)
{
    static const struct option o[] = {{"json", no_argument, 0, 'j'},
                                      {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    bool json = false;
    int c;
    while ((c = getopt_long(argc, argv, "h", o, NULL)) != -1) {
        if (c == 'j')
            json = true;
        else if (c == 'h') {
            fputs(kiosks_help, stdout);
            return 0;
        } else {
            fputs(kiosks_help, stderr);
            return 2;
        }
    }
    if (optind != argc) {
        fputs(kiosks_help, stderr);
        return 2;
    }
    struct store *st;
    enum { CAP = 512 };
    static struct kiosk_status_row rows[CAP];
    int n = 0, err = ctl_store(ctx, &st, NULL);
    if (err || (err = kiosk_status_list(st, rows, CAP, &n)))
        return ctl_fail(ctx, err);
    int attention = 0;
    if (json)
        fputs("{\"kiosks\": [", stdout);
    for (int i = 0; i < n; i++) {
        bool bad = kiosk_status_needs_attention(&rows[i]);
        attention += bad;
        if (json) {
            int f = 1;
            fputs(i ? ", {" : "{", stdout);
            json_kv_str(stdout, &f, "kiosk_id", rows[i].kiosk_id);
            json_kv_str(stdout, &f, "reader", kdev_state_name(rows[i].reader_state));
            json_kv_str(stdout, &f, "printer", kdev_state_name(rows[i].printer_state));
            json_kv_str(stdout, &f, "updated_at", rows[i].updated_at);
            json_kv_raw(stdout, &f, "needs_paper", kiosk_status_needs_paper(&rows[i]) ? "true" : "false");
            fputc('}', stdout);
        } else {
            printf("%-20s reader %-9s printer %-9s %s%s\n", rows[i].kiosk_id,
                   kdev_state_name(rows[i].reader_state), kdev_state_name(rows[i].printer_state),
                   rows[i].updated_at, bad ? "  <- needs attention" : "");
        }
    }
    if (json)
        fputs("]}\n", stdout);
    else if (n == 0)
        printf("no kiosk has reported yet\n");
    return attention ? 1 : 0;
}
