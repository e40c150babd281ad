/* sim.h — simulated devices for `--sim` (the demo and the tests).
 *
 * Reader: card events as text lines from a FIFO or a regular file named by
 * `--sim-cards PATH`:
 *     insert ID_NUMBER NAME…      a card is placed (NAME is the rest of the line, UTF-8)
 *     remove                      the card is taken away
 *     # comment, blank lines      ignored
 * Reading never blocks.  A FIFO is polled through its fd and reopened when
 * its last writer closes it (so `echo … > fifo` can be used again and
 * again); a regular file has no useful fd for poll() (it is always
 * "readable"), so it is re-read every SIM_FILE_POLL_MS like `tail -f`.
 *
 * Printer: each receipt's exact ESC/POS bytes go to DIR/receipt-NNNN.bin
 * (`--sim-print-dir DIR`, NNNN from 0001, never overwriting).  The printer's
 * state is read from the directory so tests can script it:
 *     DIR missing         → printer not connected
 *     DIR/PAPER_OUT exists → out of paper (nothing is written)
 *     DIR/NEAR_END exists  → paper near its end (prints, status says so) */
#ifndef DEVICES_SIM_H
#define DEVICES_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/card_event.h"

#define SIM_FILE_POLL_MS 300
#define SIM_LINE_MAX 512

struct sim_reader;

/* Open PATH.  A missing path is KERR_NODEV (the reader is "unplugged"; try
 * again later); anything else that is not a FIFO or a regular file is
 * KERR_INPUT. */
int sim_reader_open(const char *path, struct sim_reader **out);
void sim_reader_free(struct sim_reader **r);
/* The fd to poll for input, or -1 (regular file: use the timeout). */
int sim_reader_fd(const struct sim_reader *r);
/* How long the caller may sleep before sim_reader_handle must run again:
 * SIM_FILE_POLL_MS for a regular file, -1 (no limit) for a FIFO. */
int sim_reader_timeout_ms(const struct sim_reader *r);
/* Read what is available (never blocks) and turn complete lines into
 * events.  Returns the number of events stored (≤ cap; the rest stays
 * queued for the next call) or a negative kiosk_err (KERR_IO). */
int sim_reader_handle(struct sim_reader *r, struct card_event *evs, int cap);

/* One line → an event.  Returns 1 (event filled), 0 (blank or comment) or
 * KERR_INPUT, in which case ev is a CARD_EV_ERROR saying what was wrong. */
int sim_parse_line(const char *line, struct card_event *ev);

struct sim_printer_state {
    bool present, paper_out, near_end;
};
void sim_printer_state(const char *dir, struct sim_printer_state *st);
/* Write one receipt.  0 (path_out, if not NULL, names the file), KERR_PAPER,
 * KERR_NODEV (no directory), KERR_IO. */
int sim_printer_print(const char *dir, const uint8_t *bytes, size_t n, char *path_out, size_t cap);

#endif
