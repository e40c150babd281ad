/* fleet.c — the console's fleet panel (issue 12): every kiosk's heartbeat,
 * as `kioskctl kiosks` shows it over SSH — when it last beat, its reader and
 * SAM, printer and paper, the last screen it drew and its version.  A kiosk
 * silent for more than [fleet] silent_after (120 s) is flagged first: a
 * frozen or switched-off kiosk is what a clerk must walk over to see.
 * A kiosk that reported losing the district database (issue 13) has a line
 * under its row in kioskctl's words (kiosk_status_db_text): from when to
 * when, or, silent since, "database unreachable?".  So a page is at most
 * FLEET_PAGE kiosks: two rows each fit the view's CV_ROWS.
 * Shares the kiosks screen's list (c->kiosks): both read kiosk_status_list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/config.h"
#include "kiosk/console/console_int.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"

#define FLEET_PAGE (CV_ROWS / 2)

static int silent_after(const struct console *c)
{
    return c->cfg && c->cfg->fleet_silent_after > 0 ? c->cfg->fleet_silent_after : 120;
}

/* Silent kiosks first, then kiosk_status_list's order (attention first). */
static long long g_now;
static int g_silent;

static int by_silence(const void *a, const void *b)
{
    const struct kiosk_status_row *x = a, *y = b;
    return (int)kiosk_status_silent(y, g_now, g_silent) - (int)kiosk_status_silent(x, g_now, g_silent);
}

static int fleet_load(struct console *c)
{
    int err, n = 0;
    for (int want = c->kiosks.cap ? c->kiosks.cap : 64;; want *= 2) {
        if ((err = grow((void **)&c->kiosks.list, &c->kiosks.cap, want, sizeof *c->kiosks.list)) ||
            (err = kiosk_status_list(c->st, c->kiosks.list, c->kiosks.cap, &n)))
            return err;
        if (n < c->kiosks.cap)
            break;
    }
    g_now = (long long)time(NULL);
    g_silent = silent_after(c);
    /* a stable order: insertion sort keeps the list's own order within each group */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && by_silence(&c->kiosks.list[j - 1], &c->kiosks.list[j]) > 0; j--) {
            struct kiosk_status_row t = c->kiosks.list[j];
            c->kiosks.list[j] = c->kiosks.list[j - 1];
            c->kiosks.list[j - 1] = t;
        }
    c->kiosks.n = n;
    if (c->kiosks.sel >= n || c->kiosks.sel < 0)
        c->kiosks.sel = 0;
    return 0;
}

static void fleet_enter(struct console *c) { c->kiosks.sel = 0; }

static void fleet_build(struct console *c)
{
    /* "Last beat" holds "SILENT 119 s" / "失联 119 s" whole (13) */
    static const struct cv_col cols[] = {
        {N_("Kiosk"), 14, false}, {N_("Last beat"), 13, false}, {N_("Reader"), 14, false},
        {N_("SAM"), 6, false},    {N_("Printer"), 13, false},   {N_("Screen"), 0, false}};
    set_cols(c, 6, cols);
    snprintf(c->v.title, sizeof c->v.title, "%s", _("Fleet health"));
    long long now = (long long)time(NULL);
    int n = c->kiosks.n, off = c->kiosks.sel / FLEET_PAGE * FLEET_PAGE, silent = 0;
    for (int i = 0; i < n; i++)
        silent += kiosk_status_silent(&c->kiosks.list[i], now, silent_after(c));
    c->v.selected = -1;
    for (int i = off; i < n && i < off + FLEET_PAGE; i++) {
        const struct kiosk_status_row *k = &c->kiosks.list[i];
        bool dead = kiosk_status_silent(k, now, silent_after(c));
        struct cv_row *r = add_row(c, dead || k->printer_state == KDEV_PAPER_OUT ? CVK_WARN
                                      : kiosk_status_needs_attention(k) ? CVK_HEAD
                                                                        : CVK_NORMAL);
        char age[32], sage[32], db[KDB_TEXT_MAX];
        if (i == c->kiosks.sel)
            c->v.selected = c->v.n_rows - 1;
        kiosk_age_text(kiosk_status_age(k, now), age, sizeof age);
        kiosk_age_text(k->screen_at > 0 ? (now > k->screen_at ? now - k->screen_at : 0) : -1,
                       sage, sizeof sage);
        cell(r, 0, "%s", k->kiosk_id);
        if (dead)
            cell(r, 1, _("SILENT %s"), age);
        else
            cell(r, 1, "%s", age);
        cell(r, 2, "%s", kdev_state_label(k->reader_state));
        cell(r, 3, "%s", k->sam_state == KSAM_OK ? _("ok") : k->sam_state == KSAM_FAULT ? _("fault") : "-");
        cell(r, 4, "%s", kdev_state_label(k->printer_state));
        cell(r, 5, "%s (%s) v%s", k->screen[0] ? k->screen : "-", sage,
             k->version[0] ? k->version : "?");
        if (kiosk_status_db_text(k, now, silent_after(c), db, sizeof db)[0]) {
            int note = kiosk_status_db_note(k, now, silent_after(c));
            struct cv_row *d = add_row(c, note == KDB_SILENT_AWAY ? CVK_WARN : CVK_NOTE);
            if (d)
                d->span = true;
            cell(d, 0, "%s", db);
        }
    }
    if (!n)
        snprintf(c->v.caption, sizeof c->v.caption, "%s", _("No kiosk has reported yet."));
    else
        snprintf(c->v.caption, sizeof c->v.caption,
                 _("%d kiosks, %d silent for more than %d s"), n, silent, silent_after(c));
}

static unsigned fleet_input(struct console *c, enum con_action a, uint32_t ch)
{
    (void)ch;
    if (move_sel(&c->kiosks.sel, c->kiosks.n, a, FLEET_PAGE))
        return CR_REDRAW;
    return a == CA_ESCAPE ? con_back(c, CS_HOME) : CR_NONE;
}

static int fleet_actions(const struct console *c, int *acts, int cap)
{
    return list_actions_paged(acts, 0, cap, c->kiosks.n, FLEET_PAGE);
}

const struct con_screen_ops con_fleet = {
    .name = "fleet",
    .layout = CL_TABLE,
    .enter = fleet_enter,
    .load = fleet_load,
    .build = fleet_build,
    .input = fleet_input,           /* the kiosks screen's list, in pages of FLEET_PAGE */
    .actions = fleet_actions,
};
