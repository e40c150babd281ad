/* staff_loop.c — the staff console's loop and frame (staff.h).
 *
 * One ppoll() on the terminal with the core's idle timer as the timeout: a
 * console has no devices.  Keys go through the key table to the console
 * core; its reaction says whether to redraw, repaint everything (a new
 * screen, a wipe) or quit.  KEY_RESIZE is handled here, in the loop: new
 * layout, full redraw.  Below 80×24 only a plain "please enlarge" line.
 * The frame: a title bar with who is logged in, the body (the screen's
 * ops), a prompt line, the status line with the core's message (a refusal
 * in the core's own words) and the key hints. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "screens/screen.h"
#include "screens/term.h"
#include "screens/staff.h"

static volatile sig_atomic_t quit_requested;

static void on_term(int sig)
{
    (void)sig;
    quit_requested = 1;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct staff_loop {
    struct staff_ui ui;
    struct console *c;
    const struct staff_screen_ops *cur;
    int cur_screen;
    bool dirty, full, too_small;
};

static const struct staff_screen_ops *ops_for(int screen)
{
    switch (console_layout_of(screen)) {
    case CL_LOGIN: return &staff_login;
    case CL_DETAIL: return &staff_detail;
    default: return &staff_table;
    }
}

static void do_layout(struct staff_loop *L)
{
    getmaxyx(stdscr, L->ui.rows, L->ui.cols);
    L->too_small = L->ui.rows < UI_MIN_ROWS || L->ui.cols < UI_MIN_COLS;
    L->ui.top = 1;
    L->ui.bottom = L->ui.rows - 3;
    L->dirty = L->full = true;
}

static void sync_screen(struct staff_loop *L)
{
    const struct con_view *v = console_view(L->c);
    if (v->screen != L->cur_screen || !L->cur) {
        L->cur_screen = v->screen;
        L->cur = ops_for(v->screen);
        L->ui.scroll = 0;
        if (L->cur->enter)
            L->cur->enter(&L->ui);
        L->full = true;
    }
}

static void draw_frame(struct staff_loop *L)
{
    const struct con_view *v = console_view(L->c);
    int cols = L->ui.cols, rows = L->ui.rows;
    if (L->full)
        clearok(curscr, TRUE);
    erase();
    if (L->too_small) {
        ui_put(0, 0, _("Please enlarge the window (at least 80×24)."), cols, A_BOLD);
        goto out;
    }
    /* title bar */
    int ta = ui_attr(UP_TITLE);
    attron(ta);
    mvhline(0, 0, ' ', cols);
    attroff(ta);
    int ww = ui_width(v->who);
    ui_put(0, 1, v->title, cols - ww - 4, ta);
    if (v->who[0])
        ui_put(0, cols - ww - 1, v->who, ww, ta);

    L->cur->draw(&L->ui, v);

    int y = rows - 3;
    if (v->prompting) {
        int pa = ui_attr(UP_ACCENT);
        int lw = ui_put(y, 1, v->prompt_label, cols - 20, pa);
        int x = 1 + lw + 1;
        int vw = ui_width(v->prompt_value);
        /* the end of a long value stays visible */
        const char *val = v->prompt_value;
        while (vw > cols - x - 2 && *val) {
            val++;
            while ((*val & 0xc0) == 0x80)
                val++;
            vw = ui_width(val);
        }
        ui_put(y, x, val, cols - x - 1, ui_attr(UP_SELECT));
        ui_put(y, x + vw, " ", 1, A_REVERSE);
    }
    if (v->message[0])
        ui_put(rows - 2, 1, v->message, cols - 2,
               v->message_warn ? ui_attr(UP_WARN) : ui_attr(UP_GOOD));
    int sa = ui_attr(UP_STATUS);
    attron(sa);
    mvhline(rows - 1, 0, ' ', cols);
    attroff(sa);
    ui_put(rows - 1, 1, v->hint, cols - 2, sa);
out:
    leaveok(stdscr, TRUE);
    wnoutrefresh(stdscr);
    doupdate();
    L->dirty = L->full = false;
}

static void react(struct staff_loop *L, unsigned r)
{
    if (r & CR_QUIT)
        quit_requested = 1;
    if (r & (CR_GOTO | CR_REDRAW | CR_WIPE))
        L->dirty = true;
    if (r & (CR_GOTO | CR_WIPE))
        L->full = true;
    sync_screen(L);
}

static void read_keys(struct staff_loop *L)
{
    wint_t key;
    int rc;
    while ((rc = get_wch(&key)) != ERR) {
        if (rc == KEY_CODE_YES && key == KEY_RESIZE) {
            do_layout(L);
            continue;
        }
        uint32_t ch = 0;
        enum con_action a = staff_key_action(rc == KEY_CODE_YES, (uint32_t)key, &ch);
        if (a == CA_NONE)
            continue;
        /* a long detail scrolls locally; everything else goes to the core */
        if (!L->too_small && !console_view(L->c)->prompting && L->cur && L->cur->on_action &&
            L->cur->on_action(&L->ui, console_view(L->c), a)) {
            L->dirty = true;
            continue;
        }
        react(L, console_input(L->c, a, ch, now_ms()));
        if (quit_requested)
            break;
    }
}

int console_main(const struct kiosk_config *cfg, struct store *st, struct secret *sec, bool admin,
                 int idle_seconds)
{
    struct console_opts o = {.admin = admin, .idle_seconds = idle_seconds};
    struct console *c = NULL;
    int err = console_new(st, sec, cfg, &o, &c);
    if (err)
        return err;
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTSTP, SIG_IGN);   /* suspending would leave a logged-in console behind */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);   /* the SSH connection dropped */

    SCREEN *scr = term_start();
    if (!scr) {
        console_free(&c);
        return kerr(KERR_IO, "cannot start the terminal (TERM=%s)", getenv("TERM"));
    }

    /* SIGWINCH is blocked except inside ppoll(): a resize that lands while
     * a frame is being drawn still interrupts the next wait (ncurses' own
     * handler has queued KEY_RESIZE by then), instead of waiting for a key. */
    sigset_t winch, waitmask;
    sigemptyset(&winch);
    sigaddset(&winch, SIGWINCH);
    sigprocmask(SIG_BLOCK, &winch, &waitmask);
    sigdelset(&waitmask, SIGWINCH);

    struct staff_loop L = {.c = c, .cur_screen = -1};
    do_layout(&L);
    sync_screen(&L);
    while (!quit_requested) {
        if (L.dirty)
            draw_frame(&L);
        struct pollfd fd = {.fd = STDIN_FILENO, .events = POLLIN};
        int tmo = console_next_timeout_ms(c, now_ms());
        struct timespec ts = {.tv_sec = tmo / 1000, .tv_nsec = (long)(tmo % 1000) * 1000000};
        int rc = ppoll(&fd, 1, tmo < 0 ? NULL : &ts, &waitmask);
        if (rc < 0 && errno != EINTR)
            break;
        /* after EINTR (SIGWINCH) ncurses has a KEY_RESIZE waiting */
        if (rc < 0 || (fd.revents & (POLLIN | POLLHUP | POLLERR)))
            read_keys(&L);
        if (fd.revents & (POLLHUP | POLLERR | POLLNVAL))
            break;
        react(&L, console_tick(c, now_ms()));
    }
    console_free(&c);   /* logs out and wipes */
    sigprocmask(SIG_UNBLOCK, &winch, NULL);
    erase();
    refresh();
    term_stop(scr);
    return 0;
}
