/* ctl_kiosks.c — kioskctl kiosks: the fleet over SSH (SPEC §9, issue 12).
 *
 * Every kiosk's last heartbeat: its age, reader (and SAM), printer and
 * paper, the last screen it drew and when, its version.  A kiosk silent for
 * more than [fleet] silent_after (120 s) is flagged, as is one that needs
 * paper or has a missing, faulty or mute device; either makes the exit
 * status 1, so a cron job can mail it.  --prometheus prints the node-exporter
 * textfile format, so a district's existing monitoring can alert:
 *   kioskctl kiosks --prometheus > /var/lib/node_exporter/textfile/kiosk.prom.$$ &&
 *   mv … kiosk.prom   (the collector reads *.prom; write then rename) */
#include <string.h>
#include <time.h>

#include "kiosk/cli/ctl_queue.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/json.h"
#include "kiosk/kiosk_status.h"
#include "kiosk/store/store.h"

static const char *const kiosks_help[] = {
    N_("usage: kioskctl [--db URL] kiosks [--json|--prometheus]\n"),
    N_("Each kiosk's last heartbeat: age, reader (absent, ready, fault, not_answering) and\n"
       "its SAM, printer (ready, paper_low, paper_out, fault, absent), the last screen drawn,\n"
       "version.  Kiosks needing attention first.  A kiosk silent for more than [fleet]\n"
       "silent_after seconds (120) is flagged SILENT.  A database outage a kiosk reported\n"
       "(its first heartbeat after one records from when to when) is shown for a day; a\n"
       "silent kiosk whose last heartbeat reported one is flagged \"database unreachable?\"\n"
       "(likelier than a dead kiosk, but a silent kiosk cannot say).\n"),
    N_("  --json         {\"kiosks\": [{\"kiosk_id\", \"silent\", \"age_s\", …, \"db_lost_from\",\n"
       "                 \"db_lost_to\" (Unix s, 0: none), \"db\": \"ok\"|\"was_unreachable\"|\n"
       "                 \"unreachable?\"}]}\n"
       "  --prometheus   node-exporter textfile format (kiosk_up, kiosk_heartbeat_age_seconds, …)\n"),
    N_("Exit 0 when all are well, 1 when any is silent, needs paper or has a device problem.\n"),
    NULL};

static const char *db_word(int note)
{
    return note == KDB_SILENT_AWAY ? "unreachable?" : note == KDB_WAS_AWAY ? "was_unreachable" : "ok";
}

/* A Prometheus label value: backslash, quote and newline escaped (the
 * kiosk id is configuration text). */
static void prom_label(const char *s)
{
    for (; *s; s++) {
        if (*s == '\\' || *s == '"')
            printf("\\%c", *s);
        else if (*s == '\n')
            fputs("\\n", stdout);
        else
            putchar(*s);
    }
}

struct metric {
    const char *name, *help;
};

static const struct metric metrics[] = {
    {"kiosk_up", "1 when the kiosk sent a heartbeat within [fleet] silent_after seconds."},
    {"kiosk_heartbeat_age_seconds", "Seconds since the kiosk's last heartbeat (-1: never)."},
    {"kiosk_reader_ok", "1 when the ID-card reader is connected and answering."},
    {"kiosk_reader_not_answering", "1 when the reader is connected but does not answer."},
    {"kiosk_sam_ok", "1 when the reader's SAM answered its status request."},
    {"kiosk_printer_ok", "1 when the printer is ready (paper near end included)."},
    {"kiosk_paper_low", "1 when the printer's paper is near its end."},
    {"kiosk_paper_out", "1 when the printer is out of paper."},
    {"kiosk_screen_age_seconds", "Seconds since the kiosk last drew a screen (-1: never)."},
    {"kiosk_info", "The kiosk's version and last screen name (always 1)."},
};

static long long metric_value(int m, const struct kiosk_status_row *r, long long now, int silent)
{
    switch (m) {
    case 0: return !kiosk_status_silent(r, now, silent);
    case 1: return kiosk_status_age(r, now);
    case 2: return r->reader_state == KDEV_READY;
    case 3: return r->reader_state == KDEV_NOT_ANSWERING;
    case 4: return r->sam_state == KSAM_OK;
    case 5: return r->printer_state == KDEV_READY || r->printer_state == KDEV_PAPER_LOW;
    case 6: return r->printer_state == KDEV_PAPER_LOW;
    case 7: return r->printer_state == KDEV_PAPER_OUT;
    case 8: return r->screen_at > 0 ? (now > r->screen_at ? now - r->screen_at : 0) : -1;
    default: return 1;
    }
}

static void print_prometheus(const struct kiosk_status_row *rows, int n, long long now, int silent)
{
    for (int m = 0; m < (int)(sizeof metrics / sizeof metrics[0]); m++) {
        printf("# HELP %s %s\n# TYPE %s gauge\n", metrics[m].name, metrics[m].help, metrics[m].name);
        for (int i = 0; i < n; i++) {
            printf("%s{kiosk=\"", metrics[m].name);
            prom_label(rows[i].kiosk_id);
            if (m == 9) {
                fputs("\",version=\"", stdout);
                prom_label(rows[i].version);
                fputs("\",screen=\"", stdout);
                prom_label(rows[i].screen);
            }
            printf("\"} %lld\n", metric_value(m, &rows[i], now, silent));
        }
    }
}

int ctl_kiosks(struct ctl_ctx *ctx, int argc, char **argv)
{
    static const struct option o[] = {{"json", no_argument, 0, 'j'},
                                      {"prometheus", no_argument, 0, 'p'},
                                      {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    bool json = false, prom = false;
    int c;
    while ((c = getopt_long(argc, argv, "h", o, NULL)) != -1) {
        if (c == 'j')
            json = true;
        else if (c == 'p')
            prom = true;
        else if (c == 'h') {
            i18n_print(stdout, kiosks_help);
            return 0;
        } else {
            i18n_print(stderr, kiosks_help);
            return 2;
        }
    }
    if (optind != argc || (json && prom)) {
        i18n_print(stderr, kiosks_help);
        return 2;
    }
    struct store *st;
    enum { CAP = 512 };
    static struct kiosk_status_row rows[CAP];
    int n = 0, err = ctl_store(ctx, &st, NULL);
    if (err || (err = kiosk_status_list(st, rows, CAP, &n)))
        return ctl_fail(ctx, err);
    long long now = (long long)time(NULL);
    int silent_after = ctx->cfg.fleet_silent_after, flagged = 0;
    for (int i = 0; i < n; i++)
        flagged += kiosk_status_silent(&rows[i], now, silent_after) ||
                   kiosk_status_needs_attention(&rows[i]);
    if (prom) {
        print_prometheus(rows, n, now, silent_after);
        return flagged ? 1 : 0;
    }
    if (json)
        fputs("{\"kiosks\": [", stdout);
    for (int i = 0; i < n; i++) {
        const struct kiosk_status_row *r = &rows[i];
        bool silent = kiosk_status_silent(r, now, silent_after);
        bool bad = kiosk_status_needs_attention(r);
        long long age = kiosk_status_age(r, now);
        long long sage = r->screen_at > 0 ? (now > r->screen_at ? now - r->screen_at : 0) : -1;
        if (json) {
            int f = 1;
            fputs(i ? ", {" : "{", stdout);
            json_kv_str(stdout, &f, "kiosk_id", r->kiosk_id);
            json_kv_raw(stdout, &f, "silent", silent ? "true" : "false");
            json_kv_int(stdout, &f, "age_s", age);
            json_kv_str(stdout, &f, "reader", kdev_state_name(r->reader_state));
            json_kv_str(stdout, &f, "sam", ksam_state_name(r->sam_state));
            json_kv_str(stdout, &f, "sam_id", r->sam_id);
            json_kv_str(stdout, &f, "printer", kdev_state_name(r->printer_state));
            json_kv_raw(stdout, &f, "needs_paper", kiosk_status_needs_paper(r) ? "true" : "false");
            json_kv_str(stdout, &f, "screen", r->screen);
            json_kv_int(stdout, &f, "screen_age_s", sage);
            json_kv_str(stdout, &f, "version", r->version);
            json_kv_str(stdout, &f, "updated_at", r->updated_at);
            json_kv_int(stdout, &f, "db_lost_from", r->db_lost_from);
            json_kv_int(stdout, &f, "db_lost_to", r->db_lost_to);
            json_kv_str(stdout, &f, "db", db_word(kiosk_status_db_note(r, now, silent_after)));
            fputc('}', stdout);
        } else {
            char a1[32], a2[32], c1[48], c2[64], c3[64], c4[64], c5[64], out[KDB_TEXT_MAX];
            int note = kiosk_status_db_note(r, now, silent_after);
            /* the devices' states: codes in English (scripts read them), words in Chinese */
            bool en = !strcmp(i18n_lang(), "en");
            const char *rd = en ? kdev_state_name(r->reader_state) : kdev_state_label(r->reader_state);
            const char *sam = en ? ksam_state_name(r->sam_state) : ksam_state_label(r->sam_state);
            const char *pr = en ? kdev_state_name(r->printer_state) : kdev_state_label(r->printer_state);
            /* "失联", "3分钟" and "缺纸" padded by display width (ctl_cell), not bytes */
            printf(_("%-16s %-6s beat %-8s reader %-13s SAM %-7s printer %-9s screen %s (%s)"
                     "  v%s%s%s"),
                   r->kiosk_id, ctl_cell(silent ? _("SILENT") : _("ok"), 6, c1, sizeof c1),
                   ctl_cell(kiosk_age_text(age, a1, sizeof a1), 8, c2, sizeof c2),
                   ctl_cell(rd, 13, c3, sizeof c3), ctl_cell(sam, 7, c4, sizeof c4),
                   ctl_cell(pr, 9, c5, sizeof c5), r->screen[0] ? r->screen : "-",
                   kiosk_age_text(sage, a2, sizeof a2), r->version[0] ? r->version : "?",
                   silent && note != KDB_SILENT_AWAY ? _("  <- silent") : "",
                   bad ? _("  <- needs attention") : "");
            /* the words the console's fleet panel shows too (kiosk_status_db_text) */
            kiosk_status_db_text(r, now, silent_after, out, sizeof out);
            if (note == KDB_SILENT_AWAY)
                printf("  <- %s", out);
            else if (note == KDB_WAS_AWAY)
                printf("  (%s)", out);
            putchar('\n');
        }
    }
    if (json)
        fputs("]}\n", stdout);
    else if (n == 0)
        printf("%s", _("no kiosk has reported yet\n"));
    return flagged ? 1 : 0;
}
