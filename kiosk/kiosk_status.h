/* kiosk_status.h — what each resident kiosk last said about its devices,
 * shared through the database so a staff console can see which kiosks need
 * paper (SPEC §1: "sees which kiosks need paper").
 *
 * A kiosk's event loop reports its reader and printer state whenever one of
 * them changes (one upsert, its own short transaction); the console lists
 * them, the ones that need paper or help first.  Nothing personal is kept:
 * a kiosk id, two states and a time.  Not audited: a device state is not an
 * act on anyone's data, and a flapping USB cable must not flood the trail. */
#ifndef KIOSK_KIOSK_STATUS_H
#define KIOSK_KIOSK_STATUS_H

#include <stdbool.h>

struct store;

/* Device states, numbered exactly like enum sess_dev (session.h), so the
 * resident loop can pass the values it already has. */
enum kdev_state {
    KDEV_ABSENT = 0, KDEV_READY, KDEV_PAPER_OUT, KDEV_PAPER_LOW, KDEV_FAULT, KDEV__COUNT
};
/* "absent", "ready", "paper_out", "paper_low", "fault" ("unknown" otherwise). */
const char *kdev_state_name(int state);

struct kiosk_status_row {
    char kiosk_id[64];
    int reader_state;       /* enum kdev_state */
    int printer_state;
    char updated_at[32];    /* "YYYY-MM-DD HH:MM:SS" (store_now) */
};

/* The storage a backend provides (kiosk/store/status_engine.c); store.h's
 * store_ops.status points at it (NULL: this backend has none yet). */
struct status_store_ops {
    int (*upsert)(struct store *st, const struct kiosk_status_row *r);
    /* every kiosk, in kiosk_id order */
    int (*each)(struct store *st, int (*cb)(void *ctx, const struct kiosk_status_row *r),
                void *ctx);
};

/* Record a kiosk's device states now (insert or replace its row, in its own
 * transaction).  KERR_INPUT for an empty kiosk id or a state out of range;
 * KERR_UNSUPPORTED when the backend keeps no status. */
int kiosk_status_report(struct store *st, const char *kiosk_id, int reader_state,
                        int printer_state);

/* Every kiosk's last report: those that need attention first (paper out,
 * then a fault or a missing device, then paper low), then the rest, each
 * group in kiosk_id order.  At most cap rows; *n gets how many. */
int kiosk_status_list(struct store *st, struct kiosk_status_row *out, int cap, int *n);

/* Paper out or low: someone should bring paper. */
bool kiosk_status_needs_paper(const struct kiosk_status_row *r);
/* Anything wrong at all (paper, fault, a device missing). */
bool kiosk_status_needs_attention(const struct kiosk_status_row *r);

#endif
