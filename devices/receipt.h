/* receipt.h — the resident's receipt laid out as ESC/POS bytes.
 *
 * Pure: a receipt_model (strings the core already masked) and a printer
 * profile in, a byte stream out; the printer driver, the simulated printer
 * and the tests all print exactly these bytes.  Budget: ≤ 8 KiB on 58 mm
 * (so a raster QR is sized to stay inside it) and ≤ 1 ms to build. */
#ifndef DEVICES_RECEIPT_H
#define DEVICES_RECEIPT_H

#include <stddef.h>
#include <stdint.h>

#include "devices/escpos.h"
#include "kiosk/receipt_model.h"

#define RECEIPT_MAX_BYTES (24 * 1024)   /* storage for the largest (80 mm) receipt */
#define RECEIPT_58_BUDGET (8 * 1024)

/* Build into out (cap bytes).  Returns the length, or a negative kiosk_err:
 * KERR_NOMEM when cap is too small, KERR_INPUT when the QR cannot be made. */
int receipt_build(const struct receipt_model *m, const struct printer_profile *p, uint8_t *out,
                  size_t cap);

/* A fixed test page for `devices test-print`: profile name, a ruler, Chinese
 * text, a QR of url.  Same return convention. */
int receipt_build_test(const struct printer_profile *p, const char *url, uint8_t *out, size_t cap);

#endif
