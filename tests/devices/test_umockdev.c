/* test_umockdev.c — the libusb transport and both drivers against umockdev.
 *
 * umockdev's preload library (linked in with --no-as-needed, as libusb's own
 * tests/umockdev.c does) fakes /sys and /dev/bus/usb; an in-process ioctl
 * handler plays the devices at the usbfs level (SUBMITURB / REAPURB /
 * DISCARDURB), so libusb, usb_transport.c, idcard.c, printer.c and devmgr.c
 * all run unmodified:
 *   - a fake SAM reader 0400:C35A in split-pipe (OUT 02/06, IN 81/85) or
 *     single-pipe (OUT 01, IN 81; 64-byte packets) wiring, answering find,
 *     select and read from the golden files; modes for no card, a corrupted
 *     checksum, a mute reader and an unplug half-way through the read reply;
 *   - a fake USB printer-class printer 0416:5011 (OUT 03, IN 82) that keeps
 *     every job byte, answers DLE EOT and GET_DEVICE_ID / GET_PORT_STATUS,
 *     and can be out of paper.
 * Built without ASan (see rules.mk).  The handler runs on umockdev's thread:
 * all fake state is under one mutex. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/ioctl.h>            /* before usbdevice_fs.h (DEVICES.md §3.2) */
#include <linux/usbdevice_fs.h>

#include <libusb.h>
#include <umockdev.h>

#include "devices/devmgr.h"
#include "devices/idcard.h"
#include "devices/printer.h"
#include "devices/usb_transport.h"
#include "kiosk/cli/ctl.h"
#include "kiosk/err.h"
#include "tests/devices/golden.h"

/* ---- the fake devices ----------------------------------------------------- */

enum reader_mode { R_CARD, R_NO_CARD, R_BAD_CHECKSUM, R_MUTE, R_UNPLUG_IN_READ, R_LATE_READ };

/* A reply frame on its way to the host, not sendable before ready_ms. */
struct fframe {
    uint8_t b[2400];
    size_t len, off;
    long long ready_ms;
};

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct fake {
    pthread_mutex_t mu;
    /* per device (0 reader, 1 printer): a URB must be reaped on its own fd */
    GList *done[2];           /* URBs ready to reap (UMockdevIoctlData *) */
    GList *waiting[2];        /* IN URBs with nothing to give yet */
    GList *discarded[2];
    /* reader */
    bool split;
    enum reader_mode mode;
    bool card_read;           /* the card on the field was read already */
    uint8_t rx[256];
    size_t rx_len;
    struct fframe fq[4];      /* replies in order: each frame's header on 0x81, rest on 0x85 (split) */
    int fq_n;
    bool late_done;           /* R_LATE_READ: the one late read happened */
    int finds;                /* find commands received */
    long long late_ms;        /* R_LATE_READ: delay of the first read reply */
    bool unplugged;
    uint8_t received[65536];  /* every OUT byte the reader got, in order */
    size_t received_len;
    uint8_t printed[65536];   /* every job byte the printer got (not DLE EOT requests) */
    size_t printed_len;
    /* printer */
    bool paper_out;
    uint8_t status_reply[8];
    int status_n;
};

static struct fake F;

static void fake_reset(bool split, enum reader_mode mode)
{
    pthread_mutex_lock(&F.mu);
    F.split = split;
    F.mode = mode;
    F.card_read = false;
    F.rx_len = F.received_len = F.printed_len = 0;
    F.fq_n = 0;
    F.late_done = false;
    F.finds = 0;
    F.late_ms = 4500;
    F.unplugged = false;
    F.paper_out = false;
    F.status_n = 0;
    pthread_mutex_unlock(&F.mu);
}

/* Queue a golden reply frame, sendable after delay_ms. */
static void queue_frame(const char *golden, long long delay_ms)
{
    size_t n;
    unsigned char *g = golden_load(golden, &n);
    assert_true(F.fq_n < 4 && n <= sizeof F.fq[0].b);
    struct fframe *f = &F.fq[F.fq_n++];
    memcpy(f->b, g, n);
    f->len = n;
    f->off = 0;
    f->ready_ms = mono_ms() + delay_ms;
    free(g);
}

static void set_reply(const char *golden) { queue_frame(golden, 0); }

/* A whole SAM frame arrived from the host: decide the answer. */
static void reader_frame(const uint8_t *f)
{
    uint16_t cmd = (uint16_t)(f[7] << 8 | f[8]);
    if (F.mode == R_MUTE)
        return;
    switch (cmd) {
    case 0x2001:
        F.finds++;
        if (F.mode == R_NO_CARD || F.card_read)
            set_reply("sam_rep_no_card.bin");
        else
            set_reply(F.mode == R_BAD_CHECKSUM ? "sam_rep_find_badchk.bin" : "sam_rep_find_ok.bin");
        break;
    case 0x2002: set_reply("sam_rep_select_ok.bin"); break;
    case 0x3001:
        if (F.mode == R_LATE_READ && !F.late_done) {
            /* answered after the host gave up: the card is not "read" for
             * the SAM's purposes, so it is found again next time */
            queue_frame("sam_rep_read_resident.bin", F.late_ms);
            F.late_done = true;
            break;
        }
        set_reply("sam_rep_read_resident.bin");
        F.card_read = true;
        break;
    case 0x3003: set_reply("sam_rep_addr_none.bin"); break;
    case 0x11FF: set_reply("sam_rep_status_ok.bin"); break;
    case 0x12FF: set_reply("sam_rep_sam_id.bin"); break;
    default: set_reply("sam_rep_no_card.bin"); break;
    }
}

static void reader_out(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n && F.rx_len < sizeof F.rx; i++)
        F.rx[F.rx_len++] = b[i];
    if (F.rx_len >= 7) {
        size_t total = 7 + ((size_t)F.rx[5] << 8 | F.rx[6]);
        if (F.rx_len >= total) {
            reader_frame(F.rx);
            F.rx_len = 0;
        }
    }
}

/* Bytes the reader sends for an IN URB on ep (≤ cap): from the oldest
 * frame, once it is due. */
static size_t reader_in(uint8_t ep, uint8_t *buf, size_t cap)
{
    if (F.fq_n == 0)
        return 0;
    struct fframe *f = &F.fq[0];
    if (mono_ms() < f->ready_ms)
        return 0;
    size_t avail = f->len - f->off, k;
    if (F.split) {
        /* header (7 bytes) on 0x81, the rest on 0x85 */
        if (ep == 0x81)
            k = f->off < 7 ? 7 - f->off : 0;
        else
            k = f->off >= 7 ? avail : 0;
    } else {
        k = avail < 64 ? avail : 64;        /* one full-speed packet per URB */
    }
    if (k > cap)
        k = cap;
    if (F.mode == R_UNPLUG_IN_READ && f->len > 1000 && f->off + k > 600) {
        F.unplugged = true;                 /* the cable comes out mid-reply */
        return 0;
    }
    memcpy(buf, f->b + f->off, k);
    f->off += k;
    if (f->off == f->len) {
        memmove(&F.fq[0], &F.fq[1], (size_t)(F.fq_n - 1) * sizeof F.fq[0]);
        F.fq_n--;
    }
    return k;
}

static void printer_out(const uint8_t *b, size_t n)
{
    if (n == 3 && b[0] == 0x10 && b[1] == 0x04) {        /* DLE EOT n, sent on its own */
        uint8_t s = 0x12;
        if (F.paper_out)
            s = b[2] == 4 ? 0x72 : b[2] == 2 ? 0x32 : 0x12;
        F.status_reply[F.status_n++ & 7] = s;
        return;
    }
    if (F.printed_len + n <= sizeof F.printed) {
        memcpy(F.printed + F.printed_len, b, n);
        F.printed_len += n;
    }
}

/* ---- the usbfs ioctl handler ----------------------------------------------------- */

static gboolean on_ioctl(UMockdevIoctlBase *h, UMockdevIoctlClient *c, gpointer user)
{
    const char *node = umockdev_ioctl_client_get_devnode(c);
    bool is_printer = strcmp(node, "/dev/bus/usb/001/003") == 0;
    int d = is_printer;
    UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(c);
    gulong req = umockdev_ioctl_client_get_request(c);
    (void)h, (void)user;
    pthread_mutex_lock(&F.mu);
    gboolean handled = TRUE;
    switch (req) {
    case USBDEVFS_GET_CAPABILITIES: {
        UMockdevIoctlData *cap = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), NULL);
        *(guint32 *)cap->data = USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
                              USBDEVFS_CAP_REAP_AFTER_DISCONNECT;
        umockdev_ioctl_data_unref(cap);
        umockdev_ioctl_client_complete(c, 0, 0);
        break;
    }
    case USBDEVFS_GETDRIVER:
    case USBDEVFS_IOCTL:
        /* No kernel driver bound: GETDRIVER, and the DISCONNECT/CONNECT that
         * libusb's auto-detach sends, say ENODATA like the kernel does. */
        umockdev_ioctl_client_complete(c, -1, ENODATA);
        break;
    case USBDEVFS_CLAIMINTERFACE:
        if (!is_printer && F.unplugged)
            umockdev_ioctl_client_complete(c, -1, ENODEV);
        else
            umockdev_ioctl_client_complete(c, 0, 0);
        break;
    case USBDEVFS_RELEASEINTERFACE:
    case USBDEVFS_CLEAR_HALT:
    case USBDEVFS_RESET:
    case USBDEVFS_RESETEP:
        umockdev_ioctl_client_complete(c, 0, 0);
        break;
    case USBDEVFS_SUBMITURB: {
        if (!is_printer && F.unplugged) {
            umockdev_ioctl_client_complete(c, -1, ENODEV);
            break;
        }
        UMockdevIoctlData *ud = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
        struct usbdevfs_urb *urb = (struct usbdevfs_urb *)ud->data;
        UMockdevIoctlData *bd = umockdev_ioctl_data_resolve(ud, G_STRUCT_OFFSET(struct usbdevfs_urb, buffer),
                                                            (gsize)urb->buffer_length, NULL);
        const uint8_t *in = bd->data;
        uint8_t *client_buf = urb->buffer;     /* same address space: the preload is in-process */
        urb->status = 0;
        if (urb->type == USBDEVFS_URB_TYPE_CONTROL) {
            /* 8-byte setup, then data; actual_length counts the data only */
            uint8_t rq = in[1];
            uint16_t len = (uint16_t)(in[6] | in[7] << 8);
            static const char id[] = "MFG:Kiosk Test;MDL:POS-58 fake;CMD:ESC/POS;";
            uint8_t data[128];
            size_t k = 0;
            if (is_printer && rq == 0) {
                size_t l = sizeof id - 1 + 2;
                data[0] = (uint8_t)(l >> 8);
                data[1] = (uint8_t)l;
                memcpy(data + 2, id, sizeof id - 1);
                k = l;
            } else if (is_printer && rq == 1) {
                data[0] = F.paper_out ? 0x38 : 0x18;
                k = 1;
            }
            if (k > len)
                k = len;
            memcpy(client_buf + 8, data, k);
            urb->actual_length = (int)k;
            F.done[d] = g_list_append(F.done[d], umockdev_ioctl_data_ref(ud));
        } else if (!(urb->endpoint & 0x80)) {
            if (F.received_len + (size_t)urb->buffer_length <= sizeof F.received && !is_printer) {
                memcpy(F.received + F.received_len, in, (size_t)urb->buffer_length);
                F.received_len += (size_t)urb->buffer_length;
            }
            if (is_printer)
                printer_out(in, (size_t)urb->buffer_length);
            else
                reader_out(in, (size_t)urb->buffer_length);
            urb->actual_length = urb->buffer_length;
            F.done[d] = g_list_append(F.done[d], umockdev_ioctl_data_ref(ud));
        } else {
            size_t k = 0;
            if (is_printer) {
                if (F.status_n > 0) {
                    client_buf[0] = F.status_reply[--F.status_n & 7];
                    k = 1;
                }
            } else {
                k = reader_in(urb->endpoint, client_buf, (size_t)urb->buffer_length);
            }
            urb->actual_length = (int)k;
            if (!is_printer && F.unplugged) {
                urb->status = -ENODEV;
                F.done[d] = g_list_append(F.done[d], umockdev_ioctl_data_ref(ud));
            } else if (k) {
                F.done[d] = g_list_append(F.done[d], umockdev_ioctl_data_ref(ud));
            } else {
                F.waiting[d] = g_list_append(F.waiting[d], umockdev_ioctl_data_ref(ud));
            }
        }
        umockdev_ioctl_data_unref(bd);
        umockdev_ioctl_data_unref(ud);
        umockdev_ioctl_client_complete(c, 0, 0);
        break;
    }
    case USBDEVFS_REAPURB:
    case USBDEVFS_REAPURBNDELAY: {
        UMockdevIoctlData *ud = NULL;
        if (F.discarded[d]) {
            ud = F.discarded[d]->data;
            F.discarded[d] = g_list_delete_link(F.discarded[d], F.discarded[d]);
            ((struct usbdevfs_urb *)ud->data)->status = -ENOENT;
        } else if (F.done[d]) {
            ud = F.done[d]->data;
            F.done[d] = g_list_delete_link(F.done[d], F.done[d]);
        } else if (!is_printer) {
            /* a reply that came late: fill the IN URB that is waiting for it */
            for (GList *l = F.waiting[d]; l; l = l->next) {
                UMockdevIoctlData *w = l->data;
                struct usbdevfs_urb *u = (struct usbdevfs_urb *)w->data;
                size_t k = reader_in(u->endpoint, u->buffer, (size_t)u->buffer_length);
                if (k) {
                    u->actual_length = (int)k;
                    u->status = 0;
                    ud = w;
                    F.waiting[d] = g_list_delete_link(F.waiting[d], l);
                    break;
                }
            }
        }
        if (!ud) {
            umockdev_ioctl_client_complete(c, -1, EAGAIN);
            break;
        }
        UMockdevIoctlData *p = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), NULL);
        umockdev_ioctl_data_set_ptr(p, 0, ud);
        umockdev_ioctl_data_unref(p);
        umockdev_ioctl_data_unref(ud);
        umockdev_ioctl_client_complete(c, 0, 0);
        break;
    }
    case USBDEVFS_DISCARDURB: {
        gulong addr = (gulong)*(void **)arg->data;
        GList *l = F.waiting[d];
        while (l && ((UMockdevIoctlData *)l->data)->client_addr != addr)
            l = l->next;
        if (l) {
            F.discarded[d] = g_list_append(F.discarded[d], l->data);
            F.waiting[d] = g_list_delete_link(F.waiting[d], l);
            umockdev_ioctl_client_complete(c, 0, 0);
        } else {
            umockdev_ioctl_client_complete(c, -1, EINVAL);
        }
        break;
    }
    default:
        handled = FALSE;
        break;
    }
    pthread_mutex_unlock(&F.mu);
    return handled;
}

/* ---- testbed ------------------------------------------------------------------------ */

static UMockdevTestbed *tb;
static UMockdevIoctlBase *handler;

/* Device + configuration descriptors as hex: one interface, bulk endpoints. */
static void add_device(int devnum, const char *vidpid_le, int cls, int sub, int proto,
                       const uint8_t *eps, int n_eps)
{
    char desc[512], rec[1024], node[64];
    int total = 9 + 9 + 7 * n_eps;
    int o = snprintf(desc, sizeof desc, "12010002000000 40%s000100000001", vidpid_le);
    o += snprintf(desc + o, sizeof desc - (size_t)o, "0902%02x%02x0101008032", total & 255, total >> 8);
    o += snprintf(desc + o, sizeof desc - (size_t)o, "09040000%02x%02x%02x%02x00", n_eps, cls, sub, proto);
    for (int i = 0; i < n_eps; i++)
        o += snprintf(desc + o, sizeof desc - (size_t)o, "0705%02x02400000", eps[i]);
    /* drop the readability space in the first chunk */
    char *sp = strchr(desc, ' ');
    if (sp)
        memmove(sp, sp + 1, strlen(sp));
    snprintf(node, sizeof node, "/dev/bus/usb/001/%03d", devnum);
    assert_true(umockdev_testbed_attach_ioctl(tb, node, handler, NULL));
    snprintf(rec, sizeof rec,
             "P: /devices/usb1/1-%d\nN: bus/usb/001/%03d\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\n"
             "E: BUSNUM=001\nE: DEVNUM=%03d\nE: DEVNAME=/dev/bus/usb/001/%03d\n"
             "A: busnum=1\\n\nA: devnum=%d\\n\nA: bConfigurationValue=1\\n\nA: speed=12\\n\n"
             "H: descriptors=%s\n",
             devnum, devnum, devnum, devnum, devnum, desc);
    assert_true(umockdev_testbed_add_from_string(tb, rec, NULL));
}

static const uint8_t split_eps[] = {0x02, 0x06, 0x81, 0x85};
static const uint8_t single_eps[] = {0x01, 0x81};
static const uint8_t printer_eps[] = {0x03, 0x82};

static void testbed(bool split)
{
    pthread_mutex_init(&F.mu, NULL);
    tb = umockdev_testbed_new();
    handler = umockdev_ioctl_base_new();
    g_signal_connect(handler, "handle-ioctl", G_CALLBACK(on_ioctl), NULL);
    add_device(2, "00045ac3", 0xFF, 0, 0, split ? split_eps : single_eps, split ? 4 : 2);
    add_device(3, "16041150", 7, 1, 2, printer_eps, 2);
}

static void testbed_free(void)
{
    g_clear_object(&handler);
    g_clear_object(&tb);
    for (int d = 0; d < 2; d++) {
        g_list_free_full(F.done[d], (GDestroyNotify)umockdev_ioctl_data_unref);
        g_list_free_full(F.waiting[d], (GDestroyNotify)umockdev_ioctl_data_unref);
        g_list_free_full(F.discarded[d], (GDestroyNotify)umockdev_ioctl_data_unref);
        F.done[d] = F.waiting[d] = F.discarded[d] = NULL;
    }
}

static int setup_split(void **s) { (void)s; testbed(true); return 0; }
static int setup_single(void **s) { (void)s; testbed(false); return 0; }
static int teardown(void **s) { (void)s; testbed_free(); return 0; }

/* ---- reader tests --------------------------------------------------------------------- */

static void reader_cycle(bool split)
{
    libusb_context *ctx;
    struct transport *t;
    struct idcard *ic;
    struct sam_card card;
    assert_int_equal(libusb_init(&ctx), 0);
    assert_int_equal(usb_transport_new(ctx, usb_known_readers, usb_n_known_readers, -1, -1, &t), 0);
    assert_int_equal(idcard_new(t, &ic), 0);

    fake_reset(split, R_NO_CARD);
    int rc = idcard_open(ic);
    if (rc)
        fprintf(stderr, "open: %s\n", kerr_detail());
    assert_int_equal(rc, 0);
    assert_int_equal(t->vid, 0x0400);
    assert_int_equal(idcard_mode(ic), split ? IDCARD_SPLIT_PIPE : IDCARD_SINGLE_PIPE);
    assert_int_equal(idcard_poll(ic, &card), IDCARD_NO_CARD);

    fake_reset(split, R_CARD);
    assert_int_equal(idcard_poll(ic, &card), IDCARD_CARD_READ);
    assert_string_equal(card.id_number, "11010519491231002X");
    assert_string_equal(card.name, "张三");
    assert_int_equal(idcard_poll(ic, &card), IDCARD_ALREADY_READ);
    /* what the reader received: find, select, read, find */
    static const char *const cmds[] = {"sam_cmd_find.bin", "sam_cmd_select.bin", "sam_cmd_read.bin",
                                       "sam_cmd_read_addr.bin", "sam_cmd_find.bin"};
    size_t off = 0;
    for (int i = 0; i < 5; i++) {
        size_t n;
        unsigned char *g = golden_load(cmds[i], &n);
        assert_true(off + n <= F.received_len);
        assert_memory_equal(F.received + off, g, n);
        off += n;
        free(g);
    }
    assert_int_equal(off, F.received_len);

    fake_reset(split, R_BAD_CHECKSUM);
    assert_int_equal(idcard_poll(ic, &card), KERR_INPUT);

    fake_reset(split, R_MUTE);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    assert_int_equal(idcard_poll(ic, &card), KERR_TIMEOUT);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    assert_true(s >= 0.9 && s < 2.5);               /* ~1 s per command */

    fake_reset(split, R_UNPLUG_IN_READ);
    assert_int_equal(idcard_poll(ic, &card), KERR_NODEV);
    idcard_close(ic);
    assert_int_equal(idcard_open(ic), KERR_NODEV);   /* still unplugged */
    fake_reset(split, R_CARD);                         /* plugged back in */
    assert_int_equal(idcard_open(ic), 0);
    assert_int_equal(idcard_poll(ic, &card), IDCARD_CARD_READ);
    assert_string_equal(card.id_number, "11010519491231002X");

    idcard_free(&ic);
    transport_destroy(&t);
    libusb_exit(ctx);
}

/* Issue 12, the exact failure over real libusb: the read is answered at
 * 4.5 s (after the 4 s timeout), while the card stays on the reader.  The
 * late reply arrives while the next find waits; it is skipped unread, and
 * the card is read on that same presentation.  No shifted exchanges after. */
static void late_read(bool split)
{
    libusb_context *ctx;
    struct transport *t;
    struct idcard *ic;
    struct sam_card card;
    assert_int_equal(libusb_init(&ctx), 0);
    assert_int_equal(usb_transport_new(ctx, usb_known_readers, usb_n_known_readers, -1, -1, &t), 0);
    assert_int_equal(idcard_new(t, &ic), 0);
    fake_reset(split, R_LATE_READ);
    assert_int_equal(idcard_open(ic), 0);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    assert_int_equal(idcard_poll(ic, &card), KERR_TIMEOUT);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double sec = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    assert_true(sec >= 3.9 && sec < 4.4);          /* the 4 s read timeout */
    usleep(IDCARD_POLL_MS * 1000);                 /* devmgr's next poll */
    clock_gettime(CLOCK_MONOTONIC, &a);
    int rc = idcard_poll(ic, &card);
    clock_gettime(CLOCK_MONOTONIC, &b);
    fprintf(stderr, "late read (%s): the next poll read the card in %.3f s\n",
            split ? "split" : "single",
            (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
    if (rc < 0)
        fprintf(stderr, "second poll: %s\n", kerr_detail());
    assert_int_equal(rc, IDCARD_CARD_READ);
    assert_string_equal(card.id_number, "11010519491231002X");
    assert_int_equal(idcard_stats(ic)->stale_replies, 1);
    assert_int_equal(idcard_poll(ic, &card), IDCARD_ALREADY_READ);
    assert_int_equal(idcard_poll(ic, &card), IDCARD_ALREADY_READ);
    assert_int_equal(idcard_stats(ic)->stale_replies, 1);
    sam_card_wipe(&card);
    idcard_free(&ic);
    transport_destroy(&t);
    libusb_exit(ctx);
}

static void test_late_read_split(void **s) { (void)s; late_read(true); }
static void test_late_read_single(void **s) { (void)s; late_read(false); }

static void test_reader_split(void **s) { (void)s; reader_cycle(true); }
static void test_reader_single(void **s) { (void)s; reader_cycle(false); }

/* ---- printer ------------------------------------------------------------------------------ */

static void test_printer(void **s)
{
    (void)s;
    libusb_context *ctx;
    struct transport *t;
    struct printer *p;
    struct printer_state st;
    char id[128];
    static const uint8_t job[] = {0x1B, 0x40, 'T', 'E', 'S', 'T', '\n', 0x1D, 0x56, 0x01};
    assert_int_equal(libusb_init(&ctx), 0);
    assert_int_equal(usb_transport_new(ctx, usb_known_printers, usb_n_known_printers, 7, 7, &t), 0);
    assert_int_equal(printer_new(t, &p), 0);
    fake_reset(false, R_NO_CARD);
    assert_int_equal(printer_open(p), 0);
    assert_int_equal(t->iface_class, 7);
    assert_int_equal(t->ep_out[0], 0x03);
    assert_int_equal(t->ep_in[0], 0x82);
    assert_int_equal(printer_device_id(p, id, sizeof id), 0);
    assert_string_equal(id, "MFG:Kiosk Test;MDL:POS-58 fake;CMD:ESC/POS;");
    uint8_t ps;
    assert_int_equal(printer_port_status(p, &ps), 0);
    assert_int_equal(ps, 0x18);
    assert_int_equal(printer_print(p, job, sizeof job, &st), 0);
    assert_true(st.known);
    assert_int_equal(F.printed_len, sizeof job);
    assert_memory_equal(F.printed, job, sizeof job);

    fake_reset(false, R_NO_CARD);
    F.paper_out = true;
    assert_int_equal(printer_print(p, job, sizeof job, &st), KERR_PAPER);
    assert_true(st.paper_out);
    assert_int_equal(F.printed_len, 0);              /* nothing sent */
    assert_int_equal(printer_port_status(p, &ps), 0);
    assert_int_equal(ps, 0x38);
    printer_free(&p);
    transport_destroy(&t);
    libusb_exit(ctx);
}

/* ---- devmgr over USB: the thread, card events, printing ----------------------------------- */

static void test_devmgr_usb(void **s)
{
    (void)s;
    struct kiosk_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.paper_dots = 384;
    fake_reset(true, R_CARD);
    struct devmgr_opts o = {.sim = false};
    struct devmgr *dm;
    assert_int_equal(devmgr_new(&cfg, &o, &dm), 0);
    assert_int_equal(devmgr_printer_state(dm), DEV_READY);
    struct card_event ev;
    assert_int_equal(devmgr_wait_card(dm, 3000, &ev), 1);
    assert_int_equal(ev.type, CARD_EV_INSERT);
    assert_int_equal(ev.kind, CARD_KIND_RESIDENT);
    assert_string_equal(ev.id_number, "11010519491231002X");
    card_event_wipe(&ev);
    assert_int_equal(devmgr_reader_state(dm), DEV_READY);

    struct receipt_model m;
    memset(&m, 0, sizeof m);
    strcpy(m.name_masked, "张*");
    strcpy(m.reference, "AB12");
    strcpy(m.followup_url, "https://a.cn/q?r=AB12&c=XXXXXXXX");
    strcpy(m.language, "en");
    pthread_mutex_lock(&F.mu);
    F.printed_len = 0;
    pthread_mutex_unlock(&F.mu);
    assert_int_equal(devmgr_print(dm, &m), 0);
    pthread_mutex_lock(&F.mu);
    assert_true(F.printed_len > 1000);
    assert_memory_equal(F.printed, "\x1B\x40", 2);
    F.paper_out = true;
    pthread_mutex_unlock(&F.mu);
    assert_int_equal(devmgr_print(dm, &m), KERR_PAPER);
    assert_int_equal(devmgr_printer_state(dm), DEV_PAPER_OUT);

    /* reader unplugged: the state goes to absent, the kiosk keeps going */
    pthread_mutex_lock(&F.mu);
    F.unplugged = true;
    pthread_mutex_unlock(&F.mu);
    for (int i = 0; i < 40 && devmgr_reader_state(dm) != DEV_ABSENT; i++) {
        struct devmgr_event evs[8];
        usleep(50000);
        devmgr_handle(dm, 0, evs, 8);
    }
    assert_int_equal(devmgr_reader_state(dm), DEV_ABSENT);
    /* and picked up again when it returns */
    fake_reset(true, R_NO_CARD);
    for (int i = 0; i < 60 && devmgr_reader_state(dm) != DEV_READY; i++) {
        struct devmgr_event evs[8];
        usleep(50000);
        devmgr_handle(dm, 0, evs, 8);
    }
    assert_int_equal(devmgr_reader_state(dm), DEV_READY);
    devmgr_free(&dm);
}

/* Pump devmgr for ms milliseconds (its events are dropped). */
static void pump(struct devmgr *dm, int ms)
{
    long long end = mono_ms() + ms;
    while (mono_ms() < end) {
        struct devmgr_event evs[8];
        usleep(20000);
        int n = devmgr_handle(dm, 0, evs, 8);
        for (int i = 0; i < n; i++)
            card_event_wipe(&evs[i].card);
    }
}

static int finds(void)
{
    pthread_mutex_lock(&F.mu);
    int n = F.finds;
    pthread_mutex_unlock(&F.mu);
    return n;
}

/* Issue 12: with no card, finds went back-to-back (189 in 3 s) whenever the
 * event wait returned at once.  The cadence is by the clock: ≤ 4 a second. */
static void test_idle_cadence(void **s)
{
    (void)s;
    struct kiosk_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.paper_dots = 384;
    fake_reset(true, R_NO_CARD);
    struct devmgr_opts o = {.sim = false};
    struct devmgr *dm;
    assert_int_equal(devmgr_new(&cfg, &o, &dm), 0);
    for (int i = 0; i < 60 && devmgr_reader_state(dm) != DEV_READY; i++)
        pump(dm, 50);
    assert_int_equal(devmgr_reader_state(dm), DEV_READY);
    pump(dm, 500);
    int f0 = finds();
    pump(dm, 3000);
    int n = finds() - f0;
    fprintf(stderr, "idle: %d finds in 3 s\n", n);
    assert_true(n <= 12);      /* ≤ 4 a second */
    assert_true(n >= 8);       /* and it does keep looking (every 300 ms: 10) */
    devmgr_free(&dm);
}

/* Run `kioskctl devices ARGS…` (devices_cli.c, the code kioskctl runs) and
 * capture what it printed on stdout and stderr.  Returns its exit code. */
static int run_devices(char *out, size_t cap, int argc, char **argv)
{
    struct ctl_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.prog = "kioskctl";
    ctx.cfg.paper_dots = 384;
    fflush(stdout);
    fflush(stderr);
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    int o = dup(1), e = dup(2);
    dup2(fileno(tmp), 1);
    dup2(fileno(tmp), 2);
    int rc = ctl_devices(&ctx, argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(o, 1);
    dup2(e, 2);
    close(o);
    close(e);
    rewind(tmp);
    size_t n = fread(out, 1, cap - 1, tmp);
    out[n] = '\0';
    fclose(tmp);
    return rc;
}

/* Issue 12: a reader that never answers is "card reader not answering" —
 * never READY after a reopen, never "no card" in `devices test-read`. */
static void test_mute_reader(void **s)
{
    (void)s;
    struct kiosk_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.paper_dots = 384;
    fake_reset(true, R_MUTE);
    struct devmgr_opts o = {.sim = false};
    struct devmgr *dm;
    assert_int_equal(devmgr_new(&cfg, &o, &dm), 0);
    long long t0 = mono_ms();
    assert_true(devmgr_wait_reader(dm, 5000));
    fprintf(stderr, "mute reader: called not answering after %lld ms\n", mono_ms() - t0);
    assert_int_equal(devmgr_reader_state(dm), DEV_MUTE);
    /* reopened every second: it must not flap to "ready" in between */
    long long end = mono_ms() + 2500;
    while (mono_ms() < end) {
        struct devmgr_event evs[8];
        usleep(20000);
        int n = devmgr_handle(dm, 0, evs, 8);
        for (int i = 0; i < n; i++) {
            assert_int_not_equal(evs[i].type, DEVMGR_EV_CARD);
            if (evs[i].type == DEVMGR_EV_READER)
                assert_int_equal(evs[i].state, DEV_MUTE);
        }
        assert_int_equal(devmgr_reader_state(dm), DEV_MUTE);
    }
    struct devmgr_sam sam;
    devmgr_sam_info(dm, &sam);
    assert_int_equal(sam.state, DEVMGR_SAM_UNKNOWN);
    /* it starts answering: ready, with its SAM status and id */
    fake_reset(true, R_NO_CARD);
    for (int i = 0; i < 100 && devmgr_reader_state(dm) != DEV_READY; i++)
        pump(dm, 50);
    assert_int_equal(devmgr_reader_state(dm), DEV_READY);
    devmgr_sam_info(dm, &sam);
    assert_int_equal(sam.state, DEVMGR_SAM_OK);
    assert_string_equal(sam.id, "05.01-20150101-123456789-000000042");
    devmgr_free(&dm);

    /* the CLI: test-read and list say so */
    char out[2048];
    fake_reset(true, R_MUTE);
    char *tr[] = {"devices", "test-read", "--timeout", "3", NULL};
    int rc = run_devices(out, sizeof out, 4, tr);
    fprintf(stderr, "test-read (mute): exit %d: %s", rc, out);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "card reader not answering"));
    assert_null(strstr(out, "no card"));
    char *ls[] = {"devices", "list", NULL};
    rc = run_devices(out, sizeof out, 2, ls);
    fprintf(stderr, "list (mute): exit %d: %s", rc, out);
    assert_non_null(strstr(out, "reader state: card reader not answering"));
    fake_reset(true, R_NO_CARD);
    rc = run_devices(out, sizeof out, 2, ls);
    fprintf(stderr, "list: exit %d: %s", rc, out);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "reader state: ready, SAM ok, SAM id 05.01-20150101-123456789-000000042"));
}

/* `devices test-read` with the late read (answered at 4.5 s): it
 * printed "card: find card: success" as an error; now the card is read. */
static void test_cli_late_read(void **s)
{
    (void)s;
    char out[2048];
    fake_reset(true, R_LATE_READ);
    char *tr[] = {"devices", "test-read", "--timeout", "10", NULL};
    int rc = run_devices(out, sizeof out, 4, tr);
    fprintf(stderr, "test-read (late read): exit %d: %s", rc, out);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "card: resident ID card, 1101**********002X, 张*"));
    assert_null(strstr(out, "success"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reader_split, setup_split, teardown),
        cmocka_unit_test_setup_teardown(test_reader_single, setup_single, teardown),
        cmocka_unit_test_setup_teardown(test_printer, setup_single, teardown),
        cmocka_unit_test_setup_teardown(test_devmgr_usb, setup_split, teardown),
        cmocka_unit_test_setup_teardown(test_late_read_split, setup_split, teardown),
        cmocka_unit_test_setup_teardown(test_late_read_single, setup_single, teardown),
        cmocka_unit_test_setup_teardown(test_idle_cadence, setup_split, teardown),
        cmocka_unit_test_setup_teardown(test_mute_reader, setup_split, teardown),
        cmocka_unit_test_setup_teardown(test_cli_late_read, setup_split, teardown),
    };
    return cmocka_run_group_tests_name("umockdev", tests, NULL, NULL);
}
