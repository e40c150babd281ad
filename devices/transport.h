/* transport.h — the byte pipe a device driver talks through.
 *
 * The SAM reader and the printer drivers (idcard.c, printer.c) never call
 * libusb themselves: they go through this small ops table, so the same driver
 * code runs over real USB (usb_transport.c) and over a scripted in-memory
 * device in the unit tests (mem_transport.c).  Modelled on libusb's own
 * os-backend table.  Endpoints are real USB addresses (0x02 OUT, 0x81 IN …),
 * discovered at open time and published in struct transport, because the
 * same reader id ships with split-pipe and single-pipe firmware and printers
 * with different endpoint numbers (DEVICES.md §1.6, §2.5). */
#ifndef DEVICES_TRANSPORT_H
#define DEVICES_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

struct transport;

struct transport_ops {
    const char *name;   /* "usb", "mem" */
    /* Connect to the device this transport describes and fill the endpoint
     * fields.  0, KERR_NODEV (not present), KERR_DEVICE (present, unusable). */
    int (*open)(struct transport *t);
    /* Release the device; the transport can be opened again (replug). */
    void (*close)(struct transport *t);
    /* Bulk OUT: returns bytes written (all of them) or a negative kiosk_err:
     * KERR_TIMEOUT, KERR_NODEV (unplugged), KERR_DEVICE. */
    int (*write)(struct transport *t, uint8_t ep, const void *buf, size_t n, int timeout_ms);
    /* Bulk IN: returns bytes read (≥ 1, at most cap) or a negative kiosk_err. */
    int (*read)(struct transport *t, uint8_t ep, void *buf, size_t cap, int timeout_ms);
    /* Control transfer; returns bytes transferred or a negative kiosk_err. */
    int (*control)(struct transport *t, uint8_t request_type, uint8_t request, uint16_t value,
                   uint16_t index, void *data, uint16_t len, int timeout_ms);
    /* Free the transport (closing it first). */
    void (*destroy)(struct transport *t);
};

#define TRANSPORT_MAX_EP 4

struct transport {
    const struct transport_ops *ops;
    void *priv;
    /* Filled by open(): */
    uint16_t vid, pid;
    int iface;                         /* claimed interface number */
    int iface_class, iface_protocol;   /* 7 = printer; protocol 1 uni-, 2 bidirectional */
    int n_out, n_in;                   /* bulk endpoints on the claimed interface */
    uint8_t ep_out[TRANSPORT_MAX_EP], ep_in[TRANSPORT_MAX_EP];
    char description[96];              /* "0400:c35a bus 1 dev 4" for messages */
};

static inline int transport_open(struct transport *t) { return t->ops->open(t); }
static inline void transport_close(struct transport *t) { t->ops->close(t); }
static inline int transport_write(struct transport *t, uint8_t ep, const void *b, size_t n, int ms)
{ return t->ops->write(t, ep, b, n, ms); }
static inline int transport_read(struct transport *t, uint8_t ep, void *b, size_t cap, int ms)
{ return t->ops->read(t, ep, b, cap, ms); }
static inline int transport_control(struct transport *t, uint8_t rt, uint8_t rq, uint16_t v,
                                    uint16_t i, void *d, uint16_t len, int ms)
{ return t->ops->control(t, rt, rq, v, i, d, len, ms); }
static inline void transport_destroy(struct transport **t)
{
    if (*t) {
        (*t)->ops->destroy(*t);
        *t = NULL;
    }
}

/* ---- the in-memory transport (mem_transport.c), for unit tests ----------
 * A script of what the "device" answers: each read pops the next queued
 * chunk for that endpoint (KERR_TIMEOUT when none); each control transfer
 * pops the next queued control reply; every write is recorded.  A fault can
 * be armed to make the device vanish after N more operations (an unplug in
 * the middle of a read). */
struct transport *mem_transport_new(int n_out, const uint8_t *ep_out, int n_in,
                                    const uint8_t *ep_in, int iface_class, int iface_protocol);
/* Queue bytes the device will return on a read of ep (one chunk per read,
 * split at 64 bytes like a full-speed bulk endpoint when split64 != 0). */
void mem_transport_push_read(struct transport *t, uint8_t ep, const void *data, size_t n, int split64);
/* The same, but the bytes arrive late: they cannot be read until
 * after_cmds more commands (writes to the first OUT endpoint) were sent.
 * A reply that comes after its command timed out, behind the next one. */
void mem_transport_push_read_late(struct transport *t, uint8_t ep, const void *data, size_t n,
                                  int split64, int after_cmds);
/* Queue a control-IN reply (or an error when err != 0). */
void mem_transport_push_control(struct transport *t, const void *data, size_t n, int err);
/* After `ops` more operations every call returns KERR_NODEV and open fails
 * until mem_transport_replug().  ops < 0 disarms. */
void mem_transport_unplug_after(struct transport *t, int ops);
void mem_transport_replug(struct transport *t);
/* Make open() fail with KERR_NODEV (device absent) while absent != 0. */
void mem_transport_set_absent(struct transport *t, int absent);
/* Everything written so far, concatenated (all endpoints), and a reset. */
const uint8_t *mem_transport_written(const struct transport *t, size_t *n);
void mem_transport_clear_written(struct transport *t);
/* Number of queued reads not yet consumed. */
int mem_transport_pending(const struct transport *t);

#endif
