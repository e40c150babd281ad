/* test_audit.c — the keyed audit chain: verification passes on an honest
 * trail and fails at the right record after an edit, a deletion, a swap,
 * an insertion, a cut-off tail, or with another site's secret; the anchor's
 * lines, lane lines ("L/SEQ:TAG") included, are parsed strictly and a lane
 * line counts in verification.  (Several lanes written at once on
 * PostgreSQL, and tampering with them: tests/pg/test_lanes.sh.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

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
    tamper(&t, "INSERT INTO audit(seq, at, actor, action, object, detail, hash, lane, lane_seq) "
               "SELECT 6, at, 'mallory', 'offer', object, 'forged', hash, 0, 6 FROM audit "
               "WHERE seq = 5");
    int err;
    assert_int_equal(verify(&t, &err), 6);
    assert_int_equal(err, KERR_TAMPER);
    testdb_close(&t);
}

static void test_inserted_without_lane_detected(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    make_trail(&t, 5);
    /* a row written as before lanes: lane 0, lane_seq 0 (the column's default) */
    tamper(&t, "INSERT INTO audit(seq, at, actor, action, object, detail, hash) "
               "SELECT 6, at, 'mallory', 'offer', object, 'forged', hash FROM audit WHERE seq = 5");
    int err;
    assert_int_equal(verify(&t, &err), 1);
    assert_int_equal(err, KERR_TAMPER);
    assert_non_null(strstr(kerr_detail(), "audit record 1 is missing (found 0 next"));
    testdb_close(&t);
}

static void test_stray_lane_detected(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    make_trail(&t, 5);
    /* a copy of a record in a lane no writer uses: the walk sees every row */
    tamper(&t, "INSERT INTO audit(seq, at, actor, action, object, detail, hash, lane, lane_seq) "
               "SELECT 99, at, actor, action, object, detail, hash, 42, 1 FROM audit WHERE seq = 5");
    int err;
    verify(&t, &err);
    assert_int_equal(err, KERR_TAMPER);
    assert_non_null(strstr(kerr_detail(), "audit record 99 is in lane 42, which no writer uses"));
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

static void test_anchor_parse(void **state)
{
    (void)state;
    char tag[65], line[160];
    memset(tag, 'a', 64);
    tag[64] = '\0';
    struct audit_anchor_line h;
    snprintf(line, sizeof line, "17:%s\n", tag);
    assert_int_equal(audit_anchor_parse(line, &h), 0);
    assert_int_equal(h.lane, 0);
    assert_int_equal(h.seq, 17);
    assert_int_equal(h.reset, 0);
    assert_string_equal(h.tag, tag);
    snprintf(line, sizeof line, "3/17:%s\n", tag);
    assert_int_equal(audit_anchor_parse(line, &h), 0);
    assert_int_equal(h.lane, 3);
    assert_int_equal(h.seq, 17);
    assert_string_equal(h.tag, tag);
    snprintf(line, sizeof line, "reset 7/2:%s", tag);   /* no newline at the end of the file */
    assert_int_equal(audit_anchor_parse(line, &h), 0);
    assert_int_equal(h.reset, 1);
    assert_int_equal(h.lane, 7);
    assert_int_equal(h.seq, 2);
    assert_int_equal(audit_anchor_parse("reset 0:-\n", &h), 0);
    assert_int_equal(h.reset, 1);
    assert_int_equal(h.seq, 0);
    /* what no writer writes: lane 0 spelled out, a lane past AUDIT_LANES, a
     * missing lane or seq, signs, a short or missing tag, a tag on seq 0 */
    static const char *const bad[] = {"0/17:", "8/17:", "/17:", "3/:", "-3/17:", "3/-17:",
                                      "+17:", " 17:", "3//17:", "x:", "3/17", "17"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(line, sizeof line, "%s%s\n", bad[i], tag);
        assert_int_equal(audit_anchor_parse(line, &h), KERR_TAMPER);
    }
    assert_int_equal(audit_anchor_parse("17:abc\n", &h), KERR_TAMPER);
    assert_int_equal(audit_anchor_parse("17:-\n", &h), KERR_TAMPER);
    assert_int_equal(audit_anchor_parse("0:x\n", &h), KERR_TAMPER);
    assert_int_equal(audit_anchor_parse("3/17:\n", &h), KERR_TAMPER);
    assert_int_equal(audit_anchor_parse("", &h), KERR_TAMPER);
}

/* Append a line to the trail's anchor file. */
static void anchor_add(struct testdb *t, const char *line)
{
    char path[600];
    assert_true(audit_anchor_exists(t->sec, path, sizeof path));
    FILE *f = fopen(path, "a");
    assert_non_null(f);
    fputs(line, f);
    fclose(f);
}

static void test_anchor_lane_line_counts(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    make_trail(&t, 4);
    int err;
    assert_int_equal(verify(&t, &err), 4);
    assert_int_equal(err, 0);
    /* the anchor saw lane 3 reach record 2; the database has no lane 3 */
    char line[160], tag[65];
    memset(tag, 'b', 64);
    tag[64] = '\0';
    snprintf(line, sizeof line, "3/2:%s\n", tag);
    anchor_add(&t, line);
    assert_int_equal(verify(&t, &err), 1);
    assert_int_equal(err, KERR_TAMPER);
    assert_non_null(strstr(kerr_detail(), "audit lane 3 ends at record 0 but the anchor"));
    assert_non_null(strstr(kerr_detail(), "saw record 2"));
    /* a reset of lane 3 (only a restore writes one) takes that head back */
    anchor_add(&t, "reset 3/0:-\n");
    assert_int_equal(verify(&t, &err), 4);
    assert_int_equal(err, 0);
    /* an edited lane line is refused as such, naming the line */
    anchor_add(&t, "9/1:x\n");
    verify(&t, &err);
    assert_int_equal(err, KERR_TAMPER);
    assert_non_null(strstr(kerr_detail(), "not an audit head line"));
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
        cmocka_unit_test(test_inserted_without_lane_detected),
        cmocka_unit_test(test_stray_lane_detected),
        cmocka_unit_test(test_anchor_parse),
        cmocka_unit_test(test_anchor_lane_line_counts),
        cmocka_unit_test(test_other_secret_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
