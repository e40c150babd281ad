/* test_sim.c — the simulated reader (file and FIFO), the simulated printer,
 * and devmgr in --sim mode: card events, state changes, printing, paper out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "devices/devmgr.h"
#include "devices/sim.h"
#include "kiosk/err.h"

static char dir[64];

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void path(char *out, const char *name) { snprintf(out, 128, "%s/%s", dir, name); }

static void test_parse(void **state)
{
    (void)state;
    struct card_event ev;
    assert_int_equal(sim_parse_line("insert 11010519491231002x 张 三", &ev), 1);
    assert_int_equal(ev.type, CARD_EV_INSERT);
    assert_string_equal(ev.id_number, "11010519491231002X");
    assert_string_equal(ev.name, "张 三");
    assert_int_equal(ev.kind, CARD_KIND_RESIDENT);
    assert_int_equal(sim_parse_line("  remove \r", &ev), 1);
    assert_int_equal(ev.type, CARD_EV_REMOVE);
    assert_int_equal(sim_parse_line("# a comment", &ev), 0);
    assert_int_equal(sim_parse_line("   ", &ev), 0);
    assert_int_equal(sim_parse_line("insert 123", &ev), KERR_INPUT);
    assert_int_equal(ev.type, CARD_EV_ERROR);
    assert_int_equal(sim_parse_line("eject", &ev), KERR_INPUT);
    assert_int_equal(sim_parse_line("remove now", &ev), KERR_INPUT);
    assert_int_equal(sim_parse_line("insert 1101;rm Bob", &ev), KERR_INPUT);
    assert_int_equal(sim_parse_line("insert USA440080123456 John Smith", &ev), 1);
    assert_int_equal(ev.kind, CARD_KIND_FOREIGN_I);
    assert_int_equal(sim_parse_line("insert 810000198002020019 陈大文", &ev), 1);
    assert_int_equal(ev.kind, CARD_KIND_PERMIT_J);
}

static void test_file_reader(void **state)
{
    (void)state;
    char p[128];
    path(p, "cards.txt");
    FILE *f = fopen(p, "w");
    fputs("insert 11010519491231002X 张三\n# x\nremove\ninsert 12", f);
    fclose(f);
    struct sim_reader *r;
    struct card_event ev[8];
    assert_int_equal(sim_reader_open(p, &r), 0);
    assert_int_equal(sim_reader_fd(r), -1);                /* regular file: timeout-driven */
    assert_int_equal(sim_reader_timeout_ms(r), SIM_FILE_POLL_MS);
    assert_int_equal(sim_reader_handle(r, ev, 8), 2);
    assert_int_equal(ev[0].type, CARD_EV_INSERT);
    assert_int_equal(ev[1].type, CARD_EV_REMOVE);
    assert_int_equal(sim_reader_handle(r, ev, 8), 0);      /* the partial line waits */
    f = fopen(p, "a");
    fputs("3 Bob\n", f);                                    /* like tail -f */
    fclose(f);
    assert_int_equal(sim_reader_handle(r, ev, 1), 1);
    assert_int_equal(ev[0].type, CARD_EV_INSERT);
    assert_string_equal(ev[0].id_number, "123");
    sim_reader_free(&r);
    path(p, "missing");
    assert_int_equal(sim_reader_open(p, &r), KERR_NODEV);
}

static void test_fifo_reader(void **state)
{
    (void)state;
    char p[128];
    path(p, "cards.fifo");
    assert_int_equal(mkfifo(p, 0600), 0);
    struct sim_reader *r;
    struct card_event ev[8];
    assert_int_equal(sim_reader_open(p, &r), 0);
    assert_true(sim_reader_fd(r) >= 0);
    assert_int_equal(sim_reader_timeout_ms(r), -1);
    for (int round = 0; round < 2; round++) {               /* the second proves the reopen */
        int w = open(p, O_WRONLY | O_NONBLOCK);
        assert_true(w >= 0);
        const char *line = round ? "remove\n" : "insert 11010519491231002X 张三\n";
        assert_int_equal(write(w, line, strlen(line)), (ssize_t)strlen(line));
        close(w);
        struct pollfd pfd = {.fd = sim_reader_fd(r), .events = POLLIN};
        assert_int_equal(poll(&pfd, 1, 2000), 1);
        assert_int_equal(sim_reader_handle(r, ev, 8), 1);
        assert_int_equal(ev[0].type, round ? CARD_EV_REMOVE : CARD_EV_INSERT);
        /* the writer left: the next handle sees EOF and reopens, after which
         * poll must not report the stale hang-up any more */
        sim_reader_handle(r, ev, 8);
        pfd.fd = sim_reader_fd(r);
        assert_int_equal(poll(&pfd, 1, 50), 0);
    }
    /* many writers one after another, each opening and closing the FIFO
     * (`echo insert … > FIFO` from a shell): not one line may be lost */
    int got = 0;
    for (int i = 0; i < 200; i++) {
        int w = open(p, O_WRONLY | O_NONBLOCK);
        assert_true(w >= 0);
        assert_int_equal(write(w, "remove\n", 7), 7);
        close(w);
        if (i % 7 == 0) {
            struct pollfd pfd = {.fd = sim_reader_fd(r), .events = POLLIN};
            if (poll(&pfd, 1, 100) == 1)
                got += sim_reader_handle(r, ev, 8);
        }
    }
    for (int k = 0; k < 100 && got < 200; k++) {
        struct pollfd pfd = {.fd = sim_reader_fd(r), .events = POLLIN};
        if (poll(&pfd, 1, 100) == 1)
            got += sim_reader_handle(r, ev, 8);
    }
    assert_int_equal(got, 200);
    sim_reader_free(&r);
}

static void test_sim_printer(void **state)
{
    (void)state;
    char pd[128], out[256], p[256];
    path(pd, "paper");
    struct sim_printer_state st;
    sim_printer_state(pd, &st);
    assert_false(st.present);
    assert_int_equal(sim_printer_print(pd, (const uint8_t *)"x", 1, NULL, 0), KERR_NODEV);
    mkdir(pd, 0700);
    assert_int_equal(sim_printer_print(pd, (const uint8_t *)"\x1B@one", 5, out, sizeof out), 0);
    assert_non_null(strstr(out, "receipt-0001.bin"));
    assert_int_equal(sim_printer_print(pd, (const uint8_t *)"two", 3, out, sizeof out), 0);
    assert_non_null(strstr(out, "receipt-0002.bin"));
    FILE *f = fopen(out, "rb");
    char b[8] = "";
    assert_int_equal(fread(b, 1, sizeof b, f), 3);
    fclose(f);
    assert_memory_equal(b, "two", 3);
    snprintf(p, sizeof p, "%s/PAPER_OUT", pd);
    fclose(fopen(p, "w"));
    assert_int_equal(sim_printer_print(pd, (const uint8_t *)"x", 1, NULL, 0), KERR_PAPER);
    snprintf(out, sizeof out, "%s/receipt-0003.bin", pd);
    assert_int_not_equal(access(out, F_OK), 0);
    unlink(p);
}

static int collect(struct devmgr *dm, struct devmgr_event *evs, int cap, int want, int ms)
{
    int n = 0;
    int64_t end = now_ms() + ms;
    while (n < want && now_ms() < end) {
        struct pollfd fds[4];
        int nf = devmgr_pollfds(dm, fds, 4);
        int t = devmgr_next_timeout_ms(dm, now_ms());
        poll(fds, (nfds_t)nf, t < 0 || t > 100 ? 100 : t);
        n += devmgr_handle(dm, now_ms(), evs + n, cap - n);
    }
    return n;
}

static void test_devmgr_sim(void **state)
{
    (void)state;
    char cards[128], pd[128], p[256];
    path(cards, "dm.txt");
    path(pd, "dmpaper");
    mkdir(pd, 0700);
    FILE *f = fopen(cards, "w");
    fputs("insert 11010519491231002X 张三\nbogus\n", f);
    fclose(f);
    struct kiosk_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.paper_dots = 384;
    struct devmgr_opts o = {.sim = true, .sim_cards = cards, .sim_print_dir = pd};
    struct devmgr *dm;
    assert_int_equal(devmgr_new(&cfg, &o, &dm), 0);
    struct devmgr_event ev[16];
    int n = collect(dm, ev, 16, 4, 2000);
    int cards_seen = 0, errors = 0, reader_ready = 0, printer_ready = 0;
    for (int i = 0; i < n; i++) {
        if (ev[i].type == DEVMGR_EV_CARD && ev[i].card.type == CARD_EV_INSERT) {
            assert_string_equal(ev[i].card.name, "张三");
            cards_seen++;
        }
        errors += ev[i].type == DEVMGR_EV_CARD && ev[i].card.type == CARD_EV_ERROR;
        reader_ready += ev[i].type == DEVMGR_EV_READER && ev[i].state == DEV_READY;
        printer_ready += ev[i].type == DEVMGR_EV_PRINTER && ev[i].state == DEV_READY;
        card_event_wipe(&ev[i].card);
    }
    assert_int_equal(cards_seen, 1);
    assert_int_equal(errors, 1);
    assert_int_equal(reader_ready, 1);
    assert_int_equal(printer_ready, 1);

    struct receipt_model m;
    memset(&m, 0, sizeof m);
    strcpy(m.name_masked, "张*");
    strcpy(m.reference, "AB12");
    strcpy(m.followup_url, "https://a.cn/q?r=AB12&c=XXXXXXXX");
    strcpy(m.language, "zh");
    assert_int_equal(devmgr_print(dm, &m), 0);
    snprintf(p, sizeof p, "%s/receipt-0001.bin", pd);
    assert_int_equal(access(p, F_OK), 0);
    /* paper out: refused, and the status line hears about it */
    snprintf(p, sizeof p, "%s/PAPER_OUT", pd);
    fclose(fopen(p, "w"));
    assert_int_equal(devmgr_print(dm, &m), KERR_PAPER);
    n = collect(dm, ev, 16, 1, 2000);
    assert_true(n >= 1);
    assert_int_equal(ev[0].type, DEVMGR_EV_PRINTER);
    assert_int_equal(ev[0].state, DEV_PAPER_OUT);
    assert_int_equal(devmgr_printer_state(dm), DEV_PAPER_OUT);
    unlink(p);
    /* printer "unplugged": the directory goes away */
    snprintf(p, sizeof p, "%s/receipt-0001.bin", pd);
    unlink(p);
    rmdir(pd);
    n = collect(dm, ev, 16, 1, 3000);
    assert_true(n >= 1);
    assert_int_equal(ev[n - 1].state, DEV_ABSENT);
    assert_int_equal(devmgr_print(dm, &m), KERR_NODEV);
    devmgr_free(&dm);
    assert_null(dm);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/kiosk-test-sim-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),       cmocka_unit_test(test_file_reader),
        cmocka_unit_test(test_fifo_reader), cmocka_unit_test(test_sim_printer),
        cmocka_unit_test(test_devmgr_sim),
    };
    int rc = cmocka_run_group_tests_name("sim", tests, NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return rc;
}
