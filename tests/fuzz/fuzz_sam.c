/* fuzz_sam.c — libFuzzer target for the SAM reply parser (devices/sam.c).
 * The input is a reply frame as it would come off the wire: frame length,
 * decode (preamble, Len, checksum), and every reply parser on the result,
 * both read layouts included.  Also the 256-byte text block on its own. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "devices/sam.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sam_reply r;
    struct sam_card c;
    char s[256];
    size_t total;
    if (size >= SAM_HEADER_LEN)
        (void)sam_frame_total(data, size, &total);
    if (sam_decode(data, size, &r) == 0) {
        (void)sam_sw3_message(r.sw3);
        (void)sam_parse_read(&r, false, &c);
        (void)sam_parse_read(&r, true, &c);
        (void)sam_parse_address(&r, s, sizeof s);
        (void)sam_parse_sam_id(&r, s, sizeof s);
    }
    if (size >= SAM_TEXT_LEN)
        (void)sam_parse_text(data, &c);
    sam_ucs2_to_utf8(data, size, s, sizeof s);
    return 0;
}
