/* followup.h — receipt references and their follow-up codes.
 *
 * A receipt carries a reference REF and a QR with followup_url?r=REF&c=CODE.
 * CODE is a short keyed MAC of REF (HMAC-SHA-256 under the site secret's
 * followup subkey, truncated to 40 bits and written as 8 Crockford base-32
 * characters), so the office's web page or `kioskctl receipt verify` can tell
 * a genuine receipt from a made-up one without storing every code.  40 bits is
 * plenty against guessing through a rate-limited web form, and keeps the URL
 * short enough for a version-4 QR (≤ 60 bytes for a typical base URL). */
#ifndef KIOSK_FOLLOWUP_H
#define KIOSK_FOLLOWUP_H

#include <stdbool.h>
#include <stddef.h>

struct secret;

#define FOLLOWUP_REF_LEN 10       /* what followup_ref_new() makes */
#define FOLLOWUP_REF_MAX 32       /* longest REF accepted (other modules' refs) */
#define FOLLOWUP_CODE_LEN 8

/* A fresh random reference: 10 Crockford base-32 characters (50 bits), e.g.
 * "7M2KQ9XD4R".  out must hold FOLLOWUP_REF_LEN + 1 bytes. */
void followup_ref_new(char out[FOLLOWUP_REF_LEN + 1]);

/* True for 1–32 characters of [A-Za-z0-9._-]: safe in a URL without escaping. */
bool followup_ref_valid(const char *ref);

/* The code for ref.  Returns 0, or KERR_INPUT for an invalid ref. */
int followup_code(const struct secret *s, const char *ref, char out[FOLLOWUP_CODE_LEN + 1]);

/* Constant-time check of a code typed or scanned back.  Case-insensitive and
 * forgiving of the look-alikes Crockford allows (O→0, I/L→1). */
bool followup_verify(const struct secret *s, const char *ref, const char *code);

/* base + "?r=REF&c=CODE" (or "&r=…" when base already has a query).
 * Returns 0, KERR_INPUT (bad ref or empty base) or KERR_NOMEM if cap is short. */
int followup_url(const struct secret *s, const char *base, const char *ref, char *out,
                 size_t cap);

#endif
