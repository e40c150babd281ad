/* fu_limit.h — wrong follow-up codes per client address per minute.
 *
 * A fixed table (no allocation after fu_limit_new, so a flood of addresses
 * cannot grow memory): each slot counts one address's wrong codes in the
 * current 60-second window, which starts at its first wrong code.  Once an
 * address has made more than `per_minute` wrong codes, every request from it
 * is refused (429) until its window ends — good codes too, or a guesser
 * could keep going.  When the table is full the slot whose window ended
 * first is reused.  Time is passed in (seconds), so tests need no clock. */
#ifndef KIOSK_WEB_FU_LIMIT_H
#define KIOSK_WEB_FU_LIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fu_limit;

/* slots: addresses tracked at once (rounded up to a power of two). */
int fu_limit_new(int per_minute, size_t slots, struct fu_limit **out);
void fu_limit_free(struct fu_limit **lim);

/* addr: the client's address bytes (4 for IPv4, 16 for IPv6). */
bool fu_limit_blocked(struct fu_limit *lim, const void *addr, size_t len, int64_t now);
/* Count one wrong code; true when this address is now over the limit. */
bool fu_limit_fail(struct fu_limit *lim, const void *addr, size_t len, int64_t now);

#endif
