/* heartbeat.c — when a kiosk writes its heartbeat (heartbeat.h). */
#include "kiosk/heartbeat.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/err.h"

void heartbeat_init(struct heartbeat *hb, const char *kiosk_id, int interval_s)
{
    memset(hb, 0, sizeof *hb);
    snprintf(hb->cur.kiosk_id, sizeof hb->cur.kiosk_id, "%s", kiosk_id);
    snprintf(hb->cur.version, sizeof hb->cur.version, "%s", KIOSK_VERSION_STR);
    hb->interval_ms = (interval_s > 0 ? interval_s : 30) * 1000;
    hb->changed = true;       /* the first beat goes out at once */
}

void heartbeat_devices(struct heartbeat *hb, int reader, int printer)
{
    if (hb->cur.reader_state != reader || hb->cur.printer_state != printer)
        hb->changed = true;
    hb->cur.reader_state = reader;
    hb->cur.printer_state = printer;
}

void heartbeat_sam(struct heartbeat *hb, int sam_state, const char *sam_id)
{
    if (hb->cur.sam_state != sam_state || strcmp(hb->cur.sam_id, sam_id))
        hb->changed = true;
    hb->cur.sam_state = sam_state;
    snprintf(hb->cur.sam_id, sizeof hb->cur.sam_id, "%s", sam_id);
}

void heartbeat_drawn(struct heartbeat *hb, const char *screen, long long wall_s)
{
    if (strcmp(hb->cur.screen, screen))
        hb->changed = true;
    snprintf(hb->cur.screen, sizeof hb->cur.screen, "%s", screen);
    hb->cur.screen_at = wall_s;
}

void heartbeat_db(struct heartbeat *hb, bool reachable, long long wall_s)
{
    if (!reachable) {
        if (!hb->db_lost_at)
            hb->db_lost_at = wall_s > 0 ? wall_s : 1;
        return;
    }
    if (!hb->db_lost_at)
        return;
    hb->cur.db_lost_from = hb->db_lost_at;
    hb->cur.db_lost_to = wall_s > hb->db_lost_at ? wall_s : hb->db_lost_at;
    hb->db_lost_at = 0;
    hb->changed = true;
}

int heartbeat_due_ms(const struct heartbeat *hb, int64_t now)
{
    if (hb->changed || !hb->ever || now >= hb->next_ms)
        return 0;
    int64_t d = hb->next_ms - now;
    return d > 60000 ? 60000 : (int)d;
}

int heartbeat_tick(struct heartbeat *hb, struct store *st, int64_t now)
{
    if (heartbeat_due_ms(hb, now) > 0)
        return 0;
    /* scheduled before the write: a failing database is retried next
     * interval, not on every wake-up of the loop */
    hb->ever = true;
    hb->changed = false;
    hb->next_ms = now + hb->interval_ms;
    return kiosk_heartbeat(st, &hb->cur);
}
