/* test_csv.c — unit tests for kiosk/csv.c, the streaming RFC 4180 reader and
 * field writer: BOM, quoting, line ends, physical line numbers, every error,
 * and records that straddle the reader's internal read chunks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kiosk/csv.h"
#include "kiosk/err.h"

/* ---- helpers ---------------------------------------------------------------- */

/* A read-only stream holding exactly n bytes of s (tmpfile, not fmemopen:
 * fmemopen treats a NUL as the end of a text buffer). */
static FILE *stream_of(const char *s, size_t n)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    if (n)
        assert_int_equal(fwrite(s, 1, n, f), n);
    rewind(f);
    return f;
}

struct rd {
    FILE *f;
    struct csv_reader *r;
    struct csv_record rec;
};

static void rd_open(struct rd *t, const char *s, size_t n)
{
    t->f = stream_of(s, n);
    t->r = csv_new(t->f);
    assert_non_null(t->r);
}

static void rd_close(struct rd *t)
{
    csv_free(&t->r);
    assert_null(t->r);
    fclose(t->f);
}

/* Expect the next record to be on line `line` with the given fields. */
static void expect_rec(struct rd *t, long line, int n, ...)
{
    int rc = csv_next(t->r, &t->rec);
    if (rc != 1)
        fail_msg("csv_next returned %d (%s), expected a record on line %ld", rc, kerr_detail(), line);
    assert_int_equal(t->rec.line, line);
    assert_int_equal(t->rec.n, n);
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        const char *want = va_arg(ap, const char *);
        assert_string_equal(t->rec.field[i], want);
        assert_int_equal(t->rec.len[i], strlen(want));
    }
    va_end(ap);
}

static void expect_end(struct rd *t)
{
    assert_int_equal(csv_next(t->r, &t->rec), 0);
    assert_int_equal(csv_next(t->r, &t->rec), 0);   /* and it stays at the end */
}

static void expect_error(struct rd *t, const char *detail)
{
    kerr_clear();
    assert_int_equal(csv_next(t->r, &t->rec), KERR_INPUT);
    assert_string_equal(kerr_detail(), detail);
    /* A malformed stream stays failed, with the same detail. */
    kerr_clear();
    assert_int_equal(csv_next(t->r, &t->rec), KERR_INPUT);
    assert_string_equal(kerr_detail(), detail);
}

#define OPEN(t, lit) rd_open((t), (lit), sizeof(lit) - 1)

/* ---- well-formed input -------------------------------------------------------- */

static void test_simple(void **state)
{
    (void)state;
    struct rd t;
    OPEN(&t, "a,b,c\n1,22,333\n");
    expect_rec(&t, 1, 3, "a", "b", "c");
    expect_rec(&t, 2, 3, "1", "22", "333");
    expect_end(&t);
    assert_int_equal(csv_offset(t.r), 15);
    rd_close(&t);
}

static void test_empty_input(void **state)
{
    (void)state;
    struct rd t;
    rd_open(&t, "", 0);
    expect_end(&t);
    rd_close(&t);
    OPEN(&t, "\n\n\r\n");
    expect_end(&t);
    rd_close(&t);
}

static void test_bom(void **state)
{
    (void)state;
    struct rd t;
    OPEN(&t, "\xEF\xBB\xBFreceipt_no,name\nR1,x\n");
    expect_rec(&t, 1, 2, "receipt_no", "name");
    expect_rec(&t, 2, 2, "R1", "x");
    expect_end(&t);
    assert_int_equal(csv_offset(t.r), 3 + 16 + 5);
    rd_close(&t);
    /* A BOM alone, a BOM and a quoted field, a BOM-like sequence later is data. */
    OPEN(&t, "\xEF\xBB\xBF");
    expect_end(&t);
    rd_close(&t);
    OPEN(&t, "\xEF\xBB\xBF\"a\"\na\xEF\xBB\xBF\n");
    expect_rec(&t, 1, 1, "a");
    expect_rec(&t, 2, 1, "a\xEF\xBB\xBF");
    expect_end(&t);
    rd_close(&t);
    /* Only a whole BOM is skipped. */
    OPEN(&t, "\xEF\xBB" "a\n");
    expect_rec(&t, 1, 1, "\xEF\xBB" "a");
    rd_close(&t);
}

static void test_quoting(void **state)
{
    (void)state;
    struct rd t;
    OPEN(&t, "\"a,b\",\"c\"\"d\",\"\",plain,\"\"\"\"\n"
             "\"\"\"start\",\"end\"\"\",\" spaced \"\n");
    expect_rec(&t, 1, 5, "a,b", "c\"d", "", "plain", "\"");
    expect_rec(&t, 2, 3, "\"start", "end\"", " spaced ");
    expect_end(&t);
    rd_close(&t);
}

static void test_empty_fields(void **state)
{
    (void)state;
    struct rd t;
    OPEN(&t, ",\n,,\na,\n,a\n\"\"\n");
    expect_rec(&t, 1, 2, "", "");
    expect_rec(&t, 2, 3, "", "", "");
    expect_rec(&t, 3, 2, "a", "");
    expect_rec(&t, 4, 2, "", "a");
    expect_rec(&t, 5, 1, "");           /* a quoted empty field is not a blank line */
    expect_end(&t);
    rd_close(&t);
}

static void test_crlf(void **state)
{
    (void)state;
    struct rd t;
    OPEN(&t, "a,b\r\nc,\"d\"\r\n\r\ne,f\n\"g\"\r\n");
    expect_rec(&t, 1, 2, "a", "b");
    expect_rec(&t, 2, 2, "c", "d");
    expect_rec(&t, 4, 2, "e", "f");
    expect_rec(&t, 5, 1, "g");
    expect_end(&t);
    rd_close(&t);
    /* A CR not followed by LF is data in an unquoted field. */
    OPEN(&t, "a\rb,c\n");
    expect_rec(&t, 1, 2, "a\rb", "c");
    expect_end(&t);
    rd_close(&t);
}

static void test_quoted_newlines_and_line_numbers(void **state)
{
    (void)state;
    struct rd t;
    OPEN(&t, "x,\"line1\nline2\",y\n"          /* lines 1–2 */
             "next,1,2\n"                       /* line 3 */
             "\"a\r\nb\",\"c,\n\nd\"\r\n"       /* lines 4–7 */
             "\n"                               /* line 8, blank */
             "last,\"\n\"\n"                    /* lines 9–10 */
             "end\n");                          /* line 11 */
    expect_rec(&t, 1, 3, "x", "line1\nline2", "y");
    expect_rec(&t, 3, 3, "next", "1", "2");
    expect_rec(&t, 4, 2, "a\r\nb", "c,\n\nd");
    expect_rec(&t, 9, 2, "last", "\n");
    expect_rec(&t, 11, 1, "end");
    expect_end(&t);
    rd_close(&t);
}

static void test_missing_final_newline(void **state)
{
    (void)state;
    struct rd t;
    OPEN(&t, "a,b\nc,d");
    expect_rec(&t, 1, 2, "a", "b");
    expect_rec(&t, 2, 2, "c", "d");
    expect_end(&t);
    rd_close(&t);
    OPEN(&t, "a,");
    expect_rec(&t, 1, 2, "a", "");
    expect_end(&t);
    rd_close(&t);
    OPEN(&t, "a,\"q\"\"\"");
    expect_rec(&t, 1, 2, "a", "q\"");
    expect_end(&t);
    rd_close(&t);
    OPEN(&t, "a\r");
    expect_rec(&t, 1, 1, "a");
    expect_end(&t);
    rd_close(&t);
    OPEN(&t, "\"a\"\r");
    expect_rec(&t, 1, 1, "a");
    expect_end(&t);
    rd_close(&t);
}

static void test_blank_lines(void **state)
{
    (void)state;
    struct rd t;
    OPEN(&t, "\n\na\n\r\n\nb\n\n");
    expect_rec(&t, 3, 1, "a");
    expect_rec(&t, 6, 1, "b");
    expect_end(&t);
    rd_close(&t);
    /* A line of blanks is not empty: it is one field. */
    OPEN(&t, " \n");
    expect_rec(&t, 1, 1, " ");
    expect_end(&t);
    rd_close(&t);
}

static void test_max_fields(void **state)
{
    (void)state;
    char line[3 * 70 + 2];
    size_t k = 0;
    for (int i = 0; i < CSV_MAX_FIELDS; i++)
        k += (size_t)snprintf(line + k, sizeof line - k, i ? ",%c" : "%c", 'a' + i % 26);
    line[k++] = '\n';
    struct rd t;
    rd_open(&t, line, k);
    assert_int_equal(csv_next(t.r, &t.rec), 1);
    assert_int_equal(t.rec.n, CSV_MAX_FIELDS);
    assert_string_equal(t.rec.field[CSV_MAX_FIELDS - 1], "l");
    expect_end(&t);
    rd_close(&t);
    /* one more */
    line[k - 1] = ',';
    line[k++] = 'z';
    line[k++] = '\n';
    char buf[300];
    memcpy(buf, "ok\n", 3);
    memcpy(buf + 3, line, k);
    rd_open(&t, buf, k + 3);
    expect_rec(&t, 1, 1, "ok");
    expect_error(&t, "2: more than 64 fields");
    rd_close(&t);
}

/* ---- errors ---------------------------------------------------------------------- */

static void test_unterminated_quote(void **state)
{
    (void)state;
    struct rd t;
    OPEN(&t, "a,b\nc,\"open\nmore\n");
    expect_rec(&t, 1, 2, "a", "b");
    expect_error(&t, "2: unterminated quoted field");
    rd_close(&t);
    /* The line reported is where the quote opened, after earlier newlines. */
    OPEN(&t, "h\n\"x\ny\",\"z\n\n");
    expect_rec(&t, 1, 1, "h");
    expect_error(&t, "3: unterminated quoted field");
    rd_close(&t);
    OPEN(&t, "\"");
    expect_error(&t, "1: unterminated quoted field");
    rd_close(&t);
    OPEN(&t, "\"abc\"\"");           /* ends on an escaped quote */
    expect_error(&t, "1: unterminated quoted field");
    rd_close(&t);
}

static void test_stray_quote(void **state)
{
    (void)state;
    struct rd t;
    OPEN(&t, "ok\nab\"c,d\n");
    expect_rec(&t, 1, 1, "ok");
    expect_error(&t, "2: quote inside an unquoted field");
    rd_close(&t);
    OPEN(&t, " \"a\"\n");
    expect_error(&t, "1: quote inside an unquoted field");
    rd_close(&t);
    OPEN(&t, "a,\"b\nc\",d\"\n");
    expect_error(&t, "2: quote inside an unquoted field");
    rd_close(&t);
}

static void test_text_after_closing_quote(void **state)
{
    (void)state;
    struct rd t;
    OPEN(&t, "\"abc\"d,e\n");
    expect_error(&t, "1: text after a closing quote");
    rd_close(&t);
    OPEN(&t, "x\n\"a\n\" ,b\n");
    expect_rec(&t, 1, 1, "x");
    expect_error(&t, "3: text after a closing quote");
    rd_close(&t);
    OPEN(&t, "\"a\"\rb\n");
    expect_error(&t, "1: text after a closing quote");
    rd_close(&t);
}

static void test_nul_byte(void **state)
{
    (void)state;
    struct rd t;
    static const char a[] = "ok\na\0b\n";
    rd_open(&t, a, sizeof a - 1);
    expect_rec(&t, 1, 1, "ok");
    expect_error(&t, "2: NUL byte in the data");
    rd_close(&t);
    static const char b[] = "\"a\0\"\n";
    rd_open(&t, b, sizeof b - 1);
    expect_error(&t, "1: NUL byte in the data");
    rd_close(&t);
}

/* Records up to 64 KiB are read; one byte more is an error, quoted or not. */
static void test_record_size_limit(void **state)
{
    (void)state;
    enum { MAXREC = 65536 };
    static char buf[2 * MAXREC + 16];
    size_t max = MAXREC;
    struct rd t;

    /* exactly 64 KiB, CRLF, then a small record */
    memset(buf, 'a', max);
    memcpy(buf + max, "\r\nz\n", 4);
    rd_open(&t, buf, max + 4);
    assert_int_equal(csv_next(t.r, &t.rec), 1);
    assert_int_equal(t.rec.len[0], max);
    expect_rec(&t, 2, 1, "z");
    expect_end(&t);
    rd_close(&t);

    /* 64 KiB + 1 */
    memcpy(buf, "ok\n", 3);
    memset(buf + 3, 'a', max + 1);
    memcpy(buf + 3 + max + 1, "\nz\n", 3);
    rd_open(&t, buf, max + 7);
    expect_rec(&t, 1, 1, "ok");
    expect_error(&t, "2: record longer than 65536 bytes");
    rd_close(&t);

    /* far longer, no line end at all */
    memset(buf, 'b', 2 * max);
    rd_open(&t, buf, 2 * max);
    expect_error(&t, "1: record longer than 65536 bytes");
    rd_close(&t);

    /* quoted: exactly 64 KiB including its quotes, then one byte more */
    buf[0] = '"';
    memset(buf + 1, 'c', max - 2);
    buf[max - 1] = '"';
    buf[max] = '\n';
    rd_open(&t, buf, max + 1);
    assert_int_equal(csv_next(t.r, &t.rec), 1);
    assert_int_equal(t.rec.len[0], max - 2);
    expect_end(&t);
    rd_close(&t);
    buf[max - 1] = 'c';
    buf[max] = '"';
    buf[max + 1] = '\n';
    rd_open(&t, buf, max + 2);
    expect_error(&t, "1: record longer than 65536 bytes");
    rd_close(&t);
}

/* ---- records across read chunks -------------------------------------------------------- */

/* A growable byte string for building test files. */
struct sb {
    char *p;
    size_t n, cap;
};

static void sb_add(struct sb *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void sb_str(struct sb *b, const char *s) { sb_add(b, s, strlen(s)); }

/* Append field value v (n bytes) quoted per RFC 4180. */
static void sb_quoted(struct sb *b, const char *v, size_t n)
{
    sb_add(b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        if (v[i] == '"')
            sb_add(b, "\"", 1);
        sb_add(b, v + i, 1);
    }
    sb_add(b, "\"", 1);
}

static uint32_t rng_state;
static uint32_t rng(void)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return rng_state >> 8;
}

/* A field value of length n over an alphabet that includes every byte the
 * parser treats specially. */
static void random_value(char *v, size_t n)
{
    static const char alpha[] = "abcXYZ019,\"\n\r 张";
    for (size_t i = 0; i < n; i++)
        v[i] = alpha[rng() % (sizeof alpha - 1)];
}

/* Many records of random shape, each field quoted or not, with LF or CRLF
 * endings: whatever the reader's chunk size, its boundaries fall at every
 * kind of place (mid-field, between "" , between CR and LF).  The first
 * record is longer than any plausible read chunk. */
static void test_chunk_boundaries_random(void **state)
{
    (void)state;
    enum { NREC = 6000, MAXF = 6 };
    rng_state = 4242u;
    struct sb file = { 0 };
    /* the expected values, and line numbers */
    char **want = calloc(NREC * MAXF, sizeof *want);
    size_t *want_len = calloc(NREC * MAXF, sizeof *want_len);
    int *nf = calloc(NREC, sizeof *nf);
    long *line = calloc(NREC, sizeof *line);
    assert_true(want && want_len && nf && line);
    long cur = 1;

    for (int r = 0; r < NREC; r++) {
        nf[r] = 1 + (int)(rng() % MAXF);
        line[r] = cur;
        for (int f = 0; f < nf[r]; f++) {
            size_t n = r == 0 && f == 0 ? 40000 : rng() % (rng() % 8 == 0 ? 400 : 12);
            char *v = malloc(n + 1);
            assert_non_null(v);
            random_value(v, n);
            v[n] = '\0';
            bool must_quote = strpbrk(v, ",\"\n\r") != NULL || (nf[r] == 1 && n == 0);
            if (f)
                sb_str(&file, ",");
            if (must_quote || rng() % 3 == 0) {
                sb_quoted(&file, v, n);
                for (size_t i = 0; i < n; i++)
                    cur += v[i] == '\n';
            } else {
                sb_add(&file, v, n);
            }
            want[r * MAXF + f] = v;
            want_len[r * MAXF + f] = n;
        }
        sb_str(&file, rng() % 2 ? "\r\n" : "\n");
        cur++;
        if (rng() % 50 == 0) {   /* a blank line now and then */
            sb_str(&file, "\n");
            cur++;
        }
    }
    assert_true(file.n > 4 * 65536);

    struct rd t;
    rd_open(&t, file.p, file.n);
    for (int r = 0; r < NREC; r++) {
        int rc = csv_next(t.r, &t.rec);
        if (rc != 1)
            fail_msg("record %d: csv_next %d (%s)", r, rc, kerr_detail());
        assert_int_equal(t.rec.line, line[r]);
        assert_int_equal(t.rec.n, nf[r]);
        for (int f = 0; f < nf[r]; f++) {
            assert_int_equal(t.rec.len[f], want_len[r * MAXF + f]);
            assert_memory_equal(t.rec.field[f], want[r * MAXF + f], want_len[r * MAXF + f]);
            assert_int_equal(t.rec.field[f][t.rec.len[f]], '\0');
        }
    }
    expect_end(&t);
    assert_int_equal(csv_offset(t.r), (long long)file.n);
    rd_close(&t);

    for (int i = 0; i < NREC * MAXF; i++)
        free(want[i]);
    free(want);
    free(want_len);
    free(nf);
    free(line);
    free(file.p);
}

/* Put a chosen tricky sequence at each offset around every power-of-two
 * position from 4 KiB to 128 KiB, where a chunked reader's boundaries are. */
static void test_chunk_boundaries_targeted(void **state)
{
    (void)state;
    static const struct {
        const char *raw;      /* the record as written */
        const char *f0, *f1;  /* its two fields */
        int lines;            /* physical lines it takes */
    } cases[] = {
        { "ab,cd\r\n", "ab", "cd", 1 },
        { "\"a\"\"b\",\"\"\"\"\r\n", "a\"b", "\"", 1 },
        { "\"x\r\ny\",\"\"\n", "x\r\ny", "", 2 },
        { "\"\",z\r\n", "", "z", 1 },
        { "q,\"\n\n\"\r\n", "q", "\n\n", 3 },
    };
    struct sb file = { 0 };
    char pad[300];
    memset(pad, 'p', sizeof pad);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        for (size_t pow = 4096; pow <= 131072; pow *= 2) {
            for (int shift = -12; shift <= 2; shift++) {
                /* Filler lines of 100 bytes, then one of 201–300 bytes, so
                 * that the case starts exactly at byte pow + shift. */
                size_t target = (size_t)((long)pow + shift);
                file.n = 0;
                long line = 1;
                while (file.n + 300 < target) {
                    sb_add(&file, pad, 99);
                    sb_str(&file, "\n");
                    line++;
                }
                size_t gap = target - file.n;
                assert_true(gap > 200 && gap <= 300);
                sb_add(&file, pad, gap - 1);
                sb_str(&file, "\n");
                line++;
                assert_int_equal(file.n, target);
                sb_str(&file, cases[c].raw);
                sb_str(&file, "tail\n");

                struct rd t;
                rd_open(&t, file.p, file.n);
                int rc;
                while ((rc = csv_next(t.r, &t.rec)) == 1 && t.rec.field[0][0] == 'p')
                    ;
                if (rc != 1)
                    fail_msg("case %zu at %zu: %d %s", c, target, rc, kerr_detail());
                assert_int_equal(t.rec.line, line);
                assert_int_equal(t.rec.n, 2);
                assert_string_equal(t.rec.field[0], cases[c].f0);
                assert_string_equal(t.rec.field[1], cases[c].f1);
                expect_rec(&t, line + cases[c].lines, 1, "tail");
                expect_end(&t);
                rd_close(&t);
            }
        }
    }
    free(file.p);
}

/* A long run of short rows: streaming with a bounded buffer keeps every
 * record and every line number right. */
static void test_many_rows(void **state)
{
    (void)state;
    enum { N = 200000 };
    FILE *f = tmpfile();
    assert_non_null(f);
    fputs("receipt_no,id_number,name,household_size\n", f);
    for (int i = 0; i < N; i++)
        fprintf(f, "R%07d,44030319900101%04d,\"N%d\",%d\n", i, i % 10000, i, 1 + i % 20);
    rewind(f);
    struct csv_reader *r = csv_new(f);
    struct csv_record rec;
    assert_int_equal(csv_next(r, &rec), 1);
    char want[32];
    for (int i = 0; i < N; i++) {
        assert_int_equal(csv_next(r, &rec), 1);
        assert_int_equal(rec.line, i + 2);
        assert_int_equal(rec.n, 4);
        snprintf(want, sizeof want, "R%07d", i);
        assert_string_equal(rec.field[0], want);
        snprintf(want, sizeof want, "N%d", i);
        assert_string_equal(rec.field[2], want);
    }
    assert_int_equal(csv_next(r, &rec), 0);
    assert_int_equal(csv_offset(r), ftell(f));
    csv_free(&r);
    fclose(f);
}

/* ---- writing -------------------------------------------------------------------------------- */

static char *write_one(const char *s)
{
    static char out[256];
    FILE *f = tmpfile();
    assert_non_null(f);
    csv_write_field(f, s);
    long n = ftell(f);
    rewind(f);
    assert_int_equal(fread(out, 1, (size_t)n, f), (size_t)n);
    out[n] = '\0';
    fclose(f);
    return out;
}

static void test_write_field(void **state)
{
    (void)state;
    assert_string_equal(write_one("plain"), "plain");
    assert_string_equal(write_one(""), "");
    assert_string_equal(write_one("张三 丰"), "张三 丰");
    assert_string_equal(write_one("a,b"), "\"a,b\"");
    assert_string_equal(write_one("say \"hi\""), "\"say \"\"hi\"\"\"");
    assert_string_equal(write_one("\""), "\"\"\"\"");
    assert_string_equal(write_one("a\nb"), "\"a\nb\"");
    assert_string_equal(write_one("a\rb"), "\"a\rb\"");
    assert_string_equal(write_one("a\r\n"), "\"a\r\n\"");
}

static char *write_cell(const char *s)
{
    static char out[256];
    FILE *f = tmpfile();
    assert_non_null(f);
    csv_write_cell(f, s);
    long n = ftell(f);
    rewind(f);
    assert_int_equal(fread(out, 1, (size_t)n, f), (size_t)n);
    out[n] = '\0';
    fclose(f);
    return out;
}

/* CSV formula injection (issue 11): every formula-leading cell is written
 * quoted with a leading apostrophe; everything else exactly as before. */
static void test_write_cell_neutralises_formulas(void **state)
{
    (void)state;
    assert_string_equal(write_cell("=HYPERLINK(\"http://x\",\"y\")"),
                        "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    assert_string_equal(write_cell("+cmd|' /C calc'!A0"), "\"'+cmd|' /C calc'!A0\"");
    assert_string_equal(write_cell("-2+3"), "\"'-2+3\"");
    assert_string_equal(write_cell("@SUM(1)"), "\"'@SUM(1)\"");
    assert_string_equal(write_cell("\t=1"), "\"'\t=1\"");
    assert_string_equal(write_cell("\r=1"), "\"'\r=1\"");
    assert_string_equal(write_cell("\xef\xbc\x9d" "1+1"), "\"'\xef\xbc\x9d" "1+1\"");   /* ＝1+1 */
    assert_string_equal(write_cell("福田区"), "福田区");
    assert_string_equal(write_cell("a=b"), "a=b");
    assert_string_equal(write_cell(""), "");
    assert_string_equal(write_cell("a,b"), "\"a,b\"");
    assert_true(csv_formula_leading("=1"));
    assert_false(csv_formula_leading("1="));
    assert_false(csv_formula_leading(""));
}

/* Whatever is written reads back the same. */
static void test_write_read_round_trip(void **state)
{
    (void)state;
    rng_state = 99u;
    enum { NREC = 500, NF = 5 };
    static char vals[NREC][NF][40];
    FILE *f = tmpfile();
    assert_non_null(f);
    for (int r = 0; r < NREC; r++) {
        for (int i = 0; i < NF; i++) {
            size_t n = 1 + rng() % 30;      /* non-empty: an empty sole field would be a blank line */
            random_value(vals[r][i], n);
            vals[r][i][n] = '\0';
            if (i)
                putc(',', f);
            csv_write_field(f, vals[r][i]);
        }
        fputs("\r\n", f);
    }
    rewind(f);
    struct csv_reader *rd = csv_new(f);
    struct csv_record rec;
    for (int r = 0; r < NREC; r++) {
        assert_int_equal(csv_next(rd, &rec), 1);
        assert_int_equal(rec.n, NF);
        for (int i = 0; i < NF; i++)
            assert_string_equal(rec.field[i], vals[r][i]);
    }
    assert_int_equal(csv_next(rd, &rec), 0);
    csv_free(&rd);
    csv_free(&rd);               /* a second free is harmless */
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_empty_fields),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_quoted_newlines_and_line_numbers),
        cmocka_unit_test(test_missing_final_newline),
        cmocka_unit_test(test_blank_lines),
        cmocka_unit_test(test_max_fields),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_stray_quote),
        cmocka_unit_test(test_text_after_closing_quote),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_record_size_limit),
        cmocka_unit_test(test_chunk_boundaries_random),
        cmocka_unit_test(test_chunk_boundaries_targeted),
        cmocka_unit_test(test_many_rows),
        cmocka_unit_test(test_write_field),
        cmocka_unit_test(test_write_cell_neutralises_formulas),
        cmocka_unit_test(test_write_read_round_trip),
    };
    return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
