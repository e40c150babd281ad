/* test_audit.c — the keyed audit chain: verification passes on an honest
 * trail and fails at the right record after an edit, a deletion, a swap,
 * an insertion, a cut-off tail, or with another site's secret. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kiosk/audit.h"
#include "testdb.h"

static void make_trail(struct testdb *t, int n)
{
    assert_int_equal(store_begin(t->st), 0);
    for (int i = 0; i < n; i++)
        assert_int_equal(audit_append(t->st, t->sec, "clerk", "offer", "entry prh/S001",
                                      "record %d", i + 1), 0);
    assert_int_equal(store_commit(t->st), 0);
}

/* Tamper with the database through a separate connection, as an attacker
 * with write access (but not the secret) would.  On PostgreSQL the audit
 * table refuses UPDATE and DELETE in a trigger; a superuser can switch
 * triggers off for the session, so the attacker here does, and the keyed
 * chain must still catch every change. */
static void tamper(struct testdb *t, const char *sql)
{
    char full[600];
    snprintf(full, sizeof full, "%s%s",
             testdb_is_pg() ? "SET session_replication_role = replica; " : "", sql);
    if (testdb_sql(t, full) != 0)
        fail_msg("tampering failed: %s", sql);
}

static long long verify(struct testdb *t, int *err)
{
    long long n, bad;
    *err = audit_verify(t->st, t->sec, &n, &bad);
    return *err ? bad : n;
}

static void test_honest_trail(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    int err;
    assert_int_equal(verify(&t, &err), 0);   /* empty is fine */
    assert_int_equal(err, 0);
    make_trail(&t, 10);
    assert_int_equal(verify(&t, &err), 10);
    assert_int_equal(err, 0);
    /* a rolled-back append leaves the trail as it was */
    assert_int_equal(store_begin(t.st), 0);
    assert_int_equal(audit_append(t.st, t.sec, "x", "y", "z", "rolled back"), 0);
    assert_int_equal(store_rollback(t.st), 0);
    assert_int_equal(verify(&t, &err), 10);
    assert_int_equal(err, 0);
    testdb_close(&t);
}

static void test_edit_detected(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    make_trail(&t, 10);
    tamper(&t, "UPDATE audit SET detail = 'record five (edited)' WHERE seq = 5");
    int err;
    assert_int_equal(verify(&t, &err), 5);
    assert_int_equal(err, KERR_TAMPER);
    assert_non_null(strstr(kerr_detail(), "record 5"));
    testdb_close(&t);
}

static void test_actor_edit_detected(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    make_trail(&t, 6);
    tamper(&t, "UPDATE audit SET actor = 'someone-else' WHERE seq = 2");
    int err;
    assert_int_equal(verify(&t, &err), 2);
    assert_int_equal(err, KERR_TAMPER);
    testdb_close(&t);
}

static void test_delete_detected(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    make_trail(&t, 10);
    tamper(&t, "DELETE FROM audit WHERE seq = 4");
    int err;
    assert_int_equal(verify(&t, &err), 4);
    assert_int_equal(err, KERR_TAMPER);
    testdb_close(&t);
}

static void test_renumbered_delete_detected(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    make_trail(&t, 10);
    /* delete record 4 and close the gap: the chain breaks at the old 5 */
    tamper(&t, "DELETE FROM audit WHERE seq = 4; UPDATE audit SET seq = seq - 1 WHERE seq > 4");
    int err;
    assert_int_equal(verify(&t, &err), 4);
    assert_int_equal(err, KERR_TAMPER);
    testdb_close(&t);
}

static void test_swap_detected(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    make_trail(&t, 10);
    tamper(&t, "UPDATE audit SET seq = -1 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 7; "
               "UPDATE audit SET seq = 7 WHERE seq = -1");
    int err;
    assert_int_equal(verify(&t, &err), 3);
    assert_int_equal(err, KERR_TAMPER);
    testdb_close(&t);
}

static void test_tail_cut_detected(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    make_trail(&t, 10);
    tamper(&t, "DELETE FROM audit WHERE seq >= 9");
    int err;
    verify(&t, &err);
    assert_int_equal(err, KERR_TAMPER);
    assert_non_null(strstr(kerr_detail(), "cut off"));
    /* replaying an old head does not help: the tag covers (seq, hash) */
    /* the head was "10:TAG"; substr from 4 keeps TAG in both SQL dialects */
    tamper(&t, "UPDATE meta SET value = '8:' || substr(value, 4) WHERE key = 'audit_head'");
    verify(&t, &err);
    assert_int_equal(err, KERR_TAMPER);
    testdb_close(&t);
}

static void test_inserted_record_detected(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    make_trail(&t, 5);
    /* a forged record appended with a copied hash */
    tamper(&t, "INSERT INTO audit(seq, at, actor, action, object, detail, hash) "
               "SELECT 6, at, 'mallory', 'offer', object, 'forged', hash FROM audit WHERE seq = 5");
    int err;
    assert_int_equal(verify(&t, &err), 6);
    assert_int_equal(err, KERR_TAMPER);
    testdb_close(&t);
}

static void test_other_secret_fails(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    make_trail(&t, 3);
    char other[160];
    snprintf(other, sizeof other, "%s/other.key", t.dir);
    struct secret *sec2;
    assert_int_equal(secret_create(other), 0);
    assert_int_equal(secret_load(other, &sec2), 0);
    long long n, bad;
    assert_int_equal(audit_verify(t.st, sec2, &n, &bad), KERR_TAMPER);
    assert_int_equal(bad, 1);
    secret_free(&sec2);
    testdb_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_honest_trail),
        cmocka_unit_test(test_edit_detected),
        cmocka_unit_test(test_actor_edit_detected),
        cmocka_unit_test(test_delete_detected),
        cmocka_unit_test(test_renumbered_delete_detected),
        cmocka_unit_test(test_swap_detected),
        cmocka_unit_test(test_tail_cut_detected),
        cmocka_unit_test(test_inserted_record_detected),
        cmocka_unit_test(test_other_secret_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
