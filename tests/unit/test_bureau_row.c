/* test_bureau_row.c — unit tests for kiosk/bureau_row.c: the header check,
 * the validation of every column of a bureau row (SPEC §4) with the exact
 * messages a street office sees, defaults, and the date codec. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kiosk/bureau_row.h"
#include "kiosk/err.h"
#include "kiosk/queue_types.h"

/* ---- helpers ------------------------------------------------------------------ */

/* Every problem reported through the sink, kept in order. */
struct errs {
    int n;
    long line[32];
    char col[32][32];
    char msg[32][256];
};

static void collect(void *ctx, long line, const char *col, const char *msg)
{
    struct errs *e = ctx;
    assert_true(e->n < 32);
    e->line[e->n] = line;
    snprintf(e->col[e->n], sizeof e->col[0], "%s", col);
    snprintf(e->msg[e->n], sizeof e->msg[0], "%s", msg);
    e->n++;
}

/* A record whose fields are the given strings (the CSV reader is tested on
 * its own; here the fields are what matters). */
static void make_rec(struct csv_record *rec, long line, int n, const char *const *f)
{
    memset(rec, 0, sizeof *rec);
    rec->line = line;
    rec->n = n;
    for (int i = 0; i < n; i++) {
        rec->field[i] = f[i];
        rec->len[i] = strlen(f[i]);
    }
}

static const char *const all_cols[] = {
    "receipt_no", "id_number", "name", "household_size", "hukou_district", "tier",
    "wait_since", "insured_since", "hukou_since", "lottery_no", "status",
};
#define N_ALL 11

/* A header with every column, in the order of all_cols. */
static void full_header(struct bureau_header *h)
{
    struct csv_record rec;
    struct errs e = { 0 };
    make_rec(&rec, 1, N_ALL, all_cols);
    assert_int_equal(bureau_header_parse(&rec, h, collect, &e), 0);
    assert_int_equal(e.n, 0);
}

/* A valid row for full_header, as an array we can spoil one field of. */
static void good_fields(const char *f[N_ALL])
{
    static const char *const good[N_ALL] = {
        "SZ2019-000123", "11010519491231002X", "张三丰", "3", "罗湖区", "1",
        "2019-03-01", "2015-07-15", "2000-02-29", "42", "frozen",
    };
    memcpy(f, good, sizeof good);
}

/* Parse a full-header row with column col set to value; return the errors. */
static int parse_with(int col, const char *value, struct bureau_row *row, struct errs *e)
{
    struct bureau_header h;
    struct csv_record rec;
    const char *f[N_ALL];
    full_header(&h);
    good_fields(f);
    if (col >= 0)
        f[col] = value;
    make_rec(&rec, 7, N_ALL, f);
    memset(e, 0, sizeof *e);
    return bureau_row_parse(&h, &rec, row, collect, e);
}

/* Column col set to value gives exactly one problem, with this message. */
static void expect_one(int col, const char *value, const char *msg)
{
    struct bureau_row row;
    struct errs e;
    int rc = parse_with(col, value, &row, &e);
    if (e.n != 1)
        fail_msg("%s=\"%s\": %d problems (first: %s)", bureau_col_name[col], value, e.n,
                 e.n ? e.msg[0] : "none");
    assert_int_equal(rc, KERR_INPUT);
    assert_int_equal(e.line[0], 7);
    assert_string_equal(e.col[0], bureau_col_name[col]);
    assert_string_equal(e.msg[0], msg);
}

static void expect_ok(int col, const char *value, struct bureau_row *row)
{
    struct errs e;
    int rc = parse_with(col, value, row, &e);
    if (rc != 0 || e.n != 0)
        fail_msg("%s=\"%s\": %s", bureau_col_name[col], value, e.n ? e.msg[0] : "rc only");
}

static int32_t date_of(const char *s)
{
    int32_t d = 0;
    assert_int_equal(date_parse(s, &d), 0);
    return d;
}

/* ---- header ---------------------------------------------------------------------- */

static void test_column_names(void **state)
{
    (void)state;
    for (int c = 0; c < BCOL__COUNT; c++)
        assert_string_equal(bureau_col_name[c], all_cols[c]);
}

static void test_header_any_order(void **state)
{
    (void)state;
    static const char *const f[] = { "status", "name", "household_size", "wait_since",
                                     "id_number", "receipt_no" };
    struct csv_record rec;
    struct bureau_header h;
    struct errs e = { 0 };
    make_rec(&rec, 1, 6, f);
    assert_int_equal(bureau_header_parse(&rec, &h, collect, &e), 0);
    assert_int_equal(e.n, 0);
    assert_int_equal(h.n_fields, 6);
    assert_int_equal(h.index[BCOL_STATUS], 0);
    assert_int_equal(h.index[BCOL_NAME], 1);
    assert_int_equal(h.index[BCOL_HOUSEHOLD_SIZE], 2);
    assert_int_equal(h.index[BCOL_WAIT_SINCE], 3);
    assert_int_equal(h.index[BCOL_ID_NUMBER], 4);
    assert_int_equal(h.index[BCOL_RECEIPT_NO], 5);
    assert_int_equal(h.index[BCOL_TIER], -1);
    assert_int_equal(h.index[BCOL_HUKOU_DISTRICT], -1);
    assert_int_equal(h.index[BCOL_INSURED_SINCE], -1);
    assert_int_equal(h.index[BCOL_HUKOU_SINCE], -1);
    assert_int_equal(h.index[BCOL_LOTTERY_NO], -1);

    full_header(&h);
    for (int c = 0; c < BCOL__COUNT; c++)
        assert_int_equal(h.index[c], c);
}

static void test_header_missing_required(void **state)
{
    (void)state;
    static const char *const req[] = { "receipt_no", "id_number", "name", "household_size" };
    for (int miss = 0; miss < 4; miss++) {
        const char *f[4];
        int n = 0;
        for (int i = 0; i < 4; i++)
            if (i != miss)
                f[n++] = req[i];
        f[n++] = "tier";
        struct csv_record rec;
        struct bureau_header h;
        struct errs e = { 0 };
        make_rec(&rec, 1, n, f);
        assert_int_equal(bureau_header_parse(&rec, &h, collect, &e), KERR_INPUT);
        assert_int_equal(e.n, 1);
        assert_int_equal(e.line[0], 1);
        assert_string_equal(e.col[0], "header");
        char want[80];
        snprintf(want, sizeof want, "required column \"%s\" is missing", req[miss]);
        assert_string_equal(e.msg[0], want);
    }
}

static void test_header_unknown_and_duplicate(void **state)
{
    (void)state;
    struct csv_record rec;
    struct bureau_header h;
    struct errs e = { 0 };

    static const char *const unk[] = { "receipt_no", "id_number", "name", "household_size", "phone" };
    make_rec(&rec, 1, 5, unk);
    assert_int_equal(bureau_header_parse(&rec, &h, collect, &e), KERR_INPUT);
    assert_int_equal(e.n, 1);
    assert_string_equal(e.col[0], "header");
    assert_string_equal(e.msg[0], "unknown column \"phone\"");

    /* Names are exact: no case folding, no trimming. */
    static const char *const near[] = { "receipt_no", "id_number", "Name", "household_size ", "" };
    memset(&e, 0, sizeof e);
    make_rec(&rec, 1, 5, near);
    assert_int_equal(bureau_header_parse(&rec, &h, collect, &e), KERR_INPUT);
    assert_int_equal(e.n, 5);
    assert_string_equal(e.msg[0], "unknown column \"Name\"");
    assert_string_equal(e.msg[1], "unknown column \"household_size \"");
    assert_string_equal(e.msg[2], "unknown column \"\"");
    assert_string_equal(e.msg[3], "required column \"name\" is missing");
    assert_string_equal(e.msg[4], "required column \"household_size\" is missing");

    static const char *const dup[] = { "receipt_no", "tier", "id_number", "name", "household_size", "tier" };
    memset(&e, 0, sizeof e);
    make_rec(&rec, 1, 6, dup);
    assert_int_equal(bureau_header_parse(&rec, &h, collect, &e), KERR_INPUT);
    assert_int_equal(e.n, 1);
    assert_string_equal(e.col[0], "header");
    assert_string_equal(e.msg[0], "column \"tier\" appears more than once");

    /* All at once: every problem is reported. */
    static const char *const many[] = { "receipt_no", "receipt_no", "foo", "name", "bar\x01" };
    memset(&e, 0, sizeof e);
    make_rec(&rec, 1, 5, many);
    assert_int_equal(bureau_header_parse(&rec, &h, collect, &e), KERR_INPUT);
    assert_int_equal(e.n, 5);
    assert_string_equal(e.msg[0], "column \"receipt_no\" appears more than once");
    assert_string_equal(e.msg[1], "unknown column \"foo\"");
    assert_string_equal(e.msg[2], "unknown column \"bar\\x01\"");   /* control char shown escaped */
    assert_string_equal(e.msg[3], "required column \"id_number\" is missing");
    assert_string_equal(e.msg[4], "required column \"household_size\" is missing");
}

/* ---- good rows and defaults --------------------------------------------------------- */

static void test_full_row(void **state)
{
    (void)state;
    struct bureau_row row;
    expect_ok(-1, NULL, &row);
    assert_string_equal(row.receipt_no, "SZ2019-000123");
    assert_string_equal(row.id_number, "11010519491231002X");
    assert_string_equal(row.name, "张三丰");
    assert_int_equal(row.household_size, 3);
    assert_string_equal(row.hukou_district, "罗湖区");
    assert_int_equal(row.tier, 1);
    assert_int_equal(row.wait_since, 17956);       /* 2019-03-01 */
    assert_int_equal(row.insured_since, 16631);    /* 2015-07-15 */
    assert_int_equal(row.hukou_since, 11016);      /* 2000-02-29 */
    assert_int_equal(row.lottery_no, 42);
    assert_int_equal(row.status, ST_FROZEN);
}

static void test_defaults_required_only(void **state)
{
    (void)state;
    static const char *const hf[] = { "name", "receipt_no", "household_size", "id_number" };
    static const char *const rf[] = { "李四", "R1", "20", "11010519491231002x" };
    struct csv_record rec;
    struct bureau_header h;
    struct bureau_row row;
    struct errs e = { 0 };
    make_rec(&rec, 1, 4, hf);
    assert_int_equal(bureau_header_parse(&rec, &h, collect, &e), 0);
    make_rec(&rec, 2, 4, rf);
    memset(&row, 0x5a, sizeof row);
    assert_int_equal(bureau_row_parse(&h, &rec, &row, collect, &e), 0);
    assert_int_equal(e.n, 0);
    assert_string_equal(row.receipt_no, "R1");
    assert_string_equal(row.id_number, "11010519491231002X");   /* x stored as X */
    assert_string_equal(row.name, "李四");
    assert_int_equal(row.household_size, 20);
    assert_string_equal(row.hukou_district, "");
    assert_int_equal(row.tier, 0);
    assert_int_equal(row.wait_since, DATE_NONE);
    assert_int_equal(row.insured_since, DATE_NONE);
    assert_int_equal(row.hukou_since, DATE_NONE);
    assert_int_equal(row.lottery_no, -1);
    assert_int_equal(row.status, ST_WAITING);
}

static void test_defaults_empty_optional(void **state)
{
    (void)state;
    struct bureau_header h;
    struct csv_record rec;
    struct bureau_row row;
    struct errs e = { 0 };
    const char *f[N_ALL];
    full_header(&h);
    good_fields(f);
    for (int c = BCOL_HUKOU_DISTRICT; c < BCOL__COUNT; c++)
        f[c] = "";
    make_rec(&rec, 3, N_ALL, f);
    assert_int_equal(bureau_row_parse(&h, &rec, &row, collect, &e), 0);
    assert_int_equal(e.n, 0);
    assert_string_equal(row.hukou_district, "");
    assert_int_equal(row.tier, 0);
    assert_int_equal(row.wait_since, DATE_NONE);
    assert_int_equal(row.insured_since, DATE_NONE);
    assert_int_equal(row.hukou_since, DATE_NONE);
    assert_int_equal(row.lottery_no, -1);
    assert_int_equal(row.status, ST_WAITING);
}

/* ---- bad values, column by column ----------------------------------------------------- */

static void test_receipt_no(void **state)
{
    (void)state;
    static const char *const msg = "must be 1–32 printable ASCII characters";
    struct bureau_row row;
    expect_one(BCOL_RECEIPT_NO, "", msg);
    expect_one(BCOL_RECEIPT_NO, "123456789012345678901234567890123", msg);   /* 33 */
    expect_one(BCOL_RECEIPT_NO, "回执1", msg);
    expect_one(BCOL_RECEIPT_NO, "A 1", msg);
    expect_one(BCOL_RECEIPT_NO, "A\t1", msg);
    expect_one(BCOL_RECEIPT_NO, "A\x7f", msg);
    expect_ok(BCOL_RECEIPT_NO, "12345678901234567890123456789012", &row);    /* 32 */
    assert_string_equal(row.receipt_no, "12345678901234567890123456789012");
    expect_ok(BCOL_RECEIPT_NO, "!", &row);
    expect_ok(BCOL_RECEIPT_NO, "~a-Z_0/#", &row);
}

static void test_id_number(void **state)
{
    (void)state;
    struct bureau_row row;
    expect_one(BCOL_ID_NUMBER, "440303199001010001", "check character is wrong (expected 7)");
    expect_one(BCOL_ID_NUMBER, "11010519491231002", "must be 18 characters");
    expect_one(BCOL_ID_NUMBER, "", "must be 18 characters");
    expect_one(BCOL_ID_NUMBER, "1101051949123100A2", "must be 17 digits then a digit or X");
    expect_one(BCOL_ID_NUMBER, "110105199902300020", "birth date is not a real date");
    expect_ok(BCOL_ID_NUMBER, "440303199001010007", &row);
    assert_string_equal(row.id_number, "440303199001010007");
    expect_ok(BCOL_ID_NUMBER, "11010519491231002x", &row);
    assert_string_equal(row.id_number, "11010519491231002X");
    /* The number itself never appears in a message (personal data). */
    struct errs e;
    parse_with(BCOL_ID_NUMBER, "440303199001010001", &row, &e);
    assert_null(strstr(e.msg[0], "4403"));
}

static void test_name(void **state)
{
    (void)state;
    struct bureau_row row;
    char n64[64 * 4 + 1] = "", n65[65 * 4 + 1] = "";
    for (int i = 0; i < 64; i++)
        strcat(n64, "\xF0\xA0\x80\x80");     /* a 4-byte character: 256 bytes in all */
    strcpy(n65, n64);
    strcat(n65, "a");
    expect_ok(BCOL_NAME, n64, &row);
    assert_string_equal(row.name, n64);
    expect_one(BCOL_NAME, n65, "must be 1–64 characters");
    expect_one(BCOL_NAME, "", "must be 1–64 characters");
    char a64[65], a65[66];
    memset(a64, 'a', 64);
    a64[64] = '\0';
    memset(a65, 'a', 65);
    a65[65] = '\0';
    expect_ok(BCOL_NAME, a64, &row);
    expect_one(BCOL_NAME, a65, "must be 1–64 characters");
    expect_ok(BCOL_NAME, "李", &row);
    expect_ok(BCOL_NAME, "阿依古丽·买买提", &row);
    expect_ok(BCOL_NAME, "Li Lei", &row);

    expect_one(BCOL_NAME, "张\xFF", "is not valid UTF-8");
    expect_one(BCOL_NAME, "\xE5\xBC", "is not valid UTF-8");          /* truncated */
    expect_one(BCOL_NAME, "\xC0\xAF", "is not valid UTF-8");          /* overlong */
    expect_one(BCOL_NAME, "\xED\xA0\x80", "is not valid UTF-8");      /* surrogate */
    expect_one(BCOL_NAME, "\xF4\x90\x80\x80", "is not valid UTF-8");  /* > U+10FFFF */
    expect_one(BCOL_NAME, "\x80", "is not valid UTF-8");
    expect_one(BCOL_NAME, "张\t三", "must not contain control characters");
    expect_one(BCOL_NAME, "张\n三", "must not contain control characters");
    expect_one(BCOL_NAME, "\x7f", "must not contain control characters");
    expect_one(BCOL_NAME, "a\xC2\x85", "must not contain control characters");  /* C1 NEL */
}

static void test_household_size(void **state)
{
    (void)state;
    struct bureau_row row;
    expect_one(BCOL_HOUSEHOLD_SIZE, "0", "must be an integer from 1 to 20 (got \"0\")");
    expect_one(BCOL_HOUSEHOLD_SIZE, "21", "must be an integer from 1 to 20 (got \"21\")");
    expect_one(BCOL_HOUSEHOLD_SIZE, "", "must be an integer from 1 to 20 (got \"\")");
    expect_one(BCOL_HOUSEHOLD_SIZE, "-1", "must be an integer from 1 to 20 (got \"-1\")");
    expect_one(BCOL_HOUSEHOLD_SIZE, "+3", "must be an integer from 1 to 20 (got \"+3\")");
    expect_one(BCOL_HOUSEHOLD_SIZE, " 3", "must be an integer from 1 to 20 (got \" 3\")");
    expect_one(BCOL_HOUSEHOLD_SIZE, "3 ", "must be an integer from 1 to 20 (got \"3 \")");
    expect_one(BCOL_HOUSEHOLD_SIZE, "2.0", "must be an integer from 1 to 20 (got \"2.0\")");
    expect_one(BCOL_HOUSEHOLD_SIZE, "三", "must be an integer from 1 to 20 (got \"三\")");
    expect_one(BCOL_HOUSEHOLD_SIZE, "99999999999999999999999",
               "must be an integer from 1 to 20 (got \"99999999999999999999999\")");
    expect_ok(BCOL_HOUSEHOLD_SIZE, "1", &row);
    assert_int_equal(row.household_size, 1);
    expect_ok(BCOL_HOUSEHOLD_SIZE, "20", &row);
    assert_int_equal(row.household_size, 20);
    expect_ok(BCOL_HOUSEHOLD_SIZE, "05", &row);
    assert_int_equal(row.household_size, 5);
}

static void test_hukou_district(void **state)
{
    (void)state;
    struct bureau_row row;
    char b128[129], b129[130];
    memset(b128, 'd', 128);
    b128[128] = '\0';
    memset(b129, 'd', 129);
    b129[129] = '\0';
    expect_ok(BCOL_HUKOU_DISTRICT, b128, &row);
    assert_string_equal(row.hukou_district, b128);
    expect_one(BCOL_HUKOU_DISTRICT, b129, "must be at most 128 bytes (got 129)");
    expect_one(BCOL_HUKOU_DISTRICT, "罗湖\xFF", "is not valid UTF-8");
    expect_one(BCOL_HUKOU_DISTRICT, "罗\r湖", "must not contain control characters");
    expect_ok(BCOL_HUKOU_DISTRICT, "福田区 (Futian)", &row);
    assert_string_equal(row.hukou_district, "福田区 (Futian)");
}

/* tier and lottery_no share their rules. */
static void check_count_column(int col)
{
    struct bureau_row row;
    char want[160];
    static const char *const bad[] = { "-1", "+1", " 1", "1 ", "1.5", "1e3", "0x10", "abc", "１" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(want, sizeof want, "must be an integer ≥ 0, digits only (got \"%s\")", bad[i]);
        expect_one(col, bad[i], want);
    }
    expect_one(col, "9223372036854775808",
               "is too large (at most 9223372036854775807, got \"9223372036854775808\")");
    expect_one(col, "99999999999999999999",
               "is too large (at most 9223372036854775807, got \"99999999999999999999\")");
    int64_t *field = col == BCOL_TIER ? &row.tier : &row.lottery_no;
    expect_ok(col, "9223372036854775807", &row);
    assert_true(*field == INT64_MAX);
    expect_ok(col, "0", &row);
    assert_true(*field == 0);
    expect_ok(col, "000123", &row);
    assert_true(*field == 123);
    expect_ok(col, "", &row);
    assert_true(*field == (col == BCOL_TIER ? 0 : -1));
}

static void test_tier(void **state)
{
    (void)state;
    check_count_column(BCOL_TIER);
}

static void test_lottery_no(void **state)
{
    (void)state;
    check_count_column(BCOL_LOTTERY_NO);
}

static void check_date_column(int col)
{
    struct bureau_row row;
    char want[160];
    static const char *const bad[] = {
        "2023-02-30", "2023-02-29", "1900-02-29", "2100-02-29", "2023-04-31", "2023-13-01",
        "2023-00-10", "2023-01-00", "2023-01-32", "1899-12-31", "2200-01-01", "2023-2-3",
        "2023/02/03", "20230203", " 2023-02-03", "2023-02-03 ", "2023-02-03T00:00", "yesterday",
        "+023-02-03",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(want, sizeof want, "\"%s\" is not a real date (YYYY-MM-DD)", bad[i]);
        expect_one(col, bad[i], want);
    }
    int32_t *field = col == BCOL_WAIT_SINCE ? &row.wait_since
                   : col == BCOL_INSURED_SINCE ? &row.insured_since : &row.hukou_since;
    expect_ok(col, "2024-02-29", &row);
    assert_int_equal(*field, 19782);
    expect_ok(col, "2000-02-29", &row);
    assert_int_equal(*field, 11016);
    expect_ok(col, "1900-01-01", &row);
    assert_int_equal(*field, -25567);
    expect_ok(col, "2199-12-31", &row);
    assert_int_equal(*field, 84005);
    expect_ok(col, "", &row);
    assert_int_equal(*field, DATE_NONE);
}

static void test_dates(void **state)
{
    (void)state;
    check_date_column(BCOL_WAIT_SINCE);
    check_date_column(BCOL_INSURED_SINCE);
    check_date_column(BCOL_HUKOU_SINCE);
}

static void test_status(void **state)
{
    (void)state;
    static const char *const tail = " (waiting, frozen, offered, housed, withdrawn, removed)";
    char want[200];
    static const char *const bad[] = { "foo", "Waiting", "waiting ", "0" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(want, sizeof want, "unknown status \"%s\"%s", bad[i], tail);
        expect_one(BCOL_STATUS, bad[i], want);
    }
    struct bureau_row row;
    static const struct { const char *s; int st; } ok[] = {
        { "waiting", ST_WAITING }, { "frozen", ST_FROZEN }, { "offered", ST_OFFERED },
        { "housed", ST_HOUSED }, { "withdrawn", ST_WITHDRAWN }, { "removed", ST_REMOVED },
        { "", ST_WAITING },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        expect_ok(BCOL_STATUS, ok[i].s, &row);
        assert_int_equal(row.status, ok[i].st);
    }
}

/* Bad values are quoted back safely: escaped, and cut when long. */
static void test_quoted_values_in_messages(void **state)
{
    (void)state;
    expect_one(BCOL_TIER, "1\x1b[2J", "must be an integer ≥ 0, digits only (got \"1\\x1B[2J\")");
    expect_one(BCOL_STATUS, "say \"hi\"",
               "unknown status \"say \\\"hi\\\"\" (waiting, frozen, offered, housed, withdrawn, removed)");
    char long_val[200];
    memset(long_val, 'z', sizeof long_val - 1);
    long_val[sizeof long_val - 1] = '\0';
    struct bureau_row row;
    struct errs e;
    parse_with(BCOL_WAIT_SINCE, long_val, &row, &e);
    assert_int_equal(e.n, 1);
    assert_true(strlen(e.msg[0]) < 100);
    assert_non_null(strstr(e.msg[0], "\"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz…\""));
}

/* ---- whole rows -------------------------------------------------------------------------- */

static void test_field_count_mismatch(void **state)
{
    (void)state;
    static const char *const hf[] = { "receipt_no", "id_number", "name", "household_size" };
    static const char *const more[] = { "R1", "11010519491231002X", "张三", "3", "extra" };
    static const char *const fewer[] = { "R1", "11010519491231002X", "张三" };
    static const char *const one[] = { "R1" };
    struct csv_record rec;
    struct bureau_header h;
    struct bureau_row row;
    struct errs e = { 0 };
    make_rec(&rec, 1, 4, hf);
    assert_int_equal(bureau_header_parse(&rec, &h, collect, &e), 0);

    make_rec(&rec, 9, 5, more);
    assert_int_equal(bureau_row_parse(&h, &rec, &row, collect, &e), KERR_INPUT);
    assert_int_equal(e.n, 1);
    assert_int_equal(e.line[0], 9);
    assert_string_equal(e.col[0], "row");
    assert_string_equal(e.msg[0], "has 5 fields, the header has 4");

    memset(&e, 0, sizeof e);
    make_rec(&rec, 10, 3, fewer);
    assert_int_equal(bureau_row_parse(&h, &rec, &row, collect, &e), KERR_INPUT);
    assert_int_equal(e.n, 1);
    assert_string_equal(e.col[0], "row");
    assert_string_equal(e.msg[0], "has 3 fields, the header has 4");

    memset(&e, 0, sizeof e);
    make_rec(&rec, 11, 1, one);
    assert_int_equal(bureau_row_parse(&h, &rec, &row, collect, &e), KERR_INPUT);
    assert_string_equal(e.msg[0], "has 1 field, the header has 4");
}

static void test_every_problem_reported(void **state)
{
    (void)state;
    struct bureau_header h;
    struct csv_record rec;
    struct bureau_row row;
    struct errs e = { 0 };
    static const char *const f[N_ALL] = {
        "", "440303199001010001", "", "0", "a\x01", "-1",
        "2023-02-30", "x", "2023-02-28", "1.0", "foo",
    };
    full_header(&h);
    make_rec(&rec, 12, N_ALL, f);
    assert_int_equal(bureau_row_parse(&h, &rec, &row, collect, &e), KERR_INPUT);
    assert_int_equal(e.n, 10);
    static const char *const want_col[] = {
        "receipt_no", "id_number", "name", "household_size", "hukou_district", "tier",
        "wait_since", "insured_since", "lottery_no", "status",
    };
    static const char *const want_msg[] = {
        "must be 1–32 printable ASCII characters",
        "check character is wrong (expected 7)",
        "must be 1–64 characters",
        "must be an integer from 1 to 20 (got \"0\")",
        "must not contain control characters",
        "must be an integer ≥ 0, digits only (got \"-1\")",
        "\"2023-02-30\" is not a real date (YYYY-MM-DD)",
        "\"x\" is not a real date (YYYY-MM-DD)",
        "must be an integer ≥ 0, digits only (got \"1.0\")",
        "unknown status \"foo\" (waiting, frozen, offered, housed, withdrawn, removed)",
    };
    for (int i = 0; i < 10; i++) {
        assert_int_equal(e.line[i], 12);
        assert_string_equal(e.col[i], want_col[i]);
        assert_string_equal(e.msg[i], want_msg[i]);
    }
    /* A NULL sink is allowed: the result is the same. */
    assert_int_equal(bureau_row_parse(&h, &rec, &row, NULL, NULL), KERR_INPUT);
}

/* ---- dates ---------------------------------------------------------------------------------- */

static void test_date_parse_known(void **state)
{
    (void)state;
    assert_int_equal(date_of("1970-01-01"), 0);
    assert_int_equal(date_of("1969-12-31"), -1);
    assert_int_equal(date_of("1970-01-02"), 1);
    assert_int_equal(date_of("2000-01-01"), 10957);
    assert_int_equal(date_of("2000-03-01"), 11017);
    assert_int_equal(date_of("2023-02-28"), 19416);
    assert_int_equal(date_of("1900-01-01"), -25567);
    assert_int_equal(date_of("2199-12-31"), 84005);
    int32_t d = 12345;
    assert_int_equal(date_parse("1900-02-29", &d), KERR_INPUT);
    assert_int_equal(date_parse("2100-02-29", &d), KERR_INPUT);
    assert_int_equal(date_parse("", &d), KERR_INPUT);
    assert_int_equal(date_parse(NULL, &d), KERR_INPUT);
    assert_int_equal(d, 12345);       /* untouched on failure */
}

/* Every day from 1900 to 2199: parse and format are inverse, days are
 * consecutive, and the calendar has the right length. */
static void test_date_round_trip_all_days(void **state)
{
    (void)state;
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int32_t expect = -25567;
    char s[16], back[11];
    for (int y = 1900; y <= 2199; y++) {
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        for (int m = 1; m <= 12; m++) {
            int dim = mdays[m - 1] + (m == 2 && leap);
            for (int d = 1; d <= dim + 1; d++) {
                snprintf(s, sizeof s, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
                int32_t days;
                if (d > dim) {
                    assert_int_equal(date_parse(s, &days), KERR_INPUT);
                    continue;
                }
                assert_int_equal(date_parse(s, &days), 0);
                assert_int_equal(days, expect);
                date_format(days, back);
                assert_string_equal(back, s);
                expect++;
            }
        }
    }
    assert_int_equal(expect, 84006);
}

static void test_date_format_out_of_range(void **state)
{
    (void)state;
    char out[11];
    memset(out, 'Z', sizeof out);
    date_format(DATE_NONE, out);
    assert_string_equal(out, "");
    date_format(-25568, out);         /* 1899-12-31 */
    assert_string_equal(out, "");
    date_format(84006, out);          /* 2200-01-01 */
    assert_string_equal(out, "");
    date_format(INT32_MAX, out);
    assert_string_equal(out, "");
    date_format(0, out);
    assert_string_equal(out, "1970-01-01");
}

/* Issue 11: names and districts that look like something else (bidi
 * overrides, zero-width characters) and cells a spreadsheet would run. */
static void test_invisible_and_formula_cells(void **state)
{
    (void)state;
    static const char invis[] = "must not contain invisible or direction-changing characters "
                                "(zero-width, bidi override)";
    static const char formula[] = "must not start with = + - @ (a spreadsheet formula)";
    expect_one(BCOL_NAME, "张\u202e三丰", invis);        /* RIGHT-TO-LEFT OVERRIDE */
    expect_one(BCOL_NAME, "张\u200b三", invis);          /* ZERO WIDTH SPACE */
    expect_one(BCOL_NAME, "\ufeff张三", invis);          /* a BOM inside the name */
    expect_one(BCOL_HUKOU_DISTRICT, "罗湖\u2066区", invis);   /* LEFT-TO-RIGHT ISOLATE */
    expect_one(BCOL_NAME, "=HYPERLINK(\"http://x\")", formula);
    expect_one(BCOL_NAME, "@SUM(1)", formula);
    expect_one(BCOL_HUKOU_DISTRICT, "+cmd|' /C calc'!A0", formula);
    expect_one(BCOL_HUKOU_DISTRICT, "\uff1d1+1", formula);      /* full-width ＝ */
    expect_one(BCOL_RECEIPT_NO, "=1+2", formula);
    expect_one(BCOL_RECEIPT_NO, "-5", formula);
    /* inside a value, the same characters are just text */
    struct bureau_row row;
    struct errs e;
    assert_int_equal(parse_with(BCOL_NAME, "Li-Lei", &row, &e), 0);
    assert_int_equal(parse_with(BCOL_RECEIPT_NO, "SZ-2019=1", &row, &e), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_column_names),
        cmocka_unit_test(test_header_any_order),
        cmocka_unit_test(test_header_missing_required),
        cmocka_unit_test(test_header_unknown_and_duplicate),
        cmocka_unit_test(test_full_row),
        cmocka_unit_test(test_defaults_required_only),
        cmocka_unit_test(test_defaults_empty_optional),
        cmocka_unit_test(test_receipt_no),
        cmocka_unit_test(test_id_number),
        cmocka_unit_test(test_name),
        cmocka_unit_test(test_household_size),
        cmocka_unit_test(test_hukou_district),
        cmocka_unit_test(test_invisible_and_formula_cells),
        cmocka_unit_test(test_tier),
        cmocka_unit_test(test_lottery_no),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_status),
        cmocka_unit_test(test_quoted_values_in_messages),
        cmocka_unit_test(test_field_count_mismatch),
        cmocka_unit_test(test_every_problem_reported),
        cmocka_unit_test(test_date_parse_known),
        cmocka_unit_test(test_date_round_trip_all_days),
        cmocka_unit_test(test_date_format_out_of_range),
    };
    return cmocka_run_group_tests_name("bureau_row", tests, NULL, NULL);
}
