/* secret.c — the site secret: creation, loading, subkeys, keyed hashes,
 * field encryption and wiping (libsodium does the cryptography). */
#include "kiosk/secret.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiosk/err.h"

/* crypto_kdf context: 8 bytes naming this application; subkey ids below. */
static const char kdf_ctx[crypto_kdf_CONTEXTBYTES] = {'S','Z','K','I','O','S','K','1'};
enum { SUB_LOOKUP = 1, SUB_FIELD = 2, SUB_FOLLOWUP = 3, SUB_AUDIT = 4, SUB_FINGERPRINT = 5,
       SUB_ROW = 6, SUB_PERSON = 7 };

static const struct secret *current;   /* secret_current() */

static int sodium_ready(void)
{
    if (sodium_init() < 0)
        return kerr(KERR_CRYPTO, "libsodium could not be initialised");
    return 0;
}

int secret_create(const char *path)
{
    int rc = sodium_ready();
    if (rc)
        return rc;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return 0;          /* idempotent: an existing secret is kept */
        return kerr(KERR_SECRET, "%s: cannot create the site secret: %s", path, strerror(errno));
    }
    unsigned char key[crypto_kdf_KEYBYTES];
    crypto_kdf_keygen(key);
    char hex[2 * sizeof key + 2];
    sodium_bin2hex(hex, sizeof hex, key, sizeof key);
    strcat(hex, "\n");
    size_t n = strlen(hex);
    rc = 0;
    if (write(fd, hex, n) != (ssize_t)n || fsync(fd) != 0)
        rc = kerr(KERR_SECRET, "%s: cannot write the site secret: %s", path, strerror(errno));
    close(fd);
    sodium_memzero(key, sizeof key);
    sodium_memzero(hex, sizeof hex);
    if (rc) {
        unlink(path);
        return rc;
    }
    /* the audit anchor starts with the key: from now on its absence means
     * someone deleted it (audit.h) */
    char anchor[600];
    snprintf(anchor, sizeof anchor, "%s.head", path);
    fd = open(anchor, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0 || fsync(fd) != 0)
        rc = kerr(KERR_SECRET, "%s: cannot create the audit anchor: %s", anchor, strerror(errno));
    if (fd >= 0)
        close(fd);
    return rc;
}

int secret_load(const char *path, struct secret **out)
{
    int rc = sodium_ready();
    if (rc)
        return rc;
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return kerr(KERR_SECRET, "%s: cannot open the site secret: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return kerr(KERR_SECRET, "%s: the site secret is not a regular file", path);
    }
    if (sb.st_mode & 077) {
        close(fd);
        return kerr(KERR_SECRET, "%s: the site secret is readable by others (mode %03o); "
                    "chmod 600 it", path, (unsigned)(sb.st_mode & 0777));
    }
    char hex[2 * crypto_kdf_KEYBYTES + 8];
    ssize_t n = read(fd, hex, sizeof hex - 1);
    close(fd);
    unsigned char key[crypto_kdf_KEYBYTES];
    size_t klen = 0;
    if (n < 2 * crypto_kdf_KEYBYTES ||
        sodium_hex2bin(key, sizeof key, hex, (size_t)n, "\n", &klen, NULL) != 0 ||
        klen != sizeof key) {
        sodium_memzero(hex, sizeof hex);
        return kerr(KERR_SECRET, "%s: not a site secret (expected %d hex digits)", path,
                    2 * crypto_kdf_KEYBYTES);
    }
    sodium_memzero(hex, sizeof hex);

    struct secret *s = sodium_malloc(sizeof *s);   /* guarded, mlock'ed memory */
    if (!s) {
        sodium_memzero(key, sizeof key);
        return KERR_NOMEM;
    }
    crypto_kdf_derive_from_key(s->lookup, sizeof s->lookup, SUB_LOOKUP, kdf_ctx, key);
    crypto_kdf_derive_from_key(s->field, sizeof s->field, SUB_FIELD, kdf_ctx, key);
    crypto_kdf_derive_from_key(s->followup, sizeof s->followup, SUB_FOLLOWUP, kdf_ctx, key);
    crypto_kdf_derive_from_key(s->audit, sizeof s->audit, SUB_AUDIT, kdf_ctx, key);
    crypto_kdf_derive_from_key(s->row, sizeof s->row, SUB_ROW, kdf_ctx, key);
    crypto_kdf_derive_from_key(s->person, sizeof s->person, SUB_PERSON, kdf_ctx, key);
    unsigned char fp_key[32], fp[16];
    crypto_kdf_derive_from_key(fp_key, sizeof fp_key, SUB_FINGERPRINT, kdf_ctx, key);
    crypto_generichash(fp, sizeof fp, (const unsigned char *)"fingerprint", 11, fp_key, sizeof fp_key);
    sodium_bin2hex(s->fingerprint, sizeof s->fingerprint, fp, sizeof fp);
    sodium_memzero(fp_key, sizeof fp_key);
    snprintf(s->path, sizeof s->path, "%s", path);
    sodium_memzero(key, sizeof key);
    sodium_mprotect_readonly(s);
    *out = s;
    current = s;
    return 0;
}

void secret_free(struct secret **s)
{
    if (*s && *s == current)
        current = NULL;
    if (*s)
        sodium_free(*s);   /* zeroes before freeing */
    *s = NULL;
}

void secret_lookup_hash(const struct secret *s, const char *id_number,
                        unsigned char out[SECRET_HASH_BYTES])
{
    crypto_generichash(out, SECRET_HASH_BYTES, (const unsigned char *)id_number,
                       strlen(id_number), s->lookup, sizeof s->lookup);
}

const struct secret *secret_current(void) { return current; }

void secret_ad_entry(char ad[SECRET_AD_MAX], int program_id, const char *receipt_no)
{
    snprintf(ad, SECRET_AD_MAX, "entry/%d/%s", program_id, receipt_no);
}

void secret_ad_bed(char ad[SECRET_AD_MAX], const char *ref, const char *field)
{
    snprintf(ad, SECRET_AD_MAX, "bed/%s/%s", ref, field);
}

#define AD_ARGS(ad) (const unsigned char *)(ad), (ad) ? strlen(ad) : 0

void secret_person_hash(const struct secret *s, const char *domain, const char *text,
                        unsigned char out[SECRET_HASH_BYTES])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, s->person, sizeof s->person, SECRET_HASH_BYTES);
    crypto_generichash_update(&h, (const unsigned char *)domain, strlen(domain) + 1);
    crypto_generichash_update(&h, (const unsigned char *)text, strlen(text));
    crypto_generichash_final(&h, out, SECRET_HASH_BYTES);
    sodium_memzero(&h, sizeof h);
}

void secret_seal(const struct secret *s, const void *plain, size_t n, const char *ad,
                 unsigned char *out)
{
    unsigned char *nonce = out;
    randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    crypto_aead_xchacha20poly1305_ietf_encrypt(out + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                               NULL, plain, n, AD_ARGS(ad), NULL, nonce, s->field);
}

void secret_seal_nonce(const struct secret *s, const void *plain, size_t n, const char *ad,
                       const unsigned char nonce[24], unsigned char *out)
{
    memcpy(out, nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    crypto_aead_xchacha20poly1305_ietf_encrypt(out + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                               NULL, plain, n, AD_ARGS(ad), NULL, out, s->field);
}

int secret_open(const struct secret *s, const unsigned char *sealed, size_t n, const char *ad,
                char *plain, size_t cap, size_t *plain_len)
{
    if (n < SECRET_SEAL_OVERHEAD || n - SECRET_SEAL_OVERHEAD + 1 > cap)
        return kerr(KERR_CRYPTO, "sealed field has a bad length (%zu bytes)", n);
    unsigned long long len = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            (unsigned char *)plain, &len, NULL,
            sealed + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
            n - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, AD_ARGS(ad), sealed, s->field) != 0)
        return KERR_CRYPTO;
    plain[len] = '\0';
    if (plain_len)
        *plain_len = (size_t)len;
    return 0;
}

void secure_wipe(void *p, size_t n) { sodium_memzero(p, n); }
