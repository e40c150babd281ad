/* fmt_conv.h — printf conversions taken apart, for the texts that are
 * formatted in one language and read back or re-rendered in another: the
 * error details (err.c, kerr_detail_local) and the audit details
 * (audit_detail.c).  One parser, so both agree on what a format holds. */
#ifndef KIOSK_FMT_CONV_H
#define KIOSK_FMT_CONV_H

#include <stdbool.h>
#include <stddef.h>

/* One conversion: its spec with the '%' ("%-5lld"), its letter ('d', 's',
 * '%' …), its length modifier ("ll") and how many '*' it takes (ints
 * consumed before its value). */
struct fmt_conv {
    char spec[24];
    char letter;
    char len[3];
    int stars;
};

/* Parse the conversion at *pp (just after the '%') and move *pp past it.
 * False for one these readers do not take (positional %n$, %n, a spec too
 * long): the caller then keeps the text as it is. */
bool fmt_conv_parse(const char **pp, struct fmt_conv *c);

/* The conversions of fmt as one string ("0s 0lld "): a translation must keep
 * them, in order.  False when fmt holds one fmt_conv_parse refuses. */
bool fmt_signature(const char *fmt, char *out, size_t cap);

#endif
