/* test_drivers.c — the reader and printer drivers against the in-memory
 * transport: both pipe modes, bad checksum, no card, already read, timeout,
 * unplug in the middle of a read and replug; printer status before/after a
 * job, paper out, unidirectional printers, the IEEE-1284 id. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "devices/idcard.h"
#include "devices/printer.h"
#include "kiosk/err.h"
#include "tests/devices/golden.h"

static const uint8_t split_out[] = {0x02, 0x06}, split_in[] = {0x81, 0x85};
static const uint8_t single_out[] = {0x01}, single_in[] = {0x81};

/* Queue a golden reply the way the reader sends it in each mode, readable
 * only after `after` more commands went out (0: already there). */
static void queue_reply_late(struct transport *t, bool split, const char *golden, int after)
{
    size_t n;
    unsigned char *g = golden_load(golden, &n);
    if (split) {
        mem_transport_push_read_late(t, 0x81, g, 7, 0, after);
        mem_transport_push_read_late(t, 0x85, g + 7, n - 7, 1, after);
    } else {
        mem_transport_push_read_late(t, 0x81, g, n, 1, after);
    }
    free(g);
}

static void queue_reply(struct transport *t, bool split, const char *golden)
{
    queue_reply_late(t, split, golden, 0);
}

/* The bytes of the golden command files, concatenated. */
static size_t expect_cmds(uint8_t *out, const char *const *names)
{
    size_t k = 0;
    for (; *names; names++) {
        size_t n;
        unsigned char *g = golden_load(*names, &n);
        memcpy(out + k, g, n);
        k += n;
        free(g);
    }
    return k;
}

static void read_in_mode(bool split)
{
    struct transport *t = split ? mem_transport_new(2, split_out, 2, split_in, 0xFF, 0)
                                : mem_transport_new(1, single_out, 1, single_in, 0xFF, 0);
    struct idcard *ic;
    struct sam_card c;
    assert_int_equal(idcard_new(t, &ic), 0);
    assert_int_equal(idcard_open(ic), 0);
    assert_int_equal(idcard_mode(ic), split ? IDCARD_SPLIT_PIPE : IDCARD_SINGLE_PIPE);

    /* the first command after open drains first: its reply comes after it */
    queue_reply_late(t, split, "sam_rep_no_card.bin", 1);
    assert_int_equal(idcard_poll(ic, &c), IDCARD_NO_CARD);

    mem_transport_clear_written(t);
    queue_reply(t, split, "sam_rep_find_ok.bin");
    queue_reply(t, split, "sam_rep_select_ok.bin");
    queue_reply(t, split, "sam_rep_read_resident.bin");
    queue_reply(t, split, "sam_rep_addr_none.bin");
    assert_int_equal(idcard_poll(ic, &c), IDCARD_CARD_READ);
    assert_string_equal(c.id_number, "11010519491231002X");
    assert_string_equal(c.name, "张三");
    assert_string_equal(c.new_address, "");
    assert_string_equal(idcard_address(&c), c.address);
    assert_int_equal(mem_transport_pending(t), 0);
    /* exactly find, select, read, new address went out */
    static const char *const cmds[] = {"sam_cmd_find.bin", "sam_cmd_select.bin",
                                       "sam_cmd_read.bin", "sam_cmd_read_addr.bin", NULL};
    uint8_t want[64];
    size_t wn = expect_cmds(want, cmds), n;
    const uint8_t *w = mem_transport_written(t, &n);
    assert_int_equal(n, wn);
    assert_memory_equal(w, want, wn);

    /* no card right after a read = the same card, already read */
    queue_reply(t, split, "sam_rep_no_card.bin");
    assert_int_equal(idcard_poll(ic, &c), IDCARD_ALREADY_READ);
    /* a new find success resets it */
    queue_reply(t, split, "sam_rep_find_ok.bin");
    queue_reply(t, split, "sam_rep_select_ok.bin");
    queue_reply(t, split, "sam_rep_read_permit_j.bin");
    queue_reply(t, split, "sam_rep_addr.bin");
    assert_int_equal(idcard_poll(ic, &c), IDCARD_CARD_READ);
    assert_int_equal(c.kind, CARD_KIND_PERMIT_J);
    /* the new address (30 03) is read and used */
    assert_string_equal(c.new_address, "广东省深圳市福田区莲花街道");
    assert_string_equal(idcard_address(&c), "广东省深圳市福田区莲花街道");
    assert_int_equal(mem_transport_pending(t), 0);

    /* bad checksum */
    queue_reply(t, split, "sam_rep_find_badchk.bin");
    assert_int_equal(idcard_poll(ic, &c), KERR_INPUT);
    assert_non_null(strstr(kerr_detail(), "checksum"));

    /* unsupported card type (after the bad frame the pipe is drained first,
     * so these replies come after the find) */
    queue_reply_late(t, split, "sam_rep_find_ok.bin", 1);
    queue_reply_late(t, split, "sam_rep_select_ok.bin", 1);
    queue_reply_late(t, split, "sam_rep_read_unknown_z.bin", 1);
    assert_int_equal(idcard_poll(ic, &c), KERR_INPUT);

    /* nothing answers */
    assert_int_equal(idcard_poll(ic, &c), KERR_TIMEOUT);

    /* unplug in the middle of the read reply, then replug (the replies
     * come after the find: the drain that follows a timeout runs first) */
    queue_reply_late(t, split, "sam_rep_find_ok.bin", 1);
    queue_reply_late(t, split, "sam_rep_select_ok.bin", 1);
    queue_reply_late(t, split, "sam_rep_read_resident.bin", 1);
    mem_transport_unplug_after(t, split ? 14 : 9);
    assert_int_equal(idcard_poll(ic, &c), KERR_NODEV);
    idcard_close(ic);
    assert_int_equal(idcard_open(ic), KERR_NODEV);
    mem_transport_replug(t);
    assert_int_equal(idcard_open(ic), 0);
    idcard_free(&ic);
    transport_destroy(&t);
}

/* Issue 12, the exact failure: the read is answered at 4.5 s, after the 4 s
 * timeout, so its reply arrives behind the next command; then the card is
 * presented again.  The stale reply is skipped unread and the card is read;
 * nothing is left over to shift later exchanges. */
static void late_reply(bool split)
{
    struct transport *t = split ? mem_transport_new(2, split_out, 2, split_in, 0xFF, 0)
                                : mem_transport_new(1, single_out, 1, single_in, 0xFF, 0);
    struct idcard *ic;
    struct sam_card c;
    assert_int_equal(idcard_new(t, &ic), 0);
    assert_int_equal(idcard_open(ic), 0);
    queue_reply_late(t, split, "sam_rep_no_card.bin", 1);
    assert_int_equal(idcard_poll(ic, &c), IDCARD_NO_CARD);   /* the open's drain is done */
    unsigned drains0 = idcard_stats(ic)->drains;

    /* find, select answered; the read (command 3 from here) is not, in time */
    queue_reply(t, split, "sam_rep_find_ok.bin");
    queue_reply(t, split, "sam_rep_select_ok.bin");
    assert_int_equal(idcard_poll(ic, &c), KERR_TIMEOUT);
    /* the late read reply lands behind the next find, then the card again */
    queue_reply_late(t, split, "sam_rep_read_resident.bin", 1);
    queue_reply_late(t, split, "sam_rep_find_ok.bin", 1);
    queue_reply_late(t, split, "sam_rep_select_ok.bin", 1);
    queue_reply_late(t, split, "sam_rep_read_permit_j.bin", 1);
    queue_reply_late(t, split, "sam_rep_addr_none.bin", 1);
    assert_int_equal(idcard_poll(ic, &c), IDCARD_CARD_READ);
    assert_int_equal(c.kind, CARD_KIND_PERMIT_J);                 /* not the stale resident */
    assert_string_equal(c.id_number, "810000198002020019");
    assert_int_equal(idcard_stats(ic)->stale_replies, 1);
    assert_int_equal(idcard_stats(ic)->drains, drains0 + 1);      /* after the timeout */
    assert_int_equal(mem_transport_pending(t), 0);
    /* in step: the next find gets its own reply */
    queue_reply(t, split, "sam_rep_no_card.bin");
    assert_int_equal(idcard_poll(ic, &c), IDCARD_ALREADY_READ);
    assert_int_equal(mem_transport_pending(t), 0);

    /* a late reply already queued when the next command starts is drained */
    queue_reply(t, split, "sam_rep_find_ok.bin");
    queue_reply(t, split, "sam_rep_select_ok.bin");
    assert_int_equal(idcard_poll(ic, &c), KERR_TIMEOUT);
    queue_reply(t, split, "sam_rep_read_resident.bin");            /* arrives now */
    queue_reply_late(t, split, "sam_rep_find_ok.bin", 1);
    queue_reply_late(t, split, "sam_rep_select_ok.bin", 1);
    queue_reply_late(t, split, "sam_rep_read_resident.bin", 1);
    queue_reply_late(t, split, "sam_rep_addr_none.bin", 1);
    unsigned long bytes0 = idcard_stats(ic)->drained_bytes;
    assert_int_equal(idcard_poll(ic, &c), IDCARD_CARD_READ);
    assert_string_equal(c.id_number, "11010519491231002X");
    assert_int_equal(idcard_stats(ic)->drained_bytes - bytes0, 1295);
    assert_int_equal(idcard_stats(ic)->stale_replies, 1);
    assert_int_equal(mem_transport_pending(t), 0);

    /* the "find card: success" error: a stale 9F where the select
     * reply belongs is skipped, the select's own reply is used */
    queue_reply(t, split, "sam_rep_find_ok.bin");
    queue_reply(t, split, "sam_rep_find_ok.bin");      /* stale, e.g. a duplicated find */
    queue_reply(t, split, "sam_rep_select_ok.bin");
    queue_reply(t, split, "sam_rep_read_resident.bin");
    queue_reply(t, split, "sam_rep_addr_none.bin");
    assert_int_equal(idcard_poll(ic, &c), IDCARD_CARD_READ);
    assert_int_equal(idcard_stats(ic)->stale_replies, 2);

    /* a bad frame also leaves the pipe to be drained before the next command */
    queue_reply(t, split, "sam_rep_find_badchk.bin");
    assert_int_equal(idcard_poll(ic, &c), KERR_INPUT);
    unsigned d = idcard_stats(ic)->drains;
    queue_reply_late(t, split, "sam_rep_no_card.bin", 1);
    assert_int_equal(idcard_poll(ic, &c), IDCARD_ALREADY_READ);
    assert_int_equal(idcard_stats(ic)->drains, d + 1);
    sam_card_wipe(&c);
    idcard_free(&ic);
    transport_destroy(&t);
}

static void test_late_reply_split(void **state) { (void)state; late_reply(true); }
static void test_late_reply_single(void **state) { (void)state; late_reply(false); }

static void test_split_pipe(void **state) { (void)state; read_in_mode(true); }
static void test_single_pipe(void **state) { (void)state; read_in_mode(false); }

static void test_sam_info(void **state)
{
    (void)state;
    struct transport *t = mem_transport_new(1, single_out, 1, single_in, 0xFF, 0);
    struct idcard *ic;
    char id[64];
    idcard_new(t, &ic);
    assert_int_equal(idcard_open(ic), 0);
    queue_reply_late(t, false, "sam_rep_status_ok.bin", 1);
    assert_int_equal(idcard_sam_status(ic), 0);
    queue_reply(t, false, "sam_rep_sam_id.bin");
    assert_int_equal(idcard_sam_id(ic, id, sizeof id), 0);
    assert_string_equal(id, "05.01-20150101-123456789-000000042");
    /* a find's "no card" is no answer to a status request: skipped */
    queue_reply(t, false, "sam_rep_no_card.bin");
    assert_int_equal(idcard_sam_status(ic), KERR_TIMEOUT);
    assert_int_equal(idcard_stats(ic)->stale_replies, 1);
    idcard_free(&ic);
    transport_destroy(&t);
    /* an interface without IN endpoints is not a reader */
    t = mem_transport_new(1, single_out, 0, single_in, 0xFF, 0);
    idcard_new(t, &ic);
    assert_int_equal(idcard_open(ic), KERR_DEVICE);
    idcard_free(&ic);
    transport_destroy(&t);
}

static const uint8_t pout[] = {0x03}, pin[] = {0x82};

static void status_replies(struct transport *t, uint8_t s4, uint8_t s2)
{
    mem_transport_push_read(t, 0x82, &s4, 1, 0);
    mem_transport_push_read(t, 0x82, &s2, 1, 0);
}

static void test_printer_bidirectional(void **state)
{
    (void)state;
    struct transport *t = mem_transport_new(1, pout, 1, pin, 7, 2);
    struct printer *p;
    struct printer_state st;
    static const uint8_t job[] = {0x1B, 0x40, 'h', 'i', '\n', 0x1D, 0x56, 0x01};
    printer_new(t, &p);
    assert_int_equal(printer_open(p), 0);

    status_replies(t, 0x12, 0x12);
    status_replies(t, 0x12, 0x12);
    assert_int_equal(printer_print(p, job, sizeof job, &st), 0);
    assert_true(st.known);
    size_t n;
    const uint8_t *w = mem_transport_written(t, &n);
    static const uint8_t want[] = {0x10, 0x04, 0x04, 0x10, 0x04, 0x02, 0x1B, 0x40, 'h', 'i',
                                   '\n', 0x1D, 0x56, 0x01, 0x10, 0x04, 0x04, 0x10, 0x04, 0x02};
    assert_int_equal(n, sizeof want);
    assert_memory_equal(w, want, sizeof want);

    /* paper out before: nothing of the job is sent */
    mem_transport_clear_written(t);
    status_replies(t, 0x72, 0x32);
    assert_int_equal(printer_print(p, job, sizeof job, &st), KERR_PAPER);
    w = mem_transport_written(t, &n);
    assert_null(memmem(w, n, job, sizeof job));
    /* ran out during the job */
    status_replies(t, 0x1E, 0x12);
    status_replies(t, 0x72, 0x12);
    assert_int_equal(printer_print(p, job, sizeof job, &st), KERR_PAPER);
    /* near end: prints, says so */
    status_replies(t, 0x1E, 0x12);
    status_replies(t, 0x1E, 0x12);
    assert_int_equal(printer_print(p, job, sizeof job, &st), 0);
    assert_true(st.near_end);
    /* cover open */
    status_replies(t, 0x12, 0x16);
    assert_int_equal(printer_print(p, job, sizeof job, &st), KERR_DEVICE);
    /* the IEEE-1284 id via the class request */
    static const char did[] = "\x00\x1e" "MFG:Acme;MDL:POS-58;CMD:ESC;";
    mem_transport_push_control(t, did, sizeof did - 1, 0);
    char id[128];
    assert_int_equal(printer_device_id(p, id, sizeof id), 0);
    assert_string_equal(id, "MFG:Acme;MDL:POS-58;CMD:ESC;");
    /* no DLE EOT answer: falls back to the port status, from then on */
    uint8_t ps = 0x18;
    mem_transport_push_control(t, &ps, 1, 0);
    assert_int_equal(printer_status(p, &st), 0);
    assert_true(st.known);
    assert_false(st.paper_out);
    ps = 0x38;
    mem_transport_push_control(t, &ps, 1, 0);
    assert_int_equal(printer_status(p, &st), 0);
    assert_true(st.paper_out);
    /* unplugged */
    mem_transport_unplug_after(t, 0);
    assert_int_equal(printer_print(p, job, sizeof job, &st), KERR_NODEV);
    printer_free(&p);
    transport_destroy(&t);
}

static void test_printer_unidirectional(void **state)
{
    (void)state;
    struct transport *t = mem_transport_new(1, pout, 0, pin, 7, 1);
    struct printer *p;
    struct printer_state st;
    printer_new(t, &p);
    assert_int_equal(printer_open(p), 0);
    uint8_t ok = 0x18, out = 0x38;
    mem_transport_push_control(t, &ok, 1, 0);
    mem_transport_push_control(t, &ok, 1, 0);
    assert_int_equal(printer_print(p, (const uint8_t *)"x\n", 2, &st), 0);
    mem_transport_push_control(t, &out, 1, 0);
    assert_int_equal(printer_print(p, (const uint8_t *)"x\n", 2, &st), KERR_PAPER);
    printer_free(&p);
    transport_destroy(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_pipe),          cmocka_unit_test(test_single_pipe),
        cmocka_unit_test(test_sam_info),            cmocka_unit_test(test_printer_bidirectional),
        cmocka_unit_test(test_printer_unidirectional),
        cmocka_unit_test(test_late_reply_split),    cmocka_unit_test(test_late_reply_single),
    };
    return cmocka_run_group_tests_name("drivers", tests, NULL, NULL);
}
