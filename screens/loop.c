/* loop.c — resident mode on the one UI loop (ui_loop.h).
 *
 * The loop watches the terminal, the device manager's fds (the simulated-card
 * FIFO, or the USB thread's wake-up pipe) and the timers the session and the
 * devices ask for.  Here is what they mean: keys go through the key map
 * (keymap.h, from the bindings in force) to the core session; a click on a
 * hint button runs its action, a click on a list item selects it and a
 * second click opens it; card events and device states go to the session
 * too; its reactions say what to draw, print or wipe. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "devices/devmgr.h"
#include "kiosk/err.h"
#include "kiosk/kiosk_status.h"
#include "screens/keymap.h"
#include "screens/pointer.h"
#include "screens/screen.h"
#include "screens/speak.h"   /* speech (issue 9) */
#include "screens/ui.h"
#include "screens/ui_loop.h"

const struct screen_ops *screen_for(int s)
{
    switch (s) {
    case SS_ATTRACT: return &scr_attract;
    case SS_QUEUE: return &scr_queue;
    case SS_BED: return &scr_bed;
    case SS_QR: return &scr_qr;
    case SS_APPLY_DONE: return &scr_apply_done;
    default: return &scr_lines;
    }
}

static enum sess_dev map_dev(enum dev_state d)
{
    switch (d) {
    case DEV_READY: return SDEV_READY;
    case DEV_PAPER_OUT: return SDEV_PAPER_OUT;
    case DEV_PAPER_LOW: return SDEV_PAPER_LOW;
    case DEV_FAULT: return SDEV_FAULT;
    case DEV_MUTE: return SDEV_NOT_ANSWERING;
    default: return SDEV_ABSENT;
    }
}

struct resident {
    struct ui ui;
    struct session *s;
    struct devmgr *dm;
    struct keymap keys;
    const struct screen_ops *cur;
    struct ui_loop *L;
    struct speak speak;         /* speech (issue 9) */
};

static void switch_screen(struct resident *R)
{
    const struct sess_view *v = session_view(R->s);
    const struct screen_ops *next = screen_for(v->screen);
    if (next != R->cur) {
        if (R->cur && R->cur->leave)
            R->cur->leave(&R->ui);
        R->cur = next;
        R->ui.scroll = 0;
        if (R->cur->enter)
            R->cur->enter(&R->ui, v);
        if (R->cur->layout && !R->L->too_small)
            R->cur->layout(&R->ui);
    }
}

/* Act on what the session answered; may loop through work and printing. */
static void react(struct resident *R, unsigned r)
{
    while (r) {
        if (r & SR_QUIT)
            ui_loop_quit(R->L);
        if (r & SR_GOTO)
            switch_screen(R);
        if (r & (SR_REDRAW | SR_GOTO | SR_WIPE))
            ui_loop_redraw(R->L, (r & (SR_WIPE | SR_GOTO)) != 0);
        unsigned next = 0;
        if (r & SR_WORK) {
            ui_loop_frame(R->L);    /* "reading…" shows while the look-up runs */
            next |= session_work(R->s, ui_now_ms());
        }
        if (r & SR_PRINT) {
            ui_loop_frame(R->L);    /* "printing…" */
            int rc = devmgr_print(R->dm, session_receipt(R->s));
            next |= session_print_result(R->s, rc, ui_now_ms());
            if (rc == 0)
                speak_printed(&R->speak, session_receipt(R->s));   /* say what it printed */
        }
        r = next;
    }
    speak_after(&R->speak, session_view(R->s));   /* speech (issue 9): say what changed */
}

static void act(struct resident *R, int a)
{
    react(R, session_action(R->s, (enum kiosk_action)a, ui_now_ms()));
}

/* An action the current screen takes (any, while the core lists none). */
static bool offered(struct resident *R, int a)
{
    const struct sess_view *v = session_view(R->s);
    return v->n_acts == 0 || keymap_offered(v->acts, v->n_acts, a);
}

/* The ordinal of line i among the view's selectable items; -1 when it is none. */
static int item_ordinal(const struct sess_view *v, int i)
{
    if (i < 0 || i >= v->n_lines || v->line[i].kind != SVL_ITEM)
        return -1;
    int k = 0;
    for (int j = 0; j < i; j++)
        k += v->line[j].kind == SVL_ITEM;
    return k;
}

/* A click on a list item: select it (Up/Down, as a key would — the core has no
 * "select item n"), and when it already is the selected one, open it (Enter). */
static void click_item(struct resident *R, int line)
{
    const struct sess_view *v = session_view(R->s);
    if (v->selected == line) {
        if (offered(R, ACT_ENTER))
            act(R, ACT_ENTER);
        return;
    }
    int from = item_ordinal(v, v->selected), to = item_ordinal(v, line);
    if (from < 0 || to < 0)
        return;
    int step = to > from ? ACT_DOWN : ACT_UP;
    if (!offered(R, step))
        return;
    int screen = v->screen;
    for (int n = to > from ? to - from : from - to; n > 0; n--) {
        int before = session_view(R->s)->selected;
        act(R, step);
        v = session_view(R->s);
        /* stop at anything unexpected: another screen, a selection that did not move */
        if (v->screen != screen || v->selected == before || v->selected == line)
            break;
    }
}

/* Up/Down (or the wheel, or ▲/▼) on a text that does not fit and offers no
 * selection: scroll it here; the session only hears that someone is there. */
static bool scroll_text(struct resident *R, int a)
{
    const struct sess_view *v = session_view(R->s);
    if ((a != ACT_UP && a != ACT_DOWN) || v->selected >= 0 || offered(R, a))
        return false;
    /* a key typed during the look-up is read before the frame of its result
     * is drawn: draw it now, so "more below" is this text's, not the
     * "reading…" frame's (a Down pressed early scrolled nothing) */
    if (R->L->dirty)
        ui_loop_frame(R->L);
    if (a == ACT_DOWN && !R->ui.more)
        return false;
    if (a == ACT_UP && R->ui.scroll == 0)
        return false;
    R->ui.scroll += a == ACT_DOWN ? 1 : -1;
    act(R, ACT_ANY);
    ui_loop_redraw(R->L, false);
    return true;
}

static void on_click(struct resident *R, int y, int x)
{
    struct hint_hit h;
    if (hintbar_hit(&R->ui.hints, y, x, &h)) {
        if (h.act == HINTBAR_MORE) {   /* the next page of buttons */
            R->ui.hints.page++;
            act(R, ACT_ANY);           /* someone is there */
            ui_loop_redraw(R->L, false);
        } else if (speak_is_action(h.act)) {
            react(R, speak_touch(&R->speak, R->s, h.act, ui_now_ms()));
        } else {
            act(R, h.act);
        }
        return;
    }
    for (int i = 0; i < R->ui.n_taps; i++)   /* a key of the on-screen pad, or ▲/▼ */
        if (R->ui.tap[i].y == y && x >= R->ui.tap[i].x0 && x < R->ui.tap[i].x1) {
            int a = R->ui.tap[i].act;
            if (a == UI_TAP_SCROLL_UP || a == UI_TAP_SCROLL_DOWN)
                scroll_text(R, a == UI_TAP_SCROLL_DOWN ? ACT_DOWN : ACT_UP);
            else
                act(R, a);
            return;
        }
    for (int i = 0; i < R->ui.n_item_rows; i++)
        if (R->ui.item_row[i].y == y) {
            click_item(R, R->ui.item_row[i].line);
            return;
        }
    act(R, ACT_ANY);   /* a touch anywhere still counts as someone being there */
}

static void on_key(void *ctx, struct ui_loop *L, bool is_code, wint_t key)
{
    struct resident *R = ctx;
    /* speech (issue 9): any key silences; the speech keys end here */
    unsigned sr;
    if (speak_key(&R->speak, R->s, &R->keys, (struct keycode){is_code, (int)key}, ui_now_ms(), &sr)) {
        react(R, sr);
        return;
    }
    if (is_code && key == KEY_MOUSE) {
        struct ptr_event e = pointer_read();
        if (L->too_small) {
            if (e.kind != PTR_NONE)
                act(R, ACT_ANY);
            return;
        }
        switch (e.kind) {
        case PTR_CLICK: on_click(R, e.y, e.x); break;
        case PTR_WHEEL_UP:
            if (!scroll_text(R, ACT_UP))
                act(R, offered(R, ACT_UP) ? ACT_UP : ACT_ANY);
            break;
        case PTR_WHEEL_DOWN:
            if (!scroll_text(R, ACT_DOWN))
                act(R, offered(R, ACT_DOWN) ? ACT_DOWN : ACT_ANY);
            break;
        default: break;
        }
        return;
    }
    const struct sess_view *v = session_view(R->s);
    uint32_t ch;
    int a = keymap_action(&R->keys, v->acts, v->n_acts, (struct keycode){is_code, (int)key}, &ch);
    if (a == ACT_ANY) {
        /* the keys bound to Up/Down scroll a text that offers no selection */
        static const int updown[2] = {ACT_UP, ACT_DOWN};
        int sa = keymap_action(&R->keys, updown, 2, (struct keycode){is_code, (int)key}, &ch);
        if (scroll_text(R, sa))
            return;
    }
    act(R, a);
}

/* The reader's SAM, for the heartbeat (fleet health, issue 12). */
static void tell_sam(struct resident *R)
{
    struct devmgr_sam sam;
    devmgr_sam_info(R->dm, &sam);
    session_sam(R->s, sam.state == DEVMGR_SAM_OK ? KSAM_OK
                      : sam.state == DEVMGR_SAM_FAULT ? KSAM_FAULT : KSAM_UNKNOWN, sam.id);
}

static void handle_devices(struct resident *R)
{
    struct devmgr_event ev[8];
    int n;
    while ((n = devmgr_handle(R->dm, ui_now_ms(), ev, 8)) > 0) {
        for (int i = 0; i < n; i++) {
            if (ev[i].type == DEVMGR_EV_CARD) {
                speak_card(&R->speak);   /* speech (issue 9): the card tone */
                react(R, session_card(R->s, &ev[i].card, ui_now_ms()));
            } else {
                tell_sam(R);
                react(R, session_devices(R->s, map_dev(devmgr_reader_state(R->dm)),
                                         map_dev(devmgr_printer_state(R->dm))));
            }
            card_event_wipe(&ev[i].card);
        }
        if (n < 8)
            break;
    }
}

static int fds(void *ctx, struct pollfd *out, int cap)
{
    struct resident *R = ctx;
    return devmgr_pollfds(R->dm, out, cap);
}

static int timeout_ms(void *ctx, long long now)
{
    struct resident *R = ctx;
    int t1 = session_next_timeout_ms(R->s, now);
    int t2 = devmgr_next_timeout_ms(R->dm, now);
    return t1 < 0 ? t2 : t2 < 0 ? t1 : (t1 < t2 ? t1 : t2);
}

static void layout(void *ctx, struct ui_loop *L)
{
    struct resident *R = ctx;
    R->L = L;
    R->ui.rows = L->rows;
    R->ui.cols = L->cols;
    R->ui.roomy = L->rows >= UI_ROOMY_ROWS && L->cols >= UI_ROOMY_COLS;
    R->ui.body_top = 1;
    /* two rows of buttons on a narrow screen, short ones too (40×16): the
     * screen's own actions fit there, the rest are a "More" page away */
    R->ui.hint_rows = L->cols < UI_NARROW_COLS ? 2 : 1;
    R->ui.body_bottom = L->rows - 2 - R->ui.hint_rows;
    if (R->cur && R->cur->layout && !L->too_small)
        R->cur->layout(&R->ui);
}

static void start(void *ctx, struct ui_loop *L)
{
    struct resident *R = ctx;
    R->L = L;
    R->cur = screen_for(session_view(R->s)->screen);
    react(R, session_devices(R->s, map_dev(devmgr_reader_state(R->dm)),
                             map_dev(devmgr_printer_state(R->dm))));
}

static void on_fds(void *ctx, struct ui_loop *L, const struct pollfd *p, int n)
{
    (void)L;
    (void)p;
    (void)n;
    handle_devices(ctx);   /* the device manager checks its own fds and timers */
}

static void on_tick(void *ctx, struct ui_loop *L, long long now)
{
    struct resident *R = ctx;
    (void)L;
    react(R, session_tick(R->s, now));
}

static void draw(void *ctx, struct ui_loop *L)
{
    struct resident *R = ctx;
    (void)L;
    const struct sess_view *v = session_view(R->s);
    R->ui.n_item_rows = 0;
    R->ui.n_taps = 0;
    R->ui.n_extra = speak_acts(&R->speak, v, R->ui.extra);   /* speech keys as buttons too */
    R->ui.large = v->access_mode;   /* the accessibility key: the largest layout that fits */
    ui_frame(&R->ui, v);
    R->cur->draw(&R->ui, v);
    ui_countdown(&R->ui, v);
    session_drawn(R->s, (long long)time(NULL));   /* the heartbeat's proof of life */
}

static const struct ui_loop_ops resident_ops = {
    .fds = fds,
    .timeout_ms = timeout_ms,
    .layout = layout,
    .on_key = on_key,
    .on_fds = on_fds,
    .on_tick = on_tick,
    .draw = draw,
    .start = start,
};

int ui_run(struct session *s, struct devmgr *dm, const struct ui_opts *opts)
{
    struct resident *R = calloc(1, sizeof *R);
    if (!R)
        return kerr(KERR_IO, "out of memory");
    struct keytab defaults;
    const struct keytab *kt = opts ? opts->keys : NULL;
    if (!kt) {
        keytab_defaults(&defaults);
        kt = &defaults;
    }
    keymap_build(&R->keys, kt, KS_RESIDENT);
    R->ui.keys = kt;
    R->ui.hints.y = -1;
    R->s = s;
    R->dm = dm;
    /* speech (issue 9) */
    struct speak_opts so = {.keys = kt};
    if (opts) {
        so.speech = opts->speech;
        so.private_audio = opts->speech_private;
        so.chinese = opts->speech_chinese;
    }
    speak_init(&R->speak, &so);
    int err = ui_loop_run(&resident_ops, R, UI_LOOP_RESIDENT);
    if (R->cur && R->cur->leave)
        R->cur->leave(&R->ui);
    ui_qr_release(&R->ui);
    free(R);
    return err;
}
