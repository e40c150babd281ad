/* test_outbox.c — applications a kiosk keeps while the database is away
 * (kiosk/outbox.c), filed exactly once when it returns, on the test backend
 * (SQLite, or PostgreSQL with KIOSK_TEST_DB=pg):
 *   - kept: the file is 0600 and holds no plaintext name or ID number; the
 *     delivery files it under the reference the resident was given, at the
 *     time it was submitted, with the audit record;
 *   - exactly once: a delivery repeated after a "crash" between filing and
 *     marking (state set back to pending) files nothing twice;
 *   - refused and kept for the street office: the elder applied meanwhile
 *     elsewhere; a kept form the site secret cannot open;
 *   - PostgreSQL: the real outage — the server refuses our database
 *     (ALLOW_CONNECTIONS false, our connection cut): bed_submit fails as
 *     offline at once, the outbox keeps it, and once connections are allowed
 *     again the store reconnects by itself and the delivery files it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <time.h>

#include "kiosk/eldercare.h"
#include "kiosk/outbox.h"
#include "kiosk/store/bed_store.h"
#include "testdb.h"

static struct testdb t;
static char box_path[300];

static int setup(void **state)
{
    (void)state;
    if (testdb_open(&t))
        return -1;
    snprintf(box_path, sizeof box_path, "%s/outbox.db", t.dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    testdb_close(&t);
    return 0;
}

static void form_for(long long i, struct bed_form *f)
{
    memset(f, 0, sizeof *f);
    testdb_id(i, f->elder_id);
    snprintf(f->elder_name, sizeof f->elder_name, "王外箱%lld", i);
    snprintf(f->address, sizeof f->address, "罗湖区东门街道%lld号", i);
    f->services = 1u | 4u;
    f->consent = true;
    snprintf(f->kiosk_id, sizeof f->kiosk_id, "LH-TEST-01");
    snprintf(f->street, sizeof f->street, "东门街道");   /* the kiosk's [kiosk] street */
}

static long long apps_with_ref(const char *ref)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM bed_app WHERE ref = '%s'", ref);
    return testdb_count(&t, sql);
}

static void test_kept_then_filed_once(void **state)
{
    (void)state;
    struct outbox *ob = NULL;
    assert_int_equal(outbox_open(box_path, &ob), 0);
    struct stat sb;
    assert_int_equal(stat(box_path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    struct bed_form f;
    form_for(101, &f);
    char ref[33], at[32];
    assert_int_equal(outbox_add(ob, t.sec, "resident@LH-TEST-01", &f, ref, at), 0);
    assert_int_equal(strlen(ref), 10);
    long long pending, refused;
    assert_int_equal(outbox_count(ob, &pending, &refused), 0);
    assert_int_equal(pending, 1);
    /* sealed: neither the name nor the ID number is on disk */
    assert_false(testdb_file_contains(box_path, "王外箱101"));
    assert_false(testdb_file_contains(box_path, f.elder_id));

    int filed, nref;
    assert_int_equal(outbox_deliver(ob, t.st, t.sec, &filed, &nref), 0);
    assert_int_equal(filed, 1);
    assert_int_equal(nref, 0);
    assert_int_equal(apps_with_ref(ref), 1);
    struct bed_row r;
    assert_int_equal(t.st->ops->bed->get(t.st, ref, &r), 0);
    assert_int_equal(r.stage, BS_SUBMITTED);
    assert_string_equal(r.submitted_at, at);          /* when the resident submitted it */
    assert_string_equal(r.street, "东门街道");          /* the kiosk's street, kept with the form */
    assert_int_equal(outbox_count(ob, &pending, &refused), 0);
    assert_int_equal(pending, 0);

    /* a crash after filing, before marking: the next delivery files nothing twice */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(box_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE outbox SET state = 'pending'", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(outbox_deliver(ob, t.st, t.sec, &filed, &nref), 0);
    assert_int_equal(filed, 1);                        /* marked filed … */
    assert_int_equal(apps_with_ref(ref), 1);           /* … and still one application */
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE object = 'bed %s'", ref);
    assert_int_equal(testdb_count(&t, sql), 1);
    outbox_close(&ob);
}

static int find(void *ctx, const struct outbox_item *it)
{
    struct outbox_item *want = ctx;
    if (!strcmp(it->ref, want->ref))
        *want = *it;
    return 0;
}

static void test_refused_kept_for_the_office(void **state)
{
    (void)state;
    struct outbox *ob = NULL;
    assert_int_equal(outbox_open(box_path, &ob), 0);
    /* the elder applied meanwhile at the counter */
    struct bed_form f;
    form_for(202, &f);
    char kept[33], at[32], direct[33];
    assert_int_equal(outbox_add(ob, t.sec, "resident@LH-TEST-01", &f, kept, at), 0);
    struct actor clerk = {.name = "clerk"};
    assert_int_equal(bed_submit(t.st, t.sec, &clerk, &f, direct), 0);
    int filed, refused;
    assert_int_equal(outbox_deliver(ob, t.st, t.sec, &filed, &refused), 0);
    assert_int_equal(filed, 0);
    assert_int_equal(refused, 1);
    struct outbox_item it = {0};
    snprintf(it.ref, sizeof it.ref, "%s", kept);
    assert_int_equal(outbox_each(ob, find, &it), 0);
    assert_string_equal(it.state, "refused");
    assert_non_null(strstr(it.note, "open application"));
    assert_int_equal(apps_with_ref(kept), 0);
    outbox_close(&ob);

    /* a form kept under another site's secret cannot be opened: refused, said why */
    char other_key[300];
    snprintf(other_key, sizeof other_key, "%s/other.key", t.dir);
    struct secret *other = NULL;
    assert_int_equal(secret_create(other_key), 0);
    assert_int_equal(secret_load(other_key, &other), 0);
    assert_int_equal(outbox_open(box_path, &ob), 0);
    form_for(303, &f);
    assert_int_equal(outbox_add(ob, other, "resident@LH-TEST-01", &f, kept, at), 0);
    assert_int_equal(outbox_deliver(ob, t.st, t.sec, &filed, &refused), 0);
    assert_int_equal(refused, 1);
    snprintf(it.ref, sizeof it.ref, "%s", kept);
    assert_int_equal(outbox_each(ob, find, &it), 0);
    assert_string_equal(it.state, "refused");
    assert_non_null(strstr(it.note, "decrypted"));
    secret_free(&other);
    /* the row seal takes the last secret loaded (secret_current): the site's again */
    secret_free(&t.sec);
    assert_int_equal(secret_load(t.key, &t.sec), 0);
    outbox_close(&ob);
}

/* ---- PostgreSQL: a real outage ------------------------------------------------ */

/* The test's database name and a URL to the server's "postgres" database. */
static void pg_names(char *db, size_t dcap, char *admin, size_t acap)
{
    const char *base = getenv("KIOSK_TEST_PG");
    const char *slash = strrchr(base, '/');
    snprintf(db, dcap, "%.*s", (int)strcspn(slash + 1, "?"), slash + 1);
    snprintf(admin, acap, "%.*s/postgres", (int)(slash - base), base);
}

static void test_pg_outage_kept_and_filed(void **state)
{
    (void)state;
    char db[64], admin[300], sql[200];
    pg_names(db, sizeof db, admin, sizeof admin);
    struct outbox *ob = NULL;
    assert_int_equal(outbox_open(box_path, &ob), 0);
    /* the server goes away for us: no new connections, ours cut */
    snprintf(sql, sizeof sql, "ALTER DATABASE %s WITH ALLOW_CONNECTIONS false", db);
    assert_int_equal(testdb_pg_exec(admin, sql), 0);
    snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                              "datname = '%s' AND pid <> pg_backend_pid()", db);
    assert_int_equal(testdb_pg_exec(admin, sql), 0);
    usleep(200 * 1000);
    struct bed_form f;
    form_for(404, &f);
    char ref[33] = "", at[32];
    struct actor who = {.name = "resident@LH-TEST-01"};
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    int err = bed_submit(t.st, t.sec, &who, &f, ref);
    clock_gettime(CLOCK_MONOTONIC, &b);
    assert_true(kerr_is_offline(err));
    assert_true((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < 1000);
    assert_int_equal(outbox_add(ob, t.sec, who.name, &f, ref, at), 0);
    int filed, refused;
    err = outbox_deliver(ob, t.st, t.sec, &filed, &refused);   /* still away: kept */
    assert_true(kerr_is_offline(err));
    assert_int_equal(filed, 0);
    /* back: the store reconnects by itself (polled), the delivery files it */
    snprintf(sql, sizeof sql, "ALTER DATABASE %s WITH ALLOW_CONNECTIONS true", db);
    assert_int_equal(testdb_pg_exec(admin, sql), 0);
    int polls = 0;
    while (store_ping(t.st) != 0 && polls++ < 600)
        usleep(100 * 1000);
    print_message("reconnected after %d polls of 100 ms\n", polls);
    assert_int_equal(store_ping(t.st), 0);
    assert_int_equal(outbox_deliver(ob, t.st, t.sec, &filed, &refused), 0);
    if (filed != 1) {
        struct outbox_item it = {0};
        snprintf(it.ref, sizeof it.ref, "%s", ref);
        outbox_each(ob, find, &it);
        outbox_close(&ob);
        fail_msg("not filed: %d refused; %s: %s", refused, it.state, it.note);
    }
    assert_int_equal(apps_with_ref(ref), 1);
    outbox_close(&ob);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kept_then_filed_once),
        cmocka_unit_test(test_refused_kept_for_the_office),
        cmocka_unit_test(test_pg_outage_kept_and_filed),
    };
    /* the outage needs a server to take away */
    return _cmocka_run_group_tests("test_outbox", tests, testdb_is_pg() ? 3 : 2, setup, teardown);
}
