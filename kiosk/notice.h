/* notice.h — what a resident is told about the latest staff decision on a
 * queue entry or a bed application: the resident-facing reason (a code from
 * data/next_steps.ini [reasons] plus optional free text, apart from the
 * internal note staff keep in the history), and an offer's deadline, place
 * and contact.  Stored in resident_notice (migration 006) through the
 * store's SQL executor, so both backends share the SQL.
 *
 * A notice belongs to the status or stage it was given for: notice_get
 * returns KERR_NOTFOUND when the entry or application has moved on, so an
 * old freeze reason never shows beside a new status. */
#ifndef KIOSK_NOTICE_H
#define KIOSK_NOTICE_H

struct store;
struct ns_config;

enum notice_kind { NOTICE_ENTRY = 0, NOTICE_BED };

struct notice {
    int status;                  /* enum entry_status or enum bed_stage it was given for */
    char at[32];                 /* when (store_now form, "YYYY-MM-DDTHH:MM:SS") */
    char reason_code[32];
    char reason_text[200];
    char offer_deadline[16];     /* "YYYY-MM-DD" or "" */
    char offer_place[160];
    char offer_contact[160];
};

/* The key of a queue entry's notice: "PROGRAM/RECEIPT_NO". */
void notice_entry_ref(const char *program_code, const char *receipt_no, char *out, unsigned long cap);

/* Check a notice's fields: lengths, and the deadline a real date
 * YYYY-MM-DD.  KERR_INPUT with a detail naming the field. */
int notice_check(const struct notice *n);

/* Set n's resident-facing reason: code must be one of the [reasons] of the
 * next-steps configuration ns (what the console's list offers), text the
 * optional free text for the resident (NULL or "": none).  KERR_INPUT with a
 * detail naming the code and the configured ones. */
int notice_reason(struct notice *n, const struct ns_config *ns, const char *code, const char *text);

/* Replace the notice of (kind, ref); n->at is set to now when empty.
 * Runs in its own transaction.  Returns 0, KERR_INPUT or a store error. */
int notice_set(struct store *st, int kind, const char *ref, struct notice *n);

/* The notice of (kind, ref) if it was given for current_status;
 * KERR_NOTFOUND when there is none or it is for another status. */
int notice_get(struct store *st, int kind, const char *ref, int current_status, struct notice *out);

#endif
