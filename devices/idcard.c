/* idcard.c — the SAM reader driver (see idcard.h).
 *
 * RESYNC (issue 12).  A real reader answers late: a read answered at 4.5 s
 * arrives after our 4 s timeout, and if nothing is done the next command
 * consumes it, and every later exchange is shifted by one reply.  So:
 *   - after any timeout, short frame or bad frame the pipe is "dirty" and
 *     the next command first drains what the reader still has queued
 *     (bounded: IDCARD_DRAIN_MAX bytes, else the device is reopened);
 *   - every reply is checked against the command that asked
 *     (sam_reply_expected: SW3 set and data length per command); a reply
 *     that does not fit is a late answer to an earlier command and is
 *     discarded unread, and the driver reads on for its own reply within
 *     the same deadline.  This covers the late reply that arrives after
 *     the drain, which no drain can catch. */
#include "idcard.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/err.h"

struct idcard {
    struct transport *t;
    enum idcard_mode mode;
    bool open;
    bool just_read;       /* the last successful find led to a read */
    bool dirty;           /* a timeout or bad frame: IN may hold stale bytes */
    uint8_t carry[64];    /* single pipe: bytes after a frame in the same packet */
    size_t carry_n;
    struct idcard_stats stats;
    uint8_t buf[SAM_MAX_FRAME];
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int idcard_new(struct transport *t, struct idcard **out)
{
    struct idcard *ic = calloc(1, sizeof *ic);
    if (!ic)
        return KERR_NOMEM;
    ic->t = t;
    *out = ic;
    return 0;
}

void idcard_free(struct idcard **ic)
{
    if (!*ic)
        return;
    idcard_close(*ic);
    free(*ic);
    *ic = NULL;
}

int idcard_open(struct idcard *ic)
{
    int rc = transport_open(ic->t);
    if (rc)
        return rc;
    if (ic->t->n_out >= 2 && ic->t->n_in >= 2) {
        ic->mode = IDCARD_SPLIT_PIPE;
    } else if (ic->t->n_out >= 1 && ic->t->n_in >= 1) {
        ic->mode = IDCARD_SINGLE_PIPE;
    } else {
        transport_close(ic->t);
        return kerr(KERR_DEVICE, "%s: the reader has %d bulk OUT and %d bulk IN endpoints; "
                    "a SAM reader needs 1+1 or 2+2", ic->t->description, ic->t->n_out, ic->t->n_in);
    }
    ic->open = true;
    ic->just_read = false;
    /* A reader that was unplugged or reset holds nothing of ours; one that
     * we merely reopened might: start by draining. */
    ic->dirty = true;
    ic->carry_n = 0;
    return 0;
}

const struct idcard_stats *idcard_stats(const struct idcard *ic) { return &ic->stats; }

/* Throw away whatever the reader still has queued on its IN endpoints.  Each
 * endpoint is read until it stays quiet for IDCARD_DRAIN_MS.  A reader that
 * never stops talking is reopened (release + claim: the pipe starts clean). */
static int drain(struct idcard *ic)
{
    struct transport *t = ic->t;
    uint8_t junk[512];
    size_t total = 0;
    int n_ep = ic->mode == IDCARD_SPLIT_PIPE ? 2 : 1, rc = 0;
    total += ic->carry_n;
    ic->carry_n = 0;
    for (int e = 0; e < n_ep && rc == 0; e++) {
        for (;;) {
            int k = transport_read(t, t->ep_in[e], junk, sizeof junk, IDCARD_DRAIN_MS);
            if (k == KERR_TIMEOUT)
                break;
            if (k < 0) {
                rc = k;
                break;
            }
            total += (size_t)k;
            if (total > IDCARD_DRAIN_MAX) {
                /* Babbling: no quiet gap to find.  Reset the pipe by reopening. */
                transport_close(t);
                rc = transport_open(t);
                if (rc) {
                    ic->open = false;
                    return rc;
                }
                ic->stats.reopens++;
                break;
            }
        }
    }
    /* stale data may be someone's identity */
    memset(junk, 0, sizeof junk);
    __asm__ __volatile__("" ::"r"(junk) : "memory");
    if (rc)
        return rc;
    ic->stats.drains++;
    ic->stats.drained_bytes += total;
    ic->dirty = false;
    return 0;
}

void idcard_close(struct idcard *ic)
{
    if (ic->open)
        transport_close(ic->t);
    ic->open = false;
}

enum idcard_mode idcard_mode(const struct idcard *ic) { return ic->mode; }

/* Read from ep until *have reaches want, within the deadline.  USB reads ask
 * for whole 64-byte packets so a full-speed device never overflows them. */
static int read_until(struct idcard *ic, uint8_t ep, uint8_t *buf, size_t cap, size_t *have,
                      size_t want, long long deadline)
{
    while (*have < want) {
        long long left = deadline - now_ms();
        if (left <= 0)
            return kerr(KERR_TIMEOUT, "the card reader did not answer in time");
        size_t ask = (want - *have + 63) / 64 * 64;
        if (ask > cap - *have)
            ask = cap - *have;
        if (ask == 0)
            return kerr(KERR_INPUT, "SAM reply larger than %zu bytes", cap);
        int k = transport_read(ic->t, ep, buf + *have, ask, (int)left);
        if (k == KERR_TIMEOUT)
            return kerr(KERR_TIMEOUT, "the card reader did not answer in time");
        if (k < 0)
            return k;
        *have += (size_t)k;
    }
    return 0;
}

/* Read one frame (header, then exactly Len bytes) into buf within the
 * deadline.  *total gets its size.  Single pipe: bytes of a packet past the
 * frame's end are kept in carry for the next frame. */
static int read_frame(struct idcard *ic, uint8_t *buf, size_t cap, long long deadline,
                      size_t *total)
{
    struct transport *t = ic->t;
    size_t have = 0;
    uint8_t in_hdr = t->ep_in[0];
    uint8_t in_body = ic->mode == IDCARD_SPLIT_PIPE ? t->ep_in[1] : t->ep_in[0];
    if (ic->carry_n) {
        memcpy(buf, ic->carry, ic->carry_n);
        have = ic->carry_n;
        ic->carry_n = 0;
    }
    /* The 7-byte header first: it says how much follows. */
    int rc = read_until(ic, in_hdr, buf, cap, &have, SAM_HEADER_LEN, deadline);
    if (rc)
        return rc;
    rc = sam_frame_total(buf, have, total);
    if (rc)
        return rc;
    if (*total > cap)
        return kerr(KERR_INPUT, "SAM reply of %zu bytes does not fit", *total);
    rc = read_until(ic, in_body, buf, cap, &have, *total, deadline);
    if (rc)
        return rc;
    if (have > *total) {
        size_t extra = have - *total;
        if (ic->mode != IDCARD_SINGLE_PIPE || extra > sizeof ic->carry)
            return kerr(KERR_INPUT, "the card reader sent %zu bytes past its reply", extra);
        memcpy(ic->carry, buf + *total, extra);
        ic->carry_n = extra;
    }
    return 0;
}

int idcard_command(struct idcard *ic, uint16_t cmd, const uint8_t *data, size_t n,
                   int timeout_ms, uint8_t *buf, size_t cap, struct sam_reply *r)
{
    uint8_t frame[64];
    if (!ic->open)
        return KERR_NODEV;
    size_t fl = sam_encode(cmd, data, n, frame, sizeof frame);
    if (fl == 0)
        return kerr(KERR_INPUT, "SAM command too long");
    int rc;
    if (ic->dirty && (rc = drain(ic)))
        return rc;
    long long deadline = now_ms() + timeout_ms;
    struct transport *t = ic->t;
    if (ic->mode == IDCARD_SPLIT_PIPE) {
        rc = transport_write(t, t->ep_out[0], frame, SAM_HEADER_LEN, IDCARD_CMD_TIMEOUT_MS);
        if (rc >= 0)
            rc = transport_write(t, t->ep_out[1], frame + SAM_HEADER_LEN, fl - SAM_HEADER_LEN,
                                 IDCARD_CMD_TIMEOUT_MS);
    } else {
        rc = transport_write(t, t->ep_out[0], frame, fl, IDCARD_CMD_TIMEOUT_MS);
    }
    if (rc < 0) {
        ic->dirty = true;
        return rc;
    }
    for (int stale = 0;; stale++) {
        size_t total;
        rc = read_frame(ic, buf, cap, deadline, &total);
        if (rc == 0)
            rc = sam_decode(buf, total, r);
        if (rc) {
            /* timeout, short or bad frame: whatever follows is out of step */
            ic->dirty = true;
            return rc;
        }
        if (sam_reply_expected(cmd, r))
            return 0;
        /* A late answer to an earlier command: never decoded, wiped (a read
         * reply holds an identity), and our own reply is still to come. */
        ic->stats.stale_replies++;
        memset(buf, 0, total);
        __asm__ __volatile__("" ::"r"(buf) : "memory");
        if (stale >= IDCARD_MAX_STALE) {
            ic->dirty = true;
            return kerr(KERR_INPUT, "the card reader keeps answering other commands "
                        "(%d stale replies)", stale + 1);
        }
    }
}

/* 追加住址: a resident who moved has the new address in a second record
 * (30 03); it is what the card holder lives at now.  Only cards with an
 * address have one.  Best effort: an old SAM that refuses the command, a
 * card without one (91) or a timeout leave the printed address alone — the
 * identity was read, and a timeout marks the pipe for a drain as usual. */
static void read_new_address(struct idcard *ic, struct sam_card *card)
{
    struct sam_reply r;
    card->new_address[0] = '\0';
    if (card->kind != CARD_KIND_RESIDENT && card->kind != CARD_KIND_PERMIT_J)
        return;
    int rc = idcard_command(ic, SAM_CMD_READ_ADDR, NULL, 0, IDCARD_ADDR_TIMEOUT_MS, ic->buf,
                            sizeof ic->buf, &r);
    if (rc == 0 && r.sw3 == SAM_SW3_OK)
        sam_parse_address(&r, card->new_address, sizeof card->new_address);
    memset(ic->buf, 0, sizeof ic->buf);
    __asm__ __volatile__("" ::"r"(ic->buf) : "memory");
}

const char *idcard_address(const struct sam_card *card)
{
    return card->new_address[0] ? card->new_address : card->address;
}

int idcard_poll(struct idcard *ic, struct sam_card *card)
{
    struct sam_reply r;
    int rc = idcard_command(ic, SAM_CMD_FIND, NULL, 0, IDCARD_CMD_TIMEOUT_MS, ic->buf,
                            sizeof ic->buf, &r);
    if (rc)
        return rc;
    if (r.sw3 == SAM_SW3_NO_CARD)
        return ic->just_read ? IDCARD_ALREADY_READ : IDCARD_NO_CARD;
    if (r.sw3 != SAM_SW3_FIND_OK)
        return kerr(KERR_DEVICE, "find card: %s", sam_sw3_message(r.sw3));
    ic->just_read = false;
    rc = idcard_command(ic, SAM_CMD_SELECT, NULL, 0, IDCARD_CMD_TIMEOUT_MS, ic->buf,
                        sizeof ic->buf, &r);
    if (rc)
        return rc;
    if (r.sw3 != SAM_SW3_OK)
        return kerr(KERR_DEVICE, "select card: %s", sam_sw3_message(r.sw3));
    rc = idcard_command(ic, SAM_CMD_READ, NULL, 0, IDCARD_READ_TIMEOUT_MS, ic->buf,
                        sizeof ic->buf, &r);
    if (rc == 0)
        rc = sam_parse_read(&r, false, card);
    /* The reply held the identity and the photo: wipe the buffer either way. */
    memset(ic->buf, 0, sizeof ic->buf);
    __asm__ __volatile__("" ::"r"(ic->buf) : "memory");
    if (rc)
        return rc;
    ic->just_read = true;
    read_new_address(ic, card);
    return IDCARD_CARD_READ;
}

int idcard_sam_status(struct idcard *ic)
{
    struct sam_reply r;
    int rc = idcard_command(ic, SAM_CMD_STATUS, NULL, 0, IDCARD_CMD_TIMEOUT_MS, ic->buf,
                            sizeof ic->buf, &r);
    if (rc)
        return rc;
    if (!sam_sw3_success(r.sw3))
        return kerr(KERR_DEVICE, "SAM status: %s", sam_sw3_message(r.sw3));
    return 0;
}

int idcard_sam_id(struct idcard *ic, char *out, size_t cap)
{
    struct sam_reply r;
    int rc = idcard_command(ic, SAM_CMD_SAM_ID, NULL, 0, IDCARD_CMD_TIMEOUT_MS, ic->buf,
                            sizeof ic->buf, &r);
    return rc ? rc : sam_parse_sam_id(&r, out, cap);
}
