/* fu_next.h — the "next steps" and "contact" section of the follow-up page.
 *
 * One small function so the page can switch to the next-steps module of
 * issue 10 items 1–3 (per-status texts, deadlines and contacts from data/)
 * when it lands: until then it says what the core already knows for a
 * receipt — for a bed application who acts now, the next step and the
 * assigned provider with its phone; for a queue entry the refusals so far
 * against the programme's limit — and the office contact configured in
 * [followup] contact_zh / contact_en.  Strings are translated with gettext
 * in the current language (the caller sets it).
 *
 * At merge with the nextsteps branch (kiosk/next_steps.h there): fill a
 * struct ns_facts from the item (lang; refusals and refusal_limit from the
 * queue view; provider name and phone from the bed view; the reason and
 * offer details from its notice module), call next_steps_queue(status) or
 * next_steps_bed(stage), and copy each ns_line (label: text) into `line`,
 * the NSL_CONTACT ones and next_steps_office() into `contact`; the
 * [followup] contact keys then give way to its [office] data. */
#ifndef KIOSK_WEB_FU_NEXT_H
#define KIOSK_WEB_FU_NEXT_H

#include "kiosk/web/fu_page.h"

struct kiosk_config;

#define FU_NEXT_MAX 6
#define FU_NEXT_LINE 384

struct fu_next {
    int n;                                   /* lines of "what happens next" */
    char line[FU_NEXT_MAX][FU_NEXT_LINE];
    int n_contact;                           /* lines of "contact" */
    char contact[3][FU_NEXT_LINE];
};

/* Fill out for one item of a page; lang is "zh" or "en". */
void fu_next_steps(const struct fu_item *it, const struct kiosk_config *cfg, const char *lang,
                   struct fu_next *out);

#endif
