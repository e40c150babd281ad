/* test_sql_exec.c — the SQL executor (kiosk/store/sql_exec.h) on the test
 * backend (SQLite by default, PostgreSQL with KIOSK_TEST_DB=pg): one SQL
 * text with $n placeholders and a parameter cast runs on both; every bind
 * and column type round-trips byte-exact; rows step in order; changes()
 * counts; a unique violation is KERR_EXISTS; statements are cached. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kiosk/store/sql_exec.h"
#include "testdb.h"

static const char SQL_INS[] = "INSERT INTO xt(k, t, b, n) VALUES ($1, $2, $3, $4)";
static const char SQL_SEL[] = "SELECT k, t, b, n, k + $1::bigint FROM xt WHERE k >= $2 ORDER BY k";
static const char SQL_UPD[] = "UPDATE xt SET n = $1 WHERE k < $2";
static const char SQL_RET[] = "UPDATE xt SET k = k + 100 WHERE k = $1 RETURNING k";

static void test_round_trip(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    const struct sql_exec_ops *x = sql_of(t.st);
    assert_non_null(x);
    assert_int_equal(x->exec(t.st, "CREATE TABLE xt (k bigint PRIMARY KEY, t text, b bytea, n bigint)",
                             "creating"), 0);
    assert_int_equal(store_begin(t.st), 0);
    const unsigned char blob[5] = {0, 1, 0xff, '\t', 0};
    for (int i = 0; i < 5; i++) {
        struct sql_stmt *q = x->prepare(t.st, SQL_INS);
        assert_non_null(q);
        char text[16];
        snprintf(text, sizeof text, "行%d\\", i);
        x->bind_int64(q, 1, 4000000000LL + i);
        x->bind_text(q, 2, text);
        x->bind_blob(q, 3, blob, i);          /* lengths 0…4, zero bytes inside */
        if (i % 2)
            x->bind_null(q, 4);
        else
            x->bind_int64(q, 4, -i);
        assert_int_equal(sql_done(x, q, "inserting"), 0);
    }
    /* the same key again: KERR_EXISTS */
    struct sql_stmt *q = x->prepare(t.st, SQL_INS);
    x->bind_int64(q, 1, 4000000000LL);
    x->bind_text(q, 2, "dup");
    x->bind_blob(q, 3, blob, 1);
    x->bind_null(q, 4);
    assert_int_equal(sql_done(x, q, "inserting a duplicate"), KERR_EXISTS);
    assert_int_equal(store_rollback(t.st), 0);
    assert_int_equal(store_begin(t.st), 0);
    for (int i = 0; i < 5; i++) {
        q = x->prepare(t.st, SQL_INS);
        char text[16];
        snprintf(text, sizeof text, "行%d\\", i);
        x->bind_int64(q, 1, 4000000000LL + i);
        x->bind_text(q, 2, text);
        x->bind_blob(q, 3, blob, i);
        if (i % 2)
            x->bind_null(q, 4);
        else
            x->bind_int64(q, 4, -i);
        assert_int_equal(sql_done(x, q, "inserting"), 0);
    }
    assert_int_equal(store_commit(t.st), 0);

    q = x->prepare(t.st, SQL_SEL);
    assert_ptr_equal(q, x->prepare(t.st, SQL_SEL));   /* cached by the text's address */
    x->bind_int64(q, 1, 7);
    x->bind_int64(q, 2, 4000000001LL);
    int i = 1, rc;
    while ((rc = x->step(q, "reading")) == SQL_ROW) {
        char text[16], want[16];
        unsigned char b[8];
        assert_int_equal(x->col_int64(q, 0), 4000000000LL + i);
        x->col_text(q, 1, text, sizeof text);
        snprintf(want, sizeof want, "行%d\\", i);
        assert_string_equal(text, want);
        assert_int_equal(x->col_blob(q, 2, b, sizeof b), i);
        assert_memory_equal(b, blob, (size_t)i);
        assert_int_equal(x->col_isnull(q, 3), i % 2 == 1);
        assert_int_equal(sql_col_key(x, q, 3), i % 2 ? NONE_I64 : -i);
        assert_int_equal(x->col_int64(q, 4), 4000000000LL + i + 7);
        i++;
    }
    assert_int_equal(rc, SQL_DONE);
    assert_int_equal(i, 5);
    x->reset(q);

    assert_int_equal(store_begin(t.st), 0);
    q = x->prepare(t.st, SQL_UPD);
    x->bind_int64(q, 1, 9);
    x->bind_int64(q, 2, 4000000003LL);
    assert_int_equal(x->step(q, "updating"), SQL_DONE);
    assert_int_equal(x->changes(q), 3);
    x->reset(q);
    long long v = 0;
    q = x->prepare(t.st, SQL_RET);
    x->bind_int64(q, 1, 4000000004LL);
    assert_int_equal(sql_int(x, q, -1, &v, "returning"), 0);
    assert_int_equal(v, 4000000104LL);
    q = x->prepare(t.st, SQL_RET);
    x->bind_int64(q, 1, 1);
    assert_int_equal(sql_int(x, q, -1, &v, "returning nothing"), 0);
    assert_int_equal(v, -1);
    assert_int_equal(store_commit(t.st), 0);
    /* a bad statement: NULL with the detail set */
    assert_null(x->prepare(t.st, "SELECT no_such_column FROM xt"));
    testdb_close(&t);
}

/* SQLite keeps its temporary b-trees in memory (store_sqlite.c: a console
 * search's few small ones cost a temp file each on disk, 6x its time). */
static void test_sqlite_temp_store(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t), 0);
    const struct sql_exec_ops *x = sql_of(t.st);
    struct sql_stmt *q = x->prepare(t.st, "PRAGMA temp_store");
    assert_non_null(q);
    assert_int_equal(x->step(q, "reading temp_store"), SQL_ROW);
    assert_int_equal(x->col_int64(q, 0), 2);   /* 2 = MEMORY */
    x->reset(q);
    testdb_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
    };
    const struct CMUnitTest sqlite_tests[] = {
        cmocka_unit_test(test_sqlite_temp_store),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    /* an engine setting: the PostgreSQL run has no counterpart to check */
    if (!testdb_is_pg())
        failed += cmocka_run_group_tests_name("sqlite", sqlite_tests, NULL, NULL);
    return failed;
}
