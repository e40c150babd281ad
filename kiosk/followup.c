/* followup.c — receipt references and their keyed follow-up codes (see followup.h). */
#include "kiosk/followup.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "kiosk/err.h"
#include "kiosk/secret.h"

/* Crockford base 32: no I, L, O, U, so a code read aloud or retyped from
 * paper survives the usual confusions. */
static const char b32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* Domain separation: the followup subkey is only ever used here, but a
 * version tag lets a future format coexist with printed receipts. */
static const char mac_tag[] = "kiosk-followup-v1:";

void followup_ref_new(char out[FOLLOWUP_REF_LEN + 1])
{
    unsigned char r[FOLLOWUP_REF_LEN];
    randombytes_buf(r, sizeof r);
    for (int i = 0; i < FOLLOWUP_REF_LEN; i++)
        out[i] = b32[r[i] & 31];
    out[FOLLOWUP_REF_LEN] = '\0';
}

bool followup_ref_valid(const char *ref)
{
    size_t n = ref ? strlen(ref) : 0;
    if (n == 0 || n > FOLLOWUP_REF_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)ref[i];
        if (!(isascii(c) && (isalnum(c) || c == '-' || c == '_' || c == '.')))
            return false;
    }
    return true;
}

int followup_code(const struct secret *s, const char *ref, char out[FOLLOWUP_CODE_LEN + 1])
{
    if (!followup_ref_valid(ref))
        return kerr(KERR_INPUT, "receipt reference '%.40s' is not 1-32 letters, digits, '.', '-' or '_'",
                    ref ? ref : "");
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, s->followup, sizeof s->followup);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)mac_tag, sizeof mac_tag - 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)ref, strlen(ref));
    crypto_auth_hmacsha256_final(&st, mac);
    /* 40 bits = 8 base-32 digits, most significant first. */
    unsigned long long v = 0;
    for (int i = 0; i < 5; i++)
        v = (v << 8) | mac[i];
    for (int i = FOLLOWUP_CODE_LEN - 1; i >= 0; i--) {
        out[i] = b32[v & 31];
        v >>= 5;
    }
    out[FOLLOWUP_CODE_LEN] = '\0';
    sodium_memzero(&st, sizeof st);
    sodium_memzero(mac, sizeof mac);
    return 0;
}

/* Map one typed character to its canonical Crockford digit, or 0. */
static char canon(char c)
{
    c = (char)toupper((unsigned char)c);
    if (c == 'O')
        return '0';
    if (c == 'I' || c == 'L')
        return '1';
    return strchr(b32, c) && c ? c : 0;
}

bool followup_verify(const struct secret *s, const char *ref, const char *code)
{
    char want[FOLLOWUP_CODE_LEN + 1], got[FOLLOWUP_CODE_LEN + 1];
    if (!code || strlen(code) != FOLLOWUP_CODE_LEN)
        return false;
    if (followup_code(s, ref, want) != 0) {
        kerr_clear();
        return false;
    }
    int bad = 0;
    for (int i = 0; i < FOLLOWUP_CODE_LEN; i++) {
        got[i] = canon(code[i]);
        bad |= got[i] == 0;
    }
    got[FOLLOWUP_CODE_LEN] = '\0';
    /* sodium_memcmp runs in time independent of where the bytes differ. */
    bool ok = !bad && sodium_memcmp(want, got, FOLLOWUP_CODE_LEN) == 0;
    sodium_memzero(want, sizeof want);
    return ok;
}

int followup_url(const struct secret *s, const char *base, const char *ref, char *out,
                 size_t cap)
{
    char code[FOLLOWUP_CODE_LEN + 1];
    if (!base || !*base)
        return kerr(KERR_INPUT, "followup_url is not configured");
    int rc = followup_code(s, ref, code);
    if (rc)
        return rc;
    int n = snprintf(out, cap, "%s%cr=%s&c=%s", base, strchr(base, '?') ? '&' : '?', ref, code);
    if (n < 0 || (size_t)n >= cap)
        return kerr(KERR_NOMEM, "follow-up URL longer than %zu bytes", cap);
    return 0;
}
