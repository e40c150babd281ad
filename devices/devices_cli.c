/* devices_cli.c — `kioskctl devices …` and `kioskctl receipt …`.
 *
 *   devices list                       USB devices present, which are known readers
 *                                      and printers, what the configuration picks
 *   devices test-read [--timeout S]    wait for one card, print it MASKED
 *   devices test-print [--ref REF]     print a test page, or (with --ref, which needs
 *                                      the site secret) a sample receipt whose QR is
 *                                      REF's genuine follow-up URL
 *   receipt render FILE --png OUT [--dots N]   draw an ESC/POS stream as paper
 *   receipt verify REF CODE            is the follow-up code genuine (exit 0) or not (3)
 *   receipt url REF                    the follow-up URL for REF (for a reprint or a test)
 * Global --sim, --sim-cards, --sim-print-dir arrive in ctx.  Exit codes are
 * SPEC §2's, through kiosk_exit_code(). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libusb.h>

#include "devices/devmgr.h"
#include "devices/escpos.h"
#include "devices/receipt.h"
#include "devices/receipt_render.h"
#include "devices/usb_transport.h"
#include "kiosk/cli/ctl.h"
#include "kiosk/err.h"
#include "kiosk/followup.h"
#include "kiosk/i18n.h"
#include "kiosk/idnum.h"

/* ctl_store lives in main_kioskctl.c.  Weak, so build/kiosk (which links
 * every devices/ object but has another main) still links without it; the
 * functions that need it check for NULL. */
#pragma weak ctl_store

static int fail(const struct ctl_ctx *ctx, int err)
{
    kerr_print_local(ctx->prog, err);
    return kiosk_exit_code(err);
}

static int usage(const struct ctl_ctx *ctx, const char *text)
{
    fprintf(stderr, _("%s: usage: %s\n"), ctx->prog, _(text));
    return kiosk_exit_code(KERR_USAGE);
}

static bool want_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return true;
    return false;
}

static int get_secret(struct ctl_ctx *ctx, struct secret **sec)
{
    if (!ctl_store)
        return kerr(KERR_UNSUPPORTED, "the site secret is only available in kioskctl");
    return ctl_store(ctx, NULL, sec);
}

static int open_devmgr(struct ctl_ctx *ctx, struct devmgr **dm)
{
    struct devmgr_opts o = {.sim = ctx->sim, .sim_cards = ctx->sim_cards,
                            .sim_print_dir = ctx->sim_print_dir};
    return devmgr_new(&ctx->cfg, &o, dm);
}

/* ---- devices list --------------------------------------------------------- */

static void print_line(void *arg, const char *text)
{
    (void)arg;
    printf("  %s\n", text);
}

/* "reader state: ready, SAM ok, SAM id 05.01-…" */
static void print_reader_state(struct devmgr *dm)
{
    struct devmgr_sam sam;
    devmgr_sam_info(dm, &sam);
    enum dev_state rs = devmgr_reader_state(dm);
    printf(_("reader state: %s"), rs == DEV_MUTE ? _("card reader not answering") : _(dev_state_name(rs)));
    if (sam.state != DEVMGR_SAM_UNKNOWN)
        printf(", SAM %s", sam.status);
    if (sam.id[0])
        printf(_(", SAM id %s"), sam.id);
    putchar('\n');
}

/* Why no card came: the reader's state says more than "no card". */
static int no_card(struct ctl_ctx *ctx, enum dev_state rs, int timeout)
{
    switch (rs) {
    case DEV_READY:
        return fail(ctx, kerr(KERR_TIMEOUT, "no card within %d s", timeout));
    case DEV_MUTE:
        return fail(ctx, kerr(KERR_DEVICE, "card reader not answering (it is connected, but "
                              "neither a card command nor the SAM status gets a reply)"));
    case DEV_ABSENT:
        return fail(ctx, kerr(KERR_NODEV, "card reader not connected"));
    default:
        return fail(ctx, kerr(KERR_DEVICE, "card reader %s", dev_state_name(rs)));
    }
}

static int devices_list(struct ctl_ctx *ctx)
{
    const struct kiosk_config *c = &ctx->cfg;
    if (ctx->sim) {
        struct devmgr *dm;
        int rc = open_devmgr(ctx, &dm);
        if (rc)
            return fail(ctx, rc);
        struct devmgr_event ev[8];
        int n = devmgr_handle(dm, 0, ev, 8);
        for (int i = 0; i < n; i++)
            card_event_wipe(&ev[i].card);
        printf(_("reader:  simulated, %s: %s\n"), ctx->sim_cards ? ctx->sim_cards : _("(no --sim-cards)"),
               _(dev_state_name(devmgr_reader_state(dm))));
        printf(_("printer: simulated, %s: %s\n"),
               ctx->sim_print_dir ? ctx->sim_print_dir : _("(no --sim-print-dir)"),
               _(dev_state_name(devmgr_printer_state(dm))));
        devmgr_free(&dm);
        return 0;
    }
    libusb_context *u;
    int r = libusb_init(&u);
    if (r)
        return fail(ctx, kerr(KERR_DEVICE, "libusb: %s", libusb_strerror(r)));
    printf("%s", _("USB devices:\n"));
    int n = usb_list(u, print_line, NULL);
    libusb_exit(u);
    if (n < 0)
        return fail(ctx, n);
    if (n == 0)
        printf("  %s\n", _("(none)"));
    printf(_("reader:  %s\n"), c->reader_usb[0] ? c->reader_usb : _("first known (0400:c35a, 0316:5020)"));
    printf(_("printer: %s, %d dots, %s QR\n"), c->printer_usb[0] ? c->printer_usb
           : _("first known or any USB printer-class device"), c->paper_dots,
           c->native_qr ? _("native GS ( k") : _("raster"));
    struct devmgr *dm;
    int rc = open_devmgr(ctx, &dm);
    if (rc)
        return fail(ctx, rc);
    /* The reader thread opens the reader and asks its SAM for status (11 FF)
     * and id (12 FF); a mute reader takes ~1 s to be called so. */
    devmgr_wait_reader(dm, 5000);
    print_reader_state(dm);
    printf(_("printer state: %s\n"), _(dev_state_name(devmgr_printer_state(dm))));
    devmgr_free(&dm);
    return 0;
}

/* ---- devices test-read ------------------------------------------------------ */

static int devices_test_read(struct ctl_ctx *ctx, int argc, char **argv)
{
    int timeout = 15;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
            timeout = atoi(argv[++i]);
        else
            return usage(ctx, N_("kioskctl devices test-read [--timeout SECONDS]"));
    }
    if (timeout <= 0 || timeout > 3600)
        return usage(ctx, N_("--timeout takes 1-3600 seconds"));
    struct devmgr *dm;
    int rc = open_devmgr(ctx, &dm);
    if (rc)
        return fail(ctx, rc);
    fprintf(stderr, _("place a card on the reader (%d s)…\n"), timeout);
    struct card_event ev;
    rc = devmgr_wait_card(dm, timeout * 1000, &ev);
    enum dev_state rs = devmgr_reader_state(dm);
    devmgr_free(&dm);
    if (rc < 0)
        return fail(ctx, rc);
    if (rc == 0)
        return no_card(ctx, rs, timeout);
    /* Never print the identity in clear: the same masking as the screens. */
    char id[IDNUM_MASKED_LEN + 8], name[CARD_NAME_MAX];
    switch (ev.type) {
    case CARD_EV_INSERT:
        idnum_mask(ev.id_number, id, sizeof id);
        name_mask(ev.name, name, sizeof name);
        printf(_("card: %s, %s, %s\n"), card_kind_name(ev.kind), id, name);
        rc = 0;
        break;
    case CARD_EV_REMOVE:
        printf("%s", _("card removed\n"));
        rc = 0;
        break;
    default:
        rc = fail(ctx, kerr(KERR_DEVICE, "card: %s", ev.message));
        break;
    }
    card_event_wipe(&ev);
    return rc;
}

/* ---- devices test-print ------------------------------------------------------ */

static int devices_test_print(struct ctl_ctx *ctx, int argc, char **argv)
{
    const char *ref = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--ref") == 0 && i + 1 < argc)
            ref = argv[++i];
        else
            return usage(ctx, N_("kioskctl devices test-print [--ref REF]"));
    }
    struct printer_profile prof;
    escpos_profile(ctx->cfg.paper_dots, ctx->cfg.native_qr, &prof);
    struct receipt_model m;
    memset(&m, 0, sizeof m);
    int rc, n;
    uint8_t *buf = malloc(RECEIPT_MAX_BYTES);
    if (!buf)
        return fail(ctx, KERR_NOMEM);
    if (ref) {
        struct secret *sec;
        if ((rc = get_secret(ctx, &sec)))
            goto out;
        rc = followup_url(sec, ctx->cfg.followup_url, ref, m.followup_url, sizeof m.followup_url);
        if (rc)
            goto out;
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(m.datetime, sizeof m.datetime, "%Y-%m-%d %H:%M", &tm);
        snprintf(m.title, sizeof m.title, "%s", strcmp(ctx->cfg.language, "en") == 0
                 ? "Sample receipt" : "样张 回执");
        snprintf(m.program, sizeof m.program, "公共租赁住房 (test)");
        snprintf(m.name_masked, sizeof m.name_masked, "张*三");
        snprintf(m.id_masked, sizeof m.id_masked, "4403**********1234");
        snprintf(m.position, sizeof m.position, "1");
        snprintf(m.total, sizeof m.total, "1");
        snprintf(m.kiosk_id, sizeof m.kiosk_id, "%s", ctx->cfg.kiosk_id);
        snprintf(m.reference, sizeof m.reference, "%s", ref);
        snprintf(m.language, sizeof m.language, "%s", ctx->cfg.language);
        n = receipt_build(&m, &prof, buf, RECEIPT_MAX_BYTES);
    } else {
        n = receipt_build_test(&prof, ctx->cfg.followup_url, buf, RECEIPT_MAX_BYTES);
    }
    if (n < 0) {
        rc = n;
        goto out;
    }
    struct devmgr *dm;
    if ((rc = open_devmgr(ctx, &dm)))
        goto out;
    rc = devmgr_print_raw(dm, buf, (size_t)n);
    devmgr_free(&dm);
    if (rc == 0)
        printf(_("printed %s (%d bytes, %s)%s%s\n"), ref ? _("a sample receipt") : _("a test page"), n,
               prof.name, ctx->sim ? _(" to ") : "", ctx->sim ? ctx->sim_print_dir : "");
out:
    free(buf);
    return rc ? fail(ctx, rc) : 0;
}

int ctl_devices(struct ctl_ctx *ctx, int argc, char **argv)
{
    static const char *const help[] = {
        N_("usage: kioskctl [--sim [--sim-cards PATH] [--sim-print-dir DIR]] devices COMMAND\n"),
        N_("  list                      USB devices present and what the configuration uses\n"
           "  test-read [--timeout S]   wait for one ID card (15 s) and show it masked\n"
           "  test-print [--ref REF]    print a test page; with --ref a sample receipt whose QR\n"
           "                            is REF's follow-up URL (needs the site secret)\n"),
        N_("exit: 0 ok, 1 device failure (absent, out of paper, no card), 2 usage\n"),
        NULL};
    if (argc < 2)
        return usage(ctx, N_("kioskctl devices list|test-read|test-print (--help)"));
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || want_help(argc, argv)) {
        i18n_print(stdout, help);
        return 0;
    }
    if (strcmp(argv[1], "list") == 0 && argc == 2)
        return devices_list(ctx);
    if (strcmp(argv[1], "test-read") == 0)
        return devices_test_read(ctx, argc - 1, argv + 1);
    if (strcmp(argv[1], "test-print") == 0)
        return devices_test_print(ctx, argc - 1, argv + 1);
    return usage(ctx, N_("kioskctl devices list|test-read|test-print (--help)"));
}

/* ---- receipt … ------------------------------------------------------------------- */

static int receipt_render_cmd(struct ctl_ctx *ctx, int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    int dots = ctx->cfg.paper_dots;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--png") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "--dots") == 0 && i + 1 < argc)
            dots = atoi(argv[++i]);
        else if (argv[i][0] != '-' && !in)
            in = argv[i];
        else
            in = out = NULL, i = argc;
    }
    if (!in || !out)
        return usage(ctx, N_("kioskctl receipt render FILE --png OUT [--dots 384|576]"));
    if (dots != 384 && dots != 576)
        return usage(ctx, N_("--dots is 384 (58 mm) or 576 (80 mm)"));
    FILE *f = fopen(in, "rb");
    if (!f)
        return fail(ctx, kerr(errno == ENOENT ? KERR_NOTFOUND : KERR_IO, "%s: %s", in,
                              strerror(errno)));
    size_t cap = 4u << 20, n;
    uint8_t *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return fail(ctx, KERR_NOMEM);
    }
    n = fread(buf, 1, cap, f);
    int bad = ferror(f), more = !feof(f);
    fclose(f);
    if (bad || more) {
        free(buf);
        return fail(ctx, kerr(bad ? KERR_IO : KERR_INPUT, "%s: %s", in,
                              bad ? "read error" : "larger than 4 MiB: not a receipt"));
    }
    struct render_page pg;
    int rc = receipt_render(buf, n, dots, &pg);
    free(buf);
    if (rc)
        return fail(ctx, rc);
    rc = render_page_write_png(&pg, out);
    if (rc == 0)
        printf("%s: %d×%d%s\n", out, pg.width, pg.height,
               pg.truncated ? _(" (cut short: longer than 2 m of paper)") : "");
    render_page_free(&pg);
    return rc ? fail(ctx, rc) : 0;
}

static int receipt_verify_cmd(struct ctl_ctx *ctx, int argc, char **argv)
{
    if (argc != 3)
        return usage(ctx, N_("kioskctl receipt verify REF CODE"));
    if (!followup_ref_valid(argv[1]))
        return fail(ctx, kerr(KERR_INPUT, "receipt reference '%.40s' is not valid", argv[1]));
    struct secret *sec;
    int rc = get_secret(ctx, &sec);
    if (rc)
        return fail(ctx, rc);
    if (followup_verify(sec, argv[1], argv[2])) {
        printf(_("genuine: receipt %s, code %s\n"), argv[1], argv[2]);
        return 0;
    }
    return fail(ctx, kerr(KERR_INPUT, "NOT genuine: code '%.16s' does not belong to receipt %s "
                          "(or was made with another site secret)", argv[2], argv[1]));
}

static int receipt_url_cmd(struct ctl_ctx *ctx, int argc, char **argv)
{
    if (argc != 2)
        return usage(ctx, N_("kioskctl receipt url REF"));
    char url[512];
    struct secret *sec;
    int rc = get_secret(ctx, &sec);
    if (rc)
        return fail(ctx, rc);
    rc = followup_url(sec, ctx->cfg.followup_url, argv[1], url, sizeof url);
    if (rc)
        return fail(ctx, rc);
    printf("%s\n", url);
    return 0;
}

int ctl_receipt(struct ctl_ctx *ctx, int argc, char **argv)
{
    static const char *const help[] = {
        N_("usage: kioskctl receipt COMMAND\n"),
        N_("  render FILE --png OUT [--dots 384|576]   draw an ESC/POS stream (e.g. a --sim-print-dir\n"
           "                                           receipt-NNNN.bin) as the paper would look\n"),
        N_("  verify REF CODE    exit 0 when CODE is REF's genuine follow-up code, 3 when not\n"
           "  url REF            print REF's follow-up URL ([kiosk] followup_url?r=REF&c=CODE)\n"),
        NULL};
    if (argc < 2)
        return usage(ctx, N_("kioskctl receipt render|verify|url (--help)"));
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || want_help(argc, argv)) {
        i18n_print(stdout, help);
        return 0;
    }
    if (strcmp(argv[1], "render") == 0)
        return receipt_render_cmd(ctx, argc - 1, argv + 1);
    if (strcmp(argv[1], "verify") == 0)
        return receipt_verify_cmd(ctx, argc - 1, argv + 1);
    if (strcmp(argv[1], "url") == 0)
        return receipt_url_cmd(ctx, argc - 1, argv + 1);
    return usage(ctx, N_("kioskctl receipt render|verify|url (--help)"));
}
