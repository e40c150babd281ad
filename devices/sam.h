/* sam.h — the ID-card SAM protocol (GA/T 467) as pure functions over bytes.
 *
 * No I/O here: encode a command frame, check and decode a reply frame, turn
 * the 256-byte text block into fields.  idcard.c drives it over a transport;
 * the golden tests and the fuzz target call it directly.  Frame layout and
 * status codes: DEVICES.md §1.
 *   host→SAM  AA AA AA 96 69 | Len1 Len2 | CMD PARA [DATA] | CHK
 *   SAM→host  AA AA AA 96 69 | Len1 Len2 | SW1 SW2 SW3 [DATA] | CHK
 * Len (big-endian) counts everything after itself, CHK included; CHK is the
 * XOR of the Len bytes and everything up to CHK. */
#ifndef DEVICES_SAM_H
#define DEVICES_SAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/card_event.h"

#define SAM_PREAMBLE_LEN 5
#define SAM_HEADER_LEN 7          /* preamble + Len */
#define SAM_MAX_FRAME 4096        /* the longest real reply is 2321 bytes */
#define SAM_TEXT_LEN 256
#define SAM_PHOTO_LEN 1024

/* Commands: CMD << 8 | PARA (DEVICES.md §1.2). */
enum sam_cmd {
    SAM_CMD_RESET       = 0x10FF,
    SAM_CMD_STATUS      = 0x11FF,
    SAM_CMD_SAM_ID      = 0x12FF,
    SAM_CMD_FIND        = 0x2001,
    SAM_CMD_SELECT      = 0x2002,
    SAM_CMD_READ        = 0x3001,   /* text + photo */
    SAM_CMD_READ_ADDR   = 0x3003,   /* 追加住址 */
    SAM_CMD_READ_FP     = 0x3010,   /* text + photo + fingerprint */
    SAM_CMD_SET_BAUD    = 0x6000,   /* + 0..4 in the low byte: 115200 … 9600 */
    SAM_CMD_SET_RF_MAX  = 0x61FF,   /* one data byte */
};

/* SW3 values the protocol defines (DEVICES.md §1.3). */
enum sam_sw3 {
    SAM_SW3_OK = 0x90, SAM_SW3_FIND_OK = 0x9F, SAM_SW3_NO_CONTENT = 0x91,
    SAM_SW3_NO_CARD = 0x80, SAM_SW3_SELECT_FAILED = 0x81,
};

/* Encode a command with optional data into out.  Returns the frame length,
 * or 0 when cap is too small or n is absurd. */
size_t sam_encode(uint16_t cmd, const uint8_t *data, size_t n, uint8_t *out, size_t cap);

/* From the first 7 bytes of a reply: check the preamble and give the total
 * frame length (7 + Len).  0 or KERR_INPUT (kerr detail says what). */
int sam_frame_total(const uint8_t *hdr, size_t n, size_t *total);

struct sam_reply {
    uint8_t sw1, sw2, sw3;
    const uint8_t *data;      /* points into the frame */
    size_t data_len;
};

/* Check preamble, length and checksum of a whole frame and split it.
 * Returns 0 or KERR_INPUT (detail: which check failed).  SW3 is NOT judged
 * here: a frame can be well-formed and say "no card". */
int sam_decode(const uint8_t *frame, size_t n, struct sam_reply *r);

/* A clear English sentence for an SW3 value ("unknown SAM status 0x42" for
 * values the protocol does not define: returns a static buffer then). */
const char *sam_sw3_message(uint8_t sw3);
/* 0x90 or 0x9F: a success code of SOME command.  Never use it to accept a
 * reply: 9F is only find's success, and a stale find reply passed as a
 * select reply that way (issue 12).  Use sam_reply_expected. */
bool sam_sw3_success(uint8_t sw3);

/* Whether a well-formed reply can be the answer to cmd: its SW3 is one the
 * command produces (find: 9F with 4 data bytes or 80; select: 90 with 8 or
 * 81; read: 90 with 4 + 256 + 1024; new address: 90 with 70 or 91; status
 * and reset: 90 with none; SAM id: 90 with ≥ 16), or one of the SAM's
 * generic refusals (10 11 21 23 24 31 32 33 40 41 47 60 66), which any
 * command can get.  Anything else is a reply to another command that came
 * late (after a timeout) and must be discarded, never decoded. */
bool sam_reply_expected(uint16_t cmd, const struct sam_reply *r);

/* Fields of a card's text block, UTF-8, trailing blanks removed.  Dates stay
 * as printed (YYYYMMDD, or 长期 for valid_to). */
struct sam_card {
    enum card_kind kind;
    char name[CARD_NAME_MAX];       /* Chinese name (all kinds); may be "" on an I card */
    char name_en[CARD_NAME_MAX];    /* I and Y cards */
    char id_number[CARD_ID_MAX];    /* ID number, or the I card's permit number */
    char sex[8];                    /* "1" male, "2" female, as coded */
    char nation[8];                 /* resident card: "01"–"56" … */
    char nationality[8];            /* I and Y: GB/T 2659 code */
    char birth[24];
    char address[224];              /* the printed address */
    char new_address[224];          /* 追加住址 (30 03), "" when the card has none */
    char issuer[96];
    char valid_from[24], valid_to[24];
    char pass_number[40];           /* J: 通行证号码 */
    char issue_count[8];            /* J: 签发次数; Y: renewal count */
};

/* Parse the 256-byte text block.  Returns 0, or KERR_INPUT for a card type
 * the kiosk does not know (detail names the type character) or a block
 * without an ID number. */
int sam_parse_text(const uint8_t text[SAM_TEXT_LEN], struct sam_card *out);

/* Parse the data of a successful 30 01 / 30 10 reply: text length, photo
 * length [, fingerprint length], text, photo …  The photo and fingerprint are
 * skipped, never copied.  with_fp: the reply is to 30 10. */
int sam_parse_read(const struct sam_reply *r, bool with_fp, struct sam_card *out);

/* The new-address reply (30 03, SW3 90): 70 bytes UCS-2.  out gets UTF-8. */
int sam_parse_address(const struct sam_reply *r, char *out, size_t cap);

/* The SAM id reply (12 FF) as "dd.dd-uuuu-nnnnnnnnn-nnnnnnnnn". */
int sam_parse_sam_id(const struct sam_reply *r, char *out, size_t cap);

/* UCS-2LE → UTF-8, stopping at n bytes, trailing spaces and NULs dropped.
 * Unpaired surrogates become U+FFFD.  Always NUL-terminates. */
void sam_ucs2_to_utf8(const uint8_t *in, size_t n, char *out, size_t cap);

/* Wipe a parsed card (volatile stores, like card_event_wipe). */
void sam_card_wipe(struct sam_card *c);
/* Zero n bytes that held card data (not optimised away). */
void sam_card_wipe_buf(void *buf, size_t n);

#endif
