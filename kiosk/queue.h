/* queue.h — the housing queue as residents and staff see it: sort keys,
 * exact positions, the change since the last published list, the wait
 * estimate, and staff actions with their role checks and audit records.
 *
 * Everything here is policy; storage (and how positions stay exact) is
 * behind store.h.  Views carry only masked identities: the plaintext name
 * and ID number are decrypted into a local buffer, masked, and wiped. */
#ifndef KIOSK_QUEUE_H
#define KIOSK_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/queue_types.h"

struct store;
struct secret;

#define ESTIMATE_MONTHS 12

/* Everything the resident screen, the receipt and `kioskctl position` show
 * about one queue entry. */
struct queue_view {
    char program[16];
    char program_zh[64];
    char program_en[64];
    char receipt_no[33];
    int status;                    /* enum entry_status */
    long long position;            /* 0 unless waiting */
    long long total;               /* waiting entries of the program */
    char name_masked[96];
    char id_masked[24];
    int household_size;
    char hukou_district[129];
    int rule[OK__COUNT];           /* the program's ordering keys, in order */
    int n_rule;
    char key_text[OK__COUNT][24];  /* this entry's value of each key ("" = empty), by enum order_key */
    int refusals;
    int refusal_limit;

    /* change since the last published list */
    bool has_publication;
    char published_at[32];
    long long position_then;       /* 0 when not waiting then */
    long long left_housed;         /* ahead then, now housed or offered a flat */
    long long left_withdrawn;      /* ahead then, now withdrawn or removed */
    long long left_frozen;         /* ahead then, now frozen */
    /* re-ordering among listed entries (keys changed) is known as a net
     * count (O(log n) look-up): moved_behind when more moved behind than
     * ahead, else it adds to entered_ahead; exact when moves go one way */
    long long moved_behind;        /* ahead then, now behind (their keys changed) */
    long long entered_ahead;       /* new, reinstated or moved ahead since */
    bool own_record_changed;       /* this entry itself changed since: no breakdown */

    /* wait estimate from housed-per-month over ESTIMATE_MONTHS full months */
    bool has_estimate;
    int estimate_lo_months, estimate_hi_months;
    double housed_per_month;
    char first_month[16];          /* "YYYY-MM" of monthly[0] */
    int monthly[ESTIMATE_MONTHS];  /* housed per month, oldest first (for the chart) */
};

/* The memcmp-ordered sort key: for each key of the rule one byte (0 present,
 * 1 empty — empty sorts after every value) then, if present, 8 bytes
 * big-endian with the sign bit flipped; then the receipt number's bytes
 * (the final tie-break, byte order).  Returns the length. */
int queue_skey(const struct program *p, const int64_t key[OK__COUNT], const char *receipt_no,
               unsigned char out[QUEUE_SKEY_MAX]);

/* Parse "tier,wait_since,…" into p->rule, and write it back as text
 * (the form the program table stores). */
int queue_rule_parse(const char *text, struct program *p);
void queue_rule_text(const struct program *p, char *out, size_t cap);

/* All entries of a card holder (any program, or only program_code when not
 * NULL), as views.  KERR_NOTFOUND when there are none. */
int queue_lookup_id(struct store *st, const struct secret *sec, const char *id_number,
                    const char *program_code, struct queue_view *out, int cap, int *n);

/* The typed look-up: receipt number plus the last 6 characters of the ID
 * number.  KERR_NOTFOUND when either is wrong (never says which). */
int queue_lookup_receipt(struct store *st, const struct secret *sec, const char *receipt_no,
                         const char *id_last6, const char *program_code, struct queue_view *out,
                         int cap, int *n);

/* All entries of a card holder by the keyed hash of the ID number, as whole
 * views, from one statement (the kiosk's card look-up).  0 with *n = 0 when
 * there are none. */
int queue_views_by_hash(struct store *st, const struct secret *sec,
                        const unsigned char hash[32], struct queue_view *out, int cap, int *n);

/* The view from what the store read for it (queue_store_ops.facts; pure
 * apart from unsealing): first_month starts the estimate window. */
struct entry_facts;
int queue_view_from_facts(const struct secret *sec, const struct entry_facts *f,
                          const char *first_month, struct queue_view *v);

/* Build the view of one stored entry (position, change, estimate): one statement. */
int queue_view_of(struct store *st, const struct secret *sec, const struct entry_row *e,
                  struct queue_view *v);

/* The console's entry page in ONE statement (issue 13): the entry e->id as
 * it is now (into *e), its view, and its history, oldest first, to ev_cb.
 * KERR_NOTFOUND when the entry is gone.  A view that cannot be built (a
 * row that does not open) leaves *view_err set and the history read. */
struct entry_event;
int queue_entry_page(struct store *st, const struct secret *sec, struct entry_row *e,
                     struct queue_view *v, int *view_err,
                     int (*ev_cb)(void *ctx, const struct entry_event *ev), void *ctx);

/* Wipe the personal parts of views (masked strings included). */
void queue_view_wipe(struct queue_view *v, int n);

/* From monthly housed counts: a range of months to wait at position pos.
 * False when there is too little history (fewer than 6 months with any
 * allocation, or none at all). */
bool queue_estimate(const int *monthly, int n, long long pos, int *lo_months, int *hi_months,
                    double *rate);

/* Staff actions (SPEC §3).  Each needs the housing role and a reason, and
 * writes the change, an entry event and an audit record in one transaction. */
enum queue_action {
    QA_OFFER, QA_ACCEPT, QA_REFUSE, QA_FREEZE, QA_UNFREEZE, QA_WITHDRAW, QA_REMOVE, QA_REINSTATE,
    QA__COUNT
};
const char *queue_action_name(int action);
/* Words for people (gettext; the names above are for scripts and files):
 * a status as a sentence ("frozen (waiting paused)"), a status for a table
 * cell ("frozen"), and an action ("Record acceptance (housed)"). */
const char *queue_status_label(int status);
const char *queue_status_short(int status);
const char *queue_action_label(int action);
int queue_action_parse(const char *s, int *action);

/* Whether an entry in this status may take this action (what a console
 * offers; queue_staff_action checks the same rule). */
bool queue_action_allowed(int action, int status);

/* Returns 0, KERR_REFUSED (role), KERR_STAGE (not from this status),
 * KERR_USAGE (no reason), KERR_NOTFOUND.  *new_status gets the result. */
int queue_staff_action(struct store *st, const struct secret *sec, const struct actor *who,
                       const char *program_code, const char *receipt_no, int action,
                       const char *reason, int *new_status);

/* Publish: snapshot the current positions of a program (needs housing or
 * admin; `kioskctl publish` acts as the system administrator). */
int queue_publish(struct store *st, const struct secret *sec, const struct actor *who,
                  const char *program_code, long long *total);

/* Decrypt an entry's sealed identity into id (19 bytes) and name; the
 * caller wipes them.  Returns 0 or KERR_CRYPTO. */
int queue_unseal(const struct secret *sec, const struct entry_row *e, char id[19], char *name,
                 unsigned long name_cap);

#endif
