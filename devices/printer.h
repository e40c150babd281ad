/* printer.h — the ESC/POS receipt printer driver over a transport.
 *
 * USB printer class (interface class 7): GET_DEVICE_ID and GET_PORT_STATUS
 * control requests, the job on the bulk OUT endpoint, and — on bidirectional
 * printers (a bulk IN endpoint) — DLE EOT real-time status before and after
 * each job.  Unidirectional printers fall back to GET_PORT_STATUS.  Calls
 * block for at most a few seconds (status 500 ms, data 5 s per 4 KiB). */
#ifndef DEVICES_PRINTER_H
#define DEVICES_PRINTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "devices/transport.h"

#define PRINTER_STATUS_TIMEOUT_MS 500
#define PRINTER_WRITE_TIMEOUT_MS 5000

struct printer_state {
    bool known;           /* the printer answered a status request */
    bool paper_out, near_end, cover_open, error, offline;
};

struct printer;

int printer_new(struct transport *t, struct printer **out);   /* does not own t */
void printer_free(struct printer **p);

/* Open the transport; KERR_NODEV when absent, KERR_DEVICE when it has no
 * bulk OUT endpoint. */
int printer_open(struct printer *p);
void printer_close(struct printer *p);

/* IEEE-1284 device id ("MFG:…;MDL:…;CMD:…;"), NUL-terminated. */
int printer_device_id(struct printer *p, char *out, size_t cap);
/* GET_PORT_STATUS byte (bit 5 paper empty, bit 4 selected, bit 3 NOT error). */
int printer_port_status(struct printer *p, uint8_t *status);
/* Best available status: DLE EOT 4 and 2 when bidirectional, else the port
 * status.  0 (st->known tells whether the printer answered) or KERR_NODEV. */
int printer_status(struct printer *p, struct printer_state *st);

/* Print a job: status first (paper out → KERR_PAPER, nothing sent), the
 * bytes, then status again (paper ran out during the job → KERR_PAPER: the
 * caller keeps the receipt for a reprint).  KERR_NODEV when unplugged,
 * KERR_TIMEOUT / KERR_DEVICE otherwise.  *after gets the final status. */
int printer_print(struct printer *p, const uint8_t *bytes, size_t n, struct printer_state *after);

#endif
