/* auth.h — staff accounts: Argon2id password hashes (libsodium
 * crypto_pwhash_str), roles, organisations, lockout and disabling.
 *
 * Hash cost: opslimit 2, memlimit 19 MiB, one lane — the OWASP minimum for
 * Argon2id (RELIABILITY.md §2), about 13 ms on the reference machine, so a
 * console login stays instant while an offline guess costs 19 MiB of memory.
 * Raising AUTH_OPSLIMIT/AUTH_MEMLIMIT later rehashes each account at its next
 * successful login (crypto_pwhash_str_needs_rehash).
 *
 * Lockout: after [auth] max_failed_logins consecutive failures the account is
 * locked for AUTH_LOCK_MINUTES; every attempt while locked is refused
 * without looking at the password.  A disabled account is refused the same
 * way (KERR_LOCKED).  An unknown name costs the same hash time as a known
 * one and answers KERR_AUTH, so names cannot be probed.  Every change to an
 * account, every login and every refused login is audited. */
#ifndef KIOSK_AUTH_H
#define KIOSK_AUTH_H

#include <stdbool.h>
#include <stdio.h>

#include "kiosk/queue_types.h"

struct store;
struct secret;
struct kiosk_config;

#define AUTH_OPSLIMIT 2ULL
#define AUTH_MEMLIMIT (19u * 1024u * 1024u)
#define AUTH_LOCK_MINUTES 15
#define AUTH_HASH_MAX 128           /* crypto_pwhash_STRBYTES */
#define AUTH_PASSWORD_MIN 8
#define AUTH_PASSWORD_MAX 128

struct org_row {
    long id;
    char name[128];
    char phone[32];
};

struct staff_row {
    long id;
    char name[64];
    char pwhash[AUTH_HASH_MAX];
    unsigned roles;
    long org_id;                    /* 0 when none */
    bool disabled;
    int failed_logins;
    char locked_until[32];          /* "" when not locked */
    char created_at[32];
    char last_login[32];
    char street[64];                /* the street it works for, "" = none (014) */
};

/* The storage a backend provides for accounts (kiosk/store/user_engine.c). */
struct user_store_ops {
    int (*get)(struct store *st, const char *name, struct staff_row *out);     /* NOTFOUND */
    int (*get_by_id)(struct store *st, long id, struct staff_row *out);         /* NOTFOUND */
    int (*insert)(struct store *st, struct staff_row *u);                       /* sets id; EXISTS */
    /* writes pwhash, roles, org_id, disabled, failed_logins, locked_until, last_login, street */
    int (*update)(struct store *st, const struct staff_row *u);
    /* every account in name order */
    int (*each)(struct store *st, int (*cb)(void *ctx, const struct staff_row *u), void *ctx);
    int (*org_get)(struct store *st, long id, struct org_row *out);              /* NOTFOUND */
    int (*org_by_name)(struct store *st, const char *name, struct org_row *out); /* NOTFOUND */
    /* find or create by name; a non-empty phone replaces the stored one */
    int (*org_ensure)(struct store *st, const char *name, const char *phone, struct org_row *out);
};

/* Hash a password with the parameters above into out (AUTH_HASH_MAX). */
int auth_hash_password(const char *password, char out[AUTH_HASH_MAX]);

/* 0 when name is 1–63 of [a-z0-9._-] starting with a letter or digit. */
int auth_name_valid(const char *name);

/* Log in.  On success fills *out (name, roles, user_id) and resets the
 * failure count; rehashes the password when the parameters were raised.
 * KERR_AUTH wrong name or password; KERR_LOCKED locked or disabled. */
int auth_login(struct store *st, const struct secret *sec, const struct kiosk_config *cfg,
               const char *name, const char *password, struct actor *out);

/* Account administration: `who` needs the admin role (KERR_REFUSED).
 * org (with org_phone) names the organisation of a provider or assessor; an
 * account with either role and no org gets a one-person organisation named
 * after the account, so "the provider that built it" is always defined. */
int auth_user_add(struct store *st, const struct secret *sec, const struct actor *who,
                  const char *name, unsigned roles, const char *password, const char *org,
                  const char *org_phone, long *id);
/* The same with the street the account works for (issue 14; "" none),
 * checked against [district] streets (cfg may be NULL: shape only). */
int auth_user_add_street(struct store *st, const struct secret *sec,
                         const struct kiosk_config *cfg, const struct actor *who,
                         const char *name, unsigned roles, const char *password,
                         const char *org, const char *org_phone, const char *street, long *id);
/* Set (or with "" clear) an account's street; audited ("user-street",
 * "OLD -> NEW").  A street account with a street sees only that street's
 * bed applications (eldercare.h bed_actor_street). */
int auth_user_street(struct store *st, const struct secret *sec, const struct kiosk_config *cfg,
                     const struct actor *who, const char *name, const char *street);
/* New password; also clears the failure count and any lock. */
int auth_user_passwd(struct store *st, const struct secret *sec, const struct actor *who,
                     const char *name, const char *password);
int auth_user_roles(struct store *st, const struct secret *sec, const struct actor *who,
                    const char *name, unsigned roles);
int auth_user_disable(struct store *st, const struct secret *sec, const struct actor *who,
                      const char *name, bool disabled);

/* Every account (no password hashes leave this module's callers' hands:
 * the callback gets them, the CLI never prints them). */
int auth_user_each(struct store *st, int (*cb)(void *ctx, const struct staff_row *u), void *ctx);

/* The organisation of a staff actor; KERR_NOTFOUND when it has none. */
int auth_actor_org(struct store *st, const struct actor *who, struct org_row *out);

/* Read a password from f (one line, the newline removed) into buf; wipes
 * and returns KERR_INPUT when empty or longer than cap - 1. */
int auth_read_password(FILE *f, char *buf, unsigned long cap);

#endif
