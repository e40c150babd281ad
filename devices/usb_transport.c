/* usb_transport.c — struct transport over libusb (see usb_transport.h).
 *
 * Synchronous libusb calls: every transfer has its own timeout, and devmgr
 * runs the reader's transfers on its own thread, so blocking is bounded and
 * never on the kiosk's event loop.  Endpoints are discovered from the
 * descriptors, never hard-coded (the same printer id ships with OUT 0x01 or
 * 0x03), and sorted by address so split-pipe readers see 0x02 before 0x06
 * and 0x81 before 0x85. */
#include "usb_transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/err.h"

const struct usb_id usb_known_readers[] = {
    {0x0400, 0xC35A},   /* SAM readers, split- or single-pipe firmware */
    {0x0316, 0x5020},   /* 新中新 Synjones */
};
const int usb_n_known_readers = sizeof usb_known_readers / sizeof usb_known_readers[0];

const struct usb_id usb_known_printers[] = {
    {0x0416, 0x5011},   /* Winbond-based "POS-58"/"POS-80" printers */
    {0x0483, 0x5720},   /* STM32-based thermal printers */
    {0x0483, 0x5743},
    {0x0FE6, 0x811E},   /* ICS Xprinter XP-58 */
    {0x1FC9, 0x2016},   /* Xprinter (NXP) */
    {0x28E9, 0x0289},   /* GD32-based printers */
    {0x04B8, 0x0202},   /* Epson TM-T88 series */
    {0x04B8, 0x0E15},   /* Epson TM-T20II */
    {0x0519, 0x0003},   /* Star TSP100 */
};
const int usb_n_known_printers = sizeof usb_known_printers / sizeof usb_known_printers[0];

struct usb {
    libusb_context *ctx;
    struct usb_id ids[16];
    int n_ids;
    int want_class, any_class;
    libusb_device_handle *h;
    uint8_t ep_type[32];      /* by endpoint number | (dir << 4): bulk or interrupt */
};

int usb_id_parse(const char *s, struct usb_id *id)
{
    unsigned v, p;
    char tail;
    if (sscanf(s, "%4x:%4x%c", &v, &p, &tail) != 2)
        return kerr(KERR_CONFIG, "'%s' is not a USB id VID:PID in hex (e.g. 0400:C35A)", s);
    id->vid = (uint16_t)v;
    id->pid = (uint16_t)p;
    return 0;
}

int usb_err(int rc, const char *what)
{
    switch (rc) {
    case LIBUSB_ERROR_NO_DEVICE:
    case LIBUSB_ERROR_NOT_FOUND:
        return kerr(KERR_NODEV, "%s: device unplugged", what);
    case LIBUSB_ERROR_TIMEOUT:
        return kerr(KERR_TIMEOUT, "%s: timed out", what);
    case LIBUSB_ERROR_NO_MEM:
        return KERR_NOMEM;
    case LIBUSB_ERROR_ACCESS:
        return kerr(KERR_DEVICE, "%s: permission denied (is the udev rule installed and the "
                    "user in group kioskdev?)", what);
    case LIBUSB_ERROR_BUSY:
        return kerr(KERR_DEVICE, "%s: interface busy (claimed by another program)", what);
    default:
        return kerr(KERR_DEVICE, "%s: %s", what, libusb_strerror(rc));
    }
}

static int ep_slot(uint8_t ep) { return (ep & 0x0F) | (ep & 0x80 ? 16 : 0); }

/* Choose the interface and collect its endpoints; 1 if usable. */
static int pick_interface(struct transport *t, struct usb *u, libusb_device *dev)
{
    struct libusb_config_descriptor *cfg;
    if (libusb_get_active_config_descriptor(dev, &cfg) != 0 &&
        libusb_get_config_descriptor(dev, 0, &cfg) != 0)
        return 0;
    int found = 0;
    for (int pass = 0; pass < 2 && !found; pass++) {
        for (int i = 0; i < cfg->bNumInterfaces && !found; i++) {
            if (cfg->interface[i].num_altsetting < 1)
                continue;
            const struct libusb_interface_descriptor *d = &cfg->interface[i].altsetting[0];
            if (pass == 0 && u->want_class >= 0 && d->bInterfaceClass != u->want_class)
                continue;
            int no = 0, ni = 0;
            uint8_t out[TRANSPORT_MAX_EP], in[TRANSPORT_MAX_EP];
            for (int e = 0; e < d->bNumEndpoints; e++) {
                const struct libusb_endpoint_descriptor *ed = &d->endpoint[e];
                int type = ed->bmAttributes & 3;
                if (type != LIBUSB_TRANSFER_TYPE_BULK && type != LIBUSB_TRANSFER_TYPE_INTERRUPT)
                    continue;
                u->ep_type[ep_slot(ed->bEndpointAddress)] = (uint8_t)type;
                if (ed->bEndpointAddress & 0x80) {
                    if (ni < TRANSPORT_MAX_EP)
                        in[ni++] = ed->bEndpointAddress;
                } else if (no < TRANSPORT_MAX_EP) {
                    out[no++] = ed->bEndpointAddress;
                }
            }
            if (no == 0)
                continue;
            /* sort by address (tiny arrays) */
            for (int a = 0; a < no; a++)
                for (int b = a + 1; b < no; b++)
                    if (out[b] < out[a]) { uint8_t x = out[a]; out[a] = out[b]; out[b] = x; }
            for (int a = 0; a < ni; a++)
                for (int b = a + 1; b < ni; b++)
                    if (in[b] < in[a]) { uint8_t x = in[a]; in[a] = in[b]; in[b] = x; }
            memcpy(t->ep_out, out, (size_t)no);
            memcpy(t->ep_in, in, (size_t)ni);
            t->n_out = no;
            t->n_in = ni;
            t->iface = d->bInterfaceNumber;
            t->iface_class = d->bInterfaceClass;
            t->iface_protocol = d->bInterfaceProtocol;
            found = 1;
        }
    }
    libusb_free_config_descriptor(cfg);
    return found;
}

static bool has_class(libusb_device *dev, int cls)
{
    struct libusb_config_descriptor *cfg;
    bool yes = false;
    if (libusb_get_active_config_descriptor(dev, &cfg) != 0 &&
        libusb_get_config_descriptor(dev, 0, &cfg) != 0)
        return false;
    for (int i = 0; i < cfg->bNumInterfaces; i++)
        if (cfg->interface[i].num_altsetting > 0 &&
            cfg->interface[i].altsetting[0].bInterfaceClass == cls)
            yes = true;
    libusb_free_config_descriptor(cfg);
    return yes;
}

static int usb_open(struct transport *t)
{
    struct usb *u = t->priv;
    libusb_device **list = NULL, *dev = NULL;
    int rc = 0;
    if (u->h)
        return 0;
    ssize_t n = libusb_get_device_list(u->ctx, &list);
    if (n < 0)
        return usb_err((int)n, "listing USB devices");
    /* ids in list order first: the configured id, else the known ones */
    for (int k = 0; k < u->n_ids && !dev; k++)
        for (ssize_t i = 0; i < n && !dev; i++) {
            struct libusb_device_descriptor dd;
            if (libusb_get_device_descriptor(list[i], &dd) == 0 && dd.idVendor == u->ids[k].vid &&
                dd.idProduct == u->ids[k].pid)
                dev = list[i];
        }
    for (ssize_t i = 0; i < n && !dev && u->any_class >= 0; i++)
        if (has_class(list[i], u->any_class))
            dev = list[i];
    if (!dev) {
        rc = KERR_NODEV;
        goto out;
    }
    struct libusb_device_descriptor dd;
    libusb_get_device_descriptor(dev, &dd);
    t->vid = dd.idVendor;
    t->pid = dd.idProduct;
    snprintf(t->description, sizeof t->description, "%04x:%04x bus %u dev %u", t->vid, t->pid,
             libusb_get_bus_number(dev), libusb_get_device_address(dev));
    memset(u->ep_type, 0, sizeof u->ep_type);
    if (!pick_interface(t, u, dev)) {
        rc = kerr(KERR_DEVICE, "%s: no interface with bulk endpoints", t->description);
        goto out;
    }
    int r = libusb_open(dev, &u->h);
    if (r) {
        rc = usb_err(r, t->description);
        u->h = NULL;
        goto out;
    }
    /* usblp (printers) or usbhid may hold the interface: let libusb detach
     * it while we use it and reattach on release.  Not supported on every
     * platform; claiming will say so if it matters. */
    libusb_set_auto_detach_kernel_driver(u->h, 1);
    r = libusb_claim_interface(u->h, t->iface);
    if (r) {
        rc = usb_err(r, t->description);
        libusb_close(u->h);
        u->h = NULL;
        goto out;
    }
out:
    libusb_free_device_list(list, 1);
    return rc;
}

static void usb_close(struct transport *t)
{
    struct usb *u = t->priv;
    if (!u->h)
        return;
    libusb_release_interface(u->h, t->iface);   /* fails harmlessly when unplugged */
    libusb_close(u->h);
    u->h = NULL;
}

static int xfer(struct transport *t, uint8_t ep, uint8_t *buf, size_t n, int ms, const char *what)
{
    struct usb *u = t->priv;
    int done = 0, r;
    if (!u->h)
        return KERR_NODEV;
    if (n > 1 << 20)
        n = 1 << 20;
    if (u->ep_type[ep_slot(ep)] == LIBUSB_TRANSFER_TYPE_INTERRUPT)
        r = libusb_interrupt_transfer(u->h, ep, buf, (int)n, &done, (unsigned)(ms > 0 ? ms : 1));
    else
        r = libusb_bulk_transfer(u->h, ep, buf, (int)n, &done, (unsigned)(ms > 0 ? ms : 1));
    if (r == LIBUSB_ERROR_TIMEOUT && done > 0 && (ep & 0x80))
        return done;                    /* a partial read is data, not a timeout */
    if (r)
        return usb_err(r, what);
    if (!(ep & 0x80) && (size_t)done != n)
        return kerr(KERR_TIMEOUT, "%s: only %d of %zu bytes taken", what, done, n);
    return done;
}

static int usb_write(struct transport *t, uint8_t ep, const void *buf, size_t n, int ms)
{
    return xfer(t, ep, (uint8_t *)buf, n, ms, "USB write");
}

static int usb_read(struct transport *t, uint8_t ep, void *buf, size_t cap, int ms)
{
    return xfer(t, ep, buf, cap, ms, "USB read");
}

static int usb_control(struct transport *t, uint8_t rt, uint8_t rq, uint16_t v, uint16_t i,
                       void *data, uint16_t len, int ms)
{
    struct usb *u = t->priv;
    if (!u->h)
        return KERR_NODEV;
    int r = libusb_control_transfer(u->h, rt, rq, v, i, data, len, (unsigned)(ms > 0 ? ms : 1));
    return r < 0 ? usb_err(r, "USB control request") : r;
}

static void usb_destroy(struct transport *t)
{
    usb_close(t);
    free(t->priv);
    free(t);
}

static const struct transport_ops usb_ops = {
    .name = "usb", .open = usb_open, .close = usb_close, .write = usb_write,
    .read = usb_read, .control = usb_control, .destroy = usb_destroy,
};

int usb_transport_new(libusb_context *ctx, const struct usb_id *ids, int n_ids, int want_class,
                      int any_class, struct transport **out)
{
    struct transport *t = calloc(1, sizeof *t);
    struct usb *u = calloc(1, sizeof *u);
    if (!t || !u) {
        free(t);
        free(u);
        return KERR_NOMEM;
    }
    u->ctx = ctx;
    u->n_ids = n_ids < 16 ? n_ids : 16;
    memcpy(u->ids, ids, (size_t)u->n_ids * sizeof *ids);
    u->want_class = want_class;
    u->any_class = any_class;
    t->ops = &usb_ops;
    t->priv = u;
    snprintf(t->description, sizeof t->description, "USB device");
    *out = t;
    return 0;
}

int usb_list(libusb_context *ctx, void (*line)(void *arg, const char *text), void *arg)
{
    libusb_device **list;
    ssize_t n = libusb_get_device_list(ctx, &list);
    if (n < 0)
        return usb_err((int)n, "listing USB devices");
    for (ssize_t i = 0; i < n; i++) {
        struct libusb_device_descriptor dd;
        char text[160];
        const char *role = "";
        if (libusb_get_device_descriptor(list[i], &dd) != 0)
            continue;
        for (int k = 0; k < usb_n_known_readers; k++)
            if (dd.idVendor == usb_known_readers[k].vid && dd.idProduct == usb_known_readers[k].pid)
                role = "  [known ID-card reader]";
        for (int k = 0; k < usb_n_known_printers; k++)
            if (dd.idVendor == usb_known_printers[k].vid && dd.idProduct == usb_known_printers[k].pid)
                role = "  [known receipt printer]";
        if (!*role && has_class(list[i], 7))
            role = "  [USB printer class]";
        snprintf(text, sizeof text, "%04x:%04x  bus %03u device %03u%s", dd.idVendor, dd.idProduct,
                 libusb_get_bus_number(list[i]), libusb_get_device_address(list[i]), role);
        line(arg, text);
    }
    libusb_free_device_list(list, 1);
    return (int)n;
}
