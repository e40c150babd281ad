/* change_words.h — the change since the published list, in plain words, for
 * a resident: who of those ahead of them then has gone, paused or moved
 * behind, and who came in ahead.  A part whose count is zero is left out
 * ("0 户排到您后面" says nothing a resident can use); when nothing changed
 * the sentence says so.  One function for the kiosk's detail screen (and so
 * its spoken text) and the follow-up page.  Translated with gettext in the
 * current language. */
#ifndef KIOSK_CHANGE_WORDS_H
#define KIOSK_CHANGE_WORDS_H

#include <stddef.h>

#include "kiosk/queue.h"

/* The breakdown of q (the counts of queue_view) as two sentences, each in a
 * buffer of cap bytes: left — what became of those ahead then ("" when none
 * of them changed and others came in ahead); ahead — how many came in ahead
 * ("" when none).  When nothing changed at all, left says so. */
void change_words(const struct queue_view *q, char *left, char *ahead, size_t cap);

#endif
