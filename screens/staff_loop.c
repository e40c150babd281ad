/* staff_loop.c — the staff console on the one UI loop (ui_loop.h), and its frame.
 *
 * Keys go through the key map (keymap.h, the bindings in force) to the
 * console core; a click on a hint button runs its action, a click on a
 * table row or a menu item selects it and a second click opens it.  The
 * core's reaction says whether to redraw, repaint everything (a new screen,
 * a wipe) or quit.  The frame: a title bar with who is logged in, the body
 * (the screen's ops), a prompt line, the status line with the core's
 * message (a refusal in the core's own words) and the key hints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/devmgr.h"
#include "kiosk/config.h"
#include "kiosk/err.h"
#include "screens/keymap.h"
#include "screens/pointer.h"
#include "screens/screen.h"
#include "screens/staff.h"
#include "screens/ui_loop.h"

struct staff {
    struct staff_ui ui;
    struct console *c;
    const struct keytab *kt;
    const char *lang;
    struct keymap keys;
    struct hintbar hints;
    const struct staff_screen_ops *cur;
    int cur_screen;
    struct ui_loop *L;
    struct devmgr *dm;          /* the reader at the counter (issue 12), or NULL */
};

static const struct staff_screen_ops *ops_for(int screen)
{
    switch (console_layout_of(screen)) {
    case CL_LOGIN: return &staff_login;
    case CL_DETAIL: return &staff_detail;
    default: return &staff_table;
    }
}

static void sync_screen(struct staff *S)
{
    const struct con_view *v = console_view(S->c);
    if (v->screen != S->cur_screen || !S->cur) {
        S->cur_screen = v->screen;
        S->cur = ops_for(v->screen);
        S->ui.scroll = 0;
        if (S->cur->enter)
            S->cur->enter(&S->ui);
        ui_loop_redraw(S->L, true);
    }
}

static void react(struct staff *S, unsigned r)
{
    if (r & CR_QUIT)
        ui_loop_quit(S->L);
    if (r & (CR_GOTO | CR_REDRAW | CR_WIPE))
        ui_loop_redraw(S->L, (r & (CR_GOTO | CR_WIPE)) != 0);
    sync_screen(S);
}

/* One action (from a key or a click); ch is the character a printable key types. */
static void act(struct staff *S, int a, uint32_t ch)
{
    if (a == CA_NONE)
        return;
    /* a long detail scrolls locally; everything else goes to the core */
    const struct con_view *v = console_view(S->c);
    if (!S->L->too_small && !v->prompting && S->cur && S->cur->on_action &&
        S->cur->on_action(&S->ui, v, (enum con_action)a)) {
        ui_loop_redraw(S->L, false);
        return;
    }
    react(S, console_input(S->c, (enum con_action)a, ch, ui_now_ms()));
}

static bool offered(struct staff *S, int a)
{
    const struct con_view *v = console_view(S->c);
    return v->n_acts == 0 || keymap_offered(v->acts, v->n_acts, a);
}

/* Move a selection from index cur to target with Up/Down (the core has no
 * "select row n"), or open it (Enter) when it is already selected.  sel()
 * reads the selection back after each step: anything unexpected stops. */
static void click_select(struct staff *S, int cur, int target, int (*sel)(const struct con_view *))
{
    if (cur == target) {
        if (offered(S, CA_ENTER))
            act(S, CA_ENTER, 0);
        return;
    }
    int step = target > cur ? CA_DOWN : CA_UP;
    if (cur < 0 || !offered(S, step))
        return;
    int screen = console_view(S->c)->screen;
    for (int n = target > cur ? target - cur : cur - target; n > 0; n--) {
        int before = sel(console_view(S->c));
        act(S, step, 0);
        const struct con_view *v = console_view(S->c);
        if (v->screen != screen || v->prompting || sel(v) == before || sel(v) == target)
            break;
    }
}

static int row_sel(const struct con_view *v) { return v->selected; }
static int item_sel(const struct con_view *v) { return v->item_sel; }

static void on_click(struct staff *S, int y, int x)
{
    const struct con_view *v = console_view(S->c);
    struct hint_hit h;
    if (hintbar_hit(&S->hints, y, x, &h)) {
        act(S, h.act, 0);
        return;
    }
    if (v->prompting)
        return;   /* the prompt owns the keyboard; the rows behind it wait */
    for (int i = 0; i < S->ui.n_row_at; i++)
        if (S->ui.row_at[i].y == y) {
            click_select(S, v->selected, S->ui.row_at[i].row, row_sel);
            return;
        }
    for (int i = 0; i < S->ui.n_item_at; i++)
        if (S->ui.item_at[i].y == y) {
            click_select(S, v->item_sel, S->ui.item_at[i].item, item_sel);
            return;
        }
    /* the login form: a click on the other field moves there */
    for (int f = 0; f < 2; f++)
        if (S->ui.field_y[f] == y && f != v->login_field && v->screen == CS_LOGIN)
            act(S, CA_TAB, 0);
}

static void on_key(void *ctx, struct ui_loop *L, bool is_code, wint_t key)
{
    struct staff *S = ctx;
    if (is_code && key == KEY_MOUSE) {
        struct ptr_event e = pointer_read();
        if (L->too_small)
            return;
        switch (e.kind) {
        case PTR_CLICK: on_click(S, e.y, e.x); break;
        case PTR_WHEEL_UP: if (offered(S, CA_UP)) act(S, CA_UP, 0); break;
        case PTR_WHEEL_DOWN: if (offered(S, CA_DOWN)) act(S, CA_DOWN, 0); break;
        default: break;
        }
        return;
    }
    const struct con_view *v = console_view(S->c);
    uint32_t ch = 0;
    int a = keymap_action(&S->keys, v->acts, v->n_acts, (struct keycode){is_code, (int)key}, &ch);
    act(S, a, ch);
}

static int timeout_ms(void *ctx, long long now)
{
    struct staff *S = ctx;
    int t1 = console_next_timeout_ms(S->c, now);
    int t2 = S->dm ? devmgr_next_timeout_ms(S->dm, now) : -1;
    return t1 < 0 ? t2 : t2 < 0 ? t1 : (t1 < t2 ? t1 : t2);
}

/* ---- the card reader at the staff counter (issue 12) ---- */

static int fds(void *ctx, struct pollfd *out, int cap)
{
    struct staff *S = ctx;
    return S->dm ? devmgr_pollfds(S->dm, out, cap) : 0;
}

static void on_fds(void *ctx, struct ui_loop *L, const struct pollfd *p, int n)
{
    struct staff *S = ctx;
    (void)L, (void)p, (void)n;
    if (!S->dm)
        return;
    struct devmgr_event ev[8];
    int k;
    while ((k = devmgr_handle(S->dm, ui_now_ms(), ev, 8)) > 0) {
        for (int i = 0; i < k; i++) {
            if (ev[i].type == DEVMGR_EV_CARD)
                react(S, console_card(S->c, &ev[i].card, ui_now_ms()));
            card_event_wipe(&ev[i].card);   /* the plaintext identity ends here */
        }
        if (k < 8)
            break;
    }
}

static void layout(void *ctx, struct ui_loop *L)
{
    struct staff *S = ctx;
    S->L = L;
    S->ui.rows = L->rows;
    S->ui.cols = L->cols;
    S->ui.top = 1;
    S->ui.bottom = L->rows - 3;
}

static void start(void *ctx, struct ui_loop *L)
{
    struct staff *S = ctx;
    S->L = L;
    sync_screen(S);
}

static void on_tick(void *ctx, struct ui_loop *L, long long now)
{
    struct staff *S = ctx;
    (void)L;
    react(S, console_tick(S->c, now));
}

static void draw(void *ctx, struct ui_loop *L)
{
    struct staff *S = ctx;
    const struct con_view *v = console_view(S->c);
    int cols = L->cols, rows = L->rows;
    S->ui.n_row_at = S->ui.n_item_at = 0;
    S->ui.field_y[0] = S->ui.field_y[1] = -1;
    /* title bar */
    int ta = ui_attr(UP_TITLE);
    attron(ta);
    mvhline(0, 0, ' ', cols);
    attroff(ta);
    int ww = ui_width(v->who);
    ui_put(0, 1, v->title, cols - ww - 4, ta);
    if (v->who[0])
        ui_put(0, cols - ww - 1, v->who, ww, ta);

    S->cur->draw(&S->ui, v);

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
    /* the hints on the status line, each a button: "[F5] Refresh" */
    struct hintbar_style hs = {.pad = 0, .gap = 2, .min_gap = 2, .keep = {CA_HELP, CA_ESCAPE}, .attr = sa, .key_attr = sa | A_BOLD};
    hintbar_draw(&S->hints, S->kt, KS_STAFF, v->acts, v->n_acts, S->lang, rows - 1, 1,
                 cols - 2, &hs);
}

static const struct ui_loop_ops staff_ops = {
    .fds = fds,
    .on_fds = on_fds,
    .timeout_ms = timeout_ms,
    .layout = layout,
    .on_key = on_key,
    .on_tick = on_tick,
    .draw = draw,
    .start = start,
};

int console_main(const struct kiosk_config *cfg, struct store *st, struct secret *sec, bool admin,
                 int idle_seconds, struct devmgr *dm)
{
    struct console_opts o = {.admin = admin, .idle_seconds = idle_seconds};
    struct staff *S = calloc(1, sizeof *S);
    if (!S)
        return kerr(KERR_IO, "out of memory");
    int err = console_new(st, sec, cfg, &o, &S->c);
    if (err) {
        free(S);
        return err;
    }
    S->kt = &cfg->keys;
    S->dm = dm;
    S->lang = cfg->language;
    keymap_build(&S->keys, S->kt, KS_STAFF);
    S->hints.y = -1;
    S->cur_screen = -1;
    S->ui.field_y[0] = S->ui.field_y[1] = -1;
    err = ui_loop_run(&staff_ops, S, UI_LOOP_STAFF);
    console_free(&S->c);   /* logs out and wipes */
    free(S);
    return err;
}
