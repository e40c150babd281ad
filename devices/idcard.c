/* idcard.c — the SAM reader driver (see idcard.h). */
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

int idcard_command(struct idcard *ic, uint16_t cmd, const uint8_t *data, size_t n,
                   int timeout_ms, uint8_t *buf, size_t cap, struct sam_reply *r)
{
    uint8_t frame[64];
    if (!ic->open)
        return KERR_NODEV;
    size_t fl = sam_encode(cmd, data, n, frame, sizeof frame);
    if (fl == 0)
        return kerr(KERR_INPUT, "SAM command too long");
    long long deadline = now_ms() + timeout_ms;
    int rc;
    struct transport *t = ic->t;
    if (ic->mode == IDCARD_SPLIT_PIPE) {
        rc = transport_write(t, t->ep_out[0], frame, SAM_HEADER_LEN, IDCARD_CMD_TIMEOUT_MS);
        if (rc >= 0)
            rc = transport_write(t, t->ep_out[1], frame + SAM_HEADER_LEN, fl - SAM_HEADER_LEN,
                                 IDCARD_CMD_TIMEOUT_MS);
    } else {
        rc = transport_write(t, t->ep_out[0], frame, fl, IDCARD_CMD_TIMEOUT_MS);
    }
    if (rc < 0)
        return rc;

    size_t have = 0, total;
    uint8_t in_hdr = t->ep_in[0];
    uint8_t in_body = ic->mode == IDCARD_SPLIT_PIPE ? t->ep_in[1] : t->ep_in[0];
    /* The 7-byte header first: it says how much follows. */
    rc = read_until(ic, in_hdr, buf, cap, &have, SAM_HEADER_LEN, deadline);
    if (rc)
        return rc;
    rc = sam_frame_total(buf, have, &total);
    if (rc)
        return rc;
    if (total > cap)
        return kerr(KERR_INPUT, "SAM reply of %zu bytes does not fit", total);
    rc = read_until(ic, in_body, buf, cap, &have, total, deadline);
    if (rc)
        return rc;
    /* A single-pipe packet can carry more than the frame: the excess is
     * stale data, never part of this reply. */
    return sam_decode(buf, total, r);
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
    if (!sam_sw3_success(r.sw3))
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
