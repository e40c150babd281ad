/* secret.h — the site secret and everything keyed by it (libsodium).
 *
 * One 32-byte master key lives in a file outside the database (mode 0600,
 * created by `kioskctl init`).  Independent subkeys are derived from it with
 * crypto_kdf, one per purpose, so a leak of one use does not weaken another:
 *   lookup   — keyed hash of normalised ID numbers (the only index on them)
 *   field    — XChaCha20-Poly1305 encryption of names, ID numbers, health data
 *   followup — the short MAC on receipt follow-up codes
 *   audit    — the keyed hash chain of the audit trail
 *   row      — the row seal: a MAC over each entry's, account's and
 *              application's stored fields, so a direct SQL edit is found
 *              by `kioskctl check` (kiosk/store/row_seal.h)
 * Sealed fields are bound to their row: the AEAD associated data names the
 * row (secret_ad_*), so a sealed identity copied onto another row does not
 * open there.
 *   person   — keyed hashes of normalised names and phone numbers (the
 *              console's "find anyone", kiosk/person.h): equal names give
 *              equal hashes, but the hash says nothing without the key
 * The struct is mlock'ed where possible and wiped by secret_wipe(). */
#ifndef KIOSK_SECRET_H
#define KIOSK_SECRET_H

#include <stddef.h>

#define SECRET_KEY_BYTES 32
#define SECRET_HASH_BYTES 32
/* Ciphertext overhead of secret_seal: a 24-byte nonce and a 16-byte tag. */
#define SECRET_SEAL_OVERHEAD 40

struct secret {
    unsigned char lookup[SECRET_KEY_BYTES];
    unsigned char field[SECRET_KEY_BYTES];
    unsigned char followup[SECRET_KEY_BYTES];
    unsigned char audit[SECRET_KEY_BYTES];
    unsigned char row[SECRET_KEY_BYTES];
    unsigned char person[SECRET_KEY_BYTES];
    /* A public name of the key (hex of a keyed hash of nothing under its own
     * subkey): stored in the database by init, so a wrong key is named as
     * such instead of every resident becoming "not found". */
    char fingerprint[33];
    char path[512];   /* the key file; the audit anchor lives beside it */
};

/* Create the secret file with a fresh random key if it does not exist
 * (mode 0600, created exclusively), and an empty audit anchor beside it
 * (PATH.head, audit.h).  Returns 0 when it exists or was made. */
int secret_create(const char *path);

/* Load and derive the subkeys.  Refuses (KERR_SECRET) a file that is
 * group/other readable or not exactly one key.  Returns 0 or an error. */
int secret_load(const char *path, struct secret **out);
void secret_free(struct secret **s);

/* Keyed hash (BLAKE2b with the lookup key) of a normalised ID number. */
void secret_lookup_hash(const struct secret *s, const char *id_number,
                        unsigned char out[SECRET_HASH_BYTES]);

/* The secret last loaded in this process (NULL after it is freed): the
 * store seals the rows it writes with it (row_seal.h).  One process works
 * for one site. */
const struct secret *secret_current(void);

/* Associated data binding a sealed field to its row: "entry/PROGRAM_ID/
 * RECEIPT_NO" for a queue entry's identity, "bed/REF/FIELD" for a bed
 * application's fields (elder, agent, address, assessment). */
#define SECRET_AD_MAX 160
void secret_ad_entry(char ad[SECRET_AD_MAX], int program_id, const char *receipt_no);
void secret_ad_bed(char ad[SECRET_AD_MAX], const char *ref, const char *field);

/* Encrypt n bytes bound to ad (NULL: unbound, only the migration of old
 * rows uses that); out must hold n + SECRET_SEAL_OVERHEAD bytes. */
void secret_seal(const struct secret *s, const void *plain, size_t n, const char *ad,
                 unsigned char *out);

/* Keyed hash for the person index: BLAKE2b under the person subkey of
 * "DOMAIN\0TEXT" (domain "name" or "phone", so a name never equals a phone
 * number's hash).  TEXT must already be normalised (person_name_norm). */
void secret_person_hash(const struct secret *s, const char *domain, const char *text,
                        unsigned char out[SECRET_HASH_BYTES]);

/* The same with a caller-chosen 24-byte nonce, which must never repeat
 * under this key (bulk imports use a random prefix and a row counter,
 * which saves a getrandom call per row). */
void secret_seal_nonce(const struct secret *s, const void *plain, size_t n, const char *ad,
                       const unsigned char nonce[24], unsigned char *out);

/* Decrypt a field sealed with the same ad; plain must hold
 * n - SECRET_SEAL_OVERHEAD bytes (+1 for the NUL always written after
 * them).  Returns 0 or KERR_CRYPTO (wrong key, edited, or another row's). */
int secret_open(const struct secret *s, const unsigned char *sealed, size_t n, const char *ad,
                char *plain, size_t cap, size_t *plain_len);

/* Wipe a buffer that held personal data (never optimised away). */
void secure_wipe(void *p, size_t n);

#endif
