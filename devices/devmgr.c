/* devmgr.c — devices for the kiosk loop: sim or USB, reader thread, hotplug (see devmgr.h). */
#include "devmgr.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libusb.h>

#include "devices/escpos.h"
#include "devices/idcard.h"
#include "devices/printer.h"
#include "devices/receipt.h"
#include "devices/sim.h"
#include "devices/usb_transport.h"
#include "kiosk/err.h"

#define DEVMGR_QUEUE 32
#define REOPEN_MS 1000            /* absent device: try again this often */
#define PRINTER_REFRESH_MS 10000  /* present printer: refresh paper state */
#define CARD_ERROR_REPEAT_MS 5000 /* the same card error is not repeated sooner */

struct devmgr {
    bool sim;
    struct printer_profile prof;

    /* the event queue shared with the device thread */
    pthread_mutex_t mu;
    struct devmgr_event q[DEVMGR_QUEUE];
    int qn;
    int wake[2];                  /* [0] polled by the loop, [1] written on news */
    enum dev_state reader, printer;
    bool reader_probed;           /* the first open attempt is over */
    struct devmgr_sam sam;        /* read when the reader is opened */

    /* --sim */
    char *sim_cards, *sim_print_dir;
    struct sim_reader *simr;
    int64_t next_reader_try, next_printer_check;

    /* USB */
    libusb_context *ctx;
    bool thread_running, hotplug;
    pthread_t thread;
    atomic_bool stop;
    atomic_int hot_reader, hot_printer;
    libusb_hotplug_callback_handle hp;
    struct transport *rt, *pt;
    struct idcard *ic;
    struct printer *pr;
    bool printer_open;
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *dev_state_name(enum dev_state s)
{
    switch (s) {
    case DEV_ABSENT: return "not connected";
    case DEV_READY: return "ready";
    case DEV_PAPER_OUT: return "out of paper";
    case DEV_PAPER_LOW: return "paper near end";
    case DEV_FAULT: return "not working";
    case DEV_MUTE: return "not answering";
    }
    return "?";
}

/* ---- the queue -------------------------------------------------------- */

static void wake(struct devmgr *dm)
{
    char c = 1;
    /* Non-blocking: a full pipe already means "wake up". */
    if (write(dm->wake[1], &c, 1) < 0 && errno != EAGAIN)
        perror("devmgr: wake pipe");
}

static void push_locked(struct devmgr *dm, const struct devmgr_event *ev)
{
    if (dm->qn == DEVMGR_QUEUE) {
        /* Full (nobody is calling handle): drop the oldest state change,
         * never a card event. */
        int i = 0;
        while (i < dm->qn && dm->q[i].type == DEVMGR_EV_CARD)
            i++;
        if (i == dm->qn)
            return;
        memmove(&dm->q[i], &dm->q[i + 1], (size_t)(dm->qn - i - 1) * sizeof dm->q[0]);
        dm->qn--;
    }
    dm->q[dm->qn++] = *ev;
    wake(dm);
}

static void push_card(struct devmgr *dm, struct card_event *card)
{
    struct devmgr_event ev = {.type = DEVMGR_EV_CARD, .card = *card};
    card_event_wipe(card);
    pthread_mutex_lock(&dm->mu);
    push_locked(dm, &ev);
    pthread_mutex_unlock(&dm->mu);
    card_event_wipe(&ev.card);
}

/* Record a state and queue an event when it changed. */
static void set_state(struct devmgr *dm, bool reader, enum dev_state st, const char *detail)
{
    pthread_mutex_lock(&dm->mu);
    enum dev_state *cur = reader ? &dm->reader : &dm->printer;
    if (*cur != st) {
        struct devmgr_event ev = {.type = reader ? DEVMGR_EV_READER : DEVMGR_EV_PRINTER,
                                  .state = st};
        snprintf(ev.detail, sizeof ev.detail, "%s", detail ? detail : "");
        *cur = st;
        push_locked(dm, &ev);
    }
    pthread_mutex_unlock(&dm->mu);
}

enum dev_state devmgr_reader_state(const struct devmgr *dm)
{
    pthread_mutex_lock((pthread_mutex_t *)&dm->mu);
    enum dev_state s = dm->reader;
    pthread_mutex_unlock((pthread_mutex_t *)&dm->mu);
    return s;
}

enum dev_state devmgr_printer_state(const struct devmgr *dm)
{
    pthread_mutex_lock((pthread_mutex_t *)&dm->mu);
    enum dev_state s = dm->printer;
    pthread_mutex_unlock((pthread_mutex_t *)&dm->mu);
    return s;
}

/* ---- the USB device thread --------------------------------------------- */

static int LIBUSB_CALL on_hotplug(libusb_context *ctx, libusb_device *dev,
                                  libusb_hotplug_event event, void *arg)
{
    struct devmgr *dm = arg;
    (void)ctx, (void)dev, (void)event;
    /* Any arrival or departure: both sides look again (cheap), and the
     * loop is woken so the printer side runs now. */
    atomic_store(&dm->hot_reader, 1);
    atomic_store(&dm->hot_printer, 1);
    wake(dm);
    return 0;
}

/* Ask a freshly opened reader for its SAM status (11 FF) and id (12 FF).
 * A reader that answers neither is "not answering" (DEV_MUTE): it is
 * plugged in, but no card can ever be read, and saying "no card" would send
 * residents and clerks looking for the wrong problem (issue 12). */
static enum dev_state probe_reader(struct devmgr *dm, char *why, size_t cap)
{
    struct devmgr_sam sam = {.state = DEVMGR_SAM_UNKNOWN};
    int rc = idcard_sam_status(dm->ic);
    enum dev_state st = DEV_READY;
    snprintf(why, cap, "%s", dm->rt->description);
    if (rc == KERR_TIMEOUT || rc == KERR_INPUT) {
        /* Silence or garbage: the reader is not talking to us. */
        snprintf(why, cap, "card reader not answering (%s)", dm->rt->description);
        st = DEV_MUTE;
    } else if (rc == KERR_NODEV) {
        return DEV_ABSENT;
    } else if (rc) {
        /* It answered, with a refusal: the SAM is broken (60) or not authorised. */
        sam.state = DEVMGR_SAM_FAULT;
        snprintf(sam.status, sizeof sam.status, "%s", kerr_detail());
        snprintf(why, cap, "%s", kerr_detail());
        st = DEV_FAULT;
    } else {
        sam.state = DEVMGR_SAM_OK;
        snprintf(sam.status, sizeof sam.status, "ok");
        if (idcard_sam_id(dm->ic, sam.id, sizeof sam.id) != 0)
            sam.id[0] = '\0';   /* answered the status, not the id: unknown */
    }
    pthread_mutex_lock(&dm->mu);
    dm->sam = sam;
    pthread_mutex_unlock(&dm->mu);
    return st;
}

/* Wait for the next polling slot by the clock.  libusb's event wait can
 * return at once (any event, or a backend whose fd always polls ready), and
 * then the finds went back-to-back: 189 in 3 s (issue 12).  So the wait is
 * repeated until the slot's time has come; an immediate return also sleeps
 * a little so a busy fd cannot spin a core.  A hotplug arrival for an
 * absent reader ends the wait early. */
static void wait_slot(struct devmgr *dm, int64_t slot, bool open)
{
    for (;;) {
        int64_t now = mono_ms();
        if (now >= slot || atomic_load(&dm->stop))
            return;
        if (!open && atomic_load(&dm->hot_reader))
            return;
        int64_t left = slot - now;
        struct timeval tv = {(time_t)(left / 1000), (suseconds_t)(left % 1000) * 1000};
        libusb_handle_events_timeout_completed(dm->ctx, &tv, NULL);
        if (mono_ms() - now < 2) {
            struct timespec ts = {0, 5 * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
}

static void *reader_thread(void *arg)
{
    struct devmgr *dm = arg;
    bool open = false;
    int64_t next_open = 0, last_err_at = 0;
    int timeouts = 0;
    char last_err[CARD_MSG_MAX] = "";
    char why[128];

    while (!atomic_load(&dm->stop)) {
        int64_t start = mono_ms();
        if (!open) {
            if (start >= next_open || atomic_exchange(&dm->hot_reader, 0)) {
                int rc = idcard_open(dm->ic);
                if (rc == 0) {
                    enum dev_state st = probe_reader(dm, why, sizeof why);
                    if (st == DEV_READY) {
                        open = true;
                        timeouts = 0;
                    } else {
                        /* mute or broken: close, look again in a second */
                        idcard_close(dm->ic);
                        next_open = start + REOPEN_MS;
                    }
                    set_state(dm, true, st, why);
                } else {
                    set_state(dm, true, rc == KERR_NODEV ? DEV_ABSENT : DEV_FAULT,
                              rc == KERR_NODEV ? "no ID-card reader found" : kerr_detail());
                    next_open = start + REOPEN_MS;
                }
                pthread_mutex_lock(&dm->mu);
                dm->reader_probed = true;
                pthread_mutex_unlock(&dm->mu);
            }
        } else {
            struct sam_card card;
            int rc = idcard_poll(dm->ic, &card);
            if (rc == IDCARD_CARD_READ) {
                struct card_event ev = {.type = CARD_EV_INSERT, .kind = card.kind};
                snprintf(ev.id_number, sizeof ev.id_number, "%s", card.id_number);
                snprintf(ev.name, sizeof ev.name, "%s", card.name[0] ? card.name : card.name_en);
                sam_card_wipe(&card);
                push_card(dm, &ev);
                timeouts = 0;
                last_err[0] = '\0';
            } else if (rc >= 0) {
                timeouts = 0;
            } else if (rc == KERR_NODEV) {
                idcard_close(dm->ic);
                open = false;
                next_open = start + REOPEN_MS;
                set_state(dm, true, DEV_ABSENT, "ID-card reader unplugged");
            } else if (rc == KERR_TIMEOUT) {
                /* One late answer can happen (the driver resyncs); three in
                 * a row is a hung reader: close it and reopen (a USB reset in
                 * effect).  The reopen asks the SAM for its status: only an
                 * answer makes it "ready" again, never a mere open. */
                if (++timeouts >= 3) {
                    idcard_close(dm->ic);
                    open = false;
                    next_open = start + REOPEN_MS;
                    set_state(dm, true, DEV_MUTE, "card reader not answering");
                }
            } else {
                /* The card could not be used (bad frame, SAM refusal,
                 * unsupported card type): tell the resident once. */
                const char *msg = kerr_detail()[0] ? kerr_detail() : kiosk_strerror(rc);
                if (strcmp(msg, last_err) != 0 || start - last_err_at > CARD_ERROR_REPEAT_MS) {
                    struct card_event ev = {.type = CARD_EV_ERROR};
                    snprintf(ev.message, sizeof ev.message, "%s", msg);
                    snprintf(last_err, sizeof last_err, "%s", msg);
                    last_err_at = start;
                    push_card(dm, &ev);
                }
            }
        }
        /* Handle libusb events (hotplug callbacks run here) until the next
         * polling slot: one find per IDCARD_POLL_MS at most, by the clock. */
        wait_slot(dm, start + IDCARD_POLL_MS, open);
    }
    if (open)
        idcard_close(dm->ic);
    return NULL;
}

void devmgr_sam_info(const struct devmgr *dm, struct devmgr_sam *out)
{
    pthread_mutex_lock((pthread_mutex_t *)&dm->mu);
    *out = dm->sam;
    pthread_mutex_unlock((pthread_mutex_t *)&dm->mu);
}

bool devmgr_wait_reader(struct devmgr *dm, int timeout_ms)
{
    int64_t end = mono_ms() + timeout_ms;
    for (;;) {
        pthread_mutex_lock(&dm->mu);
        bool done = dm->reader_probed || !dm->thread_running;
        pthread_mutex_unlock(&dm->mu);
        if (done)
            return true;
        if (mono_ms() >= end)
            return false;
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
}

/* ---- printer (caller's thread) ------------------------------------------ */

static enum dev_state state_of(const struct printer_state *st)
{
    if (st->paper_out)
        return DEV_PAPER_OUT;
    if (st->cover_open || st->error)
        return DEV_FAULT;
    return st->near_end ? DEV_PAPER_LOW : DEV_READY;
}

static void usb_printer_check(struct devmgr *dm)
{
    struct printer_state st;
    if (!dm->pr)
        return;
    if (!dm->printer_open) {
        int rc = printer_open(dm->pr);
        if (rc) {
            set_state(dm, false, rc == KERR_NODEV ? DEV_ABSENT : DEV_FAULT,
                      rc == KERR_NODEV ? "no receipt printer found" : kerr_detail());
            return;
        }
        dm->printer_open = true;
    }
    int rc = printer_status(dm->pr, &st);
    if (rc == KERR_NODEV) {
        printer_close(dm->pr);
        dm->printer_open = false;
        set_state(dm, false, DEV_ABSENT, "receipt printer unplugged");
        return;
    }
    set_state(dm, false, state_of(&st), dm->pt->description);
}

static void sim_printer_check(struct devmgr *dm)
{
    struct sim_printer_state st;
    if (!dm->sim_print_dir)
        return;
    sim_printer_state(dm->sim_print_dir, &st);
    set_state(dm, false, !st.present ? DEV_ABSENT : st.paper_out ? DEV_PAPER_OUT
                         : st.near_end ? DEV_PAPER_LOW : DEV_READY, dm->sim_print_dir);
}

/* ---- life cycle ------------------------------------------------------------ */

static int start_usb(struct devmgr *dm, const struct kiosk_config *cfg)
{
    struct usb_id rid, pid;
    int rc;
    const struct usb_id *rids = usb_known_readers, *pids = usb_known_printers;
    int nr = usb_n_known_readers, np = usb_n_known_printers, any_printer = 7;
    if (cfg->reader_usb[0]) {
        if ((rc = usb_id_parse(cfg->reader_usb, &rid)))
            return kerr_recode(rc, "[reader] usb");
        rids = &rid;
        nr = 1;
    }
    if (cfg->printer_usb[0]) {
        if ((rc = usb_id_parse(cfg->printer_usb, &pid)))
            return kerr_recode(rc, "[printer] usb");
        pids = &pid;
        np = 1;
        any_printer = -1;     /* configured: that one only */
    }
    rc = libusb_init(&dm->ctx);
    if (rc) {
        /* No USB at all (a container, a broken host): keep serving, say so. */
        dm->ctx = NULL;
        char why[96];
        snprintf(why, sizeof why, "libusb: %s", libusb_strerror(rc));
        set_state(dm, true, DEV_FAULT, why);
        set_state(dm, false, DEV_FAULT, why);
        return 0;
    }
    /* Readers: the first interface with bulk endpoints; printers: class 7. */
    if ((rc = usb_transport_new(dm->ctx, rids, nr, -1, -1, &dm->rt)) ||
        (rc = usb_transport_new(dm->ctx, pids, np, 7, any_printer, &dm->pt)) ||
        (rc = idcard_new(dm->rt, &dm->ic)) || (rc = printer_new(dm->pt, &dm->pr)))
        return rc;
    if (libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) &&
        libusb_hotplug_register_callback(dm->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED |
                                         LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, 0,
                                         LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
                                         LIBUSB_HOTPLUG_MATCH_ANY, on_hotplug, dm, &dm->hp) == 0)
        dm->hotplug = true;
    usb_printer_check(dm);
    if (pthread_create(&dm->thread, NULL, reader_thread, dm) != 0)
        return kerr(KERR_DEVICE, "cannot start the card-reader thread");
    dm->thread_running = true;
    return 0;
}

int devmgr_new(const struct kiosk_config *cfg, const struct devmgr_opts *opts, struct devmgr **out)
{
    struct devmgr *dm = calloc(1, sizeof *dm);
    int rc = 0;
    if (!dm)
        return KERR_NOMEM;
    dm->wake[0] = dm->wake[1] = -1;
    pthread_mutex_init(&dm->mu, NULL);
    escpos_profile(cfg->paper_dots, cfg->native_qr, &dm->prof);
    if (pipe2(dm->wake, O_NONBLOCK | O_CLOEXEC) != 0) {
        rc = kerr(KERR_IO, "devmgr: pipe: %s", strerror(errno));
        goto fail;
    }
    dm->sim = opts && opts->sim;
    if (dm->sim) {
        if (opts->sim_cards && !(dm->sim_cards = strdup(opts->sim_cards)))
            goto nomem;
        if (opts->sim_print_dir && !(dm->sim_print_dir = strdup(opts->sim_print_dir)))
            goto nomem;
        /* States start "absent"; the first handle() reports what is there. */
        if (dm->sim_cards) {
            rc = sim_reader_open(dm->sim_cards, &dm->simr);
            if (rc && rc != KERR_NODEV)
                goto fail;
            set_state(dm, true, rc ? DEV_ABSENT : DEV_READY, dm->sim_cards);
            rc = 0;
        }
        sim_printer_check(dm);
    } else {
        rc = start_usb(dm, cfg);
        if (rc)
            goto fail;
    }
    *out = dm;
    return 0;
nomem:
    rc = KERR_NOMEM;
fail:
    devmgr_free(&dm);
    return rc;
}

void devmgr_free(struct devmgr **pdm)
{
    struct devmgr *dm = *pdm;
    if (!dm)
        return;
    if (dm->thread_running) {
        atomic_store(&dm->stop, true);
        libusb_interrupt_event_handler(dm->ctx);
        pthread_join(dm->thread, NULL);
    }
    if (dm->hotplug)
        libusb_hotplug_deregister_callback(dm->ctx, dm->hp);
    idcard_free(&dm->ic);
    printer_free(&dm->pr);
    transport_destroy(&dm->rt);
    transport_destroy(&dm->pt);
    if (dm->ctx)
        libusb_exit(dm->ctx);
    sim_reader_free(&dm->simr);
    free(dm->sim_cards);
    free(dm->sim_print_dir);
    for (int i = 0; i < dm->qn; i++)
        card_event_wipe(&dm->q[i].card);
    if (dm->wake[0] >= 0)
        close(dm->wake[0]);
    if (dm->wake[1] >= 0)
        close(dm->wake[1]);
    pthread_mutex_destroy(&dm->mu);
    free(dm);
    *pdm = NULL;
}

/* ---- the loop's side ----------------------------------------------------------- */

int devmgr_pollfds(struct devmgr *dm, struct pollfd *fds, int cap)
{
    int n = 0;
    if (n < cap)
        fds[n++] = (struct pollfd){.fd = dm->wake[0], .events = POLLIN};
    if (dm->simr && sim_reader_fd(dm->simr) >= 0 && n < cap)
        fds[n++] = (struct pollfd){.fd = sim_reader_fd(dm->simr), .events = POLLIN};
    return n;
}

static int until(int64_t when, int64_t now)
{
    return when <= now ? 0 : when - now > 60000 ? 60000 : (int)(when - now);
}

int devmgr_next_timeout_ms(struct devmgr *dm, int64_t now)
{
    int t = -1;
    if (dm->sim) {
        if (dm->simr && sim_reader_timeout_ms(dm->simr) >= 0)
            t = sim_reader_timeout_ms(dm->simr);
        if (dm->sim_cards && !dm->simr)
            t = t < 0 ? until(dm->next_reader_try, now) : t;
        if (dm->sim_print_dir) {
            int p = until(dm->next_printer_check, now);
            t = t < 0 || p < t ? p : t;
        }
    } else if (dm->pr) {
        int p = until(dm->next_printer_check, now);
        t = t < 0 || p < t ? p : t;
    }
    return t;
}

static void sim_work(struct devmgr *dm, int64_t now)
{
    if (dm->sim_cards && !dm->simr && now >= dm->next_reader_try) {
        int rc = sim_reader_open(dm->sim_cards, &dm->simr);
        set_state(dm, true, rc ? (rc == KERR_NODEV ? DEV_ABSENT : DEV_FAULT) : DEV_READY,
                  rc ? kerr_detail() : dm->sim_cards);
        dm->next_reader_try = now + REOPEN_MS;
    }
    if (dm->simr) {
        struct card_event evs[8];
        int n = sim_reader_handle(dm->simr, evs, 8);
        for (int i = 0; i < n; i++)
            push_card(dm, &evs[i]);
        if (n < 0) {
            sim_reader_free(&dm->simr);
            set_state(dm, true, DEV_ABSENT, kerr_detail());
            dm->next_reader_try = now + REOPEN_MS;
        }
    }
    if (dm->sim_print_dir && now >= dm->next_printer_check) {
        sim_printer_check(dm);
        dm->next_printer_check = now + REOPEN_MS;
    }
}

int devmgr_handle(struct devmgr *dm, int64_t now, struct devmgr_event *evs, int cap)
{
    char drain[64];
    while (read(dm->wake[0], drain, sizeof drain) > 0)
        ;
    if (dm->sim) {
        sim_work(dm, now);
    } else if (dm->pr) {
        bool hot = atomic_exchange(&dm->hot_printer, 0);
        if (hot || now >= dm->next_printer_check) {
            usb_printer_check(dm);
            dm->next_printer_check = now + (dm->printer_open ? PRINTER_REFRESH_MS : REOPEN_MS);
        }
    }
    pthread_mutex_lock(&dm->mu);
    int n = dm->qn < cap ? dm->qn : cap;
    for (int i = 0; i < n; i++) {
        evs[i] = dm->q[i];
        card_event_wipe(&dm->q[i].card);
    }
    memmove(dm->q, dm->q + n, (size_t)(dm->qn - n) * sizeof dm->q[0]);
    dm->qn -= n;
    if (dm->qn)
        wake(dm);          /* more to hand out: keep the pipe readable */
    pthread_mutex_unlock(&dm->mu);
    return n;
}

/* ---- printing --------------------------------------------------------------------- */

int devmgr_print_raw(struct devmgr *dm, const uint8_t *bytes, size_t n)
{
    int rc;
    if (dm->sim) {
        if (!dm->sim_print_dir)
            return kerr(KERR_NODEV, "no simulated printer (--sim-print-dir DIR)");
        rc = sim_printer_print(dm->sim_print_dir, bytes, n, NULL, 0);
        char keep[sizeof ((struct devmgr_event *)0)->detail];
        snprintf(keep, sizeof keep, "%s", kerr_detail());
        sim_printer_check(dm);
        dm->next_printer_check = mono_ms() + REOPEN_MS;
        if (rc)
            kerr(rc, "%s", keep);
        return rc;
    }
    if (!dm->pr)
        return kerr(KERR_NODEV, "no USB support: %s", "libusb did not start");
    if (!dm->printer_open)
        usb_printer_check(dm);
    if (!dm->printer_open)
        return kerr(KERR_NODEV, "no receipt printer connected");
    struct printer_state st;
    rc = printer_print(dm->pr, bytes, n, &st);
    char keep[128];
    snprintf(keep, sizeof keep, "%s", kerr_detail());
    if (rc == KERR_NODEV) {
        printer_close(dm->pr);
        dm->printer_open = false;
        set_state(dm, false, DEV_ABSENT, "receipt printer unplugged");
    } else if (st.known) {
        set_state(dm, false, state_of(&st), dm->pt->description);
    }
    dm->next_printer_check = mono_ms() + PRINTER_REFRESH_MS;
    if (rc)
        kerr(rc, "%s", keep[0] ? keep : kiosk_strerror(rc));
    return rc;
}

int devmgr_print(struct devmgr *dm, const struct receipt_model *m)
{
    uint8_t *buf = malloc(RECEIPT_MAX_BYTES);
    if (!buf)
        return KERR_NOMEM;
    int n = receipt_build(m, &dm->prof, buf, RECEIPT_MAX_BYTES);
    int rc = n < 0 ? n : devmgr_print_raw(dm, buf, (size_t)n);
    free(buf);
    return rc;
}

int devmgr_wait_card(struct devmgr *dm, int timeout_ms, struct card_event *out)
{
    int64_t end = mono_ms() + timeout_ms;
    for (;;) {
        struct devmgr_event evs[8];
        int64_t now = mono_ms();
        int n = devmgr_handle(dm, now, evs, 8);
        int got = 0;
        for (int i = 0; i < n; i++) {
            if (evs[i].type == DEVMGR_EV_CARD && !got) {
                *out = evs[i].card;
                got = 1;
            }
            card_event_wipe(&evs[i].card);
        }
        if (got)
            return 1;
        if (now >= end)
            return 0;
        struct pollfd fds[4];
        int nf = devmgr_pollfds(dm, fds, 4);
        int t = devmgr_next_timeout_ms(dm, now);
        int left = (int)(end - now);
        if (t < 0 || t > left)
            t = left;
        if (poll(fds, (nfds_t)nf, t) < 0 && errno != EINTR)
            return kerr(KERR_IO, "poll: %s", strerror(errno));
    }
}
