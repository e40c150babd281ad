/* fu_page.h — what the follow-up page shows for one receipt, found from the
 * QR's REF and checked against its CODE.
 *
 * A receipt's REF is what kiosk/session put on it (sess_common.c make_receipt):
 *   * a queue entry's receipt number (备案回执号), unique within a programme;
 *     the same number on more than one programme is shown only when every
 *     entry with it belongs to the same household (same keyed ID hash), else
 *     the REF is ambiguous and treated as unknown — the page never shows one
 *     household another's entry;
 *   * a home-care-bed application's ref (bed_app.ref, unique).
 * The views are the core's own (queue_view_of, bed_show) and the notices
 * (notice_get) the kiosk's detail screens read: the same masked, translated
 * data and the same facts for the next steps.  No HTTP here. */
#ifndef KIOSK_WEB_FU_PAGE_H
#define KIOSK_WEB_FU_PAGE_H

#include <stdbool.h>

#include "kiosk/eldercare.h"
#include "kiosk/notice.h"
#include "kiosk/queue.h"

struct store;
struct secret;

#define FU_MAX_ITEMS 4   /* programmes a receipt number can be on (3 by default) + a bed */

struct fu_item {
    bool is_bed;
    struct queue_view q;     /* when !is_bed */
    struct bed_view b;       /* when is_bed */
    struct notice n;         /* what staff told the resident for the current status
                                (reason, offer details); all empty when nothing */
};

struct fu_page {
    char ref[33];
    char lang[4];            /* "zh" or "en": the bed views' language */
    int n;
    struct fu_item item[FU_MAX_ITEMS];
};

/* Verify code for ref (the keyed MAC of kiosk/followup.h, constant time)
 * and load what the receipt refers to, from one read snapshot.
 * Returns 0; KERR_NOTFOUND for a bad code, an unknown or an ambiguous ref
 * (one answer for all three: no oracle); KERR_DB/KERR_CRYPTO/… on failure.
 * *code_ok tells the caller whether the code itself was genuine (the rate
 * limit counts only wrong codes). */
int fu_page_load(struct store *st, const struct secret *sec, const char *ref, const char *code,
                 const char *lang, struct fu_page *out, bool *code_ok);

/* Whether code is the genuine code of ref (constant time; no database). */
bool fu_page_code_ok(const struct secret *sec, const char *ref, const char *code);

/* The token the page cache keeps its entries under (fu_pcache.h): SQLite's
 * data_version of this connection (it moves when another connection
 * commits) and today's date, "DV|YYYY-MM-DD".  KERR_UNSUPPORTED on a
 * backend without such a counter (nothing is cached then). */
int fu_page_token(struct store *st, char *out, unsigned long cap);

/* Wipe a page (masked data is still personal). */
void fu_page_wipe(struct fu_page *p);

#endif
