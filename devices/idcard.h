/* idcard.h — the ID-card reader driver: SAM frames over a transport.
 *
 * Speaks sam.c's protocol through a transport (USB or in-memory).  Two USB
 * wirings exist for the same ids (DEVICES.md §1.6), told apart by the bulk
 * endpoint count of the claimed interface:
 *   split pipes (≥ 2 OUT + 2 IN): preamble+Len on the first OUT (0x02), the
 *     rest on the second (0x06); the reply's header on the first IN (0x81),
 *     the rest on the second (0x85);
 *   single pipe (1 OUT + 1 IN): the whole frame out, the reply in 64-byte
 *     packets until 7 + Len bytes have come.
 * After a read the new address (30 03) is asked for and used when present.
 * All calls block (≤ 1 s per short command, ≤ 4 s for a read): devmgr runs
 * them on the reader's own thread, never on the kiosk's event loop. */
#ifndef DEVICES_IDCARD_H
#define DEVICES_IDCARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "devices/sam.h"
#include "devices/transport.h"

#define IDCARD_CMD_TIMEOUT_MS 1000
#define IDCARD_READ_TIMEOUT_MS 4000
#define IDCARD_POLL_MS 300            /* look for a card this often: ≤ 4 finds a second idle */
#define IDCARD_ADDR_TIMEOUT_MS 1000   /* 30 03 new address (Synjones SDK: 1 s) */
#define IDCARD_DRAIN_MS 30            /* an IN endpoint quiet this long is drained */
#define IDCARD_DRAIN_MAX 16384        /* more stale bytes than this: reopen the device */
#define IDCARD_MAX_STALE 4            /* stale replies skipped per command at most */

enum idcard_mode { IDCARD_SPLIT_PIPE, IDCARD_SINGLE_PIPE };

enum idcard_poll {
    IDCARD_NO_CARD = 0,       /* nothing on the reader */
    IDCARD_CARD_READ = 1,     /* a card was read: *card is filled (wipe it after use) */
    IDCARD_ALREADY_READ = 2,  /* "no card" right after a read: the same card, still
                               * there or just taken away — nothing new to do */
};

struct idcard;

/* The driver does not own the transport. */
int idcard_new(struct transport *t, struct idcard **out);
void idcard_free(struct idcard **ic);

/* Open the transport and pick the pipe mode.  KERR_NODEV when absent,
 * KERR_DEVICE when the interface has neither 1+1 nor 2+2 bulk endpoints. */
int idcard_open(struct idcard *ic);
void idcard_close(struct idcard *ic);
enum idcard_mode idcard_mode(const struct idcard *ic);

/* Send one command and receive its checked reply into buf (cap ≥ SAM_MAX_FRAME
 * for reads).  Drains stale IN data first when an earlier exchange went
 * wrong; skips (and wipes) replies that do not fit cmd (sam_reply_expected)
 * — late answers to earlier commands.  SW3 is not judged beyond that.
 * KERR_TIMEOUT, KERR_NODEV (unplugged), KERR_INPUT (bad frame: preamble,
 * length, checksum; detail says which). */
int idcard_command(struct idcard *ic, uint16_t cmd, const uint8_t *data, size_t n,
                   int timeout_ms, uint8_t *buf, size_t cap, struct sam_reply *r);

/* One polling step: find, and when a card is there select and read it.
 * Returns enum idcard_poll (≥ 0) or a negative kiosk_err: KERR_NODEV
 * (unplugged: close and reopen later), KERR_TIMEOUT, KERR_DEVICE (the SAM
 * said no: detail is sam_sw3_message), KERR_INPUT (bad frame, or a card
 * type the kiosk does not support: detail says which). */
int idcard_poll(struct idcard *ic, struct sam_card *card);

/* The address the card holder lives at: the new address (30 03, read after
 * every resident / J card) when the card has one, else the printed one. */
const char *idcard_address(const struct sam_card *card);

/* What the resync did, for tests and `devices list`. */
struct idcard_stats {
    unsigned drains;          /* times the IN pipe was drained */
    unsigned long drained_bytes;
    unsigned stale_replies;   /* replies discarded as answers to other commands */
    unsigned reopens;         /* a babbling reader reopened */
};
const struct idcard_stats *idcard_stats(const struct idcard *ic);

/* SAM status (11 FF) and id (12 FF): read when the reader is opened (devmgr)
 * and by `kioskctl devices list`.  KERR_TIMEOUT for a reader that does not
 * answer at all. */
int idcard_sam_status(struct idcard *ic);
int idcard_sam_id(struct idcard *ic, char *out, size_t cap);

#endif
