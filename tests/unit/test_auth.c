/* test_auth.c — staff accounts (kiosk/auth.c) on a real SQLite database:
 * Argon2id parameters and hash time, login, lockout after the configured
 * number of failures and its expiry, disabled accounts, unknown names,
 * rehashing when the parameters were raised, administration rights and the
 * audit trail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "kiosk/audit.h"
#include "kiosk/auth.h"
#include "kiosk/config.h"
#include "kiosk/err.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"
#include "testdb.h"

struct fx {
    char dir[64];
    char db[256];      /* SQLite file or postgresql://… (testdb.h) */
    struct store *st;
    struct secret *sec;
    struct kiosk_config cfg;
    struct actor admin;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/test_auth_XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    char key[160];
    snprintf(key, sizeof key, "%s/k.db.key", f->dir);
    /* a new SQLite file or PostgreSQL schema (testdb.h: the contract suite) */
    if (testdb_create(f->dir, f->db, sizeof f->db) || secret_create(key) ||
        secret_load(key, &f->sec) || testdb_store(f->db, &f->st))
        return -1;
    config_defaults(&f->cfg);
    f->cfg.max_failed_logins = 3;
    f->admin = (struct actor){.name = "test-admin", .roles = ROLE_ADMIN};
    unsetenv("KIOSK_NOW");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_close(&f->st);
    secret_free(&f->sec);
    testdb_drop(f->db);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    if (system(cmd) != 0)
        return -1;
    unsetenv("KIOSK_NOW");
    free(f);
    return 0;
}

static long long audit_count(struct fx *f)
{
    struct audit_rec r;
    return f->st->ops->audit_last(f->st, &r) == 0 ? r.seq : 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_hash_parameters(void **state)
{
    (void)state;
    char h[AUTH_HASH_MAX];
    double t0 = now_s();
    assert_int_equal(auth_hash_password("correct horse battery", h), 0);
    double t1 = now_s();
    /* Argon2id, 19 MiB, t=2, one lane (OWASP) */
    assert_non_null(strstr(h, "$argon2id$v=19$m=19456,t=2,p=1$"));
    assert_int_equal(crypto_pwhash_str_verify(h, "correct horse battery", 21), 0);
    double t2 = now_s();
    assert_int_not_equal(crypto_pwhash_str_verify(h, "correct horse batterx", 21), 0);
    printf("# Argon2id t=2 m=19MiB (this build): hash %.1f ms, verify %.1f ms\n",
           (t1 - t0) * 1e3, (now_s() - t2) * 1e3);
}

static void test_login_and_lockout(void **state)
{
    struct fx *f = *state;
    long id = 0;
    assert_int_equal(auth_user_add(f->st, f->sec, &f->admin, "anna", ROLE_STREET, "s3cret-pass",
                                   NULL, NULL, &id), 0);
    assert_true(id > 0);
    struct actor who;
    assert_int_equal(auth_login(f->st, f->sec, &f->cfg, "anna", "s3cret-pass", &who), 0);
    assert_string_equal(who.name, "anna");
    assert_int_equal(who.roles, ROLE_STREET);
    assert_int_equal(who.user_id, id);

    setenv("KIOSK_NOW", "2030-01-01 10:00:00", 1);
    assert_int_equal(auth_login(f->st, f->sec, &f->cfg, "anna", "wrong-one", &who), KERR_AUTH);
    assert_string_equal(who.name, "");
    assert_int_equal(who.roles, 0u);
    assert_int_equal(auth_login(f->st, f->sec, &f->cfg, "anna", "wrong-two", &who), KERR_AUTH);
    /* a success in between resets the count */
    assert_int_equal(auth_login(f->st, f->sec, &f->cfg, "anna", "s3cret-pass", &who), 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(auth_login(f->st, f->sec, &f->cfg, "anna", "wrong", &who), KERR_AUTH);
    /* locked now: even the right password is refused */
    assert_int_equal(auth_login(f->st, f->sec, &f->cfg, "anna", "s3cret-pass", &who), KERR_LOCKED);
    assert_int_equal(who.roles, 0u);
    setenv("KIOSK_NOW", "2030-01-01 10:14:59", 1);
    assert_int_equal(auth_login(f->st, f->sec, &f->cfg, "anna", "s3cret-pass", &who), KERR_LOCKED);
    /* the lock lapses after AUTH_LOCK_MINUTES */
    setenv("KIOSK_NOW", "2030-01-01 10:15:01", 1);
    assert_int_equal(auth_login(f->st, f->sec, &f->cfg, "anna", "s3cret-pass", &who), 0);

    /* passwd clears a lock */
    for (int i = 0; i < 3; i++)
        auth_login(f->st, f->sec, &f->cfg, "anna", "wrong", &who);
    assert_int_equal(auth_login(f->st, f->sec, &f->cfg, "anna", "s3cret-pass", &who), KERR_LOCKED);
    assert_int_equal(auth_user_passwd(f->st, f->sec, &f->admin, "anna", "new-password-1"), 0);
    assert_int_equal(auth_login(f->st, f->sec, &f->cfg, "anna", "s3cret-pass", &who), KERR_AUTH);
    assert_int_equal(auth_login(f->st, f->sec, &f->cfg, "anna", "new-password-1", &who), 0);
}

static void test_disabled_and_unknown(void **state)
{
    struct fx *f = *state;
    assert_int_equal(auth_user_add(f->st, f->sec, &f->admin, "bo", ROLE_DISTRICT, "pass-word-9",
                                   NULL, NULL, NULL), 0);
    struct actor who;
    assert_int_equal(auth_user_disable(f->st, f->sec, &f->admin, "bo", true), 0);
    assert_int_equal(auth_login(f->st, f->sec, &f->cfg, "bo", "pass-word-9", &who), KERR_LOCKED);
    assert_int_equal(auth_user_disable(f->st, f->sec, &f->admin, "bo", false), 0);
    assert_int_equal(auth_login(f->st, f->sec, &f->cfg, "bo", "pass-word-9", &who), 0);
    /* an unknown name answers like a wrong password */
    assert_int_equal(auth_login(f->st, f->sec, &f->cfg, "nobody", "pass-word-9", &who), KERR_AUTH);
    assert_int_equal(auth_user_disable(f->st, f->sec, &f->admin, "nobody", true), KERR_NOTFOUND);
}

static void test_rehash(void **state)
{
    struct fx *f = *state;
    assert_int_equal(auth_user_add(f->st, f->sec, &f->admin, "cy", ROLE_ASSESSOR, "old-params-pw",
                                   "评估中心", "0755-1", NULL), 0);
    /* pretend the account was made with weaker parameters */
    struct staff_row u;
    assert_int_equal(f->st->ops->user->get(f->st, "cy", &u), 0);
    assert_int_equal(crypto_pwhash_str_alg(u.pwhash, "old-params-pw", 13, 1, 8u << 20,
                                           crypto_pwhash_ALG_ARGON2ID13), 0);
    assert_int_equal(f->st->ops->user->update(f->st, &u), 0);
    assert_non_null(strstr(u.pwhash, "m=8192,t=1"));
    struct actor who;
    assert_int_equal(auth_login(f->st, f->sec, &f->cfg, "cy", "old-params-pw", &who), 0);
    assert_int_equal(f->st->ops->user->get(f->st, "cy", &u), 0);
    assert_non_null(strstr(u.pwhash, "m=19456,t=2,p=1"));
    assert_int_equal(crypto_pwhash_str_needs_rehash(u.pwhash, AUTH_OPSLIMIT, AUTH_MEMLIMIT), 0);
    assert_int_equal(auth_login(f->st, f->sec, &f->cfg, "cy", "old-params-pw", &who), 0);
    /* the organisation was made with the account */
    struct org_row o;
    assert_int_equal(auth_actor_org(f->st, &who, &o), 0);
    assert_string_equal(o.name, "评估中心");
    assert_string_equal(o.phone, "0755-1");
}

static void test_admin_rules_and_audit(void **state)
{
    struct fx *f = *state;
    struct actor clerk = {.name = "clerk", .roles = ROLE_STREET | ROLE_DISTRICT};
    long long a0 = audit_count(f);
    assert_int_equal(auth_user_add(f->st, f->sec, &clerk, "dd", ROLE_STREET, "pass-word-9", NULL,
                                   NULL, NULL), KERR_REFUSED);
    assert_int_equal(audit_count(f), a0);
    assert_int_equal(auth_user_add(f->st, f->sec, &f->admin, "dd", ROLE_STREET, "short", NULL,
                                   NULL, NULL), KERR_INPUT);
    assert_int_equal(auth_user_add(f->st, f->sec, &f->admin, "Bad Name", ROLE_STREET,
                                   "pass-word-9", NULL, NULL, NULL), KERR_INPUT);
    assert_int_equal(auth_user_add(f->st, f->sec, &f->admin, "dd", 0, "pass-word-9", NULL, NULL,
                                   NULL), KERR_INPUT);
    assert_int_equal(audit_count(f), a0);
    assert_int_equal(auth_user_add(f->st, f->sec, &f->admin, "dd", ROLE_STREET, "pass-word-9",
                                   NULL, NULL, NULL), 0);
    assert_int_equal(audit_count(f), a0 + 1);
    assert_int_equal(auth_user_add(f->st, f->sec, &f->admin, "dd", ROLE_STREET, "pass-word-9",
                                   NULL, NULL, NULL), KERR_EXISTS);
    assert_int_equal(auth_user_roles(f->st, f->sec, &f->admin, "dd", ROLE_STREET | ROLE_PROVIDER), 0);
    assert_int_equal(audit_count(f), a0 + 2);
    /* a provider always has an organisation (its own when none was named) */
    struct staff_row u;
    assert_int_equal(f->st->ops->user->get(f->st, "dd", &u), 0);
    assert_true(u.org_id > 0);
    assert_int_equal(auth_user_roles(f->st, f->sec, &clerk, "dd", ROLE_ADMIN), KERR_REFUSED);
    assert_int_equal(auth_user_passwd(f->st, f->sec, &clerk, "dd", "pass-word-10"), KERR_REFUSED);
    assert_int_equal(auth_user_disable(f->st, f->sec, &clerk, "dd", true), KERR_REFUSED);
    assert_int_equal(audit_count(f), a0 + 2);
    /* logins, failed ones too, are audited */
    struct actor who;
    auth_login(f->st, f->sec, &f->cfg, "dd", "wrong-password", &who);
    assert_int_equal(audit_count(f), a0 + 3);
    auth_login(f->st, f->sec, &f->cfg, "dd", "pass-word-9", &who);
    assert_int_equal(audit_count(f), a0 + 4);
    long long n, bad;
    assert_int_equal(audit_verify(f->st, f->sec, &n, &bad), 0);
    /* no password hash or password in the audit trail */
    struct audit_rec r;
    assert_int_equal(f->st->ops->audit_last(f->st, &r), 0);
    assert_null(strstr(r.detail, "argon2"));
    assert_null(strstr(r.detail, "pass-word"));
}

static void test_read_password(void **state)
{
    (void)state;
    char buf[AUTH_PASSWORD_MAX + 2];
    FILE *in = fmemopen((char *)"pw-from-stdin\r\nsecond\n", 22, "r");
    assert_int_equal(auth_read_password(in, buf, sizeof buf), 0);
    assert_string_equal(buf, "pw-from-stdin");
    fclose(in);
    in = fmemopen((char *)"\n", 1, "r");
    assert_int_equal(auth_read_password(in, buf, sizeof buf), KERR_INPUT);
    fclose(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_parameters),
        cmocka_unit_test_setup_teardown(test_login_and_lockout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disabled_and_unknown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rehash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_admin_rules_and_audit, setup, teardown),
        cmocka_unit_test(test_read_password),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
