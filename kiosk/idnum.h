/* idnum.h — GB 11643-1999 citizen ID numbers and the masking of identities.
 *
 * Validation is the ISO 7064 MOD 11-2 check character over an 18-character
 * number with a real birth date; masking is what every resident screen and
 * receipt shows instead of the real thing (DOMAIN.md §3.3):
 *   ID   440303199001011234 → 4403**********1234   (first 4, last 4)
 *   name 张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜, Li Lei → L****i  */
#ifndef KIOSK_IDNUM_H
#define KIOSK_IDNUM_H

#include <stdbool.h>
#include <stddef.h>

#define IDNUM_LEN 18
#define IDNUM_MASKED_LEN 18

/* The check character for the first 17 digits of s ('0'–'9' or 'X'). */
char idnum_check_char(const char *first17);

/* Normalise and validate: in may have a lower-case x, surrounding blanks are
 * NOT accepted.  On success writes the 18-character upper-case form plus NUL
 * to out and returns 0.  On failure returns KERR_INPUT and sets *why (when
 * why is not NULL) to a static English phrase: "must be 18 characters",
 * "must be 17 digits then a digit or X", "region code is not a real one (no
 * such province)", "birth date is not a real date", "birth date is in the future",
 * "check character is wrong (expected 7)" — the latter in a static buffer. */
int idnum_normalise(const char *in, char out[IDNUM_LEN + 1], const char **why);

bool idnum_valid(const char *s);

/* "4403**********1234".  Accepts anything; short input is all stars.
 * out must hold at least IDNUM_MASKED_LEN + 1 bytes. */
void idnum_mask(const char *id, char *out, size_t cap);

/* Mask a UTF-8 name by characters (not bytes): 1 char → "*", 2 → first + "*",
 * 3+ → first + "*" × (n−2) + last.  Invalid UTF-8 bytes count as one
 * character each.  out is always NUL-terminated. */
void name_mask(const char *name, char *out, size_t cap);

/* True when the last 6 characters of id equal last6 (case-insensitive for X),
 * compared in constant time. */
bool idnum_last6_matches(const char *id, const char *last6);

#endif
