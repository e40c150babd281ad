/* person.h — finding a person at the staff console without plaintext on
 * disk: by receipt number (case-insensitive), by full ID number (the keyed
 * ID hash every entry and application already carries), by name or by
 * phone number (a keyed, privacy-preserving index: migration 007).
 *
 * The name index holds secret_person_hash("name", normalised full name):
 * equal names give equal hashes, so a search is one index probe, but the
 * column says nothing to whoever copies the database without the site
 * secret (no dictionary attack without the key, unlike a plain hash).
 * Normalisation makes what a clerk types match what the bureau sent:
 * spaces (ASCII and the ideographic U+3000) and the middle dots of
 * transliterated names (· • ・ ‧) are dropped, full-width ASCII is folded to
 * ASCII, Latin letters to upper case.  Only the FULL name matches: a
 * partial-name search would need the plaintext.
 *
 * Phone numbers (only bed applications carry one, the agent's) are kept
 * as digits without a +86/0086 prefix, hashed under the "phone" domain. */
#ifndef KIOSK_PERSON_H
#define KIOSK_PERSON_H

#include <stdbool.h>
#include <stddef.h>

#include "kiosk/queue_types.h"

struct store;
struct secret;

/* What a bed application's person-index rows are (bed_person.kind). */
enum person_index_kind { PXK_ELDER_NAME = 1, PXK_AGENT_NAME = 2, PXK_AGENT_PHONE = 3 };

/* What a typed search is taken for. */
enum person_query { PQ_RECEIPT = 1, PQ_ID, PQ_NAME, PQ_PHONE };

/* The normalised name (see above) in out; KERR_INPUT (with a detail) when
 * nothing is left or it does not fit. */
int person_name_norm(const char *name, char *out, size_t cap);
/* Digits only, without a +86 / 0086 / 86 prefix, 5–15 digits; else KERR_INPUT. */
int person_phone_norm(const char *phone, char *out, size_t cap);
/* The index hashes (normalising first); KERR_INPUT for an empty name/phone. */
int person_name_hash(const struct secret *sec, const char *name, unsigned char out[32]);
int person_phone_hash(const struct secret *sec, const char *phone, unsigned char out[32]);

/* What the text is: an 18-character ID number that passes the GB 11643
 * check → PQ_ID; 5–15 digits (spaces, dashes, a leading +) → PQ_PHONE; one
 * word of ASCII letters and digits with a digit in it → PQ_RECEIPT;
 * anything else (Chinese characters, letters) → PQ_NAME.  0 for an empty
 * text. */
int person_query_kind(const char *text);

/* A search lists at most this many rows (a common name matches thousands):
 * person_find sets *more when there were more. */
#define PERSON_HITS_MAX 40   /* a console page */

/* One thing found: a queue entry or a bed application, with the identity
 * already masked for a list. */
struct person_hit {
    bool bed;                   /* a bed application (else a queue entry) */
    struct entry_row e;         /* the entry (when !bed) */
    char program[16];           /* its programme's code */
    char ref[33];               /* the application's reference (when bed) */
    int stage;                  /* its enum bed_stage */
    char submitted_at[32];
    unsigned char who[32];      /* the person's ID hash: the elder's for an application */
    char name_masked[96];
    char id_masked[24];
};

/* Search by text (person_query_kind decides how) in one read snapshot.
 * want_entries / want_beds: what the caller may show (roles).  When every
 * hit is the same person, the result is widened to ALL that person's
 * entries and applications (a search opens the person, not one row).
 * *hits is malloc'ed (free with person_hits_free, which wipes); *kind is
 * the query kind; *unindexed is set when a name search met rows stored
 * before the name index existed (kioskctl init fills them in).  0 with
 * n = 0 when nothing matched; KERR_INPUT for an empty text. */
int person_find(struct store *st, const struct secret *sec, const char *text, bool want_entries,
                bool want_beds, struct person_hit **hits, int *n, int *kind, bool *unindexed,
                bool *more);
/* The same for a staff actor (NULL: as person_find): a street office's
 * account finds its street's applications only (eldercare.h
 * bed_actor_street); when nothing is shown and the reference typed is
 * another street's application, KERR_REFUSED saying so (bed_street_allowed). */
struct actor;
int person_find_as(struct store *st, const struct secret *sec, const char *text,
                   bool want_entries, bool want_beds, const struct actor *who,
                   struct person_hit **hits, int *n, int *kind, bool *unindexed, bool *more);
void person_hits_free(struct person_hit **hits, int n);

/* Index a newly filed bed application (inside the caller's transaction). */
int person_index_bed(struct store *st, const struct secret *sec, long long app_id,
                     const char *elder_name, const char *agent_name, const char *agent_phone);

/* Fill the index for rows stored before it existed (migration 007): every
 * entry without a name hash and every application without index rows, in
 * transactions of a few thousand rows.  *n_entries / *n_apps (may be NULL)
 * count what was indexed.  Run by `kioskctl init`. */
int person_index_sync(struct store *st, const struct secret *sec, long long *n_entries,
                      long long *n_apps);

#endif
