/* kiosks.c — the console's table of kiosks and their devices, those that
 * need paper or a reader first (kiosk_status_list sorts them).  Every
 * kiosk that reported is listed: the table grows until the store's answer
 * leaves room to spare (kiosk_status_list fills at most cap). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/console/console_int.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"

static int kiosks_load(struct console *c)
{
    int err, n = 0;
    for (int want = c->kiosks.cap ? c->kiosks.cap : 64;; want *= 2) {
        if ((err = grow((void **)&c->kiosks.list, &c->kiosks.cap, want, sizeof *c->kiosks.list)) ||
            (err = kiosk_status_list(c->st, c->kiosks.list, c->kiosks.cap, &n)))
            return err;
        if (n < c->kiosks.cap)
            break;   /* room to spare: that was all, and sorted as a whole */
    }
    c->kiosks.n = n;
    if (c->kiosks.sel >= n || c->kiosks.sel < 0)
        c->kiosks.sel = 0;
    return 0;
}

static void kiosks_enter(struct console *c) { c->kiosks.sel = 0; }

static void kiosks_build(struct console *c)
{
    static const struct cv_col cols[] = {
        {N_("Kiosk"), 20, false}, {N_("Printer"), 13, false}, {N_("Reader"), 13, false}, {N_("Updated"), 0, false}};
    set_cols(c, 4, cols);
    snprintf(c->v.title, sizeof c->v.title, "%s", _("Kiosks needing paper"));
    int paper = 0, n = c->kiosks.n, off = c->kiosks.sel / CONSOLE_PAGE * CONSOLE_PAGE;
    for (int i = 0; i < n; i++)
        paper += kiosk_status_needs_paper(&c->kiosks.list[i]);
    for (int i = off; i < n && i < off + CONSOLE_PAGE; i++) {
        const struct kiosk_status_row *k = &c->kiosks.list[i];
        struct cv_row *r = add_row(c, k->printer_state == KDEV_PAPER_OUT ? CVK_WARN
                                      : kiosk_status_needs_attention(k) ? CVK_HEAD
                                                                        : CVK_NORMAL);
        cell(r, 0, "%s", k->kiosk_id);
        cell(r, 1, "%s", kdev_state_label(k->printer_state));
        cell(r, 2, "%s", kdev_state_label(k->reader_state));
        cell(r, 3, "%s", k->updated_at);
    }
    if (!n)
        snprintf(c->v.caption, sizeof c->v.caption, "%s", _("No kiosk has reported yet."));
    else if (n > CONSOLE_PAGE)
        snprintf(c->v.caption, sizeof c->v.caption, _("%d of %d kiosks need paper (rows %d–%d)"),
                 paper, n, off + 1, off + CONSOLE_PAGE < n ? off + CONSOLE_PAGE : n);
    else
        snprintf(c->v.caption, sizeof c->v.caption, _("%d of %d kiosks need paper"), paper, n);
    c->v.selected = n ? c->kiosks.sel - off : -1;
}

/* shared with the fleet panel (fleet.c): the same list of kiosks */
unsigned con_kiosks_input(struct console *c, enum con_action a, uint32_t ch)
{
    (void)ch;
    if (move_sel(&c->kiosks.sel, c->kiosks.n, a, CONSOLE_PAGE))
        return CR_REDRAW;
    return a == CA_ESCAPE ? con_back(c, CS_HOME) : CR_NONE;
}

int con_kiosks_actions(const struct console *c, int *acts, int cap)
{
    int n = 0;
    return list_actions(acts, n, cap, c->kiosks.n);
}

const struct con_screen_ops con_kiosks = {
    .name = "kiosks",
    .layout = CL_TABLE,
    .enter = kiosks_enter,
    .load = kiosks_load,
    .build = kiosks_build,
    .input = con_kiosks_input,
    .actions = con_kiosks_actions,
};
