/* proc_hygiene.h — what every program does first about its own process
 * (issue 11): no core dumps, whatever the service manager or shell set.
 * A kiosk's memory holds the name and ID number of the card just read (the
 * reader's buffers, the screen's copy) for a moment after the card is
 * removed; a core file written then would keep them on disk. */
#ifndef KIOSK_PROC_HYGIENE_H
#define KIOSK_PROC_HYGIENE_H

/* RLIMIT_CORE to 0 (soft and hard, so a child cannot raise it again) and
 * PR_SET_DUMPABLE 0 (no core, no ptrace attach by the same user, /proc/PID
 * owned by root).  Returns 0, or KERR_IO with a detail when the kernel
 * refused, which the caller reports: running with dumps on is a choice the
 * administrator must see, not one made silently. */
int proc_no_core_dumps(void);

#endif
