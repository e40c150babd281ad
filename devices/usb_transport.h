/* usb_transport.h — the transport over libusb (bulk, interrupt and control
 * transfers with timeouts; automatic kernel-driver detach so usblp lets go
 * of a printer; hotplug registration for devmgr). */
#ifndef DEVICES_USB_TRANSPORT_H
#define DEVICES_USB_TRANSPORT_H

#include <stdbool.h>
#include <stdint.h>

#include <libusb.h>

#include "devices/transport.h"

struct usb_id {
    uint16_t vid, pid;
};

/* Known ID-card readers and receipt printers (DEVICES.md §1.6, §2.5). */
extern const struct usb_id usb_known_readers[];
extern const int usb_n_known_readers;
extern const struct usb_id usb_known_printers[];
extern const int usb_n_known_printers;

/* "0400:C35A" → id.  0 or KERR_CONFIG. */
int usb_id_parse(const char *s, struct usb_id *id);

/* A transport for the first present device whose id is in ids (in list
 * order), or — when any_class >= 0 and none of ids is present — the first
 * device with an interface of that class (7 = printer).  The interface
 * claimed is the first of class want_class (when ≥ 0) else the first with
 * bulk endpoints.  Creating never fails for an absent device: open() says
 * KERR_NODEV until one appears, so the same transport serves replugs. */
int usb_transport_new(libusb_context *ctx, const struct usb_id *ids, int n_ids, int want_class,
                      int any_class, struct transport **out);

/* Map a libusb error to a kiosk_err (with a detail line naming it). */
int usb_err(int libusb_rc, const char *what);

/* One line per USB device present, "VID:PID bus B dev D class … [reader]"
 * or "[printer]", written to out (for `kioskctl devices list`).  Returns the
 * number of devices or a negative kiosk_err. */
int usb_list(libusb_context *ctx, void (*line)(void *arg, const char *text), void *arg);

#endif
