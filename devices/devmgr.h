/* devmgr.h — the one device API the kiosk's event loop uses.
 *
 * Hides simulated versus USB devices, the reader's polling, hotplug and the
 * printer's status.  The loop is one thread with one poll():
 *
 *     struct devmgr *dm;
 *     devmgr_new(&cfg, &opts, &dm);
 *     for (;;) {
 *         struct pollfd fds[8 + …];  n = own fds …
 *         n += devmgr_pollfds(dm, fds + n, 8);
 *         int t = min(own timeout, devmgr_next_timeout_ms(dm, now_ms()));
 *         poll(fds, n, t);
 *         struct devmgr_event ev[8];
 *         int k = devmgr_handle(dm, now_ms(), ev, 8);   // always call it after poll
 *         for each ev: CARD → core (then card_event_wipe), READER/PRINTER → status line
 *         …
 *         on PRINT: rc = devmgr_print(dm, &receipt_model);
 *                   rc == KERR_PAPER / KERR_NODEV / other → show the QR on screen
 *                   (qr_text_for, devices/qr.h) and keep the model for a reprint
 *     }
 *
 * WHY A THREAD FOR THE USB READER: a SAM read takes up to ~1 s and a dead
 * reader times out after 1–4 s; doing that inside devmgr_handle() would
 * freeze the screen.  So the USB reader and all libusb event handling
 * (hotplug callbacks included) live on one small device thread, which hands
 * card events and state changes over through a mutex-protected queue and
 * wakes the loop through a pipe: devmgr_pollfds() gives that pipe (and, in
 * --sim mode, the sim-cards FIFO), not libusb's own fds — those belong to
 * the device thread.  Printing stays on the caller's thread: it is a few
 * KiB and two status reads with 0.5 s timeouts, at a moment the resident
 * asked for it.  In --sim mode there is no thread at all. */
#ifndef DEVICES_DEVMGR_H
#define DEVICES_DEVMGR_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#include "kiosk/card_event.h"
#include "kiosk/config.h"
#include "kiosk/receipt_model.h"

struct devmgr;

struct devmgr_opts {
    bool sim;                     /* --sim */
    const char *sim_cards;        /* --sim-cards PATH (NULL: no simulated reader) */
    const char *sim_print_dir;    /* --sim-print-dir DIR (NULL: no simulated printer) */
};

enum dev_state {
    DEV_ABSENT = 0,       /* not connected (or not configured) */
    DEV_READY,
    DEV_PAPER_OUT,        /* printer only */
    DEV_PAPER_LOW,        /* printer only: near end, still prints */
    DEV_FAULT,            /* connected but not working: detail says why */
    DEV_MUTE,             /* reader only: connected, but it does not answer at all —
                           * never reported as "no card" (issue 12) */
};
const char *dev_state_name(enum dev_state s);   /* "absent", "ready", "paper out", … */

enum devmgr_event_type {
    DEVMGR_EV_CARD = 1,   /* card: a card event (the consumer wipes it) */
    DEVMGR_EV_READER,     /* state: the reader's new state */
    DEVMGR_EV_PRINTER,    /* state: the printer's new state */
};

struct devmgr_event {
    enum devmgr_event_type type;
    enum dev_state state;
    struct card_event card;
    char detail[128];     /* English, for logs: "0400:c35a bus 1 dev 4", an error … */
};

/* Create from the configuration ([reader] usb, [printer] usb, paper_dots,
 * native_qr) and the sim options.  Devices that are absent now are not an
 * error: they are picked up when they appear.  KERR_CONFIG for a bad VID:PID,
 * KERR_DEVICE when libusb cannot start. */
int devmgr_new(const struct kiosk_config *cfg, const struct devmgr_opts *opts, struct devmgr **out);
void devmgr_free(struct devmgr **dm);

/* Fill up to cap pollfds (events = POLLIN) to add to the loop's poll().
 * Returns the count (0–2).  Call before every poll: the set can change. */
int devmgr_pollfds(struct devmgr *dm, struct pollfd *fds, int cap);
/* Milliseconds until devmgr_handle wants to run even without input (-1 = no
 * limit): the simulated reader's file polling, printer re-probing. */
int devmgr_next_timeout_ms(struct devmgr *dm, int64_t now_ms);
/* Do the pending work and return up to cap events (the rest wait for the
 * next call; the pipe stays readable while any wait).  Never blocks long. */
int devmgr_handle(struct devmgr *dm, int64_t now_ms, struct devmgr_event *evs, int cap);

/* The reader's SAM, asked when the reader is opened (11 FF, 12 FF). */
enum devmgr_sam_state { DEVMGR_SAM_UNKNOWN = 0, DEVMGR_SAM_OK, DEVMGR_SAM_FAULT };
struct devmgr_sam {
    enum devmgr_sam_state state;
    char status[96];      /* "ok", or what the SAM refused with */
    char id[48];          /* "05.01-20150101-123456789-000000042"; "" unknown */
};
void devmgr_sam_info(const struct devmgr *dm, struct devmgr_sam *out);
/* Wait (≤ timeout_ms) until the USB reader thread has tried to open the
 * reader once (and asked its SAM), so its state means something; true when
 * it has (or there is no thread: sim mode, no libusb). */
bool devmgr_wait_reader(struct devmgr *dm, int timeout_ms);

/* Current states, for drawing the status line at start-up. */
enum dev_state devmgr_reader_state(const struct devmgr *dm);
enum dev_state devmgr_printer_state(const struct devmgr *dm);

/* Lay out and print a receipt.  0 printed; KERR_PAPER (out of paper, before
 * or during: keep the model for a reprint, offer the QR); KERR_NODEV (no
 * printer); KERR_DEVICE / KERR_TIMEOUT (it failed); KERR_INPUT (the model's
 * URL is too long for a QR).  A PRINTER event follows any state change. */
int devmgr_print(struct devmgr *dm, const struct receipt_model *m);
/* Print ready-made ESC/POS bytes (test page). Same return values. */
int devmgr_print_raw(struct devmgr *dm, const uint8_t *bytes, size_t n);

/* Wait up to timeout_ms for one card event (for `kioskctl devices
 * test-read`): 1 and *ev filled, 0 on timeout, or a negative kiosk_err. */
int devmgr_wait_card(struct devmgr *dm, int timeout_ms, struct card_event *ev);

#endif
