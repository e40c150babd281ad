/* heartbeat.h — a resident kiosk's sign of life for the district's fleet
 * view (issue 12; `kioskctl kiosks`, the console's fleet panel).
 *
 * The kiosk's session keeps one of these: the loop tells it the device
 * states, the reader's SAM and each screen it draws (the screen's NAME and
 * the time — proof the UI is alive, never what was on it); heartbeat_tick
 * writes a kiosk_heartbeat row when something changed and otherwise every
 * interval.  Monotonic milliseconds schedule it (the loop's clock); the
 * stored times are wall-clock Unix seconds so any machine can compute an
 * age.  A failed write never stops the kiosk: it is retried next interval. */
#ifndef KIOSK_HEARTBEAT_H
#define KIOSK_HEARTBEAT_H

#include <stdbool.h>
#include <stdint.h>

#include "kiosk/kiosk_status.h"

struct store;

struct heartbeat {
    struct kiosk_status_row cur;   /* what the next beat says */
    bool changed;                  /* something a clerk would want to know now */
    bool ever;                     /* at least one beat was attempted */
    int64_t next_ms;               /* the next periodic beat */
    int interval_ms;
    long long db_lost_at;          /* Unix s the database went away (0: reachable) */
};

void heartbeat_init(struct heartbeat *hb, const char *kiosk_id, int interval_s);
/* enum kdev_state values.  A change makes the next tick write. */
void heartbeat_devices(struct heartbeat *hb, int reader, int printer);
/* enum ksam_state and the SAM id ("" unknown). */
void heartbeat_sam(struct heartbeat *hb, int sam_state, const char *sam_id);
/* A screen was drawn at Unix time wall_s.  A new screen name is a change;
 * the time alone goes with the next periodic beat. */
void heartbeat_drawn(struct heartbeat *hb, const char *screen, long long wall_s);
/* The database as the kiosk last found it, at Unix time wall_s (issue 13):
 * unreachable remembers since when; reachable again puts the outage (from,
 * to) in the row and makes the next tick write it at once, so the fleet
 * sees why the kiosk was silent. */
void heartbeat_db(struct heartbeat *hb, bool reachable, long long wall_s);
/* Milliseconds until heartbeat_tick has work (0: now). */
int heartbeat_due_ms(const struct heartbeat *hb, int64_t now_ms);
/* Write the beat when due.  0 (written or not due), or the store's error
 * (KERR_UNSUPPORTED when the backend keeps no status). */
int heartbeat_tick(struct heartbeat *hb, struct store *st, int64_t now_ms);

#endif
