/* outbox.h — home care bed applications a kiosk takes while the district
 * database cannot be reached, kept durably on the kiosk and filed exactly
 * once when it returns (issue 13, "outage at the kiosk").
 *
 * A resident who has filled in the form must not be sent away because a
 * cable was cut.  The kiosk checks the form as always (bed_form rules), gives
 * the application its reference then and there (a random follow-up
 * reference, as the database would), seals the whole form with the site
 * secret, bound to that reference (as every personal field in the database
 * is sealed, bound to its row) and keeps it
 * in a small SQLite file of its own (0600, synchronous=FULL: acknowledged
 * means on disk).  When the database answers again, outbox_deliver files
 * each kept application with bed_submit_as under its own reference: the
 * reference is the idempotency key, so a delivery repeated after a crash
 * between filing and marking files it once.  An application the database
 * refuses (the elder had meanwhile applied elsewhere) stays in the outbox
 * marked refused with the reason, for the street office (kioskctl outbox).
 *
 * The core's own module, over sqlite3 directly: the outbox is a local file
 * even when the district database is PostgreSQL. */
#ifndef KIOSK_OUTBOX_H
#define KIOSK_OUTBOX_H

#include <stdbool.h>

struct outbox;
struct store;
struct secret;
struct bed_form;

/* Open (creating, 0600) the outbox file at path. */
int outbox_open(const char *path, struct outbox **out);
void outbox_close(struct outbox **ob);

/* Keep an application: ref receives its new reference, at its time.  The
 * form must already be valid (bed_form_check). */
int outbox_add(struct outbox *ob, const struct secret *sec, const char *actor,
               const struct bed_form *form, char ref[33], char at[32]);

/* How many wait to be filed / were refused. */
int outbox_count(struct outbox *ob, long long *pending, long long *refused);

/* File what waits, oldest first, until done or the database is away again
 * (KERR_OFFLINE: stop, keep the rest).  *filed / *refused count this call's. */
int outbox_deliver(struct outbox *ob, struct store *st, const struct secret *sec, int *filed,
                   int *refused);

/* One kept application, for listing (never the sealed form). */
struct outbox_item {
    char ref[33];
    char at[32];
    char state[16];        /* "pending", "filed", "refused" */
    char note[256];        /* why refused; when filed */
};
int outbox_each(struct outbox *ob, int (*cb)(void *ctx, const struct outbox_item *it), void *ctx);

#endif
