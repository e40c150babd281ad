/* hintbar.c — the key-hint line drawn as buttons, paged with a More button when
 * they do not fit (resident), and hit-tested (hintbar.h). */
#include "screens/hintbar.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/i18n.h"
#include "screens/keymap.h"
#include "screens/screen.h"

bool hintbar_hit(const struct hintbar *hb, int y, int x, struct hint_hit *out)
{
    for (int i = 0; i < hb->n; i++)
        if (y == hb->b[i].y && x >= hb->b[i].x0 && x < hb->b[i].x1) {
            *out = hb->b[i].hit;
            return true;
        }
    return false;
}

/* Widen each button's clickable columns to the middle of the gaps around it,
 * and the outer ones to the ends of the line: a finger need not be exact. */
static void spread(struct hintbar *hb, int x, int w)
{
    int cut[HINTBAR_MAX + 1];   /* cut[i]: where button i starts answering */
    for (int i = 0; i < hb->n; i++) {
        bool first = i == 0 || hb->b[i - 1].y != hb->b[i].y;   /* first of its row */
        cut[i] = first ? x : (hb->b[i - 1].x1 + hb->b[i].x0 + 1) / 2;
    }
    for (int i = 0; i < hb->n; i++) {
        bool last = i + 1 == hb->n || hb->b[i + 1].y != hb->b[i].y;
        hb->b[i].x0 = cut[i];
        hb->b[i].x1 = last ? x + w : cut[i + 1];
    }
}

/* Place n buttons of widths bw[] (plus 2 * pad) in rows of w columns, gap
 * apart: row[i] 0 (the upper) or 1.  On one row everything goes on row 1.
 * Returns true when they all fit. */
static bool place(const int *bw, int n, int pad, int gap, int w, int rows, int *row)
{
    int r = rows >= 2 ? 0 : 1, cx = 0;
    if (rows >= 2) {
        /* the upper row takes the overflow only: fill the lower one first when all fit */
        int total = 0;
        for (int i = 0; i < n; i++)
            total += bw[i] + 2 * pad + (i ? gap : 0);
        if (total <= w)
            r = 1;
    }
    for (int i = 0; i < n; i++) {
        int need = bw[i] + 2 * pad;
        if (cx > 0 && cx + gap + need > w) {
            if (r == 1)
                return false;
            r = 1;
            cx = 0;
        }
        if (cx == 0 && need > w)
            return false;
        row[i] = r;
        cx += (cx > 0 ? gap : 0) + need;
    }
    return true;
}

/* ---- buttons from acts[] ------------------------------------------------------------- */

struct button {
    int act;
    char key[KEYTAB_KEY_NAME + 2];
    const char *label;
    int w;
};

/* Draw buttons b[0..n) placed by place() in rows row[], and remember them. */
static void lay(struct hintbar *hb, const struct button *b, int n, int pad, int gap, const int *row,
                int y, int x, int w, const struct hintbar_style *st)
{
    int cx = x;
    for (int i = 0; i < n; i++) {
        int bw = b[i].w + 2 * pad;
        int by = y - 1 + row[i];
        if (i > 0 && row[i] != row[i - 1])
            cx = x;
        attrset((attr_t)st->attr);
        mvhline(by, cx, ' ', bw);
        attrset(A_NORMAL);
        int kx = cx + pad;
        if (b[i].key[0])
            kx += ui_put(by, kx, b[i].key, bw, st->key_attr) + 1;
        ui_put(by, kx, b[i].label, cx + bw - kx, st->attr);
        hb->b[hb->n].y = by;
        hb->b[hb->n].x0 = cx;
        hb->b[hb->n].x1 = cx + bw;
        hb->b[hb->n].hit = (struct hint_hit){.act = b[i].act};
        hb->n++;
        cx += bw + gap;
    }
    spread(hb, x, w);
}

/* Do buttons sel[0..k) of b, then the More button, fit on the bar? */
static bool page_fits(const struct button *b, const int *sel, int k, const struct button *more, int pad,
                      int gap, int w, int rows)
{
    int bw[HINTBAR_MAX + 1], row[HINTBAR_MAX + 1];
    for (int i = 0; i < k; i++)
        bw[i] = b[sel[i]].w;
    bw[k] = more->w;
    return place(bw, k + 1, pad, gap, w, rows, row);
}

static bool kept(const struct hintbar_style *st, int act)
{
    return act == st->keep[0] || act == st->keep[1];
}

/* Split the buttons into pages that each end in More; page[i] is button i's.
 * The first page holds help and back (st->keep) and, in hint order, as many
 * of the others as fit; each next page as many of the rest.  Returns the
 * number of pages. */
static int paginate(const struct button *b, int n, const struct button *more, int pad, int gap, int w,
                    const struct hintbar_style *st, int *page)
{
    int sel[HINTBAR_MAX], k = 0, pages = 0, next = 0;
    for (int i = 0; i < n; i++)
        page[i] = -1;
    for (int i = 0; i < n; i++)   /* help and back first, if they fit with More */
        if (kept(st, b[i].act)) {
            sel[k] = i;
            if (page_fits(b, sel, k + 1, more, pad, gap, w, st->rows)) {
                page[i] = 0;
                k++;
            }
        }
    for (;;) {
        /* the page's own keep buttons are in sel[0..k) already (page 0 only) */
        int added = 0;
        for (; next < n; next++) {
            if (page[next] >= 0)
                continue;
            int cand[HINTBAR_MAX];
            int m = 0;
            for (int i = 0; i < n; i++)   /* this page's buttons in hint order, with next */
                if (page[i] == pages || i == next)
                    cand[m++] = i;
            if (added + k > 0 && !page_fits(b, cand, m, more, pad, gap, w, st->rows))
                break;
            page[next] = pages;   /* at least one a page, even one too wide: it is cut */
            added++;
        }
        pages++;
        k = 0;
        while (next < n && page[next] >= 0)
            next++;
        if (next >= n)
            return pages;
    }
}

static void draw_buttons(struct hintbar *hb, const struct keytab *kt, enum key_scope scope,
                         const int *acts, int n_acts, const char *lang, int y, int x, int w,
                         const struct hintbar_style *st)
{
    struct button b[HINTBAR_MAX];
    int n = 0, l = keytab_lang(lang);
    for (int i = 0; i < n_acts && n < HINTBAR_MAX; i++) {
        const struct action_def *d = keytab_def(scope, acts[i]);
        if (!d)
            continue;
        const char *keys[KEYTAB_MAX_KEYS];
        b[n].act = acts[i];
        b[n].key[0] = '\0';
        /* an action with no key is still a button: touch is its only way */
        if (keytab_keys(kt, scope, acts[i], keys) > 0)
            snprintf(b[n].key, sizeof b[n].key, "[%s]", keys[0]);
        b[n].label = d->label[l];
        b[n].w = ui_width(b[n].key) + (b[n].key[0] ? 1 : 0) + ui_width(b[n].label);
        n++;
    }
    hb->pages = 1;
    /* as roomy as fits: the style's padding and gap, then tighter down to
     * min_gap; then pages with a More button (resident), or fewer buttons —
     * the last ones first (the core lists them in hint order), never the
     * ones to keep (staff) */
    int pad = st->pad, gap = st->gap, min_gap = st->min_gap > 0 ? st->min_gap : 1;
    int row[HINTBAR_MAX + 1];
    for (;;) {
        int bw[HINTBAR_MAX];
        for (int i = 0; i < n; i++)
            bw[i] = b[i].w;
        if (n == 0 || place(bw, n, pad, gap, w, st->rows, row)) {
            hb->page = 0;
            lay(hb, b, n, pad, gap, row, y, x, w, st);
            return;
        }
        if (pad > 0)
            pad--;
        else if (gap > min_gap)
            gap--;
        else
            break;
    }
    if (st->more) {
        struct button pb[HINTBAR_MAX + 1], more = {.act = HINTBAR_MORE, .key = "", .label = _("More ▸")};
        more.w = ui_width(more.label);
        int page[HINTBAR_MAX];
        /* the tightest spacing puts the most on the first page; then take the
         * roomiest spacing that puts as many there (a finger needs the gaps) */
        hb->pages = paginate(b, n, &more, pad, gap, w, st, page);
        int first = 0;
        for (int i = 0; i < n; i++)
            first += page[i] == 0;
        for (int p = st->pad, g = st->gap;;) {
            int pg[HINTBAR_MAX], f = 0;
            int np = paginate(b, n, &more, p, g, w, st, pg);
            for (int i = 0; i < n; i++)
                f += pg[i] == 0;
            if (f == first) {
                pad = p;
                gap = g;
                hb->pages = np;
                memcpy(page, pg, sizeof page);
                break;
            }
            if (p > 0)
                p--;
            else if (g > min_gap)
                g--;
            else
                break;
        }
        if (hb->page < 0 || hb->page >= hb->pages)
            hb->page = 0;
        int m = 0;
        for (int i = 0; i < n; i++)
            if (page[i] == hb->page)
                pb[m++] = b[i];
        pb[m++] = more;
        int bw[HINTBAR_MAX + 1];
        for (int i = 0; i < m; i++)
            bw[i] = pb[i].w;
        if (!place(bw, m, pad, gap, w, st->rows, row))
            for (int i = 0; i < m; i++)   /* one button too wide even alone: one row, cut */
                row[i] = 1;
        lay(hb, pb, m, pad, gap, row, y, x, w, st);
        return;
    }
    for (;;) {
        int drop = n - 1;   /* whole buttons only: never a cut label */
        while (drop > 0 && kept(st, b[drop].act))
            drop--;
        memmove(&b[drop], &b[drop + 1], (size_t)(n - 1 - drop) * sizeof b[0]);
        n--;
        int bw[HINTBAR_MAX];
        for (int i = 0; i < n; i++)
            bw[i] = b[i].w;
        if (n == 0 || place(bw, n, pad, gap, w, st->rows, row))
            break;
    }
    lay(hb, b, n, pad, gap, row, y, x, w, st);
}

void hintbar_draw(struct hintbar *hb, const struct keytab *kt, enum key_scope scope,
                  const int *acts, int n_acts, const char *lang, int y, int x, int w,
                  const struct hintbar_style *st)
{
    hb->y = y;
    hb->n = 0;
    if (w <= 0)
        return;
    draw_buttons(hb, kt, scope, acts, n_acts, lang, y, x, w, st);
}
