/* next_view.h — the next steps of one queue entry or bed application, from
 * the core's own views plus the resident notice staff recorded.
 *
 * Every front end that says what to do next (the kiosk's detail screens and
 * their spoken text, the receipt, the follow-up page) calls these two, so
 * they pass next_steps the same facts — the date the status began, the
 * refusals, the clerk's reason, the offer's deadline, place and contact, the
 * provider — and give the resident the same lines.  Pure: no store (the
 * caller loads the notice with notice_get). */
#ifndef KIOSK_NEXT_VIEW_H
#define KIOSK_NEXT_VIEW_H

#include "kiosk/eldercare.h"
#include "kiosk/next_steps.h"
#include "kiosk/notice.h"
#include "kiosk/queue.h"

/* n: the entry's notice for its current status (all empty when there is
 * none).  On a bad status the lines are cleared and the error returned. */
int next_view_queue(const struct ns_config *cfg, const struct queue_view *q, const struct notice *n,
                    const char *lang, struct next_steps *out);
int next_view_bed(const struct ns_config *cfg, const struct bed_view *b, const struct notice *n,
                  const char *lang, struct next_steps *out);

#endif
