/* auth.c — staff accounts: hashing, login with lockout, administration.
 * See auth.h for the policy and its reasons. */
#include "kiosk/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kiosk/audit.h"
#include "kiosk/audit_detail.h"
#include "kiosk/config.h"
#include "kiosk/err.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

static const struct user_store_ops *uops(struct store *st) { return st->ops->user; }

static int need_backend(struct store *st)
{
    if (!st->ops->user)
        return kerr(KERR_UNSUPPORTED, "staff accounts are not supported by the %s backend",
                    st->ops->name);
    return 0;
}

int auth_hash_password(const char *password, char out[AUTH_HASH_MAX])
{
    if (sodium_init() < 0)
        return kerr(KERR_CRYPTO, "libsodium failed to initialise");
    if (crypto_pwhash_str_alg(out, password, strlen(password), AUTH_OPSLIMIT, AUTH_MEMLIMIT,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return kerr(KERR_NOMEM, "password hashing ran out of memory (%u MiB)",
                    AUTH_MEMLIMIT >> 20);
    return 0;
}

int auth_name_valid(const char *name)
{
    size_t n = strlen(name);
    if (n < 1 || n > 63)
        return kerr(KERR_INPUT, "user name must be 1 to 63 characters");
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  (i > 0 && (c == '.' || c == '_' || c == '-'));
        if (!ok)
            return kerr(KERR_INPUT, "user name '%s': use a-z, 0-9 and . _ - (not first)", name);
    }
    return 0;
}

static int password_ok(const char *pw)
{
    size_t n = strlen(pw);
    if (n < AUTH_PASSWORD_MIN)
        return kerr(KERR_INPUT, "password too short (at least %d characters)", AUTH_PASSWORD_MIN);
    if (n > AUTH_PASSWORD_MAX)
        return kerr(KERR_INPUT, "password too long (at most %d characters)", AUTH_PASSWORD_MAX);
    return 0;
}

int auth_read_password(FILE *f, char *buf, unsigned long cap)
{
    if (!fgets(buf, (int)cap, f)) {
        secure_wipe(buf, cap);
        return kerr(KERR_INPUT, "no password on standard input");
    }
    size_t n = strlen(buf);
    bool complete = n > 0 && buf[n - 1] == '\n';
    if (!complete && n == cap - 1) {
        secure_wipe(buf, cap);
        return kerr(KERR_INPUT, "password too long");
    }
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    if (!n) {
        secure_wipe(buf, cap);
        return kerr(KERR_INPUT, "empty password on standard input");
    }
    return 0;
}

/* now + minutes, in store_now()'s format (local time, like the clock). */
static void time_after(const char *now, int minutes, char out[32])
{
    struct tm tm = {0};
    if (sscanf(now, "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec) != 6) {
        snprintf(out, 32, "9999-12-31 23:59:59");   /* unreadable clock: stay locked */
        return;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_isdst = -1;
    tm.tm_min += minutes;
    mktime(&tm);
    strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm);
}

/* ---- login ---------------------------------------------------------------- */

/* A fixed hash to verify against when the name is unknown, so the answer
 * takes as long as for a real account. */
static int dummy_verify(const char *password)
{
    static char dummy[AUTH_HASH_MAX];
    if (!dummy[0] && auth_hash_password("not-a-real-password", dummy))
        return KERR_NOMEM;
    int rc = crypto_pwhash_str_verify(dummy, password, strlen(password));
    (void)rc;   /* the answer is always "no"; only the time matters */
    return 0;
}

int auth_login(struct store *st, const struct secret *sec, const struct kiosk_config *cfg,
               const char *name, const char *password, struct actor *out)
{
    int err = need_backend(st);
    if (err)
        return err;
    memset(out, 0, sizeof *out);
    char now[32];
    store_now(now);
    struct staff_row u;
    /* Read and verify outside the write transaction: Argon2 takes ~13 ms
     * and must not hold the database's write lock. */
    err = uops(st)->get(st, name, &u);
    bool known = err == 0;
    if (err && err != KERR_NOTFOUND)
        return err;
    bool refused_locked = known && (u.disabled || (u.locked_until[0] && strcmp(now, u.locked_until) < 0));
    bool good = false;
    if (!known)
        dummy_verify(password);
    else if (!refused_locked)
        good = crypto_pwhash_str_verify(u.pwhash, password, strlen(password)) == 0;

    char newhash[AUTH_HASH_MAX] = "";
    if (good && crypto_pwhash_str_needs_rehash(u.pwhash, AUTH_OPSLIMIT, AUTH_MEMLIMIT) != 0 &&
        (err = auth_hash_password(password, newhash)))
        return err;

    if ((err = store_begin(st)))
        return err;
    char object[96];
    int result = 0;
    if (!known) {
        /* the name is not echoed from an unknown account beyond 32 bytes */
        snprintf(object, sizeof object, "unknown user %.32s", name);
        err = audit_append(st, sec, "auth", "login-failed", object, AD_LOGIN_UNKNOWN);
        result = kerr(KERR_AUTH, "wrong user name or password");
        goto done;
    }
    /* re-read inside the transaction: counters may have moved meanwhile */
    if ((err = uops(st)->get(st, name, &u)))
        goto fail;
    if (refused_locked || u.disabled || (u.locked_until[0] && strcmp(now, u.locked_until) < 0)) {
        err = u.disabled ? audit_append(st, sec, u.name, "login-refused", "login", AD_LOGIN_DISABLED)
                         : audit_append(st, sec, u.name, "login-refused", "login", AD_LOGIN_LOCKED);
        result = kerr(KERR_LOCKED, "account %s is %s", u.name,
                      u.disabled ? "disabled" : "locked after too many failed logins");
        goto done;
    }
    if (!good) {
        u.failed_logins++;
        int max = cfg && cfg->max_failed_logins > 0 ? cfg->max_failed_logins : 5;
        if (u.failed_logins >= max)
            time_after(now, AUTH_LOCK_MINUTES, u.locked_until);
        if (!(err = uops(st)->update(st, &u)))
            err = u.failed_logins >= max
                      ? audit_append(st, sec, u.name, "login-failed", "login", AD_LOGIN_WRONG_LOCKED,
                                     u.failed_logins, max, u.locked_until)
                      : audit_append(st, sec, u.name, "login-failed", "login", AD_LOGIN_WRONG,
                                     u.failed_logins, max);
        result = kerr(KERR_AUTH, "wrong user name or password");
        goto done;
    }
    u.failed_logins = 0;
    u.locked_until[0] = '\0';
    snprintf(u.last_login, sizeof u.last_login, "%s", now);
    if (newhash[0])
        memcpy(u.pwhash, newhash, sizeof u.pwhash);
    if ((err = uops(st)->update(st, &u)) ||
        (err = newhash[0] ? audit_append(st, sec, u.name, "login", "login", AD_LOGIN_REHASHED)
                          : audit_append(st, sec, u.name, "login", "login", AD_LOGIN_OK)))
        goto fail;
    snprintf(out->name, sizeof out->name, "%s", u.name);
    snprintf(out->street, sizeof out->street, "%s", u.street);
    out->roles = u.roles;
    out->user_id = u.id;
done:
    if (err)
        goto fail;
    if ((err = store_commit(st)))
        goto fail;
    secure_wipe(newhash, sizeof newhash);
    secure_wipe(&u, sizeof u);
    return result;
fail:
    store_rollback(st);
    memset(out, 0, sizeof *out);
    secure_wipe(newhash, sizeof newhash);
    secure_wipe(&u, sizeof u);
    return err;
}

/* ---- administration ------------------------------------------------------- */

static int need_admin(const struct actor *who, const char *what)
{
    if (!(who->roles & ROLE_ADMIN))
        return kerr(KERR_REFUSED, "%s may not %s (needs the admin role)", who->name, what);
    return 0;
}

/* Resolve the organisation for an account with roles; 0 org_id when none is needed. */
static int resolve_org(struct store *st, const char *account, unsigned roles, const char *org,
                       const char *phone, long *org_id)
{
    *org_id = 0;
    bool needs = roles & (ROLE_PROVIDER | ROLE_ASSESSOR);
    if (!needs && !(org && *org))
        return 0;
    const char *name = org && *org ? org : account;
    if (strlen(name) >= sizeof ((struct org_row *)0)->name)
        return kerr(KERR_INPUT, "organisation name too long");
    if (phone && strlen(phone) >= sizeof ((struct org_row *)0)->phone)
        return kerr(KERR_INPUT, "organisation phone too long");
    struct org_row o;
    int err = uops(st)->org_ensure(st, name, phone ? phone : "", &o);
    if (!err)
        *org_id = o.id;
    return err;
}

int auth_user_add(struct store *st, const struct secret *sec, const struct actor *who,
                  const char *name, unsigned roles, const char *password, const char *org,
                  const char *org_phone, long *id)
{
    return auth_user_add_street(st, sec, NULL, who, name, roles, password, org, org_phone, "", id);
}

/* The account's audit record: one format per combination (audit_detail.h
 * keeps each detail whole, so a reader can show it in its own language). */
static int audit_user_add(struct store *st, const struct secret *sec, const char *actor,
                          const char *name, const char *roles, const char *org, const char *street)
{
    if (org && street[0])
        return audit_append(st, sec, actor, "user-add", name, AD_USER_ADD_ORG_STREET, roles, org, street);
    if (org)
        return audit_append(st, sec, actor, "user-add", name, AD_USER_ADD_ORG, roles, org);
    if (street[0])
        return audit_append(st, sec, actor, "user-add", name, AD_USER_ADD_STREET, roles, street);
    return audit_append(st, sec, actor, "user-add", name, AD_USER_ADD, roles);
}

int auth_user_add_street(struct store *st, const struct secret *sec,
                         const struct kiosk_config *cfg, const struct actor *who,
                         const char *name, unsigned roles, const char *password,
                         const char *org, const char *org_phone, const char *street, long *id)
{
    int err;
    if (!street)
        street = "";
    if ((err = need_backend(st)) || (err = need_admin(who, "add staff accounts")) ||
        (err = auth_name_valid(name)) || (err = password_ok(password)) ||
        (err = config_street_check(cfg, street)))
        return err;
    if (!roles || (roles & ~(unsigned)ROLE__ALL))
        return kerr(KERR_INPUT, "an account needs at least one known role");
    struct staff_row u = {.roles = roles};
    snprintf(u.name, sizeof u.name, "%s", name);
    snprintf(u.street, sizeof u.street, "%s", street);
    store_now(u.created_at);
    if ((err = auth_hash_password(password, u.pwhash)))
        return err;
    char rl[96];
    roles_format(roles, rl, sizeof rl);
    if ((err = store_begin(st)))
        goto out;
    struct staff_row old;
    err = uops(st)->get(st, name, &old);
    if (err == 0)
        err = kerr(KERR_EXISTS, "user %s already exists", name);
    else if (err == KERR_NOTFOUND)
        err = 0;
    if (err || (err = resolve_org(st, name, roles, org, org_phone, &u.org_id)) ||
        (err = uops(st)->insert(st, &u)) ||
        (err = audit_user_add(st, sec, who->name, name, rl, u.org_id ? (org && *org ? org : name) : NULL,
                              street)) ||
        (err = store_commit(st)))
        store_rollback(st);
    else if (id)
        *id = u.id;
out:
    secure_wipe(u.pwhash, sizeof u.pwhash);
    return err;
}

/* Load an account inside the caller's transaction. */
static int load(struct store *st, const char *name, struct staff_row *u)
{
    int err = uops(st)->get(st, name, u);
    if (err == KERR_NOTFOUND)
        return kerr(KERR_NOTFOUND, "no staff account named %s", name);
    return err;
}

int auth_user_passwd(struct store *st, const struct secret *sec, const struct actor *who,
                     const char *name, const char *password)
{
    int err;
    if ((err = need_backend(st)) || (err = need_admin(who, "set passwords")) ||
        (err = password_ok(password)))
        return err;
    char hash[AUTH_HASH_MAX];
    if ((err = auth_hash_password(password, hash)))
        return err;
    struct staff_row u;
    if (!(err = store_begin(st))) {
        if ((err = load(st, name, &u)) == 0) {
            memcpy(u.pwhash, hash, sizeof u.pwhash);
            u.failed_logins = 0;
            u.locked_until[0] = '\0';
            if (!(err = uops(st)->update(st, &u)) &&
                !(err = audit_append(st, sec, who->name, "user-passwd", name,
                                     AD_USER_PASSWD)))
                err = store_commit(st);
        }
        if (err)
            store_rollback(st);
    }
    secure_wipe(hash, sizeof hash);
    secure_wipe(&u, sizeof u);
    return err;
}

int auth_user_roles(struct store *st, const struct secret *sec, const struct actor *who,
                    const char *name, unsigned roles)
{
    int err;
    if ((err = need_backend(st)) || (err = need_admin(who, "change roles")))
        return err;
    if (!roles || (roles & ~(unsigned)ROLE__ALL))
        return kerr(KERR_INPUT, "an account needs at least one known role");
    struct staff_row u;
    if ((err = store_begin(st)))
        return err;
    char before[96], after[96];
    if ((err = load(st, name, &u)))
        goto fail;
    roles_format(u.roles, before, sizeof before);
    roles_format(roles, after, sizeof after);
    u.roles = roles;
    /* a provider or assessor must belong to an organisation */
    if (!u.org_id && (err = resolve_org(st, name, roles, NULL, NULL, &u.org_id)))
        goto fail;
    if ((err = uops(st)->update(st, &u)) ||
        (err = audit_append(st, sec, who->name, "user-roles", name, AD_USER_ROLES, before, after)) ||
        (err = store_commit(st)))
        goto fail;
    return 0;
fail:
    store_rollback(st);
    return err;
}

int auth_user_street(struct store *st, const struct secret *sec, const struct kiosk_config *cfg,
                     const struct actor *who, const char *name, const char *street)
{
    int err;
    if ((err = need_backend(st)) || (err = need_admin(who, "set streets")) ||
        (err = config_street_check(cfg, street)))
        return err;
    struct staff_row u;
    if ((err = store_begin(st)))
        return err;
    char before[64];
    if ((err = load(st, name, &u)))
        goto fail;
    if (!strcmp(u.street, street)) {   /* already so: nothing to record */
        store_rollback(st);
        secure_wipe(&u, sizeof u);
        return 0;
    }
    snprintf(before, sizeof before, "%s", u.street);
    snprintf(u.street, sizeof u.street, "%s", street);
    if ((err = uops(st)->update(st, &u)) ||
        (err = audit_append(st, sec, who->name, "user-street", name, AD_STREET_MOVE,
                            before[0] ? before : "(none)", street[0] ? street : "(none)")) ||
        (err = store_commit(st)))
        goto fail;
    secure_wipe(&u, sizeof u);
    return 0;
fail:
    store_rollback(st);
    secure_wipe(&u, sizeof u);
    return err;
}

int auth_user_disable(struct store *st, const struct secret *sec, const struct actor *who,
                      const char *name, bool disabled)
{
    int err;
    if ((err = need_backend(st)) ||
        (err = need_admin(who, disabled ? "disable accounts" : "enable accounts")))
        return err;
    struct staff_row u;
    if ((err = store_begin(st)))
        return err;
    if ((err = load(st, name, &u)))
        goto fail;
    u.disabled = disabled;
    if (!disabled) {
        u.failed_logins = 0;
        u.locked_until[0] = '\0';
    }
    if ((err = uops(st)->update(st, &u)) ||
        (err = disabled ? audit_append(st, sec, who->name, "user-disable", name, AD_USER_DISABLED)
                        : audit_append(st, sec, who->name, "user-enable", name, AD_USER_ENABLED)) ||
        (err = store_commit(st)))
        goto fail;
    return 0;
fail:
    store_rollback(st);
    return err;
}

int auth_user_each(struct store *st, int (*cb)(void *ctx, const struct staff_row *u), void *ctx)
{
    int err = need_backend(st);
    return err ? err : uops(st)->each(st, cb, ctx);
}

int auth_actor_org(struct store *st, const struct actor *who, struct org_row *out)
{
    int err = need_backend(st);
    if (err)
        return err;
    if (who->user_id <= 0)
        return kerr(KERR_NOTFOUND, "%s is not a staff account", who->name);
    struct staff_row u;
    if ((err = uops(st)->get_by_id(st, who->user_id, &u)))
        return err;
    long org = u.org_id;
    secure_wipe(&u, sizeof u);
    if (!org)
        return kerr(KERR_NOTFOUND, "%s belongs to no organisation", who->name);
    return uops(st)->org_get(st, org, out);
}
